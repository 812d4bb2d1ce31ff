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
