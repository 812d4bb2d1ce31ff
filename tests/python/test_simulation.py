"""The weekly simulator from Python: simulate, compare_policies, replay."""

from __future__ import annotations

import json
import pickle
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest
from gilcheck import assert_releases_gil
from tablecheck import assert_tables_match_specs
from test_model import cli  # noqa: F401  (the CLI fixture)

import allocnet
from allocnet.exceptions import FileError, InvalidInputError, ParseError
from allocnet.simulation import COMPARISON_COLUMNS, LEGS, REPLAY_COLUMNS, SIMULATION_COLUMNS

# Every keyword with a non-default value, and the CLI flags that say the same.
VARIANT = dict(
    weeks=2,
    policy="max-min",
    redistribution=False,
    meeting_days="tue,thu",
    acute_window_hours=72.0,
    reserve_days=2.0,
    national_lead_days=2,
    last_mile_lead_days=1,
    national_stock_days=1.0,
    weekly_supply_days=4.0,
    wave_amplitude=0.5,
)
VARIANT_FLAGS = [
    "--weeks", "2", "--policy", "max-min", "--no-redistribution", "--meeting-days", "tue,thu",
    "--acute-window-hours", "72", "--reserve-days", "2", "--national-lead-days", "2",
    "--last-mile-lead-days", "1", "--national-stock-days", "1", "--weekly-supply-days", "4",
    "--wave-amplitude", "0.5",
]  # fmt: skip


def run_cli(cli, *args):  # noqa: F811
    done = subprocess.run([str(cli), *map(str, args)], capture_output=True, text=True, check=False)
    return done


@pytest.fixture(scope="module")
def sim():
    return allocnet.simulate("vastmanland", weeks=2)


