"""The cost of reading DataFrames through public pandas API only (not a unit test).

Times ``allocnet.frames.scenario_columns`` (DataFrames -> the columns the core reads)
on the Sweden tables against the same function of an older ``frames.py`` (e.g. the
private-API route of commit d1fa249: ``DataFrame._iter_column_arrays`` and masked
arrays' ``_data`` / ``_mask``):

    git show d1fa249:python/allocnet/frames.py > /tmp/frames_old.py
    .venv/bin/python benches/python_input_route.py /tmp/frames_old.py [--repeat N]

Pure pandas work: the extension's build type does not matter.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import time

import allocnet
from allocnet import frames


def median_ms(work, tables, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work(tables)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("old_frames", help="path of the frames.py to compare with")
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("frames_old", args.old_frames)
    assert spec is not None and spec.loader is not None
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    tables = allocnet.Scenario.sweden().to_frames()
    for _ in range(3):
        before = median_ms(old.scenario_columns, tables, args.repeat)
        now = median_ms(frames.scenario_columns, tables, args.repeat)
        print(f"old {before:.3f} ms, now {now:.3f} ms, difference {now - before:+.3f} ms (medians of {args.repeat})")


if __name__ == "__main__":
    main()
