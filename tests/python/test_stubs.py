"""The hand-written stubs (_allocnet.pyi) match the compiled module."""

import subprocess
import sys


def test_stubtest_finds_no_difference_between_stubs_and_module():
    done = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "allocnet._allocnet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def test_package_exports_what_the_stub_declares():
    import allocnet
    import allocnet._allocnet as compiled

    for name in compiled.__all__:
        if not name.startswith("_"):
            assert hasattr(allocnet, name), name


def test_docs_python_md_lists_the_plan_tables_as_generated():
    from pathlib import Path

    from allocnet._docgen import plan_tables_markdown

    doc = (Path(__file__).resolve().parents[2] / "docs" / "python.md").read_text(encoding="utf-8")
    assert plan_tables_markdown() in doc, "regenerate the plan tables of docs/python.md"
