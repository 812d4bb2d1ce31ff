"""allocnet.sweep in-process: grid and sampled specs, every job kind, determinism
(seed, thread count), failure isolation, kept plans checked against separate solves,
spec validation errors with their paths, progress, summary and plots."""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import subprocess
import sys
import textwrap

import matplotlib
import numpy as np
import pandas as pd
import pytest

import allocnet
from allocnet import sweep_plot
from allocnet.exceptions import InvalidInputError, ParseError

from gilcheck import assert_releases_gil
from test_model import cli  # noqa: F401  (the CLI fixture)

matplotlib.use("Agg")

UNCERTAIN = {
    "name": "test uncertainty",
    "parameters": [
        {"name": "consumption", "target": "consumption", "per": "county", "distribution": "lognormal", "mu": 0, "sigma": 0.3},
        {"name": "stock", "target": "stock", "distribution": "uniform", "low": 0.5, "high": 1.5},
    ],
}

GRID = {
    "parameters": [
        {"name": "stock", "target": "stock", "values": [0.5, 1.0, 2.0]},
        {"name": "redistribution", "target": "redistribution", "values": [0, 1]},
    ]
}


def acute_unmet(plan: allocnet.Plan) -> int:
    """Unmet acute need of a county-round plan, summed from its unmet table."""
    unmet = plan.unmet
    return int(unmet.loc[unmet["window"] == "acute", "unmet"].sum())


@pytest.fixture(scope="module")
def vastmanland() -> allocnet.Scenario:
    return allocnet.Scenario.vastmanland()


@pytest.fixture(scope="module")
def sampled(vastmanland):
    return allocnet.sweep(vastmanland, UNCERTAIN, samples=24, seed=11, keep=[0, 5], progress=False)


def test_sampled_table_has_one_row_per_scenario_with_parameters_metrics_status(sampled):
    t = sampled.table
    assert len(t) == len(sampled) == 24
    assert list(t.index) == list(range(24))
    assert list(t.columns[:4]) == ["scenario", "sample", "consumption", "stock"]
    assert sampled.parameters == ["consumption", "stock"]
    assert t["scenario"].tolist() == list(range(24))
    assert list(t.columns[-2:]) == ["status", "error"]
    for m in sampled.metric_names:
        assert m in t.columns
    assert (t["status"] == "ok").all() and sampled.failures.empty
    assert t["stock"].between(0.5, 1.5).all()
    assert t["stock"].nunique() == 24  # really drawn, not one value
    assert sampled.metrics.shape == (24, len(sampled.metric_names))
    assert sampled.metrics.dtype == np.float64 and not sampled.metrics.flags.writeable
    np.testing.assert_array_equal(sampled.metrics, t[sampled.metric_names].to_numpy(dtype=float))


def test_same_seed_same_table_bit_for_bit_and_other_seed_differs(vastmanland, sampled):
    again = allocnet.sweep(vastmanland, UNCERTAIN, samples=24, seed=11, progress=False)
    pd.testing.assert_frame_equal(again.table, sampled.table, check_exact=True)
    assert again.metrics.tobytes() == sampled.metrics.tobytes()
    other = allocnet.sweep(vastmanland, UNCERTAIN, samples=24, seed=12, progress=False)
    assert not other.table["stock"].equals(sampled.table["stock"])


def test_scenario_k_depends_only_on_seed_and_k(vastmanland, sampled):
    """The first 10 of 24 scenarios are the 10 scenarios of a shorter sweep."""
    shorter = allocnet.sweep(vastmanland, UNCERTAIN, samples=10, seed=11, progress=False)
    pd.testing.assert_frame_equal(shorter.table, sampled.table.iloc[:10], check_exact=True)


GLOBAL = {
    "parameters": [
        {"name": "consumption", "target": "consumption", "distribution": "lognormal", "mu": 0, "sigma": 0.3},
        {"name": "stock", "target": "stock", "distribution": "triangular", "low": 0.3, "mode": 1.0, "high": 1.6},
    ]
}


