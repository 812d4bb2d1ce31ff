"""read_dimacs, and solving from several threads with the GIL released."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from gilcheck import assert_releases_gil

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
    problem = transportation(1, 200, 200)
    assert_releases_gil(lambda: allocnet.min_cost_flow(*problem), same=lambda a, b: a.cost == b.cost)
