"""Python sweep benchmarks (figures in BENCHMARKS.md, "Python: sweeps").

    .venv/bin/python benches/python_sweep.py vastmanland [--samples 10000] [--runs 5]
    .venv/bin/python benches/python_sweep.py dask [--samples 100] [--weeks 4] [--runs 3]

``vastmanland``: ``allocnet.sweep`` of the Västmanland county round over
``examples/sweeps/vastmanland_uncertainty.json`` (consumption and stock uncertainty),
in-process, wall time including the result DataFrame (target: 10 000 scenarios < 3 s).

``dask``: a sweep of 4-week Sweden simulations (``examples/sweeps/sweden_national_stock.json``,
``--samples`` per grid point) on a ``distributed.LocalCluster`` with 1 worker process
and with 2 (one thread each); prints both medians and the speed-up (target >= 1.7x).
The two tables are checked to be equal.

``dask-pairs``: the same sweep on both clusters (started once, side by side; an idle
worker takes no CPU), run in turn 2 workers / 1 worker ``--runs`` times: the speed-up
of each pair (1-worker time / 2-worker time), their median, and the load; with the
workers' CPU seconds: the cores each cluster obtained and the speed-up a free core per
worker would give (1-worker CPU seconds / the busiest of the 2 workers'). On a shared
machine the pairs keep the comparison fair when the load drifts.

``threads-pairs``: the control without Dask: the same simulations in-process on 2 Rust
threads and on 1, in turn (the speed-up and the CPU ratio the two cores allow this work:
the ceiling of any 2-worker cluster).

``dask-pairs`` also prints the workers' CPU seconds inside the sweep's tasks and outside
them (Dask's own work), for 2 workers and 1.

``dask-one --workers N``: one run on a new cluster of N workers (for a whole-process
timer); prints the sweep's own wall time.

Each figure is the median of ``--runs`` runs (after one warm-up run; the Dask runs
have none: the cluster is new for each worker count and a run takes minutes); the load
(``os.getloadavg``) is printed with it: the machine is shared, ratios matter more than
absolute times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

import pandas as pd

import allocnet

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "examples" / "sweeps"


def median_seconds(run: Callable[[], Any], runs: int, warmup: bool = True) -> Tuple[float, List[float], Any]:
    """Median wall time of ``runs`` calls (after one warm-up call), all times, last result."""
    result = run() if warmup else None
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, result


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def vastmanland(samples: int, runs: int) -> None:
    spec = SPECS / "vastmanland_uncertainty.json"
    base = allocnet.Scenario.vastmanland()

    def run() -> allocnet.SweepResult:
        result = allocnet.sweep(base, spec, samples=samples, seed=1, progress=False)
        result.table  # the DataFrame is part of the figure
        return result

    # The core's run alone (the compiled sweep, no DataFrame): what Python adds is the
    # difference.
    core = allocnet._allocnet._Sweep(base.core, "county-round", None, str(spec), samples, 1, None)

    def core_only() -> Any:
        return core._run(0, len(core), [], None)

    median, times, result = median_seconds(run, runs)
    failed = len(result.failures)
    print(f"vastmanland county round, {len(result)} scenarios ({failed} failed), threads={os.cpu_count()}")
    print(f"  allocnet.sweep + DataFrame: median {median:.3f} s over {runs} runs ({', '.join(f'{t:.3f}' for t in times)})")
    core_median, core_times, _ = median_seconds(core_only, runs)
    print(f"  the core's run alone:       median {core_median:.3f} s ({', '.join(f'{t:.3f}' for t in core_times)})")
    print(f"  Python's share {100 * (median - core_median) / median:.1f} %; {len(result) / median:,.0f} scenarios/s; {load()}")
    print("  target < 3 s for 10 000")


def dask(samples: int, weeks: int, runs: int) -> None:
    import distributed

    spec = SPECS / "sweden_national_stock.json"
    options = allocnet.SimulationOptions(weeks=weeks)
    medians = {}
    tables = {}
    for workers in (1, 2):
        with distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as cluster, distributed.Client(cluster) as client:
            # Each worker's Rust pool gets one thread (RAYON_NUM_THREADS in the workers'
            # environment): 1 worker = 1 core, 2 workers = 2 cores.
            client.run(lambda: os.environ.__setitem__("RAYON_NUM_THREADS", "1"))

            def run() -> allocnet.SweepResult:
                return allocnet.sweep(
                    ("sweden", options), spec, samples=samples, seed=1, job="simulate", backend=client, progress=False
                )

            median, times, result = median_seconds(run, runs, warmup=False)
            medians[workers], tables[workers] = median, result.table
            print(f"dask, {workers} worker(s): {len(result)} scenarios of {weeks}-week Sweden simulations")
            print(f"  median {median:.2f} s over {runs} runs ({', '.join(f'{t:.2f}' for t in times)}); {load()}")
    pd.testing.assert_frame_equal(tables[1], tables[2], check_exact=True)
    print(f"speed-up 2 workers vs 1: {medians[1] / medians[2]:.2f}x (target >= 1.7x); tables equal")


def _cluster(workers: int) -> Tuple[Any, Any]:
    """A LocalCluster of ``workers`` processes, one thread each, whose Rust pools get
    one thread (RAYON_NUM_THREADS in the workers' environment, set before their first
    sweep): 1 worker = 1 core, 2 workers = 2 cores."""
    import distributed

    cluster = distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    client = distributed.Client(cluster)
    client.run(lambda: os.environ.__setitem__("RAYON_NUM_THREADS", "1"))
    client.run(_install_probe)
    return cluster, client


def _simulation_sweep(client: Any, samples: int, weeks: int) -> allocnet.SweepResult:
    options = allocnet.SimulationOptions(weeks=weeks)
    spec = SPECS / "sweden_national_stock.json"
    return allocnet.sweep(("sweden", options), spec, samples=samples, seed=1, job="simulate", backend=client, progress=False)


def _worker_cpu(client: Any) -> Dict[str, float]:
    """CPU seconds used so far by each of the cluster's worker processes (all threads)."""
    return client.run(time.process_time)


