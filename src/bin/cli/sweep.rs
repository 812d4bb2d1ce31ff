//! `allocnet sweep`: run a sweep spec over a base scenario, with a progress bar and
//! Ctrl-C handling; write results.csv and summary.csv.

use allocnet::sweep::{load_base, Job, Sweep, SweepChunk, SweepSpec};
use allocnet::Error;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Set by Ctrl-C: the sweep stops after the batch under way and writes what is done.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Arguments of `allocnet sweep`.
#[derive(Args)]
pub struct SweepArgs {
    /// The base: `vastmanland`, `sweden` (SYNTHETIC figures), a scenario file/directory,
    /// a national round JSON file (`--job national-round`) or a testing scenario file
    /// (`--job testing`).
    base: String,
    /// The sweep spec: a JSON or TOML file (see docs/sweeps.md).
    #[arg(long)]
    spec: PathBuf,
    /// Samples per grid point (default: the spec's `samples`).
    #[arg(long)]
    samples: Option<usize>,
    /// Seed of the draws: the same seed gives the same table, for any thread count.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// What to run on each scenario.
    #[arg(long, value_enum, default_value_t = Job::CountyRound)]
    job: Job,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Directory for results.csv and summary.csv (created if missing).
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// A progress bar on stderr (done/total, rate, ETA), hidden when stderr is not a
/// terminal or with `quiet`.
pub fn progress_bar(total: u64, unit: &str, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), draw_target(quiet));
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit} {{per_sec}} ETA {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// A spinner on stderr with the time taken (a long step that cannot count its
/// progress), hidden when stderr is not a terminal or with `quiet`.
pub fn spinner(message: &'static str, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, draw_target(quiet));
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Stderr when it is a terminal and not `quiet`, else nowhere.
fn draw_target(quiet: bool) -> ProgressDrawTarget {
    if quiet || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    }
}

/// Installs the Ctrl-C handler once (a second install is ignored).
pub fn catch_interrupt() {
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::Relaxed));
}

/// Runs `allocnet sweep`; the exit code says whether it was interrupted.
pub fn run_sweep(args: &SweepArgs) -> Result<bool, Error> {
    let spec = SweepSpec::from_path(&args.spec)?;
    let base = load_base(&args.base, args.job)?;
    let sweep = Sweep::new(base, spec, args.job, args.samples, args.seed)?;
    if args.threads.is_some_and(|t| t > 1024) {
        return Err(Error::invalid("--threads", "must be at most 1024"));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::invalid("--threads", e.to_string()))?;
    catch_interrupt();
    let bar = progress_bar(sweep.len() as u64, "scenarios", args.quiet);
    let started = Instant::now();
    let chunk = pool.install(|| sweep.run(&[], &|n| bar.inc(n as u64), &INTERRUPTED))?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    write_results(&chunk, &args.out)?;
    let failed = chunk.failures().len();
    println!(
        "{} of {} scenarios in {seconds:.2} s ({failed} failed); wrote {} and {}",
        chunk.rows(),
        sweep.len(),
        args.out.join("results.csv").display(),
        args.out.join("summary.csv").display()
    );
    let interrupted = chunk.rows() < sweep.len();
    if interrupted {
        eprintln!("interrupted: the files hold the {} scenarios done", chunk.rows());
    }
    Ok(interrupted)
}

fn write_results(chunk: &SweepChunk, out: &Path) -> Result<(), Error> {
    std::fs::create_dir_all(out).map_err(|source| Error::Io {
        path: out.display().to_string(),
        source,
    })?;
    for (name, table) in [("results.csv", chunk.to_table()?), ("summary.csv", chunk.summary()?)] {
        let path = out.join(name);
        std::fs::write(&path, table.to_csv()?).map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}
