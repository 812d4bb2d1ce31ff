"""Checks that a call releases the GIL while it works (shared by the test files)."""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, List


def assert_releases_gil(call: Callable[[], Any], same: Callable[[Any, Any], bool] = lambda a, b: a == b) -> None:
    """With forced switching off (a huge switch interval) a thread gives up the GIL only
    voluntarily. A worker announces the call and starts it; the main thread can run
    Python again before the call has returned only if the call released the GIL.
    Without the release the worker would finish and record its result first. The
    result must equal the one of a first call in this thread (one-time set-up happens
    there)."""
    expected = call()
    old_interval = sys.getswitchinterval()
    outcomes: List[bool] = []
    try:
        sys.setswitchinterval(1000.0)
        for _ in range(3):  # a 3-try margin for the OS scheduler; a held GIL fails all 3
            started = threading.Event()
            result: List[Any] = []

            def work() -> None:
                started.set()
                result.append(call())

            worker = threading.Thread(target=work)
            worker.start()
            started.wait()
            was_running = not result  # read while the worker is inside the call
            worker.join()
            assert result and same(result[0], expected)
            outcomes.append(was_running)
            if was_running:
                break
    finally:
        sys.setswitchinterval(old_interval)
    assert outcomes[-1], f"the main thread never ran during the call: {outcomes}"
