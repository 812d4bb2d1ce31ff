"""Independent checks of a min-cost flow result, written in numpy (not allocnet's own
certificate): bounds, conservation, complementary slackness and the reported cost."""

from __future__ import annotations

from typing import List, Optional

import numpy as np

INFINITE = np.iinfo(np.int64).max


def violations(
    tails: np.ndarray,
    heads: np.ndarray,
    capacities: np.ndarray,
    costs: np.ndarray,
    supplies: np.ndarray,
    lower: Optional[np.ndarray],
    flows: np.ndarray,
    potentials: np.ndarray,
    cost: int,
) -> List[str]:
    """Every way the flow and potentials fail to be an optimal solution (empty: optimal)."""
    problems: List[str] = []
    m, n = len(tails), len(supplies)
    low = np.zeros(m, dtype=np.int64) if lower is None else lower
    if flows.shape != (m,) or potentials.shape != (n,):
        return [f"shapes: flows {flows.shape}, potentials {potentials.shape}"]
    for a in range(m):
        if flows[a] < low[a] or flows[a] > capacities[a]:
            problems.append(f"arc {a}: flow {flows[a]} outside [{low[a]}, {capacities[a]}]")
    balance = [0] * n
    for a in range(m):
        balance[int(tails[a])] += int(flows[a])
        balance[int(heads[a])] -= int(flows[a])
    for v in range(n):
        if balance[v] != int(supplies[v]):
            problems.append(f"node {v}: out - in = {balance[v]}, supply {supplies[v]}")
    for a in range(m):
        rc = int(costs[a]) + int(potentials[tails[a]]) - int(potentials[heads[a]])
        if rc > 0 and flows[a] != low[a]:
            problems.append(f"arc {a}: reduced cost {rc} > 0 but flow {flows[a]} above lower")
        if rc < 0 and flows[a] != capacities[a]:
            problems.append(f"arc {a}: reduced cost {rc} < 0 but flow {flows[a]} below capacity")
    exact = sum(int(c) * int(f) for c, f in zip(costs, flows))
    if exact != cost:
        problems.append(f"reported cost {cost} != sum(cost*flow) {exact}")
    return problems
