"""The testing-capacity plan from Python: TestingScenario in, testing_plan,
TestingPlan out (every output of `allocnet testing` as DataFrames)."""

from __future__ import annotations

import io
import json
import pickle
import subprocess

import pandas as pd
import pytest
from gilcheck import assert_releases_gil
from tablecheck import assert_tables_match_specs
from test_model import cli  # noqa: F401  (the CLI fixture)

import allocnet
from allocnet.exceptions import FileError, InvalidInputError, ParseError
from allocnet.testing_plan import OUT_FILES, TESTING_COLUMNS


@pytest.fixture(scope="module")
def scenario():
    return allocnet.TestingScenario.vastmanland()


@pytest.fixture(scope="module")
def plan(scenario):
    return allocnet.testing_plan(scenario)


@pytest.fixture(scope="module")
def cli_out(cli, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("testing-cli")
    done = subprocess.run(
        [str(cli), "testing", "vastmanland", "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_every_output_file_and_the_report_equal_the_cli(plan, cli_out):
    out, stdout = cli_out
    files = plan.files()
    assert sorted(files) == sorted(p.name for p in out.iterdir()) == sorted(OUT_FILES)
    for name, text in files.items():
        assert text == (out / name).read_text(encoding="utf-8"), name
    assert plan.report == stdout
    assert plan.guidance_html() == (out / "guidance.html").read_text(encoding="utf-8")


# DataFrame table -> (CLI CSV file, decimals the CSV rounds floats to)
CSV_OF = {
    "tests": ("tests.csv", 1),
    "unmet": ("unmet.csv", None),
    "sites": ("sites.csv", 4),
    "labs": ("labs.csv", 4),
    "sample_flows": ("sample_flows.csv", 1),
    "kit_shipments": ("kit_shipments.csv", 1),
    "kits": ("kits.csv", None),
    "capacity_values": ("capacity_values.csv", 6),
    "guidance": ("guidance.csv", 1),
    "status": ("status.csv", None),
}


@pytest.mark.parametrize("table", list(CSV_OF))
def test_tables_equal_the_cli_csv(plan, cli_out, table):
    out, _ = cli_out
    name, decimals = CSV_OF[table]
    df = getattr(plan, table)
    csv = pd.read_csv(out / name, dtype=str, keep_default_na=False)
    assert len(df) == len(csv) > 0, table
    for column in csv.columns:
        ours = df[column]
        if ours.dtype == "float64":
            # An empty CSV cell is a missing value (NaN in the frame).
            theirs = csv[column].replace("", "nan").astype(float)
            assert (ours.isna() == theirs.isna()).all(), (table, column)
            close = (ours.round(decimals) - theirs).abs() < 0.6 * 10.0**-decimals
            assert (close | ours.isna()).all(), (table, column)
        else:
            text = ours.astype(object).where(ours.notna(), "").astype(str)
            assert text.tolist() == csv[column].tolist(), (table, column)
    extra = set(df.columns) - set(csv.columns)
    assert extra <= {"municipality_name", "level_index"}, extra


def test_tables_have_the_documented_columns_and_dtypes(plan):
    categories = {
        "test_type": ["pcr", "serology"],
        "reason": ["no-site-in-reach", "sites-full", "kits-exhausted", "labs-full"],
        "resource": ["site-capacity", "lab-capacity", "site-kits", "store-kits"],
        "kind": ["drive-in", "health-centre", "home-test-pickup"],
    }
    tables = assert_tables_match_specs(plan, TESTING_COLUMNS, categories)
    assert all(len(df) > 0 for df in tables.values())


def test_plan_figures_and_consistency(plan, scenario):
    s = plan.summary()
    assert s["tests"] == plan.tests["tests"].sum() and s["untested"] == plan.unmet["untested"].sum()
    by_priority = plan.untested_by_priority
    assert by_priority["untested"].sum() == s["untested"]
    assert plan.objective["rank"].tolist() == list(range(1, len(plan.objective) + 1))
    # every municipality x group with demand is in the guidance
    demand = json.loads(scenario.to_json())["demand"]
    wanted = {(d["municipality"], d["group"]) for d in demand if d["tests_per_week"] > 0}
    covered = set(zip(plan.guidance["municipality"], plan.guidance["group"]))
    assert wanted <= covered
    sites = plan.sites
    assert (sites["pcr"] + sites["serology"] <= sites["capacity_per_week"]).all()
    assert plan.synthetic and plan.week == scenario.week and plan.duals_available
    assert "where capacity should grow" in plan._repr_html_().lower()
    assert "untested" in repr(plan)


def test_write_gives_the_cli_files(plan, cli_out, tmp_path):
    out, _ = cli_out
    names = plan.write(tmp_path / "ours")
    for name in names:
        assert (tmp_path / "ours" / name).read_bytes() == (out / name).read_bytes(), name


def test_scenario_json_round_trip_and_pickle(scenario, plan, tmp_path):
    text = scenario.to_json()
    assert allocnet.TestingScenario.from_json(text) == scenario
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    assert allocnet.TestingScenario.load(path) == scenario
    assert pickle.loads(pickle.dumps(scenario)) == scenario
    back = pickle.loads(pickle.dumps(plan))
    assert back == plan
    pd.testing.assert_frame_equal(back.guidance, plan.guidance)
    assert scenario.municipality_count == 10 and scenario.name and "public" in scenario.groups


def test_deterministic_and_gil_released(scenario, plan):
    again = allocnet.testing_plan(allocnet.TestingScenario.from_json(scenario.to_json()))
    assert again == plan
    assert_releases_gil(lambda: allocnet.testing_plan(scenario))


def test_sweden_testing_plan_equals_the_cli_report(cli):  # noqa: F811
    sweden = allocnet.TestingScenario.sweden()
    assert sweden.municipality_count == 290
    plan = allocnet.testing_plan(sweden)
    done = subprocess.run([str(cli), "testing", "sweden"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert plan.report == done.stdout
    status = plan.status
    assert status["county"].nunique() == 21


def test_invalid_input_raises_the_specific_exception_with_its_path(scenario, tmp_path):
    data = json.loads(scenario.to_json())
    data["sites"][0]["capacity_per_day"] = -5
    data["labs"][0]["capacity"][0]["pooling"] = 0
    with pytest.raises(InvalidInputError) as e:
        allocnet.TestingScenario.from_json(json.dumps(data))
    paths = [p for p, _ in e.value.problems]
    assert "sites[0].capacity_per_day" in paths and "labs[0].capacity[0].pooling" in paths
    with pytest.raises(ParseError) as p:
        allocnet.TestingScenario.from_json('{"name": 3}', source_name="t.json")
    assert p.value.source_name == "t.json" and p.value.line == 1
    with pytest.raises(FileError):
        allocnet.TestingScenario.load(tmp_path / "missing.json")
    with pytest.raises(TypeError):
        allocnet.testing_plan(allocnet.Scenario.vastmanland())  # type: ignore[arg-type]


def test_guidance_csv_parses_to_the_guidance_table(plan):
    csv = pd.read_csv(io.StringIO(plan.files()["guidance.csv"]), dtype=str, keep_default_na=False)
    assert csv["site"].tolist() == plan.guidance["site"].tolist()
