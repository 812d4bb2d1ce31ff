"""allocnet.sweep on a real Dask LocalCluster (2 worker processes): the base and spec
are shipped once, scenarios are generated on the workers chunk by chunk, and the table
equals the in-process one bit for bit, for any chunk size."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pandas as pd
import pytest

import allocnet
from allocnet.sweep import chunks

distributed = pytest.importorskip("distributed")

SPEC = {
    "parameters": [
        {"name": "consumption", "target": "consumption", "per": "site", "distribution": "lognormal", "mu": 0, "sigma": 0.3},
        {"name": "shock", "target": "stock-shock", "per": "site", "distribution": "bernoulli", "p": 0.2, "value": 0.5},
        {"name": "redistribution", "target": "redistribution", "values": [0, 1]},
    ]
}


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    ) as cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def local():
    return allocnet.sweep("vastmanland", SPEC, samples=9, seed=5, keep=[0, 17], progress=False)


def test_chunks_cover_every_scenario_in_order():
    assert chunks(7, 3) == [(0, 3), (3, 6), (6, 7)]
    assert chunks(3, 10) == [(0, 3)]
    assert chunks(0, 4) == []
    for total in range(0, 40, 7):
        for size in (1, 2, 5, 64):
            covered = [k for a, b in chunks(total, size) for k in range(a, b)]
            assert covered == list(range(total))


def test_guided_chunks_cover_every_scenario_in_order_large_first():
    from allocnet.sweep import guided_chunks

    assert guided_chunks(0, 2) == []
    for total in (1, 7, 20, 199, 1000):
        for threads in (1, 2, 3):
            for smallest in (1, 4):
                ranges = guided_chunks(total, threads, smallest)
                assert [k for a, b in ranges for k in range(a, b)] == list(range(total))
                sizes = [b - a for a, b in ranges]
                assert sizes == sorted(sizes, reverse=True), sizes
                assert all(size >= smallest for size in sizes[:-1]), sizes
                assert sizes[0] == min(total, max(smallest, math.ceil(total / (2 * threads)))), sizes
    with pytest.raises(allocnet.InvalidInputError):
        guided_chunks(5, 0)


def test_a_run_on_its_own_pool_equals_the_global_pool(local):
    """``_run(..., threads=n)`` (a Dask task runs on one Rust thread) gives the same
    rows as the process's pool; a thread count outside 1..1024 is refused."""
    core = allocnet._allocnet._Sweep("vastmanland", "county-round", json.dumps(SPEC), None, 9, 5)
    plain = core._run(0, len(core), [], None)
    for threads in (1, 3):
        again = core._run(0, len(core), [], None, threads)
        assert again[1].tobytes() == plain[1].tobytes() == local.metrics.tobytes()
    # Two threads at once (a worker with threads_per_worker=2): each on its own pool.
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        halves = list(pool.map(lambda r: core._run(r[0], r[1], [], None, 1), [(0, 9), (9, 18)]))
    assert np.concatenate([h[1] for h in halves]).tobytes() == plain[1].tobytes()
    for bad in (0, 1025):
        with pytest.raises(allocnet.InvalidInputError) as info:
            core._run(0, 2, [], None, bad)
        assert info.value.paths == ["threads"]


@pytest.mark.parametrize("chunk_size", [None, 1, 5])
def test_dask_table_equals_in_process_bit_for_bit(client, local, chunk_size):
    remote = allocnet.sweep(
        "vastmanland", SPEC, samples=9, seed=5, keep=[0, 17], backend=client, chunk_size=chunk_size, progress=False
    )
    assert len(remote) == 18
    pd.testing.assert_frame_equal(remote.table, local.table, check_exact=True)
    assert remote.metrics.tobytes() == local.metrics.tobytes()
    assert remote.plans == local.plans
    assert list(remote.summary().index) == list(local.summary().index)


def test_the_work_runs_on_the_workers(client):
    pids = set(client.run(os.getpid).values())
    assert len(pids) == 2 and os.getpid() not in pids
    with distributed.get_task_stream(client) as stream:
        remote = allocnet.sweep("vastmanland", SPEC, samples=2, seed=1, backend=client, chunk_size=1, progress=False)
    chunk_tasks = [t for t in stream.data if t["key"].startswith("_dask_chunk")]
    assert len(chunk_tasks) == 4  # 4 scenarios, one per task
    assert (remote.table["status"] == "ok").all()
    assert np.isfinite(remote.metrics).all()


def test_a_simulation_sweep_from_a_spec_file_on_dask_equals_in_process(client, tmp_path):
    """The sweep crosses to the workers as its base, checked spec and options (a spec
    path or a SimulationOptions object need not exist there); kept simulations come back."""
    spec = tmp_path / "spec.json"
    spec.write_text(
        '{"parameters": [{"name": "delay", "target": "delivery-delay", "values": [0, 2]},'
        ' {"name": "c", "target": "consumption", "distribution": "uniform", "low": 0.8, "high": 1.2}]}',
        encoding="utf-8",
    )
    options = allocnet.SimulationOptions(weeks=1, policy="max-min")
    args = dict(samples=2, seed=3, job="simulate", options=options, keep=[1, 2], progress=False)
    local = allocnet.sweep("vastmanland", spec, **args)
    remote = allocnet.sweep("vastmanland", spec, backend=client, chunk_size=1, **args)
    pd.testing.assert_frame_equal(remote.table, local.table, check_exact=True)
    assert remote.plans == local.plans and sorted(remote.plans) == [1, 2]
    assert all(isinstance(p, allocnet.Simulation) for p in remote.plans.values())


def test_to_dask_reads_the_rows_where_the_workers_made_them(client, local):
    """With gather=False the rows stay on the workers: to_dask() is a dask DataFrame
    whose partitions are the chunks (divisions at their first scenarios), nothing is
    gathered until asked, and its computed table equals the in-process one."""
    remote = allocnet.sweep(
        "vastmanland", SPEC, samples=9, seed=5, keep=[0, 17], backend=client, chunk_size=4, gather=False,
        progress=False,
    )
    assert not remote.gathered and len(remote) == 18
    assert "rows on the Dask workers" in repr(remote) and "to_dask()" in remote._repr_html_()
    with distributed.get_task_stream(client) as stream:
        d = remote.to_dask()
        assert d.npartitions == 5 and d.divisions == (0, 4, 8, 12, 16, 17)
        assert not remote.gathered  # building the frame fetched no row
        assert list(d.dtypes) == list(local.table.dtypes) and list(d.columns) == list(local.table.columns)
        third = d.get_partition(2).compute()
        pd.testing.assert_frame_equal(d.compute(), local.table, check_exact=True)
    # The partitions are the chunk tables, taken out of the chunks on the workers.
    made = [t for t in stream.data if str(t["key"]).startswith("_chunk_table")]
    assert len(made) == 5 and {t["worker"] for t in made} <= set(client.nthreads())
    pd.testing.assert_frame_equal(third, local.table.iloc[8:12], check_exact=True)
    assert float(d["acute_unmet"].sum().compute()) == float(local.table["acute_unmet"].sum())
    # Only the kept results are fetched for .plans; the table gathers on first use.
    assert remote.plans == local.plans and not remote.gathered
    pd.testing.assert_frame_equal(remote.table, local.table, check_exact=True)
    assert remote.gathered and remote.metrics.tobytes() == local.metrics.tobytes()
    assert remote.to_dask().npartitions == 5  # still the workers' chunks
    with pytest.raises(allocnet.InvalidInputError):
        allocnet.sweep("vastmanland", SPEC, samples=2, gather=False, progress=False)  # in-process gathers
