"""A scenario sweep on a real (local) Dask cluster: scenarios and plans cross process
boundaries by pickle, and every plan equals the one computed in this process."""

from __future__ import annotations

import pytest

import allocnet

distributed = pytest.importorskip("distributed")


def scaled_hospital_stock(base: allocnet.Scenario, factor: float) -> allocnet.Scenario:
    """The scenario with the stock of every region (hospital) site scaled by `factor`."""
    frames = base.to_frames()
    sites, status = frames["sites"], frames["status"].copy()
    hospitals = set(sites.loc[sites["kind"] == "region", "id"])
    at_hospital = status["site"].isin(hospitals)
    status.loc[at_hospital, "stock"] = (status.loc[at_hospital, "stock"] * factor).round().astype("int64")
    frames["status"] = status
    return allocnet.Scenario.from_frames(**frames)


def round_summary(scenario: allocnet.Scenario) -> tuple:
    """Work done on a worker: the plan plus a figure computed there."""
    plan = allocnet.county_round(scenario)
    return plan, int(plan.unmet.loc[plan.unmet["window"] == "acute", "unmet"].sum())


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster, distributed.Client(cluster) as c:
        yield c


def test_sweep_on_workers_equals_local_plans(client):
    base = allocnet.Scenario.vastmanland()
    factors = [0.0, 0.25, 0.5, 1.0, 2.0]
    scenarios = [scaled_hospital_stock(base, f) for f in factors]
    futures = client.map(round_summary, scenarios, pure=False)
    remote = client.gather(futures)
    pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(pids) == 2 and __import__("os").getpid() not in pids  # really other processes
    acute = []
    for scenario, (plan, acute_unmet) in zip(scenarios, remote):
        local = allocnet.county_round(scenario)
        assert plan == local  # the same plan, bit for bit, after two pickle trips
        assert plan.scenario == scenario
        assert acute_unmet == int(local.unmet.loc[local.unmet["window"] == "acute", "unmet"].sum())
        acute.append(acute_unmet)
    # More hospital stock never leaves more acute need unmet (it can only be given away).
    assert acute == sorted(acute, reverse=True), acute
    assert acute[0] > acute[-1]


def test_scenarios_built_on_workers(client):
    """Workers can build the built-ins themselves; the result is deterministic per seed."""
    seeds = [1, 2, 3]
    remote = client.gather(client.map(lambda s: allocnet.county_round(allocnet.Scenario.vastmanland(seed=s)), seeds))
    for seed, plan in zip(seeds, remote):
        assert plan == allocnet.county_round(allocnet.Scenario.vastmanland(seed=seed))
