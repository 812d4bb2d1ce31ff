"""The national round from Python: NationalRound in, national_round, NationalPlan out."""

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
from allocnet.national import NATIONAL_COLUMNS, POLICIES


@pytest.fixture(scope="module")
def sweden_round():
    # Scarce: 0.2 days of national stock, so the policies differ.
    return allocnet.NationalRound.sweden(seed=7, national_stock_days=0.2)


@pytest.fixture(scope="module")
def plans(sweden_round):
    return {p: allocnet.national_round(sweden_round, policy=p) for p in POLICIES}


def national_records(cli, tmp_path, policy):  # noqa: F811
    log = tmp_path / f"audit-{policy}.jsonl"
    done = subprocess.run(
        [
            str(cli), "simulate", "vastmanland", "--weeks", "2", "--no-redistribution",
            "--policy", policy, "--national-stock-days", "0.3", "--audit", str(log),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return [r for r in records if r["round"] == "national"]


@pytest.mark.parametrize("policy", POLICIES)
def test_plan_equals_the_cli_simulations_national_rounds(cli, tmp_path, policy):  # noqa: F811
    records = national_records(cli, tmp_path, policy)
    assert len(records) == 6  # Mon, Wed, Fri of two weeks
    assert sum(len(r["plan"]["unmet"]) for r in records) > 0  # scarce: the policy matters
    for record in records:
        assert record["policy"] == policy
        round_ = allocnet.NationalRound.from_json(json.dumps(record["input"]))
        plan = allocnet.national_round(round_, policy=policy)
        assert json.loads(plan.to_json()) == record["plan"]
        assert round_.to_json() == json.dumps(record["input"], indent=2, ensure_ascii=False)


def test_tables_have_the_documented_columns_and_dtypes(plans):
    plan = plans["optimal"]
    assert_tables_match_specs(plan, NATIONAL_COLUMNS, {"priority": plan.priority_classes})
    assert len(plan.allocations) > 0 and len(plan.national_shipments) > 0 and len(plan.last_mile) > 0


def test_tables_agree_with_the_plan_json_and_each_other(plans):
    for policy, plan in plans.items():
        data = json.loads(plan.to_json())
        assert plan.policy == policy
        items = plan.items
        assert items["approved"].tolist() == [it["approved"] for it in data["items"]]
        assert (items["approved"] == items[["stock", "requested"]].min(axis=1)).all()
        by_item = plan.allocations.groupby("item")["approved"].sum()
        assert (by_item.reindex(items["item"], fill_value=0).to_numpy() == items["approved"].to_numpy()).all()
        shipped = plan.national_shipments.groupby("item")["quantity"].sum()
        assert (shipped.reindex(items["item"], fill_value=0).to_numpy() == items["approved"].to_numpy()).all()
        assert plan.total_acute_unmet == int(plan.acute_unmet["unmet"].sum()) == int(items["acute_unmet"].sum())
        assert plan.unmet["unmet"].sum() == plan.total_acute_unmet
        km = (plan.national_shipments["quantity"] * plan.national_shipments["km"]).sum()
        assert plan.national_unit_km == pytest.approx(km)
        after = plan.stock_after
        assert (after["after"] == after["before"] - after["sent"]).all()
        by_class = plan.allocations_by_priority.groupby(["county", "item"])["approved"].sum()
        merged = plan.allocations.set_index(["county", "item"])["approved"]
        assert (by_class.reindex(merged.index, fill_value=0) == merged).all()


def test_optimal_is_best_on_the_highest_class_and_proportional_is_fair(plans):
    first = plans["optimal"].priority_classes[0]
    top = {p: int(plan.acute_unmet.loc[plan.acute_unmet["priority"] == first, "unmet"].sum()) for p, plan in plans.items()}
    assert top["optimal"] == min(top.values())
    assert plans["proportional"].summary()["min_fraction"] >= plans["population"].summary()["min_fraction"]


def test_summary_repr_and_html(plans):
    plan = plans["max-min"]
    s = plan.summary()
    assert s["policy"] == "max-min" and s["approved"] <= s["stock"]
    assert "max-min" in repr(plan)
    page = plan._repr_html_()
    assert "national round" in page and "<table" in page


def test_round_and_plan_pickle(sweden_round, plans):
    assert pickle.loads(pickle.dumps(sweden_round)) == sweden_round
    plan = plans["proportional"]
    back = pickle.loads(pickle.dumps(plan))
    assert back == plan and back.to_json() == plan.to_json()
    pd.testing.assert_frame_equal(back.allocations, plan.allocations)


def test_the_same_round_gives_the_same_plan_bit_for_bit(sweden_round, plans):
    again = allocnet.national_round(allocnet.NationalRound.sweden(seed=7, national_stock_days=0.2), policy="optimal")
    assert again.to_json() == plans["optimal"].to_json()
    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(lambda p: allocnet.national_round(sweden_round, policy=p).to_json(), POLICIES * 2))
    assert texts == [plans[p].to_json() for p in POLICIES * 2]


def test_the_gil_is_released_during_the_round(sweden_round):
    assert_releases_gil(lambda: allocnet.national_round(sweden_round, policy="max-min"))


def test_after_county_round_of_a_scenario_and_its_solve_method():
    s = allocnet.Scenario.vastmanland()
    r = allocnet.NationalRound.after_county_round(s, national_stock_days=1.0)
    assert r.counties == ["19"] and r.warehouses == ["nat-stockholm", "nat-gothenburg"]
    assert r.solve("population") == allocnet.national_round(r, policy="population")
    with pytest.raises(TypeError):
        allocnet.NationalRound.after_county_round(s.to_json())  # type: ignore[arg-type]


def test_invalid_input_raises_the_specific_exception_with_its_path(sweden_round, tmp_path):
    data = json.loads(sweden_round.to_json())
    data["warehouses"][0]["stock"][2]["quantity"] = -5
    data["requests"][1]["county"] = "99"
    with pytest.raises(InvalidInputError) as e:
        allocnet.NationalRound.from_json(json.dumps(data))
    paths = [p for p, _ in e.value.problems]
    assert "warehouses[0].stock[2].quantity" in paths
    assert any(p.startswith("requests[1]") for p in paths), paths
    with pytest.raises(InvalidInputError, match="policy"):
        allocnet.national_round(sweden_round, policy="fair")
    with pytest.raises(InvalidInputError, match="national_stock_days"):
        allocnet.NationalRound.sweden(national_stock_days=-1)
    with pytest.raises(ParseError) as p:
        allocnet.NationalRound.from_json('{"priority_classes": [}', source_name="round.json")
    assert "round.json" in str(p.value)
    with pytest.raises(FileError):
        allocnet.NationalRound.load(tmp_path / "missing.json")
    path = tmp_path / "round.json"
    path.write_text(sweden_round.to_json(), encoding="utf-8")
    assert allocnet.NationalRound.load(path) == sweden_round


def test_inputs_that_do_not_add_up_are_invalid_input(sweden_round):
    data = json.loads(sweden_round.to_json())
    data["counties"][0]["population"] = -1
    data["requests"][0]["items"][0]["total"] += 1
    with pytest.raises(InvalidInputError) as e:
        allocnet.NationalRound.from_json(json.dumps(data))
    paths = [p for p, _ in e.value.problems]
    assert "counties[0].population" in paths
    assert "requests[0].items[0].total" in paths


def test_round_files_are_read_by_the_cores_reader_like_a_sweep_base(sweden_round, tmp_path):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + sweden_round.to_json().encode())
    assert allocnet.NationalRound.load(bom) == sweden_round
    assert allocnet.NationalRound.from_json("\ufeff" + sweden_round.to_json()) == sweden_round
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{\n  "priority_classes": ["\xff"]}')
    with pytest.raises(ParseError) as p:
        allocnet.NationalRound.load(bad)
    assert p.value.line == 2 and "column 25: invalid UTF-8" in str(p.value), str(p.value)
    data = json.loads(sweden_round.to_json())
    data["warehouses"][0]["stock"][2]["quantity"] = -5
    data["requests"][1]["county"] = "99"
    path = tmp_path / "round.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInputError) as direct:
        allocnet.NationalRound.load(path)
    spec = {"parameters": [{"name": "policy", "target": "policy", "values": ["optimal"]}]}
    with pytest.raises(InvalidInputError) as swept:
        allocnet.sweep(str(path), spec, job="national-round", progress=False)
    assert direct.value.problems == swept.value.problems
    assert "warehouses[0].stock[2].quantity" in [path for path, _ in direct.value.problems]