def test_default_simulation_equals_the_cli_json_and_text(cli, sim):  # noqa: F811
    done = run_cli(cli, "simulate", "vastmanland", "--weeks", "2", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert sim.to_json() + "\n" == done.stdout
    text = run_cli(cli, "simulate", "vastmanland", "--weeks", "2")
    assert sim.text == text.stdout


def test_every_keyword_maps_to_its_cli_flag(cli, tmp_path):  # noqa: F811
    scenario_path = tmp_path / "vm.json"
    scenario_path.write_text(allocnet.Scenario.vastmanland().to_json(), encoding="utf-8")
    ours = allocnet.simulate(scenario_path, **VARIANT)
    done = run_cli(cli, "simulate", scenario_path, *VARIANT_FLAGS, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(ours.to_json()) == json.loads(done.stdout)
    s = ours.summary()
    assert s["policy"] == "max-min" and s["county_redistribution"] is False and s["days"] == 14
    assert s["meetings"] == 4  # tue, thu in two weeks
    # meeting_days as a list is the same
    assert allocnet.simulate(scenario_path, **dict(VARIANT, meeting_days=["tue", "thu"])) == ours


def test_tables_have_the_documented_columns_and_dtypes(sim):
    tables = assert_tables_match_specs(sim, SIMULATION_COLUMNS, {"priority": sim.priority_classes, "leg": LEGS})
    assert all(len(df) > 0 for df in tables.values())


def test_tables_agree_with_the_json_and_each_other(sim):
    data = json.loads(sim.to_json())
    stock = sim.stock
    assert len(stock) == len(data["stock"])
    flows = stock["start"] + stock["normal_in"] + stock["national_in"] + stock["county_in"] - stock["county_out"]
    assert (stock["end"] == flows - stock["consumed"]).all()
    assert sim.unmet_unit_days["unit_days"].tolist() == data["summary"]["unmet_unit_days"]
    by_class = sim.shortages.groupby("priority", observed=False)["units"].sum()
    assert by_class.tolist() == data["summary"]["unmet_unit_days"]
    daily, weekly = sim.daily, sim.weekly
    assert sorted(daily["day"].unique()) == list(range(14)) and sorted(weekly["week"].unique()) == [0, 1]
    for column in ["consumed", "shortage", "normal_in"]:
        assert daily[column].sum() == weekly[column].sum() == stock[column].sum()
    first = daily[daily["day"] == 0].set_index("item")["start"]
    assert (weekly[weekly["week"] == 0].set_index("item")["start"] == first.reindex(first.index)).all()
    last = daily[daily["day"] == 13].set_index("item")["end"]
    assert (weekly[weekly["week"] == 1].set_index("item")["end"] == last).all()
    assert sim.county_fill_rates["fill_rate"].min() == pytest.approx(sim.summary()["worst_fill_rate"])
    legs = set(sim.shipments["leg"].astype(str))
    assert "county" in legs


def test_compare_policies_equals_the_cli_table(cli):  # noqa: F811
    df = allocnet.compare_policies("vastmanland")
    done = run_cli(cli, "compare-policies", "vastmanland")
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith(df.attrs["text"])
    lines = df.attrs["text"].splitlines()[1:]
    assert len(df) == len(lines) == 8
    classes = allocnet.Scenario.vastmanland().priority_classes
    expected = [c for c, _, _ in COMPARISON_COLUMNS]
    expected[4:4] = [f"unmet:{c}" for c in classes]
    assert list(df.columns) == expected
    for row, line in zip(df.itertuples(index=False), lines):
        fields = line.split()
        label = " ".join(fields[:2])
        assert row.variant == label
        assert int(fields[2]) == row.unmet_total
        assert [int(x) for x in fields[3 : 3 + len(classes)]] == [getattr(row, f"_{4 + i}") for i in range(len(classes))]
        assert float(fields[-3]) == pytest.approx(row.worst_fill_rate, abs=5e-5)
        assert float(fields[-1]) == pytest.approx(row.total_unit_km, abs=0.05)
    assert df["unmet_total"].dtype == "int64" and str(df["redistribution"].dtype) == "boolean"
    sim = allocnet.simulate("vastmanland", policy="population", redistribution=False)
    row = df[df["variant"] == "population no-county"].iloc[0]
    assert row["unmet_total"] == sim.summary()["unmet_unit_days_total"]


def test_audit_log_and_replay_match_the_cli(cli, tmp_path):  # noqa: F811
    log = tmp_path / "audit.jsonl"
    sim = allocnet.simulate("vastmanland", audit=log)
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["round"] for r in records] == ["county", "national"] * sim.summary()["meetings"]
    result = allocnet.replay(log)
    assert result.all_reproduced and len(result.lines) == len(records)
    assert list(result.lines.columns) == [c for c, _, _ in REPLAY_COLUMNS]
    assert str(result.lines["day"].dtype) == "Int64"
    done = run_cli(cli, "replay", log)
    assert done.returncode == 0 and done.stdout == result.text
    # A tampered plan is reported as differing at its path (the CLI exits 2).
    first = json.loads(json.dumps(records[0]))
    first["plan"]["shipments"][0]["quantity"] += 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(first) + "\n", encoding="utf-8")
    tampered = allocnet.replay(bad)
    assert not tampered.all_reproduced
    row = tampered.lines.iloc[0]
    assert row["outcome"] == "differs" and row["path"] == "plan.shipments[0].quantity"
    assert run_cli(cli, "replay", bad).stdout == tampered.text
    assert pickle.loads(pickle.dumps(tampered)).text == tampered.text
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_text('{"round": "county"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ParseError, match="line 1"):
        allocnet.replay(garbage)
    with pytest.raises(FileError):
        allocnet.replay(tmp_path / "missing.jsonl")


def test_pickle_and_html(sim):
    back = pickle.loads(pickle.dumps(sim))
    assert back == sim and back.text == sim.text and back.scenario_name == sim.scenario_name
    pd.testing.assert_frame_equal(back.weekly, sim.weekly)
    page = sim._repr_html_()
    assert "unmet acute unit-days" in page.lower() and "SYNTHETIC" in page


def test_deterministic_and_parallel(sim):
    scenario = allocnet.Scenario.vastmanland()
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = list(pool.map(lambda _: allocnet.simulate(scenario, weeks=2).to_json(), range(3)))
    assert runs == [sim.to_json()] * 3
    other_seed = allocnet.simulate(scenario, weeks=2, seed=1)
    assert other_seed.to_json() != sim.to_json()


def test_the_gil_is_released_during_the_simulation():
    scenario = allocnet.Scenario.vastmanland()
    assert_releases_gil(lambda: allocnet.simulate(scenario, policy="proportional"))


@pytest.mark.parametrize(
    "kwargs, path",
    [
        (dict(weeks=0), "weeks"),
        (dict(weeks=-1), "weeks"),
        (dict(policy="fair"), "policy"),
        (dict(meeting_days="mon,funday"), "meeting_days"),
        (dict(wave_amplitude=-1.0), "wave.amplitude"),
        (dict(national_lead_days=-2), "national_lead_days"),
    ],
)
def test_invalid_arguments_raise_invalid_input_with_the_path(kwargs, path):
    with pytest.raises(InvalidInputError) as e:
        allocnet.simulate("vastmanland", **kwargs)
    assert path in [p for p, _ in e.value.problems]


def test_scenario_argument_errors(tmp_path):
    with pytest.raises(FileError):
        allocnet.simulate(tmp_path / "missing.json")
    with pytest.raises(TypeError):
        allocnet.simulate(42)  # type: ignore[arg-type]


def test_keyword_defaults_are_the_cores_simulation_options_default():
    import inspect

    from allocnet.simulation import DEFAULTS

    core = json.loads(allocnet.SimulationOptions().to_json())  # every keyword left to the core
    assert core["weeks"] == DEFAULTS["weeks"] and core["policy"] == DEFAULTS["policy"]
    assert core["wave"]["seed"] == DEFAULTS["seed"] and core["reserve_days"] == DEFAULTS["reserve_days"]
    explicit = dict(DEFAULTS)
    assert allocnet.SimulationOptions(**explicit) == allocnet.SimulationOptions()
    for function in (allocnet.simulate, allocnet.compare_policies):
        for name, parameter in inspect.signature(function).parameters.items():
            if name == "meeting_days":
                assert parameter.default == ",".join(DEFAULTS["meeting_days"])
            elif name in DEFAULTS:
                assert parameter.default == DEFAULTS[name], (function.__name__, name)