def rebuilt(base: allocnet.Scenario, consumption: float, stock: float) -> allocnet.Scenario:
    """The scenario of a draw, built separately in pandas: consumption per day times
    the multiplier, stock times its multiplier rounded half away from zero."""
    frames = base.to_frames()
    status = frames["status"].copy()
    status["consumption_per_day"] = status["consumption_per_day"] * consumption
    scaled = status["stock"].to_numpy(dtype=float) * stock
    status["stock"] = (np.sign(scaled) * np.floor(np.abs(scaled) + 0.5)).astype("int64")
    frames["status"] = status
    return allocnet.Scenario.from_frames(**frames)


def test_kept_plans_equal_rounds_on_separately_built_scenarios(vastmanland):
    """An independent route: each kept plan equals the county round of the scenario
    rebuilt in pandas from the drawn values, and the table's metrics are its totals."""
    r = allocnet.sweep(vastmanland, GLOBAL, samples=12, seed=4, keep=[1, 6, 11], progress=False)
    t = r.table
    assert sorted(r.plans) == [1, 6, 11]
    for k, plan in r.plans.items():
        assert isinstance(plan, allocnet.Plan)
        separate = allocnet.county_round(rebuilt(vastmanland, t.loc[k, "consumption"], t.loc[k, "stock"]))
        assert separate == plan
        assert t.loc[k, "acute_unmet"] == acute_unmet(plan)


def test_grid_is_the_cartesian_product_and_its_base_point_is_the_plain_round(vastmanland):
    r = allocnet.sweep(vastmanland, GRID, progress=False, keep=range(6))
    t = r.table
    assert len(t) == 6
    assert set(zip(t["stock"], t["redistribution"])) == {(s, d) for s in (0.5, 1.0, 2.0) for d in (0, 1)}
    metric = "acute_unmet"
    base = t[(t["stock"] == 1.0) & (t["redistribution"] == 1)].index[0]
    plain = allocnet.county_round(vastmanland)
    assert t.loc[base, metric] == acute_unmet(plain)
    assert r.plans[base] == plain
    # More stock never leaves more acute need unmet, with redistribution on or off.
    for d in (0, 1):
        by_stock = t[t["redistribution"] == d].sort_values("stock")[metric].tolist()
        assert by_stock == sorted(by_stock, reverse=True)


def test_failures_are_rows_with_their_error_and_the_rest_completes(vastmanland):
    spec = {"parameters": [{"name": "c", "target": "consumption", "distribution": "normal", "mean": 0.4, "sd": 1.0}]}
    r = allocnet.sweep(vastmanland, spec, samples=30, seed=1, progress=False)
    t = r.table
    bad = t["c"] < 0
    assert bad.any() and (~bad).any()
    assert (t.loc[bad, "status"] != "ok").all()
    assert t.loc[bad, "error"].str.contains("consumption").all()
    assert (t.loc[~bad, "status"] == "ok").all() and t.loc[~bad, "error"].isna().all()
    assert list(r.failures.index) == list(t.index[bad])
    assert np.isnan(r.metrics[bad.to_numpy()]).all()
    assert (r.summary()["count"] == int((~bad).sum())).all()


def test_spec_errors_name_the_field():
    spec = {"parameters": [{"name": "c", "target": "consumption", "distribution": "normal", "mean": 1, "sd": -1}]}
    with pytest.raises(InvalidInputError) as info:
        allocnet.sweep("vastmanland", spec, samples=3, progress=False)
    assert info.value.paths == ["parameters[0].sd"]
    assert "parameters[0].sd: must be >= 0, got -1" in str(info.value)
    with pytest.raises(InvalidInputError) as info:
        allocnet.sweep("vastmanland", {"parameters": [{"name": "x", "target": "stok", "values": [1]}], "colour": 1})
    assert set(info.value.paths) == {"colour", "parameters[0].target"}


