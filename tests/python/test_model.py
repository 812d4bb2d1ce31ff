"""The model API: Scenario in, county_round, Plan out (DataFrames, JSON, pickle)."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

import allocnet
from allocnet import frames
from allocnet.exceptions import FileError, InvalidInputError, ParseError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vastmanland():
    return allocnet.Scenario.vastmanland()


@pytest.fixture(scope="module")
def plan(vastmanland):
    return allocnet.county_round(vastmanland)


@pytest.fixture(scope="session")
def cli():
    """The Rust command line, built from this checkout."""
    subprocess.run(["cargo", "build", "--quiet", "--bin", "allocnet"], cwd=REPO, check=True)
    meta = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=REPO, check=True, capture_output=True
    )
    binary = Path(json.loads(meta.stdout)["target_directory"]) / "debug" / "allocnet"
    assert binary.exists(), binary
    return binary


def cli_plan(cli, scenario_path: Path, engine: str = "auto") -> dict:
    done = subprocess.run(
        [str(cli), "county-round", str(scenario_path), "--format", "json", "--engine", engine],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- equal to the Rust CLI ------------------------------------------------------------


@pytest.mark.parametrize("engine", ["simplex", "lp"])
def test_plan_equals_the_cli_json_on_the_same_scenario(cli, tmp_path, vastmanland, engine):
    path = tmp_path / "scenario.json"
    path.write_text(vastmanland.to_json())
    expected = cli_plan(cli, path, engine)
    plan = allocnet.county_round(vastmanland, engine=engine)
    assert json.loads(plan.to_json()) == expected
    # and the DataFrames hold exactly the JSON's rows
    shipments = plan.shipments
    assert len(shipments) == len(expected["shipments"])
    for row, want in zip(shipments.to_dict("records"), expected["shipments"]):
        assert (row["item"], row["from"], row["to"], row["quantity"], row["km"]) == (
            want["item"],
            want["from"],
            want["to"],
            want["quantity"],
            want["km"],
        )
    unmet = plan.unmet
    assert unmet[["item", "site", "unmet"]].astype(object).values.tolist() == [
        [u["item"], u["site"], u["unmet"]] for u in expected["unmet"]
    ]
    request_total = sum(line["quantity"] for r in expected["requests"] for it in r["items"] for line in it["sites"])
    assert int(plan.county_request["quantity"].sum()) == request_total


def test_plan_from_dataframes_equals_the_cli_on_the_csv_directory(cli, tmp_path, vastmanland):
    tables = vastmanland.to_frames()
    from_frames = allocnet.Scenario.from_frames(**tables)
    directory = tmp_path / "csv"
    vastmanland.write_csv_dir(directory)
    assert json.loads(from_frames.county_round().to_json()) == cli_plan(cli, directory)


# -- DataFrames as documented -----------------------------------------------------------


def expected_dtype(kind: str, plan) -> object:
    if kind == "priority":
        return pd.CategoricalDtype(plan.priority_classes, ordered=True)
    if kind == "window":
        return pd.CategoricalDtype(frames.WINDOWS, ordered=True)
    if kind == "reason":
        return pd.CategoricalDtype(list(frames.REASONS), ordered=True)
    return pd.api.types.pandas_dtype(kind)


@pytest.mark.parametrize("table", list(frames.PLAN_COLUMNS))
def test_plan_tables_have_the_documented_columns_and_dtypes(plan, table):
    df = getattr(plan, table)
    documented = frames.PLAN_COLUMNS[table]
    assert list(df.columns) == [c for c, _, _ in documented]
    for column, kind, _ in documented:
        assert df[column].dtype == expected_dtype(kind, plan), (table, column, df[column].dtype)
    assert len(df) > 0


def test_plan_tables_read_together_equal_each_table_read_alone(vastmanland):
    plan = allocnet.county_round(vastmanland)
    for table in frames.PLAN_COLUMNS:
        alone = frames.plan_table(plan.core, table)  # the core's columns of this table only
        pd.testing.assert_frame_equal(getattr(plan, table), alone, check_exact=True)


def test_changing_a_plan_table_changes_no_other_table(vastmanland):
    plan = allocnet.county_round(vastmanland)
    shipments, unmet = plan.shipments, plan.unmet
    before = unmet.copy(deep=True)
    shipments.loc[:, "from"] = "somewhere"  # text columns are views of one block
    unmet.loc[:, "site"] = "elsewhere"
    unmet.loc[:, "unmet"] = -1
    pd.testing.assert_frame_equal(plan.unmet, before)
    assert (plan.shipments["from"] != "somewhere").all()


def test_plan_tables_are_consistent_with_each_other(plan):
    stock = plan.stock_after
    assert (stock["after"] == stock["before"] + stock["received"] - stock["sent"]).all()
    shipments = plan.shipments
    sent = shipments.groupby(["item", "from"])["quantity"].sum()
    received = shipments.groupby(["item", "to"])["quantity"].sum()
    by_site = stock.set_index(["item", "site"])
    for (item, site), q in sent.items():
        assert by_site.loc[(item, site), "sent"] == q
    for (item, site), q in received.items():
        assert by_site.loc[(item, site), "received"] == q
    # objective acute levels = unmet table's acute rows, per item and class
    objective = plan.objective
    acute_levels = objective[objective["level"].str.startswith("acute:")]
    unmet = plan.unmet
    acute = unmet[unmet["window"] == "acute"].groupby(["item", "priority"], observed=False)["unmet"].sum()
    for row in acute_levels.itertuples():
        assert row.value == acute.get((row.item, row.priority), 0)
    # the county request is the unmet acute need
    assert plan.county_request["quantity"].sum() == unmet.loc[unmet["window"] == "acute", "unmet"].sum()
    # reasons sum the unmet table
    assert plan.reasons["unmet"].sum() == unmet["unmet"].sum()


def json_tables(plan) -> dict:
    """The plan tables rebuilt from the plan's JSON with plain pandas (an oracle
    independent of the columns the bindings build)."""
    doc = json.loads(plan.to_json())
    classes = doc["priority_classes"]
    rows = {
        "shipments": [[s["item"], s["from"], s["to"], s["quantity"], s["km"]] for s in doc["shipments"]],
        "unmet": [
            [u["item"], u["site"], u["priority"], u["window"], u["need"], u["unmet"], u["reason"],
             frames.REASONS[u["reason"]]]
            for u in doc["unmet"]
        ],
        "stock_after": [[s["item"], s["site"], s["before"], s["received"], s["sent"], s["after"]]
                        for s in doc["stock_after"]],
        "dual_prices": [[d["item"], d["site"], d["level"], d["km"], d["raw"]] for d in doc["dual_prices"]],
        "objective": [
            [o["item"], o["unit"], rank, level, cls, float(value), o["method"]]
            for o in doc["objective"]
            for rank, (level, cls, value) in enumerate(
                [(f"acute:{c}", c, v) for c, v in zip(classes, o["acute_unmet"])]
                + [("planning", None, o["planning_unmet"]), ("transport", None, o["transport_unit_km"])],
                start=1,
            )
        ],
        "county_request": [
            [r["county"], it["item"], it["item_name"], it["unit"], line["site"], line["site_name"], line["kind"], c, q]
            for r in doc["requests"] for it in r["items"] for line in it["sites"] for c, q in line["by_priority"]
        ],
    }
    out = {}
    for name, values in rows.items():
        spec = frames.PLAN_COLUMNS[name]
        df = pd.DataFrame(values, columns=[c for c, _, _ in spec])
        out[name] = df.astype({c: expected_dtype(kind, plan) for c, kind, _ in spec})
    unmet = out["unmet"]
    grouped = (
        unmet.groupby(["item", "window", "reason"], observed=True, sort=True)
        .agg(explanation=("explanation", "first"), needs=("unmet", "size"), sites=("site", "nunique"),
             unmet=("unmet", "sum"))
        .reset_index()
    )
    spec = frames.PLAN_COLUMNS["reasons"]
    out["reasons"] = grouped[[c for c, _, _ in spec]].astype({c: expected_dtype(k, plan) for c, k, _ in spec})
    return out


@pytest.mark.parametrize("scenario", ["vastmanland", "sweden"])
def test_plan_tables_equal_a_pandas_rebuild_from_the_json(scenario):
    plan = allocnet.county_round(getattr(allocnet.Scenario, scenario)())
    for name, expected in json_tables(plan).items():
        assert len(expected) > 0, name
        pd.testing.assert_frame_equal(getattr(plan, name), expected, check_index_type=False, obj=name)


def test_objective_levels_wide_view(plan):
    wide = plan.objective_levels()
    assert list(wide.columns) == [f"acute:{c}" for c in plan.priority_classes] + ["planning", "transport"]
    assert len(wide) == len(plan.objective["item"].unique())


def test_scenario_tables_round_trip_through_pandas_and_polars(vastmanland):
    tables = vastmanland.to_frames()
    assert set(tables) >= {"sites", "items", "status", "parameters"}
    assert tables["sites"]["id"].dtype == "string" and tables["status"]["stock"].dtype == "Int64"
    assert allocnet.Scenario.from_frames(**tables) == vastmanland
    as_polars = {k: pl.from_dict({c: v.astype(object).where(v.notna(), None).tolist() for c, v in df.items()})
                 for k, df in tables.items()}
    assert allocnet.Scenario.from_frames(**as_polars) == vastmanland


def test_small_scenario_from_frames_hand_checked():
    sites = pd.DataFrame(
        {
            "id": ["short", "near", "far"],
            "name": ["Short", "Near", "Far"],
            "kind": ["municipality"] * 3,
            "county": ["19"] * 3,
            "lat": [59.6, 59.6, 59.6],
            "lon": [16.0, 16.1, 17.0],
        }
    )
    items = pd.DataFrame({"id": ["ffp2"], "name": ["FFP2"], "unit": ["pieces"]})
    status = pd.DataFrame(
        {"site": ["short", "near", "far"], "item": "ffp2", "stock": [0, 100, 100], "consumption_per_day": 10.0}
    )
    scenario = allocnet.Scenario.from_frames(sites, items, status, parameters={"horizon_days": 2, "name": "toy"})
    assert scenario.name == "toy"
    plan = scenario.county_round()
    assert plan.shipments[["from", "to", "quantity"]].astype(object).values.tolist() == [["near", "short", 20]]
    assert plan.unmet.empty and plan.county_request.empty
    assert plan.reasons.empty and list(plan.reasons.columns) == [c for c, _, _ in frames.PLAN_COLUMNS["reasons"]]


# -- errors --------------------------------------------------------------------------------


def toy_tables():
    return {
        "sites": pd.DataFrame(
            {"id": ["a", "b"], "name": ["A", "B"], "kind": ["municipality", "region"], "county": ["19", "19"],
             "lat": [59.6, 59.7], "lon": [16.5, 16.6]}
        ),
        "items": pd.DataFrame({"id": ["ffp2"], "name": ["FFP2"], "unit": ["pieces"]}),
        "status": pd.DataFrame({"site": ["a", "b"], "item": ["ffp2", "ffp2"], "stock": [0, 500],
                                "consumption_per_day": [10.0, 5.0]}),
    }


def with_change(table, column, row, value):
    tables = toy_tables()
    df = tables[table].copy()
    df[column] = df[column].astype(object)
    df.loc[row, column] = value
    tables[table] = df
    return tables


def with_dtype(tables, table, column, dtype):
    tables[table][column] = tables[table][column].astype(dtype)
    return tables


BAD_FRAMES = [
    (with_change("status", "stock", 1, -5), "status.csv line 3, column stock", "must be >= 0"),
    (with_change("status", "stock", 0, 2.5), "status.csv line 2, column stock", "whole number"),
    (with_change("status", "site", 1, "nowhere"), "status.csv line 3, column site", "nowhere"),
    (with_change("sites", "lat", 0, 100.0), "sites.csv line 2, column lat", "between -90 and 90"),
    (with_change("sites", "kind", 1, "hospital"), "sites.csv line 3, column kind", "hospital"),
    (with_change("items", "unit", 0, "kg"), "items.csv line 2, column unit", "kg"),
    (with_change("status", "consumption_per_day", 0, None), "status.csv line 2, column consumption_per_day",
     "missing value"),
    (with_change("sites", "id", 1, "a"), "sites.csv line 3, column id", "a"),
    # holes in text columns, as pandas writes them: empty CSV cells
    (with_change("status", "site", 0, np.nan), "status.csv line 2, column site", "missing value"),
    (with_change("status", "item", 1, pd.NA), "status.csv line 3, column item", "missing value"),
    (with_change("sites", "name", 0, None), "sites.csv line 2, column name", "missing value"),
    (with_dtype(with_change("items", "name", 0, None), "items", "name", "string"), "items.csv line 2, column name",
     "missing value"),
]


@pytest.mark.parametrize("tables, path, words", BAD_FRAMES)
def test_invalid_frames_raise_invalid_input_error_naming_table_row_and_column(tables, path, words):
    with pytest.raises(InvalidInputError) as info:
        allocnet.Scenario.from_frames(**tables)
    matching = [m for p, m in info.value.problems if p == path]
    assert matching, info.value.problems
    assert any(words in m for m in matching), matching


@pytest.mark.parametrize("tables", [case[0] for case in BAD_FRAMES])
def test_frames_report_exactly_the_problems_of_their_csv_files(tables, tmp_path):
    frames.write_scenario_csv(tables, tmp_path)
    with pytest.raises(InvalidInputError) as from_csv:
        allocnet.Scenario.from_csv_dir(tmp_path)
    with pytest.raises(InvalidInputError) as from_frames:
        allocnet.Scenario.from_frames(**tables)
    assert from_frames.value.problems == from_csv.value.problems


def test_text_that_utf8_cannot_encode_is_named():
    tables = with_change("sites", "name", 1, "Sala \udc80")  # a lone surrogate
    with pytest.raises(InvalidInputError) as info:
        allocnet.Scenario.from_frames(**tables)
    assert info.value.paths == ["sites.name[1]"] and "lone surrogate" in str(info.value)


def test_column_dtypes_read_like_their_csv_cells(tmp_path):
    tables = toy_tables()
    status = tables["status"]
    status["stock"] = status["stock"].astype("float64")  # whole floats in an integer field
    status["acute_need"] = pd.array([None, 3], dtype="Int64")  # nullable with a hole
    status["reserve_days"] = pd.array([2, None], dtype="Int64")  # integers in a number field
    status["planning_need"] = pd.Series([np.nan, 7.0])  # float NaN = the default
    status["priority"] = pd.Series([None, "home-care"], dtype=object)
    tables["sites"]["county"] = pd.Series([19, 19], dtype="int64")  # numbers in a text field
    tables["parameters"] = {"horizon_days": 5, "synthetic": True, "name": "toy"}
    frames.write_scenario_csv(tables, tmp_path)
    expected = allocnet.Scenario.from_csv_dir(tmp_path)
    scenario = allocnet.Scenario.from_frames(**tables)
    assert scenario == expected
    got = scenario.status
    assert got["acute_need"].tolist()[1] == 3 and pd.isna(got["acute_need"].tolist()[0])
    assert scenario.sites["county"].tolist() == ["19", "19"] and scenario.synthetic


def test_numeric_dtypes_of_every_width_read_like_their_csv_cells(tmp_path):
    tables = toy_tables()
    status = tables["status"]
    status["stock"] = status["stock"].astype("uint16")
    status["consumption_per_day"] = status["consumption_per_day"].astype("float32")
    status["acute_need"] = pd.array([4, None], dtype="UInt8")  # nullable unsigned with a hole
    status["planning_need"] = pd.array([None, 9], dtype="Int32")
    status["reserve_days"] = pd.array([1.5, None], dtype="Float64")
    frames.write_scenario_csv(tables, tmp_path)
    assert allocnet.Scenario.from_frames(**tables) == allocnet.Scenario.from_csv_dir(tmp_path)


def test_frames_read_the_same_without_pandas_private_column_access(monkeypatch, vastmanland):
    tables = vastmanland.to_frames()
    fast = allocnet.Scenario.from_frames(**tables)
    # only public pandas API is used: a private method gone changes nothing
    monkeypatch.delattr(pd.DataFrame, "_iter_column_arrays")
    assert allocnet.Scenario.from_frames(**tables) == fast


def test_the_package_reads_no_private_attribute_of_pandas_or_numpy():
    # pandas' internals (`_data`, `_mask`, `_iter_column_arrays`, `_mgr`, ...) change
    # without notice between releases; the package's own `self._x` slots are fine.
    package = Path(allocnet.__file__).parent
    private = re.compile(r"(?<!self)(?<!cls)(?<!core)(?<!_allocnet)\.(_(?!_)[a-z]\w*)|getattr\([^)]*[\"']_(?!_)")
    allowed = {"_allocnet", "_tables", "_core", "_table", "_csv_texts", "_frames", "_columns", "_scenario", "_by_name"}
    found = []
    for path in sorted(package.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in private.finditer(line):
                if match.group(1) not in allowed:
                    found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("dtype", ["uint64", "UInt64"])
def test_unsigned_values_beyond_int64_are_reported_not_wrapped(dtype):
    tables = toy_tables()
    tables["status"]["stock"] = pd.array([1, 2**63], dtype=dtype)
    with pytest.raises(InvalidInputError) as info:
        allocnet.Scenario.from_frames(**tables)
    assert info.value.paths == ["status.csv line 3, column stock"], info.value.problems


def test_unknown_and_missing_columns_are_named():
    tables = toy_tables()
    tables["status"] = tables["status"].rename(columns={"stock": "stok"})
    with pytest.raises(InvalidInputError) as info:
        allocnet.Scenario.from_frames(**tables)
    text = str(info.value)
    assert "unknown column 'stok'" in text and "missing required column 'stock'" in text
    assert info.value.paths == ["status.csv line 1", "status.csv line 1"]


def test_not_a_dataframe_names_the_argument():
    tables = toy_tables()
    tables["items"] = "items.csv"
    with pytest.raises(InvalidInputError) as info:
        allocnet.Scenario.from_frames(**tables)
    assert info.value.paths == ["items"]


def test_lanes_with_unknown_site_and_negative_capacity():
    tables = toy_tables()
    tables["lanes"] = pd.DataFrame({"from": ["b", "b"], "to": ["a", "x"], "capacity": [-1, 5]})
    with pytest.raises(InvalidInputError) as info:
        allocnet.Scenario.from_frames(**tables)
    paths = info.value.paths
    assert "lanes.csv line 2, column capacity" in paths and "lanes.csv line 3, column to" in paths


def test_json_errors(tmp_path, vastmanland):
    with pytest.raises(ParseError) as info:
        allocnet.Scenario.from_json('{"sites": [\n  {"id": 1,}\n]}', "bad.json")
    assert info.value.line == 2 and info.value.source_name == "bad.json"
    data = json.loads(vastmanland.to_json())
    data["status"][3]["stock"] = -7
    with pytest.raises(InvalidInputError) as info:
        allocnet.Scenario.from_json(json.dumps(data))
    assert "status[3].stock" in info.value.paths
    with pytest.raises(FileError):
        allocnet.Scenario.load(tmp_path / "missing.json")


def test_engine_and_strategy_names_are_checked(vastmanland):
    with pytest.raises(InvalidInputError, match="engine"):
        allocnet.county_round(vastmanland, engine="cplex")
    with pytest.raises(InvalidInputError, match="strategy"):
        allocnet.county_round(vastmanland, strategy="fast")
    with pytest.raises(InvalidInputError, match="table"):
        frames.plan_table(allocnet.county_round(vastmanland).core, "nope")


# -- strategies, engines, threads, pickle ------------------------------------------------


def test_strategies_and_engines_reach_the_same_objective(vastmanland):
    plans = [
        allocnet.county_round(vastmanland, engine=e, strategy=s)
        for e in ["simplex", "lp"]
        for s in ["auto", "level-by-level"]
    ]
    levels = [p.objective_levels() for p in plans]
    for other in levels[1:]:
        pd.testing.assert_frame_equal(other.drop(columns="transport"), levels[0].drop(columns="transport"))
        np.testing.assert_allclose(other["transport"], levels[0]["transport"], rtol=0, atol=1e-6)


def test_county_round_from_several_threads_gives_the_serial_plan(vastmanland):
    serial = allocnet.county_round(vastmanland)
    with ThreadPoolExecutor(max_workers=4) as pool:
        plans = list(pool.map(lambda _: allocnet.county_round(vastmanland), range(8)))
    assert all(p == serial for p in plans)


def test_scenario_and_plan_pickle(vastmanland, plan):
    s2 = pickle.loads(pickle.dumps(vastmanland))
    assert s2 == vastmanland and s2.to_json() == vastmanland.to_json()
    p2 = pickle.loads(pickle.dumps(plan))
    assert p2 == plan and p2.scenario == vastmanland
    pd.testing.assert_frame_equal(p2.shipments, plan.shipments)
    core = pickle.loads(pickle.dumps(plan.core))
    assert core == plan.core
    assert allocnet.Plan.from_json(plan.to_json()) == plan


def test_sweden_builtin_runs_and_is_labelled_synthetic():
    sweden = allocnet.Scenario.sweden()
    assert sweden.core.site_count == 290 and sweden.synthetic
    plan = sweden.county_round()
    assert plan.synthetic and len(plan.shipments) > 0
    assert set(plan.county_request["county"]) <= set(sweden.sites["county"])


# -- notebook display and plots -----------------------------------------------------------


def test_repr_html_summarises_status_levels_and_shortfalls(plan):
    text = plan._repr_html_()
    assert "Status:" in text and "acute need unmet" in text
    assert "Objective levels" in text and "acute:covid-elderly-care" in text
    top = plan.unmet.query("window == 'acute'").sort_values("unmet", ascending=False).iloc[0]
    assert "Top acute shortfalls" in text and str(top["unmet"]) in text
    assert "SYNTHETIC" in text
    assert "acute need unmet" in repr(plan)


def test_plots_draw_arrows_rings_and_bars(plan, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection
    from matplotlib.text import Annotation

    ax = plan.plot_map(item="gown")
    gown = plan.shipments.query("item == 'gown'")
    arrows = [a for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch is not None]
    assert len(arrows) == len(gown.groupby(["from", "to"]))
    widths = sorted(a.arrow_patch.get_linewidth() for a in arrows)
    assert widths[0] < widths[-1]  # width grows with quantity
    rings = [c for c in ax.collections if isinstance(c, PathCollection) and len(c.get_facecolors()) == 0]
    gown_acute = plan.unmet.query("item == 'gown' and window == 'acute'")["site"].nunique()
    assert len(rings) == 1 and len(rings[0].get_offsets()) == gown_acute
    ax.figure.savefig(tmp_path / "map.png")
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plt.close(ax.figure)

    ax = plan.plot_unmet(window="planning")
    planning = plan.unmet.query("window == 'planning'")
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == pytest.approx(planning["unmet"].sum())
    plt.close(ax.figure)
    with pytest.raises(InvalidInputError, match="item"):
        plan.plot_map(item="caviar")