def _install_probe() -> None:
    """On a worker: count the process's CPU seconds spent while a sweep task runs
    (``allocnet.sweep._run_chunk``: the core's run and the chunk's DataFrame), so the
    rest of the worker's CPU is Dask's own (event loop, heartbeats, profiler,
    (de)serialising). Idempotent."""
    import sys

    module = sys.modules["allocnet.sweep"]
    if getattr(module, "_probe_seconds", None) is not None:
        return
    module._probe_seconds = [0.0]
    inner = module._run_chunk

    def probed(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            module._probe_seconds[0] += time.process_time() - start

    module._run_chunk = probed


def _probe_seconds() -> float:
    import sys

    return sys.modules["allocnet.sweep"]._probe_seconds[0]


def _cluster_side_cpu(client: Any) -> float:
    """CPU seconds so far of this process: the client and, in a LocalCluster, the
    scheduler and the workers' nannies (they run here; the workers are processes)."""
    return time.process_time()


def dask_pairs(samples: int, weeks: int, runs: int) -> None:
    clusters = {w: _cluster(w) for w in (2, 1)}
    try:
        ratios, times, cpus, bound = [], {1: [], 2: []}, {1: [], 2: []}, []
        in_tasks: Dict[int, List[float]] = {1: [], 2: []}
        side: Dict[int, List[float]] = {1: [], 2: []}
        tables = {}
        busiest: Dict[int, float] = {}
        for _ in range(runs):
            for workers in (2, 1):
                client = clusters[workers][1]
                cpu = _worker_cpu(client)
                probe = client.run(_probe_seconds)
                here = _cluster_side_cpu(client)
                start = time.perf_counter()
                result = _simulation_sweep(client, samples, weeks)
                times[workers].append(time.perf_counter() - start)
                after = _worker_cpu(client)
                in_tasks[workers].append(sum(client.run(_probe_seconds).values()) - sum(probe.values()))
                side[workers].append(_cluster_side_cpu(client) - here)
                used = [after[w] - cpu[w] for w in cpu]
                cpus[workers].append(sum(used))
                busiest[workers] = max(used)
                tables[workers] = result.table
            ratios.append(times[1][-1] / times[2][-1])
            # With a free core per worker the wall time would be the busiest worker's
            # CPU seconds: the speed-up the sweep itself allows (imbalance and Dask's
            # own work included, the machine's other load left out).
            bound.append(cpus[1][-1] / busiest[2])
            # cores obtained = the workers' CPU seconds / wall seconds: the speed-up the
            # machine allowed is the ratio of those, whatever Dask does.
            cores = {w: cpus[w][-1] / times[w][-1] for w in (1, 2)}
            print(
                f"  pair: 2 workers {times[2][-1]:.2f} s wall, {cpus[2][-1]:.2f} s CPU ({cores[2]:.2f} cores); "
                f"1 worker {times[1][-1]:.2f} s wall, {cpus[1][-1]:.2f} s CPU ({cores[1]:.2f} cores); "
                f"speed-up {ratios[-1]:.2f}x (CPU-bound estimate {bound[-1]:.2f}x); "
                f"CPU in tasks 2 workers {in_tasks[2][-1]:.2f} s, 1 worker {in_tasks[1][-1]:.2f} s; "
                f"client+scheduler+nannies CPU 2 workers {side[2][-1]:.2f} s, 1 worker {side[1][-1]:.2f} s; {load()}",
                flush=True,
            )
        pd.testing.assert_frame_equal(tables[1], tables[2], check_exact=True)
        print(f"dask pairs: {len(tables[1])} scenarios of {weeks}-week Sweden simulations, {runs} pairs")
        print(f"  median 2 workers {statistics.median(times[2]):.2f} s, 1 worker {statistics.median(times[1]):.2f} s")
        print(f"  speed-up per pair: median {statistics.median(ratios):.2f}x (min {min(ratios):.2f}, max {max(ratios):.2f}); tables equal")
        work = statistics.median(c2 / c1 for c1, c2 in zip(cpus[1], cpus[2]))
        print(f"  CPU seconds 2 workers / 1 worker: median {work:.2f} (1.00 = no work added by splitting)")
        print(f"  CPU-bound speed-up (1-worker CPU s / busiest worker's CPU s of 2): median {statistics.median(bound):.2f}x")
        task = statistics.median(t2 / t1 for t1, t2 in zip(in_tasks[1], in_tasks[2]))
        print(f"  CPU inside the sweep's tasks, 2 workers / 1 worker: median {task:.2f} (the same work; above 1 = the cores slow each other)")
        for w in (1, 2):
            outside = statistics.median(c - t for c, t in zip(cpus[w], in_tasks[w]))
            print(
                f"  {w} worker(s): workers' CPU outside the tasks (Dask's own work) median {outside:.2f} s; "
                f"client+scheduler+nannies CPU median {statistics.median(side[w]):.2f} s"
            )
    finally:
        for cluster, client in clusters.values():
            client.close()
            cluster.close()


def threads_pairs(samples: int, weeks: int, runs: int) -> None:
    """The control without Dask: the same simulation sweep in this process on 2 Rust
    threads and on 1, in turn: the speed-up and CPU ratio the cores allow this work."""
    options = allocnet.SimulationOptions(weeks=weeks)
    spec = SPECS / "sweden_national_stock.json"
    core = allocnet._allocnet._Sweep(allocnet.Scenario.sweden().core, "simulate", None, str(spec), samples, 1, options)
    walls: Dict[int, List[float]] = {1: [], 2: []}
    cpus: Dict[int, List[float]] = {1: [], 2: []}
    tables = {}
    for _ in range(runs):
        for threads in (2, 1):
            cpu, start = time.process_time(), time.perf_counter()
            _, metrics, _ = core._run(0, len(core), [], None, threads)
            walls[threads].append(time.perf_counter() - start)
            cpus[threads].append(time.process_time() - cpu)
            tables[threads] = metrics
        print(
            f"  pair: 2 threads {walls[2][-1]:.2f} s wall, {cpus[2][-1]:.2f} s CPU; 1 thread {walls[1][-1]:.2f} s wall, "
            f"{cpus[1][-1]:.2f} s CPU; speed-up {walls[1][-1] / walls[2][-1]:.2f}x; {load()}",
            flush=True,
        )
    assert tables[1].tobytes() == tables[2].tobytes()
    speed = statistics.median(a / b for a, b in zip(walls[1], walls[2]))
    work = statistics.median(b / a for a, b in zip(cpus[1], cpus[2]))
    print(f"threads pairs: {len(core)} scenarios of {weeks}-week Sweden simulations in-process, {runs} pairs")
    print(f"  speed-up 2 threads vs 1: median {speed:.2f}x; CPU 2 threads / 1 thread: median {work:.2f}; metrics equal")


def dask_one(workers: int, samples: int, weeks: int) -> None:
    cluster, client = _cluster(workers)
    try:
        start = time.perf_counter()
        result = _simulation_sweep(client, samples, weeks)
        took = time.perf_counter() - start
        print(f"dask, {workers} worker(s): {len(result)} scenarios in {took:.2f} s; {load()}", flush=True)
    finally:
        client.close()
        cluster.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["vastmanland", "dask", "dask-pairs", "dask-one", "threads-pairs"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--samples", type=int, default=None)
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    if args.which == "vastmanland":
        vastmanland(args.samples or 10_000, args.runs or 5)
    elif args.which == "dask":
        dask(args.samples or 100, args.weeks, args.runs or 3)
    elif args.which == "dask-pairs":
        dask_pairs(args.samples or 50, args.weeks, args.runs or 3)
    elif args.which == "threads-pairs":
        threads_pairs(args.samples or 50, args.weeks, args.runs or 3)
    else:
        dask_one(args.workers, args.samples or 50, args.weeks)


if __name__ == "__main__":
    main()
