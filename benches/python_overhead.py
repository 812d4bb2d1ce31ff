"""Overhead of the Python API on the 290-site county round (not a unit test).

Compares, on the same machine and build (use a release build: `pip install .`):

* rust:   the compiled round alone (`Scenario.core.county_round()`: the Rust
          `run_county_round`, GIL released, nothing converted);
* python: the analyst's call — Scenario.from_frames(sites, items, status, ...) from
          pandas DataFrames, county_round, and every plan table as a DataFrame.

Run: `.venv/bin/python benches/python_overhead.py [--repeat N]`. The two are timed
interleaved (rust, python, rust, python, ...) so that a busy machine slows both alike;
prints the median and minimum of each, the ratio of the medians and the median of the
per-pair ratios. Check `uptime`: on a loaded machine the figures scatter.
"""

from __future__ import annotations

import argparse
import statistics
import time

import allocnet

TABLES = ["shipments", "unmet", "stock_after", "dual_prices", "objective", "reasons", "county_request"]


def once(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def timed(work, repeat: int):
    times = [once(work) for _ in range(repeat)]
    return statistics.median(times), min(times)


def interleaved(a, b, repeat: int):
    """(median, min) of `a` and of `b`, and the median ratio b/a, timed in turns."""
    pairs = [(once(a), once(b)) for _ in range(repeat)]
    ta, tb = [p[0] for p in pairs], [p[1] for p in pairs]
    ratio = statistics.median(y / x for x, y in pairs)
    return (statistics.median(ta), min(ta)), (statistics.median(tb), min(tb)), ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    sweden = allocnet.Scenario.sweden()
    tables = sweden.to_frames()
    rows = {k: len(v) for k, v in tables.items()}

    def rust_round():
        sweden.core.county_round()

    def python_call():
        scenario = allocnet.Scenario.from_frames(**tables)
        plan = allocnet.county_round(scenario)
        for name in TABLES:
            getattr(plan, name)

    def frames_in():
        allocnet.Scenario.from_frames(**tables)

    plan = allocnet.county_round(sweden)

    def frames_out():
        fresh = allocnet.Plan(plan.core, sweden)
        for name in TABLES:
            getattr(fresh, name)

    rust_round()
    python_call()  # warm up (imports, caches)
    rust, python, pair_ratio = interleaved(rust_round, python_call, args.repeat)
    inp = timed(frames_in, args.repeat)
    out = timed(frames_out, args.repeat)
    print(f"Sweden, 290 sites, 10 items; input rows {rows}")
    print(f"  rust round (compiled call only) : median {rust[0] * 1e3:8.1f} ms   min {rust[1] * 1e3:8.1f} ms")
    print(f"  python call (DataFrames in/out) : median {python[0] * 1e3:8.1f} ms   min {python[1] * 1e3:8.1f} ms")
    print(f"    of which DataFrames -> Scenario: median {inp[0] * 1e3:6.1f} ms")
    print(f"    of which Plan -> 7 DataFrames  : median {out[0] * 1e3:6.1f} ms")
    print(f"  ratio python / rust (medians)   : {python[0] / rust[0]:.2f}x")
    print(f"  ratio python / rust (per pair)  : {pair_ratio:.2f}x (median)")


if __name__ == "__main__":
    main()
