"""Progress bars for long core calls (sweeps, simulations): the call runs with the GIL
released in a helper thread and counts finished units into a ``_Progress`` counter;
this thread reads the counter and moves a tqdm bar (the notebook widget where
available). Ctrl-C cancels the call (work already started finishes) and is re-raised.
A call without units to count (the testing plan: one LP solve) shows the time it has
taken (:func:`run_with_timer`).
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Dict, TypeVar

from allocnet import _allocnet

T = TypeVar("T")

#: How often the bar is refreshed while the core runs (seconds).
POLL_SECONDS = 0.1


def bar(total: int, desc: str, unit: str) -> Any:
    """A tqdm bar on stderr."""
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)


def run_with_bar(call: Callable[[Any], T], total: int, desc: str, unit: str) -> T:
    """Runs ``call(counter)`` in a helper thread and shows ``counter.done`` out of
    ``total`` ``unit``\\ s until it returns; returns its result or raises its error."""
    counter = _allocnet._Progress()
    outcome: Dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = call(counter)
        except BaseException as err:  # re-raised in the caller's thread below
            outcome["error"] = err

    worker = threading.Thread(target=work, name=f"allocnet-{desc}", daemon=True)
    shown = bar(total, desc, unit)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            shown.update(min(counter.done, total) - shown.n)
    except KeyboardInterrupt:
        counter.cancel()
        worker.join()
        raise
    finally:
        shown.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def run_with_timer(call: Callable[[], T], desc: str) -> T:
    """Runs ``call()`` in a helper thread and shows a tqdm bar without a total (the
    time taken so far) until it returns; returns its result or raises its error. A
    single solve cannot be cancelled: Ctrl-C stops the waiting and is re-raised, and
    the solve finishes in the background (its result is dropped)."""
    from tqdm.auto import tqdm

    outcome: Dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = call()
        except BaseException as err:  # re-raised in the caller's thread below
            outcome["error"] = err

    worker = threading.Thread(target=work, name=f"allocnet-{desc}", daemon=True)
    shown = tqdm(total=None, desc=desc, unit="solve", file=sys.stderr, dynamic_ncols=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            shown.refresh()
        shown.update(1)
    finally:
        shown.close()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