def test_numpy_values_in_a_spec_are_the_numbers_they_hold():
    plain = {"parameters": [{"name": "r", "target": "reserve-days", "values": [1, 2]},
                            {"name": "c", "target": "consumption", "values": [0.9, 1.1]}]}
    with_numpy = {"parameters": [{"name": "r", "target": "reserve-days", "values": np.arange(1, 3)},
                                 {"name": "c", "target": "consumption", "values": [np.float64(0.9), np.float64(1.1)]}]}
    a = allocnet.sweep("vastmanland", plain, progress=False).table
    b = allocnet.sweep("vastmanland", with_numpy, progress=False).table
    pd.testing.assert_frame_equal(a, b)
    nan_values = {"parameters": [{"name": "c", "target": "consumption", "values": np.array([np.nan])}]}
    with pytest.raises(InvalidInputError) as info:
        allocnet.sweep("vastmanland", nan_values, progress=False)
    assert info.value.paths == ["spec"]
    with pytest.raises(InvalidInputError) as info:
        allocnet.sweep("vastmanland", {"parameters": [{"name": "c", "target": "consumption", "values": [True]}]})
    assert info.value.paths == ["parameters[0].values[0]"]


def test_bad_arguments_are_invalid_input_naming_them(vastmanland):
    cases = [
        ({"job": "county"}, "job"),
        ({"samples": 0}, "samples"),
        ({"keep": [24]}, "keep[0]"),
        ({"seed": -1}, "seed"),
        ({"chunk_size": 0}, "chunk_size"),
    ]
    for kwargs, path in cases:
        args = {"samples": 24, "progress": False, **kwargs}
        with pytest.raises(InvalidInputError) as info:
            allocnet.sweep(vastmanland, UNCERTAIN, **args)
        assert info.value.paths == [path], (kwargs, info.value.problems)
    with pytest.raises(TypeError):
        allocnet.sweep(vastmanland, UNCERTAIN, samples=2, backend="threads")
    with pytest.raises(TypeError):
        allocnet.sweep(3.5, UNCERTAIN, samples=2)
    # A national round base: its job only, and only what the round holds varies.
    round_base = allocnet.NationalRound.after_county_round(vastmanland)
    with pytest.raises(InvalidInputError) as info:
        allocnet.sweep(round_base, UNCERTAIN, samples=2, job="national-round")
    assert info.value.paths == ["parameters[0].target", "parameters[1].target"]
    assert "national-stock and policy" in str(info.value)
    with pytest.raises(InvalidInputError) as info:
        allocnet.sweep(round_base, ROUND_GRID, job="county-round")
    assert info.value.paths == ["job"] and "national-round only" in str(info.value)


