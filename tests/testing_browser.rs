//! guidance.html in a real headless browser (Debian's `chromium`, installed by
//! `scripts/install-system-deps.sh`): it renders, logs nothing to the console, has
//! no horizontal overflow at a 375 px phone width, and prints on A4. The 375 px
//! screenshot and the PDF are kept in `<target>/test-output/`.
//!
//! Without chromium the test is skipped with a message — except in CI (`CI=true`),
//! where it must run.

use allocnet::test_capacity::guidance::Lang;
use allocnet::test_capacity::output::testing_files_in;
use allocnet::test_capacity::plan_testing;
use allocnet::test_capacity::synthetic::vastmanland_testing;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The browser, or `None` (skip) outside CI.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser"].iter().find_map(|name| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
    });
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "chromium is required in CI (CI=true): run scripts/install-system-deps.sh"
        );
        eprintln!("SKIPPED: chromium is not installed (run scripts/install-system-deps.sh); guidance.html not checked in a browser");
    }
    found
}

fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(browser: &Path, args: &[&str], url: &str) -> Output {
    let profile = output_dir().join("chromium-profile");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--allow-file-access-from-files",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `name="value"` of the first tag `tag` in `dom`.
fn attribute(dom: &str, tag: &str, name: &str) -> Option<i64> {
    let start = dom.find(&format!("<{tag}"))?;
    let rest = &dom[start..];
    let at = rest[..rest.find('>')?].find(&format!("{name}=\""))? + name.len() + 2;
    rest[at..at + rest[at..].find('"')?].parse().ok()
}

fn write_guidance(lang: Lang) -> PathBuf {
    let s = vastmanland_testing().unwrap();
    let plan = plan_testing(&s).unwrap();
    let files = testing_files_in(&s, &plan, lang).unwrap();
    let html = &files.iter().find(|(n, _)| *n == "guidance.html").unwrap().1;
    let path = output_dir().join(format!("guidance-{}.html", lang.as_str()));
    std::fs::write(&path, html).unwrap();
    path
}

#[test]
fn guidance_html_renders_fits_a_phone_and_prints_on_a4() {
    let Some(browser) = chromium() else {
        return;
    };
    for lang in [Lang::En, Lang::Sv] {
        let page = write_guidance(lang);
        let url = format!("file://{}", page.display());
        // Renders, and nothing reaches the console (the page has no scripts; any
        // message is an error).
        let out = run(&browser, &["--dump-dom"], &url);
        let dom = String::from_utf8(out.stdout).unwrap();
        assert!(
            dom.contains("<h1>") && dom.contains("<table>") && dom.contains("Västerås"),
            "{dom}"
        );
        let log = String::from_utf8_lossy(&out.stderr);
        let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(console.is_empty(), "console messages: {console:?}");
        // 375 px: the page in a 375 px frame has no horizontal overflow.
        let frame = output_dir().join(format!("guidance-{}-375.html", lang.as_str()));
        std::fs::write(
            &frame,
            format!(
                "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"f\" src=\"{url}\" \
                 style=\"width:375px;height:800px;border:0\"></iframe><script>\
                 document.getElementById('f').addEventListener('load', function () {{\
                 var d = this.contentDocument.documentElement;\
                 document.body.setAttribute('data-scroll', d.scrollWidth);\
                 document.body.setAttribute('data-client', d.clientWidth); }});</script></body></html>"
            ),
        )
        .unwrap();
        let out = run(
            &browser,
            &[
                "--window-size=375,800",
                "--hide-scrollbars",
                "--virtual-time-budget=5000",
                "--dump-dom",
            ],
            &format!("file://{}", frame.display()),
        );
        let dom = String::from_utf8(out.stdout).unwrap();
        let (scroll, client) = (
            attribute(&dom, "body", "data-scroll"),
            attribute(&dom, "body", "data-client"),
        );
        assert_eq!(client, Some(375), "the frame was not measured: {dom}");
        assert!(
            scroll <= client,
            "horizontal overflow at 375 px: scrollWidth {scroll:?} > {client:?}"
        );
        // A screenshot at 375 px, kept.
        let png = output_dir().join(format!("guidance-{}375.png", if lang == Lang::En { "" } else { "sv-" }));
        let _ = std::fs::remove_file(&png);
        run(
            &browser,
            &[
                "--window-size=375,1400",
                "--hide-scrollbars",
                &format!("--screenshot={}", png.display()),
            ],
            &url,
        );
        let bytes = std::fs::read(&png).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        assert_eq!(u32::from_be_bytes(bytes[16..20].try_into().unwrap()), 375);
        // Prints: a PDF of A4 pages (595 × 842 pt).
        let pdf = output_dir().join(format!("guidance-{}.pdf", lang.as_str()));
        let _ = std::fs::remove_file(&pdf);
        run(
            &browser,
            &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display())],
            &url,
        );
        let bytes = std::fs::read(&pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
        let text = String::from_utf8_lossy(&bytes);
        let boxes: Vec<&str> = text
            .match_indices("/MediaBox [")
            .map(|(i, _)| &text[i..i + 40])
            .collect();
        assert!(!boxes.is_empty());
        for b in &boxes {
            assert!(b.contains(" 594.9") && b.contains(" 841.9"), "not A4: {b}");
        }
    }
}
