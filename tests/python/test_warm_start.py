"""Network re-solves warm: after set_costs / set_capacities / set_supplies the simplex
starts from the previous basis — same optimum as a cold solve of the changed problem,
far fewer pivots."""

from __future__ import annotations

import numpy as np
import pytest

import allocnet
from allocnet.exceptions import InvalidInputError

I64 = np.int64
INF = allocnet.INFINITE


def transport_problem(seed: int = 3, n: int = 120, m: int = 2400):
    """A feasible random network: random arcs plus a ring of dear unlimited arcs."""
    rng = np.random.default_rng(seed)
    tails = np.concatenate([rng.integers(0, n, m), np.arange(n)]).astype(I64)
    heads = np.concatenate([rng.integers(0, n, m), (np.arange(n) + 1) % n]).astype(I64)
    caps = np.concatenate([rng.integers(1, 40, m), np.full(n, INF)]).astype(I64)
    costs = np.concatenate([rng.integers(0, 100, m), np.full(n, 1000)]).astype(I64)
    supplies = np.zeros(n, dtype=I64)
    supplies[:20], supplies[20:40] = 25, -25
    return tails, heads, caps, costs, supplies


def cold(tails, heads, caps, costs, supplies):
    net = allocnet.Network(tails, heads, caps, costs, supplies)
    return net, net.solve()


def test_set_costs_resolves_warm_to_the_cold_optimum():
    tails, heads, caps, costs, supplies = transport_problem()
    net = allocnet.Network(tails, heads, caps, costs, supplies)
    assert net.last_pivots is None
    first = net.solve()
    assert first.is_optimal and net.last_pivots > 0
    rng = np.random.default_rng(11)
    for _ in range(5):
        arcs = rng.choice(len(tails), 10, replace=False).astype(I64)
        new = rng.integers(0, 100, 10).astype(I64)
        costs[arcs] = new
        net.set_costs(new, arcs=arcs)
        warm = net.solve()
        warm_pivots = net.last_pivots
        fresh, reference = cold(tails, heads, caps, costs, supplies)
        assert (warm.status, warm.cost) == (reference.status, reference.cost)
        assert net.verify(warm) == []
        assert np.array_equal(net.costs, costs)
        # actually warm: a fraction of the pivots of a cold solve of the same problem
        assert warm_pivots * 3 < fresh.last_pivots, (warm_pivots, fresh.last_pivots)


def test_set_capacities_and_supplies_resolve_to_the_cold_optimum():
    tails, heads, caps, costs, supplies = transport_problem(seed=5)
    net = allocnet.Network(tails, heads, caps, costs, supplies)
    net.solve()
    caps[:50] = np.maximum(caps[:50] - 3, 0)
    net.set_capacities(caps)  # every arc at once
    supplies[0], supplies[20] = 30, -30
    net.set_supplies(np.array([30, -30], dtype=I64), nodes=np.array([0, 20], dtype=I64))
    warm = net.solve()
    _, reference = cold(tails, heads, caps, costs, supplies)
    assert (warm.status, warm.cost) == (reference.status, reference.cost)
    assert net.verify(warm) == []
    assert np.array_equal(net.capacities, caps) and np.array_equal(net.supplies, supplies)
    # the LP engine solves the changed problem too
    lp = net.solve("lp")
    assert (lp.status, lp.cost) == (reference.status, reference.cost)


def test_a_change_that_makes_the_problem_infeasible_and_back():
    tails, heads, caps, costs, supplies = transport_problem(seed=8)
    net = allocnet.Network(tails, heads, caps, costs, supplies)
    optimum = net.solve().cost
    net.set_supplies(np.array([10**6], dtype=I64), nodes=np.array([0], dtype=I64))
    assert net.solve().status == "infeasible"  # unbalanced
    net.set_supplies(supplies)
    again = net.solve()
    assert again.cost == optimum and net.verify(again) == []


@pytest.mark.parametrize(
    "call, path",
    [
        (lambda n: n.set_costs(np.array([1, 2], dtype=I64)), "costs"),
        (lambda n: n.set_costs(np.array([1], dtype=I64), arcs=np.array([99], dtype=I64)), "arcs[0]"),
        (lambda n: n.set_costs(np.array([1, 2], dtype=I64), arcs=np.array([0], dtype=I64)), "costs"),
        (lambda n: n.set_costs(np.array([1.5]), arcs=np.array([0], dtype=I64)), "costs"),
        (lambda n: n.set_costs(np.array([np.iinfo(I64).min], dtype=I64), arcs=np.array([1], dtype=I64)), "arc 1 (cost)"),
        (lambda n: n.set_capacities(np.array([-1], dtype=I64), arcs=np.array([2], dtype=I64)), "arc 2 (lower, upper)"),
        (lambda n: n.set_supplies(np.array([5], dtype=I64), nodes=np.array([-1], dtype=I64)), "nodes[0]"),
    ],
)
def test_invalid_changes_are_rejected_whole_and_change_nothing(call, path):
    tails, heads, caps, costs, supplies = (
        np.array([0, 1, 0], dtype=I64),
        np.array([1, 2, 2], dtype=I64),
        np.array([4, 10, 10], dtype=I64),
        np.array([1, 1, 3], dtype=I64),
        np.array([5, 0, -5], dtype=I64),
    )
    net = allocnet.Network(tails, heads, caps, costs, supplies)
    before = net.solve()
    with pytest.raises(InvalidInputError) as info:
        call(net)
    assert path in info.value.paths, info.value.problems
    assert np.array_equal(net.costs, costs) and np.array_equal(net.capacities, caps)
    assert np.array_equal(net.supplies, supplies)
    after = net.solve()
    assert after.cost == before.cost and after.flows.tolist() == before.flows.tolist()