def test_spec_files_json_and_toml_give_the_dict_result(tmp_path, vastmanland, sampled):
    as_json = tmp_path / "spec.json"
    as_json.write_text(json.dumps(UNCERTAIN), encoding="utf-8")
    as_toml = tmp_path / "spec.toml"
    as_toml.write_text(
        textwrap.dedent(
            """
            name = "test uncertainty"
            [[parameters]]
            name = "consumption"
            target = "consumption"
            per = "county"
            distribution = "lognormal"
            mu = 0
            sigma = 0.3
            [[parameters]]
            name = "stock"
            target = "stock"
            distribution = "uniform"
            low = 0.5
            high = 1.5
            """
        ),
        encoding="utf-8",
    )
    for path in (as_json, str(as_toml)):
        r = allocnet.sweep(vastmanland, path, samples=24, seed=11, progress=False)
        pd.testing.assert_frame_equal(r.table, sampled.table, check_exact=True)
    broken = tmp_path / "broken.json"
    broken.write_text("{\n  parameters: [}", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        allocnet.sweep(vastmanland, broken, samples=2, progress=False)
    assert info.value.line == 2


SUBPROCESS = """
import pickle, sys, allocnet
spec = pickle.loads(bytes.fromhex(sys.argv[1]))
r = allocnet.sweep("vastmanland", spec, samples=24, seed=11, progress=False)
sys.stdout.write(pickle.dumps((r.table, r.metrics)).hex())
"""


@pytest.mark.parametrize("threads", ["1", "3"])
def test_same_table_for_any_thread_count(sampled, threads):
    env = dict(os.environ, RAYON_NUM_THREADS=threads)
    out = subprocess.run(
        [sys.executable, "-c", SUBPROCESS, pickle.dumps(UNCERTAIN).hex()],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    table, metrics = pickle.loads(bytes.fromhex(out))
    pd.testing.assert_frame_equal(table, sampled.table, check_exact=True)
    assert metrics.tobytes() == sampled.metrics.tobytes()


def test_the_core_sweep_pickles_as_base_checked_spec_and_options(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(UNCERTAIN), encoding="utf-8")
    options = allocnet.SimulationOptions(weeks=1, policy="proportional")
    core = allocnet._allocnet._Sweep("vastmanland", "simulate", None, str(spec), 2, 9, options)
    spec.unlink()  # the copy must not need the file
    again = pickle.loads(pickle.dumps(core))
    assert len(again) == len(core) == 2 and again.job == "simulate"
    assert again.parameters == core.parameters and again.metrics == core.metrics
    a, b = core._run(0, 2, [0], None), again._run(0, 2, [0], None)
    assert a[1].tobytes() == b[1].tobytes()
    assert a[2][0][1] == b[2][0][1]  # the kept simulation, with the same options


def test_national_round_job(sampled):
    spec = {
        "parameters": [
            {"name": "national", "target": "national-stock", "values": [0.5, 1.0, 2.0]},
            {"name": "policy", "target": "policy", "values": ["optimal", "proportional"]},
        ]
    }
    r = allocnet.sweep("sweden", spec, job="national-round", keep=range(6), progress=False)
    t = r.table
    assert len(t) == 6 and (t["status"] == "ok").all()
    for k, plan in r.plans.items():
        assert isinstance(plan, allocnet.NationalPlan)
        assert plan.policy == t.loc[k, "policy"]
    base_point = t[(t["national"] == 1.0) & (t["policy"] == "optimal")].index[0]
    # The base point is the plain national round after Sweden's county round.
    plain = allocnet.national_round(allocnet.NationalRound.sweden(), policy="optimal")
    assert r.plans[base_point] == plain


ROUND_GRID = {
    "parameters": [
        {"name": "national", "target": "national-stock", "values": [0.0, 0.4, 1.0, 3.0]},
        {"name": "policy", "target": "policy", "values": ["optimal", "proportional", "max-min"]},
    ]
}


def scaled_round(base: allocnet.NationalRound, multiplier: float) -> allocnet.NationalRound:
    """``base`` with every warehouse's stock times ``multiplier`` (rounded half away
    from zero to whole units), rebuilt from its JSON."""
    data = json.loads(base.to_json())
    for warehouse in data["warehouses"]:
        for line in warehouse["stock"]:
            x = line["quantity"] * multiplier
            line["quantity"] = int(math.floor(abs(x) + 0.5)) * (1 if x >= 0 else -1)
    return allocnet.NationalRound.from_json(json.dumps(data))


def test_a_national_round_base_equals_national_rounds_run_by_hand(vastmanland):
    """A NationalRound as the base: its requests stay, the warehouses' stock and the
    policy vary; each row's figures are those of the round rebuilt and run by hand."""
    base = allocnet.NationalRound.after_county_round(vastmanland, national_stock_days=0.5)
    r = allocnet.sweep(base, ROUND_GRID, job="national-round", keep=range(12), progress=False)
    t = r.table
    assert len(t) == 12 and (t["status"] == "ok").all(), r.failures
    classes = base.priority_classes
    assert r.metric_names == [
        "national_requested", "national_approved", "national_acute_unmet", "national_min_fraction",
        "national_unit_km", "last_mile_unit_km",
    ] + [f"national_acute_unmet_{c}" for c in classes]
    assert r.base_name == "national round of 1 county"
    for k, row in t.iterrows():
        plan = allocnet.national_round(scaled_round(base, row["national"]), policy=row["policy"])
        assert r.plans[k] == plan, k
        s = plan.summary()
        assert row["national_requested"] == s["requested"]
        assert row["national_approved"] == s["approved"]
        assert row["national_acute_unmet"] == s["total_acute_unmet"]
        assert row["national_min_fraction"] == s["min_fraction"]
        assert row["national_unit_km"] == pytest.approx(s["national_unit_km"], rel=1e-12)
        assert row["last_mile_unit_km"] == pytest.approx(s["last_mile_unit_km"], rel=1e-12)
        by_class = plan.acute_unmet.groupby("priority", observed=False)["unmet"].sum()
        for c in classes:
            assert row[f"national_acute_unmet_{c}"] == by_class.get(c, 0), (k, c)
    # No national stock approves nothing; more stock never approves less (any policy).
    assert (t.loc[t["national"] == 0.0, "national_approved"] == 0).all()
    for _, rows in t.groupby("policy", observed=True):
        assert rows.sort_values("national")["national_approved"].is_monotonic_increasing
    assert t["national_approved"].max() > 0
    # The same rows as the scenario base's national columns at the same stock days.
    from_scenario = allocnet.sweep(
        vastmanland, ROUND_GRID, job="national-round", options=allocnet.SimulationOptions(national_stock_days=0.5),
        progress=False,
    ).table
    for column in r.metric_names:
        pd.testing.assert_series_equal(t[column], from_scenario[column], check_exact=True)


def test_a_national_round_base_draws_per_item_and_pickles(vastmanland):
    base = allocnet.NationalRound.sweden(national_stock_days=1.0)
    spec = {"parameters": [{"name": "s", "target": "national-stock", "per": "item", "distribution": "uniform", "low": 0.2, "high": 1.5}]}
    core = allocnet._allocnet._Sweep(base.core, "national-round", json.dumps(spec), None, 5, 4)
    again = pickle.loads(pickle.dumps(core))
    assert again.base_name == core.base_name == "national round of 21 counties"
    a, b = core._run(0, 5, [2], None), again._run(0, 5, [2], None)
    assert a[1].tobytes() == b[1].tobytes() and a[2][0][1] == b[2][0][1]
    r = allocnet.sweep(base, spec, samples=5, seed=4, job="national-round", progress=False)
    assert r.metrics.tobytes() == a[1].tobytes()
    assert (r.table["status"] == "ok").all() and r.table["national_approved"].nunique() > 1


def test_a_national_round_file_is_a_base_like_the_round_itself(tmp_path, vastmanland):
    """A path to a national round file is read as the CLI reads it (its keys tell its
    kind): the same table as the NationalRound passed directly; under another job the
    error names the file and what the job needs."""
    base = allocnet.NationalRound.after_county_round(vastmanland, national_stock_days=0.5)
    path = tmp_path / "round.json"
    path.write_text(base.to_json(), encoding="utf-8")
    from_file = allocnet.sweep(str(path), ROUND_GRID, job="national-round", progress=False)
    direct = allocnet.sweep(base, ROUND_GRID, job="national-round", progress=False)
    pd.testing.assert_frame_equal(from_file.table, direct.table, check_exact=True)
    assert from_file.base_name == "national round of 1 county"
    for job in ("county-round", "simulate", "testing"):
        with pytest.raises(InvalidInputError) as info:
            allocnet.sweep(path, ROUND_GRID, job=job, progress=False)
        assert info.value.paths == [str(path)], job
        assert f"holds a national round (requests, warehouses), but job {job} needs" in str(info.value)


def test_simulate_job_with_options():
    spec = {"parameters": [{"name": "delay", "target": "delivery-delay", "values": [0, 2]}]}
    options = allocnet.SimulationOptions(weeks=1)
    r = allocnet.sweep(("vastmanland", options), spec, job="simulate", keep=[0, 1], progress=False)
    assert len(r) == 2 and (r.table["status"] == "ok").all()
    sim = r.plans[0]
    assert isinstance(sim, allocnet.Simulation)
    assert sim == allocnet.simulate("vastmanland", weeks=1)  # delay 0: the base simulation
    daily = sweep_plot.daily_series(r)
    assert list(daily.columns) == [0, 1] and list(daily.index) == list(range(7))
    for k in (0, 1):
        assert (daily[k] == r.plans[k].daily.groupby("day")["shortage"].sum()).all()
    ax = r.plot("fan")
    assert ax.get_xlabel() == "day" and len(ax.collections) == 2  # two bands


def test_testing_job_base_point_is_the_plain_testing_plan():
    """A testing sweep's base point (multiplier 1) has the totals of the plan made
    separately by testing_plan; more lab capacity never leaves more untested."""
    spec = {"parameters": [{"name": "labs", "target": "lab-capacity", "values": [0.5, 1.0, 2.0]}]}
    base = allocnet.TestingScenario.vastmanland()
    r = allocnet.sweep(base, spec, job="testing", progress=False)
    t = r.table
    assert len(t) == 3 and (t["status"] == "ok").all()
    plain = allocnet.testing_plan(base)
    at_one = t[t["labs"] == 1.0].iloc[0]
    assert at_one["tests"] == plain.tests["tests"].sum()
    assert at_one["untested"] == plain.unmet["untested"].sum()
    assert t.sort_values("labs")["untested"].is_monotonic_decreasing
    kept = allocnet.sweep(base, spec, job="testing", keep=[0, 1], progress=False).plans
    assert sorted(kept) == [0, 1]
    half = kept[0]  # planned on the scenario with half the lab capacity
    assert isinstance(half, allocnet.TestingPlan)
    assert half.tests["tests"].sum() == t.loc[t["labs"] == 0.5, "tests"].iloc[0]
    assert half.unmet["untested"].sum() == t.loc[t["labs"] == 0.5, "untested"].iloc[0]
    assert kept[1].tests["tests"].sum() == plain.tests["tests"].sum()
    with pytest.raises(InvalidInputError) as info:
        allocnet.sweep("vastmanland", spec, job="county-round", progress=False)
    assert info.value.paths == ["parameters[0].target"]


def test_progress_bar_on_stderr_only_when_asked(capfd, vastmanland):
    allocnet.sweep(vastmanland, UNCERTAIN, samples=8, progress=False)
    assert capfd.readouterr().err == ""
    allocnet.sweep(vastmanland, UNCERTAIN, samples=8, progress=True)
    err = capfd.readouterr().err
    assert "8/8" in err and "scenario" in err


def test_the_gil_is_released_while_sweeping(vastmanland):
    def run():
        return allocnet.sweep(vastmanland, UNCERTAIN, samples=40, seed=3, progress=False)

    assert_releases_gil(run, same=lambda a, b: a.table.equals(b.table))


def test_summary_is_mean_and_quantiles_of_completed_rows(sampled):
    s = sampled.summary()
    assert list(s.index) == sampled.metric_names
    assert list(s.columns) == ["count", "mean", "p5", "p25", "p50", "p75", "p95"]
    for j, m in enumerate(sampled.metric_names):
        values = sampled.metrics[:, j]
        assert s.loc[m, "count"] == 24
        assert s.loc[m, "mean"] == pytest.approx(values.mean(), rel=1e-12, abs=1e-12)
        for q in (5, 25, 50, 75, 95):
            assert s.loc[m, f"p{q}"] == pytest.approx(np.quantile(values, q / 100), rel=1e-12, abs=1e-12)


def test_views_polars_dask_and_html(sampled):
    pl = pytest.importorskip("polars")
    p = sampled.to_polars()
    assert isinstance(p, pl.DataFrame) and p.shape == sampled.table.shape
    d = sampled.to_dask(npartitions=3)
    pd.testing.assert_frame_equal(d.compute(), sampled.table, check_exact=True)
    h = sampled._repr_html_()
    assert "allocnet sweep" in h and "24 scenarios" in h
    assert "SweepResult(" in repr(sampled)


def test_plots_draw(sampled, vastmanland):
    ax = sampled.plot()
    assert ax.patches and "scenarios" in ax.get_ylabel()
    ax = sampled.plot("tornado")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert set(labels) == {"consumption", "stock"}
    effects = sweep_plot.parameter_effects(sampled)
    assert effects["stock"] < 0  # more stock, less unmet need
    with pytest.raises(InvalidInputError):
        sampled.plot("pie")
    with pytest.raises(InvalidInputError):
        sampled.plot("fan")  # a county round has no days


def _chromium() -> str:
    """The headless browser (Debian's ``chromium``, ``scripts/install-system-deps.sh``);
    skipped without it, except in CI (``CI=true``), where it must run."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") in ("true", "1"):
            pytest.fail("chromium is required in CI (CI=true): run scripts/install-system-deps.sh")
        pytest.skip("chromium is not installed (scripts/install-system-deps.sh)")
    return found


def _png_tag(ax, name: str) -> str:
    import base64
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=60)
    plt.close(ax.figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="chart" alt="{name}" src="data:image/png;base64,{data}">'


def test_repr_html_and_charts_render_in_a_headless_browser(tmp_path, sampled):
    """The HTML of a sweep result and its three charts (distribution, tornado, fan) as
    a notebook shows them, in a real headless browser: the page renders with its
    tables and every chart decoded as an image, and nothing reaches the console."""
    browser = _chromium()
    spec = {"parameters": [{"name": "delay", "target": "delivery-delay", "values": [0, 2]}]}
    sim = allocnet.sweep(
        ("vastmanland", allocnet.SimulationOptions(weeks=1)), spec, job="simulate", keep=[0, 1], progress=False
    )
    charts = [_png_tag(sampled.plot(), "unmet"), _png_tag(sampled.plot("tornado"), "tornado"), _png_tag(sim.plot("fan"), "fan")]
    script = (
        "<script>window.addEventListener('load', function () {"
        "var imgs = document.querySelectorAll('img.chart'), ok = 0;"
        "imgs.forEach(function (i) { if (i.complete && i.naturalWidth > 0) ok += 1; });"
        "document.body.setAttribute('data-charts', ok);"
        "document.body.setAttribute('data-tables', document.querySelectorAll('table').length); });</script>"
    )
    page = tmp_path / "sweep.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>sweep</title></head><body>"
        + sampled._repr_html_() + sim._repr_html_() + "".join(charts) + script + "</body></html>",
        encoding="utf-8",
    )
    out = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )
    dom = out.stdout
    assert 'data-charts="3"' in dom, dom[-2000:]
    assert 'data-tables="4"' in dom, dom[-2000:]  # metrics and first scenarios, twice
    assert "allocnet sweep: Västmanland" in dom and "24 scenarios" in dom
    console = [line for line in out.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console


def test_csv_writes_extreme_numbers_compactly_and_pandas_reads_them_back_exactly(cli, tmp_path):  # noqa: F811
    values = [1e-300, 5e-324, 2.5e-7, 0.5, 1e16, 1.7976931348623157e308]
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"parameters": [{"name": "c", "target": "consumption", "values": values}]}))
    done = subprocess.run(
        [str(cli), "sweep", "vastmanland", "--spec", str(spec), "--out", str(tmp_path / "out"), "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "out" / "results.csv").read_text(encoding="utf-8")
    cells = [line.split(",")[2] for line in text.splitlines()[1:]]
    assert cells == ["1e-300", "5e-324", "2.5e-7", "0.5", "1e16", "1.7976931348623157e308"]
    assert re.search(r"\d{20}", text) is None  # no number written out in hundreds of digits
    table = pd.read_csv(tmp_path / "out" / "results.csv")
    assert table["c"].to_numpy().tobytes() == np.array(values).tobytes()
    in_memory = allocnet.sweep("vastmanland", json.loads(spec.read_text()), progress=False).table
    assert in_memory["c"].to_numpy().tobytes() == table["c"].to_numpy().tobytes()
