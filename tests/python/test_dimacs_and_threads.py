"""read_dimacs, and solving from several threads with the GIL released."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

import allocnet

REPO = Path(__file__).resolve().parents[2]


def transportation(seed: int, sources: int = 150, sinks: int = 150):
    """A dense random transportation problem (sources x sinks arcs)."""
    rng = np.random.default_rng(seed)
    tails = np.repeat(np.arange(sources, dtype=np.int64), sinks)
    heads = np.tile(np.arange(sources, sources + sinks, dtype=np.int64), sources)
    caps = rng.integers(5, 60, len(tails)).astype(np.int64)
    costs = rng.integers(1, 1000, len(tails)).astype(np.int64)
    demand = rng.integers(10, 50, sinks).astype(np.int64)
    supply = np.full(sources, demand.sum() // sources, dtype=np.int64)
    supply[: demand.sum() - supply.sum()] += 1
    return tails, heads, caps, costs, np.concatenate([supply, -demand])


def test_read_dimacs_of_the_repository_example_solves(tmp_path):
    net = allocnet.read_dimacs(REPO / "data" / "examples" / "vastmanland_masks.min")
    assert net.node_count > 0 and net.arc_count > 0
    r = net.solve()
    assert r.status == "optimal" and net.verify(r) == []
    # Written back and read again: the same problem and the same optimum.
    path = tmp_path / "again.min"
    net.write_dimacs(path)
    again = allocnet.read_dimacs(str(path))
    for field in ["tails", "heads", "lower", "capacities", "costs", "supplies"]:
        assert np.array_equal(getattr(again, field), getattr(net, field)), field
    assert again.solve().cost == r.cost


def test_several_threads_solving_concurrently_get_the_serial_results():
    problems = [transportation(seed) for seed in range(6)]
    serial = [allocnet.min_cost_flow(*p) for p in problems]
    with ThreadPoolExecutor(max_workers=4) as pool:
        parallel = list(pool.map(lambda p: allocnet.min_cost_flow(*p), problems * 2))
    for i, r in enumerate(parallel):
        expected = serial[i % len(problems)]
        assert r.status == "optimal" and r.cost == expected.cost
        assert np.array_equal(r.flows, expected.flows)


def test_the_gil_is_released_while_solving():
    """With the interpreter's forced switching turned off (a huge switch interval), a
    thread gives up the GIL only voluntarily. The worker announces the solve and starts
    it; the main thread can run Python again *before* the solve has returned only if
    the solve released the GIL. Without the release the worker would run the whole
    solve and record its result before the main thread ever resumed."""
    problem = transportation(1, 200, 200)
    # A first call in this thread: one-time set-up (numpy's C API import, whose import
    # lock may yield the GIL) happens here, not in the worker.
    expected = allocnet.min_cost_flow(*problem)
    old_interval = sys.getswitchinterval()
    outcomes = []
    try:
        sys.setswitchinterval(1000.0)
        for _ in range(3):  # a 3-try margin for the OS scheduler; a held GIL fails all 3
            started = threading.Event()
            result = []

            def work():
                started.set()
                result.append(allocnet.min_cost_flow(*problem))

            worker = threading.Thread(target=work)
            worker.start()
            started.wait()
            solve_was_running = not result  # read while the worker is inside the solve
            worker.join()
            assert result and result[0].cost == expected.cost
            outcomes.append(solve_was_running)
            if solve_was_running:
                break
    finally:
        sys.setswitchinterval(old_interval)
    assert outcomes[-1], f"the main thread never ran during a solve: {outcomes}"
