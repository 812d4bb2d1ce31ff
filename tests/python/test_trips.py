"""The county round with logistics data from Python: county_round(scenario,
logistics=...) gives a TripsPlan whose tables equal the CLI's CSVs; packs are whole; bad
logistics data name the field; the GIL is released; without logistics the Plan is
unchanged."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict

import numpy as np
import pandas as pd
import pytest
from gilcheck import assert_releases_gil
from test_model import cli  # noqa: F401  (the Rust command line, built from this checkout)

import allocnet
from allocnet.exceptions import FileError, InvalidInputError, ParseError
from allocnet.trips import TripsPlan, logistics_builtin, trips_round


def small_scenario() -> allocnet.Scenario:
    """Six sites in two counties, two items: ffp2 short in county 03, where ffp3 is spare
    (SYNTHETIC figures)."""
    ids = ["a", "b", "c", "d", "e", "f"]
    sites = pd.DataFrame(
        {
            "id": ids,
            "name": [s.upper() for s in ids],
            "kind": ["municipality", "municipality", "region", "municipality", "municipality", "region"],
            "county": ["19", "19", "19", "03", "03", "03"],
            "lat": [59.6, 59.7, 59.62, 59.85, 59.9, 59.86],
            "lon": [16.5, 16.6, 16.55, 17.6, 17.7, 17.65],
        }
    )
    items = pd.DataFrame({"id": ["ffp2", "ffp3"], "name": ["FFP2", "FFP3"], "unit": ["pieces", "pieces"]})
    stock = {"ffp2": [0, 3, 400, 5, 0, 40], "ffp3": [50, 0, 30, 0, 0, 200]}
    use = {"ffp2": [12.0, 9.0, 6.0, 8.0, 11.0, 4.0], "ffp3": [2.0, 3.0, 1.0, 4.0, 2.0, 1.0]}
    status = pd.DataFrame(
        {
            "site": ids * 2,
            "item": ["ffp2"] * 6 + ["ffp3"] * 6,
            "stock": stock["ffp2"] + stock["ffp3"],
            "consumption_per_day": use["ffp2"] + use["ffp3"],
        }
    )
    return allocnet.Scenario.from_frames(sites, items, status, parameters={"horizon_days": 3, "name": "trips-toy"})


def small_logistics() -> Dict[str, Any]:
    """Packs, a minimum load, a substitute and a van: the MIP path (synthetic figures)."""
    return {
        "synthetic": True,
        "items": [
            {"item": "ffp2", "pack_size": 20, "volume_l": 0.05, "min_packs": 1},
            {"item": "ffp3", "pack_size": 10, "volume_l": 0.08, "min_packs": 0},
        ],
        "substitutes": [{"item": "ffp2", "by": "ffp3", "ratio": 1}],
        "vehicle": {"capacity_l": 3.0, "cost_per_trip": 1, "max_trips": 10},
    }


@pytest.fixture(scope="module")
def scenario() -> allocnet.Scenario:
    return small_scenario()


@pytest.fixture(scope="module")
def trips_plan(scenario: allocnet.Scenario) -> TripsPlan:
    out = allocnet.county_round(scenario, logistics=small_logistics(), time_limit=30)
    assert isinstance(out, TripsPlan)
    return out


def test_tables_equal_the_clis_csvs(cli, scenario, trips_plan, tmp_path):  # noqa: F811
    scenario_path = tmp_path / "scenario.json"
    scenario_path.write_text(scenario.to_json(), encoding="utf-8")
    logistics_path = tmp_path / "logistics.json"
    logistics_path.write_text(json.dumps(small_logistics()), encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(
        [str(cli), "county-round", str(scenario_path), "--logistics", str(logistics_path),
         "--time-limit", "30", "--format", "json", "--out", str(out)],  # fmt: skip
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == json.loads(trips_plan.to_json())
    for name in ["pack_shipments", "trips", "levels"]:
        frame = getattr(trips_plan, name)
        csv = pd.read_csv(out / f"{name}.csv", keep_default_na=False, dtype=str)
        assert list(frame.columns) == list(csv.columns), name
        assert len(frame) == len(csv), name
        for column in frame.columns:
            ours = frame[column]
            theirs = csv[column]
            if pd.api.types.is_float_dtype(ours):
                assert ours.tolist() == pytest.approx(theirs.astype(float).tolist(), rel=0, abs=1e-9), (name, column)
            else:
                # A missing value (a level with no stop) is an empty cell in the CSV.
                ours = ours.astype(object).where(ours.notna(), "")
                assert ours.astype(str).tolist() == theirs.tolist(), (name, column)
    # The file route of the Python side gives the same result as the dict.
    by_path = allocnet.county_round(scenario, logistics=logistics_path, time_limit=30)
    assert by_path.to_json() == trips_plan.to_json()
    assert by_path.plan.to_json() == trips_plan.plan.to_json()


def test_packs_are_whole_and_match_the_plan(trips_plan):
    packs = trips_plan.pack_shipments
    assert not packs.empty
    sizes = {i["item"]: i["pack_size"] for i in small_logistics()["items"]}
    assert (packs["pack_size"] == packs["item"].astype(str).map(sizes)).all()
    assert (packs["units"] == packs["packs"] * packs["pack_size"]).all()
    assert (packs["packs"] > 0).all()
    ships = trips_plan.plan.shipments
    assert sorted(zip(ships["item"], ships["from"], ships["to"], ships["quantity"])) == sorted(
        zip(packs["item"], packs["from"], packs["to"], packs["units"])
    )


def test_tables_have_the_documented_dtypes(trips_plan):
    schema = {t[0]: t[3] for t in allocnet.result_schema()["trips_plan"]}
    for name, columns in schema.items():
        frame = getattr(trips_plan, name)
        assert list(frame.columns) == [c[0] for c in columns], name
        for column, dtype, _, _ in columns:
            if dtype.startswith("category"):
                assert isinstance(frame[column].dtype, pd.CategoricalDtype), (name, column)
            else:
                assert str(frame[column].dtype) == dtype, (name, column, frame[column].dtype)
    levels = trips_plan.levels
    assert not levels.empty and set(levels["county"]) <= {"19", "03"}
    # A level has a stop exactly when it is `limit`; the stops are the core's names.
    assert (levels["stopped_by"].notna() == (levels["status"] == "limit")).all()
    assert list(levels["stopped_by"].cat.categories) == [
        "node_limit", "lp_work_limit", "time_limit", "held_trips", "objective_check", "solver", "packing"
    ]
    trips = trips_plan.trips
    assert not trips.empty and (trips["load_pct"] <= 100.0 + 1e-9).all()
    # cost_per_trip 1: the trips level of each county counts its trips.
    value = {(c, lv): v for c, lv, v in zip(levels["county"], levels["level"], levels["value"])}
    per_county = trips.groupby("county", observed=True).size()
    for county in ["19", "03"]:
        assert value[(county, "trips")] == per_county.get(county, 0)
    # ffp2 is short in county 03 only, where ffp3 stands in for it.
    assert value[("03", "substitutes")] > 0 and value[("19", "substitutes")] == 0
    assert trips_plan.synthetic


@pytest.mark.parametrize(
    "rank, tail",
    [
        (None, ["substitutes", "trips", "vehicle_km", "transport"]),
        ("after_need", ["substitutes", "trips", "vehicle_km", "transport"]),
        ("after_trips", ["trips", "vehicle_km", "substitutes", "transport"]),
        ("last", ["trips", "vehicle_km", "transport", "substitutes"]),
    ],
)
def test_substitutes_rank_orders_the_levels(scenario, trips_plan, rank, tail):
    logistics = small_logistics()
    if rank is not None:
        logistics["substitutes_rank"] = rank
    out = trips_round(scenario, logistics, time_limit=30)
    levels = out.levels
    for county in ["19", "03"]:
        rows = levels[levels["county"] == county].sort_values("rank")
        names = [n for n in rows["level"] if not n.startswith("acute:") and n != "planning"]
        assert names == tail, (rank, county, names)
    # The need met is the same under every rank (substitutes rank below every need level).
    def need(levels: pd.DataFrame) -> list:
        rows = levels[levels["level"].str.startswith("acute:") | (levels["level"] == "planning")]
        return sorted(zip(rows["county"], rows["level"], rows["value"]))

    assert need(out.levels) and need(out.levels) == need(trips_plan.levels)


def test_a_bad_substitutes_rank_names_the_field_and_the_values(scenario):
    bad = small_logistics()
    bad["substitutes_rank"] = "first"
    with pytest.raises(
        InvalidInputError,
        match=r"logistics\.substitutes_rank: must be one of 'after_need', 'after_trips', 'last', got 'first'",
    ):
        trips_round(scenario, bad)


def test_bad_logistics_name_the_field(scenario):
    bad = small_logistics()
    bad["items"][0]["pack_size"] = 0
    with pytest.raises(InvalidInputError, match=r"logistics\.items\[0\]\.pack_size: must be >= 1, got 0"):
        allocnet.county_round(scenario, logistics=bad)
    bad = small_logistics()
    bad["substitutes"][0]["by"] = "gown"
    with pytest.raises(InvalidInputError, match=r"logistics\.substitutes\[0\]\.by"):
        trips_round(scenario, bad)
    bad = small_logistics()
    bad["vehicle"]["capacity_l"] = -1
    with pytest.raises(InvalidInputError, match=r"logistics\.vehicle\.capacity_l"):
        trips_round(scenario, bad)
    with pytest.raises(ParseError, match="pack_sise"):
        trips_round(scenario, {"items": [{"item": "ffp2", "pack_sise": 2}]})
    with pytest.raises(InvalidInputError, match=r"time_limit: must be a finite number of seconds >= 0.001, got 0"):
        trips_round(scenario, small_logistics(), time_limit=0)
    with pytest.raises(FileError):
        trips_round(scenario, Path("/nonexistent/logistics.json"))
    with pytest.raises(TypeError):
        trips_round(scenario, 42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lookahead"):
        allocnet.county_round(scenario, logistics=small_logistics(), lookahead=7)
    with pytest.raises(ValueError, match="logistics"):
        allocnet.county_round(scenario, time_limit=5)


def test_hostile_logistics_and_time_limits_raise_allocnet_errors(scenario):
    with pytest.raises(InvalidInputError, match=r"time_limit: must be a finite number of seconds >= 0.001, got an integer"):
        trips_round(scenario, small_logistics(), time_limit=10**400)
    for bad_limit in (float("nan"), float("inf"), -1.0):
        with pytest.raises(InvalidInputError, match=r"^invalid input \(1 problem\):\n  time_limit: "):
            trips_round(scenario, small_logistics(), time_limit=bad_limit)
    for wrong in (True, "5", [5]):
        with pytest.raises(TypeError, match="time_limit"):
            trips_round(scenario, small_logistics(), time_limit=wrong)  # type: ignore[arg-type]
    assert not trips_round(scenario, small_logistics(), time_limit=np.int64(30)).trips.empty
    empty = small_logistics()
    empty["substitutes"][0]["classes"] = []
    with pytest.raises(InvalidInputError, match=r"logistics\.substitutes\[0\]\.classes: an empty list") as err:
        trips_round(scenario, empty)
    assert err.value.paths == ["logistics.substitutes[0].classes"]
    nan = small_logistics()
    nan["vehicle"]["capacity_l"] = float("nan")
    with pytest.raises(InvalidInputError, match=r"logistics\.vehicle\.capacity_l: must be a finite number"):
        trips_round(scenario, nan)
    with pytest.raises(InvalidInputError, match=r"^invalid input \(1 problem\):\n  logistics: must be JSON data"):
        trips_round(scenario, {"items": {"ffp2"}})
    with pytest.raises(TypeError, match="logistics"):
        trips_round(scenario, b"{}")  # type: ignore[arg-type]


def test_need_left_by_the_trips_cap_says_so(scenario):
    capped = small_logistics()
    capped["vehicle"]["max_trips"] = 0
    plan = trips_round(scenario, capped)
    assert plan.trips.empty
    unmet = plan.plan.unmet
    assert (unmet["reason"] == "trip-cap").any(), unmet
    assert set(unmet["reason"].astype(str)) <= {"trip-cap", "no-surplus", "held-by-reserves"}, unmet


def test_releases_the_gil(scenario):
    assert_releases_gil(lambda: trips_round(scenario, small_logistics(), time_limit=30).to_json())


def test_without_logistics_the_plan_is_unchanged(scenario):
    plain = allocnet.county_round(scenario)
    assert isinstance(plain, allocnet.Plan)
    assert plain.to_json() == scenario.county_round().to_json()
    # Packs of one, nothing else: today's round, bit for bit.
    ones = {"items": [{"item": "ffp2", "pack_size": 1}, {"item": "ffp3"}]}
    same = allocnet.county_round(scenario, logistics=ones)
    assert same.plan.to_json() == plain.to_json()
    assert same.trips.empty and same.levels.empty
    assert (same.pack_shipments["packs"] == same.pack_shipments["units"]).all()


def test_builtin_logistics_is_an_editable_dict():
    data = logistics_builtin()
    assert data["synthetic"] is True and data["vehicle"]["capacity_l"] > 0
    assert {"item", "pack_size", "volume_l", "min_packs"} <= set(data["items"][0])
    # Packs alone (no vehicle, minimum load or substitute): a min-cost flow in packs.
    data["substitutes"], data["vehicle"] = [], None
    for item in data["items"]:
        item["min_packs"] = 0
    vastmanland = allocnet.Scenario.vastmanland()
    out = allocnet.county_round(vastmanland, logistics=data)
    sizes = {i["item"]: i["pack_size"] for i in data["items"]}
    packs = out.pack_shipments
    assert (packs["units"] % packs["item"].astype(str).map(sizes) == 0).all()
    assert out.levels.empty and out.trips.empty


def test_repr_html_and_plot(trips_plan):
    import matplotlib

    matplotlib.use("Agg")
    assert "TripsPlan(" in repr(trips_plan)
    assert "SYNTHETIC" in trips_plan._repr_html_()
    ax = trips_plan.plot()
    assert len(ax.patches) == len(trips_plan.trips)


def test_pickles(trips_plan):
    import pickle

    again = pickle.loads(pickle.dumps(trips_plan))
    assert isinstance(again, TripsPlan)
    assert again == trips_plan
    assert again.to_json() == trips_plan.to_json()
    pd.testing.assert_frame_equal(again.trips, trips_plan.trips)
    pd.testing.assert_frame_equal(again.levels, trips_plan.levels)
    pd.testing.assert_frame_equal(again.plan.shipments, trips_plan.plan.shipments)
    core = pickle.loads(pickle.dumps(trips_plan._core))
    assert core == trips_plan._core


def test_the_smallest_time_limit_still_gives_a_plan_with_each_stop_named():
    # Whether a level finds its first plan within a millisecond depends on the machine;
    # one that finds none keeps the plan offered to it, so there is always a plan, and
    # every level short of a proof names its stop.
    plan = allocnet.trips_round(allocnet.Scenario.vastmanland(), "builtin", time_limit=0.001)
    levels = plan.levels
    assert len(levels) > 0
    limited = levels[levels["status"] == "limit"]
    assert set(limited["stopped_by"]) <= {"time_limit", "held_trips", "solver"}, limited
    assert (levels.loc[levels["status"] == "optimal", "stopped_by"].isna()).all()
    assert (plan.trips["load_pct"] <= 100.0 + 1e-9).all()


def test_the_deterministic_limits_give_the_same_plan_on_every_run():
    scenario = allocnet.Scenario.vastmanland()

    def limited() -> TripsPlan:
        return trips_round(scenario, "builtin", max_nodes=1, max_lp_work=np.int64(1))

    first, second = limited(), limited()
    levels = first.levels
    trips = levels[levels["level"] == "trips"].iloc[0]
    assert trips["status"] == "limit" and trips["stopped_by"] in {"lp_work_limit", "node_limit"}, levels
    assert not first.trips.empty
    pd.testing.assert_frame_equal(levels, second.levels)
    pd.testing.assert_frame_equal(first.trips, second.trips)
    pd.testing.assert_frame_equal(first.pack_shipments, second.pack_shipments)


def test_bad_deterministic_limits_raise_naming_the_keyword(scenario):
    cases = [
        ({"max_nodes": 0}, r"max_nodes: must be >= 1 \(the root node\), got 0"),
        ({"max_nodes": 2**40}, r"max_nodes: must be >= 1 \(the root node\) and <= 2147483647, got 1099511627776"),
        ({"max_lp_work": -3}, r"max_lp_work: must be >= 1, got -3"),
        ({"max_lp_work": 10**30}, r"max_lp_work: must be >= 1 and a 64-bit integer, got 10{30}"),
    ]
    for limits, message in cases:
        with pytest.raises(InvalidInputError, match=message):
            trips_round(scenario, small_logistics(), **limits)
    for wrong in [1.5, True, "3", np.float64(2.0)]:
        with pytest.raises(TypeError, match="max_nodes must be a whole number"):
            trips_round(scenario, small_logistics(), max_nodes=wrong)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_lp_work applies to the round with logistics data"):
        allocnet.county_round(scenario, max_lp_work=5)
    out = allocnet.county_round(scenario, logistics=small_logistics(), max_nodes=np.int32(10), max_lp_work=10**9)
    assert not out.levels.empty
