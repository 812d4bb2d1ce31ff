"""Each kind of bad input raises its own exception class, naming where the problem is."""

from __future__ import annotations

import errno
import json
import pickle

import numpy as np
import pytest

import allocnet
from allocnet import _allocnet
from allocnet.exceptions import (
    AllocnetError,
    CancelledError,
    DimacsError,
    FileError,
    IntegerOverflowError,
    InternalError,
    InvalidInputError,
    ParseError,
    SolverError,
)

I64 = np.int64


def arr(values, dtype=I64):
    return np.asarray(values, dtype=dtype)


GOOD = dict(
    tails=arr([0, 1, 0]),
    heads=arr([1, 2, 2]),
    capacities=arr([4, 10, 10]),
    costs=arr([1, 1, 3]),
    supplies=arr([5, 0, -5]),
)


def call(**changes):
    return allocnet.min_cost_flow(**{**GOOD, **changes})


@pytest.mark.parametrize(
    "changes, path, words",
    [
        ({"tails": arr([0, 1, 0], np.float64)}, "tails", "dtype float64"),
        ({"costs": arr([1, 1, 3], np.int32)}, "costs", "dtype int32"),
        ({"heads": [1, 2, 2]}, "heads", "got list"),
        ({"capacities": arr([[4, 10, 10]])}, "capacities", "2-dimensional"),
        ({"supplies": arr([True, False, True], np.bool_)}, "supplies", "dtype bool"),
        ({"lower": arr([0.0, 0.0, 0.0], np.float64)}, "lower", "dtype float64"),
        ({"costs": arr([1, 1])}, "costs", "expected 3 entries"),
        ({"heads": arr([1, 2, 2, 2])}, "heads", "expected 3 entries"),
        ({"lower": arr([0, 0])}, "lower", "expected 3 entries"),
        ({"tails": arr([0, -1, 0])}, "arc 1 (tail)", "got -1"),
        ({"heads": arr([1, 2, 2**40])}, "arc 2 (head)", str(2**40)),
        ({"heads": arr([1, 7, 2])}, "arc 1 (head)", "node 7 does not exist"),
        ({"lower": arr([0, 0, 11])}, "arc 2 (lower, upper)", "exceeds upper bound"),
        ({"costs": arr([1, np.iinfo(I64).min, 3])}, "arc 1 (cost)", "i64::MIN"),
        ({"supplies": arr([5, np.iinfo(I64).min, -5])}, "node 1 (supply)", "i64::MIN"),
        ({"engine": "cplex"}, "engine", "expected 'auto', 'simplex', 'cost-scaling' or 'lp'"),
    ],
)
def test_invalid_arguments_raise_invalid_input_error_with_the_path(changes, path, words):
    with pytest.raises(InvalidInputError) as info:
        call(**changes)
    err = info.value
    assert path in err.paths, err.problems
    assert path in str(err) and words in str(err)
    assert isinstance(err, AllocnetError) and isinstance(err, ValueError)


def test_every_invalid_value_is_reported_at_once():
    with pytest.raises(InvalidInputError) as info:
        call(heads=arr([1, 9, 8]), lower=arr([0, 0, 11]))
    assert info.value.paths == ["arc 1 (head)", "arc 2 (head)", "arc 2 (lower, upper)"]


def test_network_constructor_validates_like_min_cost_flow():
    with pytest.raises(InvalidInputError, match=r"arc 0 \(tail\)"):
        allocnet.Network(arr([3]), arr([0]), arr([1]), arr([1]), arr([0, 0]))


def test_overflow_is_detected_not_wrapped():
    big = 2**62
    with pytest.raises(IntegerOverflowError) as info:
        allocnet.min_cost_flow(arr([0, 0]), arr([1, 1]), arr([big, big]), arr([1, 1]), arr([big, -big]))
    assert isinstance(info.value, OverflowError) and isinstance(info.value, AllocnetError)
    assert "overflow" in str(info.value)


def test_malformed_dimacs_raises_dimacs_error_with_file_and_line(tmp_path):
    path = tmp_path / "bad.min"
    path.write_text("c test\np min 2 1\nn 1 5\na 1 3 0 10 3\n")
    with pytest.raises(DimacsError) as info:
        allocnet.read_dimacs(path)
    err = info.value
    assert err.line == 4 and err.source_name == str(path)
    assert f"{path} line 4" in str(err) and "DST" in err.detail
    assert isinstance(err, ParseError) and isinstance(err, ValueError)


@pytest.mark.parametrize(
    "text, line",
    [
        ("a 1 2 0 1 1\n", 1),  # an arc before the problem line
        ("p min 2 1\np min 2 1\n", 2),  # two problem lines
        ("p min 2 1\na 1 2 0 x 1\n", 2),  # not a number
        ("p max 2 1\n", 1),  # not a min-cost flow problem
    ],
)
def test_each_dimacs_mistake_names_its_line(tmp_path, text, line):
    path = tmp_path / "bad.min"
    path.write_text(text)
    with pytest.raises(DimacsError) as info:
        allocnet.read_dimacs(str(path))
    assert info.value.line == line
    assert f"line {line}" in str(info.value)


def test_missing_file_raises_file_error(tmp_path):
    missing = tmp_path / "nope.min"
    with pytest.raises(FileError) as info:
        allocnet.read_dimacs(missing)
    err = info.value
    assert isinstance(err, OSError) and isinstance(err, AllocnetError)
    assert err.errno == errno.ENOENT and err.filename == str(missing)


def test_solver_error_is_raised_as_solver_error():
    # Every core variant goes through the same conversion; the private hook raises each.
    with pytest.raises(SolverError, match="LP solver"):
        _allocnet._raise_core_error("solver")


@pytest.mark.parametrize(
    "kind, cls, check",
    [
        ("invalid", InvalidInputError, lambda e: e.paths == ["status[2].stock", "lanes.csv line 8, column from"]),
        ("parse", ParseError, lambda e: (e.source_name, e.line) == ("sites.csv", 7) and not isinstance(e, DimacsError)),
        ("overflow", IntegerOverflowError, lambda e: "node 3" in e.detail),
        ("io", FileError, lambda e: "missing.json" in str(e)),
        ("solver", SolverError, lambda e: "HiGHS" in e.detail),
        ("cancelled", CancelledError, lambda e: str(e).startswith("cancelled: the trips round after 3 of 21")),
        ("panic", InternalError, lambda e: "deliberate panic" in str(e)),
        ("internal", InternalError, lambda e: "please report it" in str(e) and "table shipments" in str(e)),
    ],
)
def test_core_error_variants_map_to_their_classes(kind, cls, check):
    with pytest.raises(cls) as info:
        _allocnet._raise_core_error(kind)
    assert type(info.value) is cls
    assert check(info.value)


def test_a_rust_panic_never_reaches_python_as_a_base_exception():
    try:
        _allocnet._raise_core_error("panic")
    except Exception as e:  # noqa: BLE001 - the point: it is an ordinary Exception
        assert isinstance(e, InternalError)
    else:
        raise AssertionError("no exception")


def test_exceptions_pickle_with_their_details():
    for kind in ["invalid", "parse", "overflow", "solver", "cancelled"]:
        with pytest.raises(AllocnetError) as info:
            _allocnet._raise_core_error(kind)
        again = pickle.loads(pickle.dumps(info.value))
        assert type(again) is type(info.value) and str(again) == str(info.value)
        assert vars(again) == vars(info.value)


# Hostile values of the new inputs (sweep spec, logistics, lookahead options) raise
# InvalidInputError naming the field, as the CLI does (tests/hostile.rs has the rest).


def _small_county():
    return allocnet.Scenario.from_json(
        """{"name": "small", "sites": [
        {"id": "a", "name": "A", "kind": "municipality", "county": "19", "lat": 59.6, "lon": 16.5},
        {"id": "b", "name": "B", "kind": "municipality", "county": "19", "lat": 59.7, "lon": 16.2}],
        "items": [{"id": "m", "name": "mask", "unit": "pieces"}, {"id": "f", "name": "ffp2", "unit": "pieces"}],
        "status": [{"site": "a", "item": "m", "stock": 500, "consumption_per_day": 10},
        {"site": "b", "item": "m", "stock": 0, "consumption_per_day": 30},
        {"site": "a", "item": "f", "stock": 300, "consumption_per_day": 5}]}"""
    )


def test_a_sweep_spec_of_too_many_parameters_or_grid_points_is_invalid_input():
    many = {"parameters": [{"name": f"p{i}", "target": "consumption", "values": [1]} for i in range(1001)]}
    with pytest.raises(InvalidInputError, match=r"parameters: at most 1000"):
        allocnet.sweep(_small_county(), many)
    grids = {"parameters": [{"name": f"p{i}", "target": "consumption", "values": list(range(1, 101))} for i in range(12)]}
    with pytest.raises(InvalidInputError, match=r"parameters\[9\]\.values: the grids' Cartesian product overflows"):
        allocnet.sweep(_small_county(), grids)


@pytest.mark.parametrize(
    "logistics, path",
    [
        ({"vehicle": {"capacity_l": 1e300}}, "logistics.vehicle.capacity_l"),
        ({"items": [{"item": "m", "volume_l": 1e-300}]}, r"logistics.items\[0\].volume_l"),
        ({"items": [{"item": "m", "pack_size": 0}]}, r"logistics.items\[0\].pack_size"),
        ({"substitutes": [{"item": "m", "by": "f", "ratio": 0}]}, r"logistics.substitutes\[0\].ratio"),
    ],
)
def test_hostile_logistics_raise_invalid_input_error(logistics, path):
    with pytest.raises(InvalidInputError, match=path):
        allocnet.trips_round(_small_county(), logistics)


def test_hostile_lookahead_options_raise_their_classes():
    with pytest.raises(ParseError, match="lookahead: invalid type: sequence, expected struct"):
        allocnet.lookahead_round(_small_county(), 3, options=[])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"lookahead.lead_days\[0\].lead_days"):
        allocnet.lookahead_round(_small_county(), 3, options={"lead_days": [{"from": "a", "to": "b", "lead_days": 367}]})
    with pytest.raises(ParseError):
        allocnet.lookahead_round(_small_county(), 3, options={"lead_days": [{"from": "a", "to": "b", "lead_days": 2**40}]})


@pytest.mark.parametrize(
    "kwargs, cls, words",
    [
        ({"days": -1}, InvalidInputError, "lookahead.days: must be between 1 and 366, got -1"),
        ({"days": 2**40}, InvalidInputError, "lookahead.days: must be between 1 and 366, got 1099511627776"),
        ({"days": 10**9}, InvalidInputError, "lookahead.days: must be between 1 and 366"),
        ({"days": True}, TypeError, "days must be a whole number of days, got bool"),
        ({"days": float("nan")}, TypeError, "days must be a whole number of days, got float"),
        ({"days": "7"}, TypeError, "days must be a whole number of days, got str"),
        ({"meeting_days": "mon"}, TypeError, "meeting_days must be a list"),
        ({"meeting_days": [1]}, TypeError, "str"),
        ({"engine": "cplex"}, InvalidInputError, "engine: expected one of"),
        ({"options": {"same_day_km": float("nan")}}, InvalidInputError, "lookahead.same_day_km: must be a finite number, got nan"),
        ({"options": {"same_day_km": np.float64("inf")}}, InvalidInputError, "lookahead.same_day_km: must be a finite number, got inf"),
        ({"options": {"storage": [{"site": "a", "capacity": float("nan")}]}}, InvalidInputError, r"lookahead.storage[0].capacity"),
        ({"options": {"lead_days": [{"from": "a", "to": "b", "lead_days": -1}]}}, ParseError, "lookahead.lead_days[0].lead_days: invalid value: integer `-1`"),
        ({"options": {"lead_days": [{"from": "a", "to": "b", "lead_days": 1.5}]}}, ParseError, "lookahead.lead_days[0].lead_days: invalid type"),
        ({"options": {"days": -1}}, ParseError, "lookahead.days: invalid value"),
        ({"options": {"start": 3}}, ParseError, "lookahead.start: invalid type"),
        ({"options": {"bogus": 1}}, ParseError, "lookahead.bogus: unknown field"),
        ({"options": {"same_day_km": {1, 2}}}, InvalidInputError, "lookahead: must be JSON data"),
    ],
)
def test_hostile_lookahead_arguments_raise_their_classes_naming_the_field(kwargs, cls, words):
    days = kwargs.pop("days", 3)
    with pytest.raises(cls) as info:
        allocnet.lookahead_round(_small_county(), days, **kwargs)
    assert words in str(info.value), str(info.value)


def test_a_lookahead_plans_duals_refuse_a_bad_index_by_path():
    plan = allocnet.lookahead_round(_small_county(), 2)
    for index in (-1, 10**6):
        with pytest.raises(InvalidInputError, match=f"item: no item {index}"):
            plan._core._duals(index)
    with pytest.raises(KeyError, match="unknown item"):
        plan.duals("nope")


@pytest.mark.parametrize(
    "logistics, path",
    [
        ({"items": [{"item": "m", "volume_l": float("nan")}]}, "logistics.items[0].volume_l"),
        ({"items": [{"item": "m", "pack_size": np.float64("nan")}]}, "logistics.items[0].pack_size"),
        ({"vehicle": {"capacity_l": float("inf")}}, "logistics.vehicle.capacity_l"),
        ({"substitutes": [{"item": "m", "by": "f", "ratio": float("-inf")}]}, "logistics.substitutes[0].ratio"),
        ({"items": np.array([1.0, np.nan])}, "logistics.items[1]"),
    ],
)
def test_non_finite_logistics_numbers_are_invalid_input_at_their_path(logistics, path):
    with pytest.raises(InvalidInputError) as info:
        allocnet.trips_round(_small_county(), logistics)
    assert info.value.paths == [path] and "must be a finite number" in str(info.value)


@pytest.mark.parametrize(
    "kwargs, cls, words",
    [
        ({"time_limit": float("nan")}, InvalidInputError, "time_limit: must be a finite number of seconds >= 0.001, got NaN"),
        ({"time_limit": -1}, InvalidInputError, "time_limit: must be a finite number of seconds >= 0.001, got -1"),
        ({"time_limit": 1e-300}, InvalidInputError, "time_limit: must be a finite number of seconds >= 0.001, got 1e-300"),
        ({"time_limit": 0.0009}, InvalidInputError, "time_limit: must be a finite number of seconds >= 0.001, got 0.0009"),
        ({"time_limit": float("inf")}, InvalidInputError, "time_limit: must be a finite number of seconds >= 0.001, got inf"),
        ({"time_limit": True}, TypeError, "time_limit must be a number"),
        ({"logistics": 3}, TypeError, "logistics must be a dict"),
        ({"logistics": {"bogus": 1}}, ParseError, "unknown field `bogus`"),
        ({"engine": "x"}, InvalidInputError, "engine:"),
        ({"strategy": "x"}, InvalidInputError, "strategy:"),
    ],
)
def test_hostile_trips_arguments_raise_their_classes(kwargs, cls, words):
    with pytest.raises(cls) as info:
        allocnet.trips_round(_small_county(), **kwargs)
    assert words in str(info.value), str(info.value)


def _with_wrong_value(document, keys, wrong):
    """``document`` as pretty JSON with the value at ``keys`` replaced by ``wrong``,
    and the 1-based line the new value stands on."""
    data = json.loads(json.dumps(document))
    place = data
    for key in keys[:-1]:
        place = place[key]
    place[keys[-1]] = "__wrong_value_here__"
    text = json.dumps(data, indent=2)
    line = 1 + text[: text.index('"__wrong_value_here__"')].count("\n")
    return text.replace('"__wrong_value_here__"', json.dumps(wrong), 1), line


def _assert_parse_error_at(info, source_name, line, path):
    error = info.value
    assert type(error) is ParseError, type(error)
    assert (error.source_name, error.line) == (source_name, line), str(error)
    assert error.detail.startswith(f"{path}: invalid type"), error.detail
    assert str(error).startswith(f"{source_name} line {line}: {path}: invalid type"), str(error)


# A value of the wrong type nested in an array: every JSON reader raises ParseError
# naming the path of the value (with the line), not only serde's message.


def test_scenario_json_type_errors_name_the_field():
    base = json.loads(allocnet.Scenario.vastmanland().to_json())
    text, line = _with_wrong_value(base, ["status", 1, "stock"], "x")
    with pytest.raises(ParseError) as info:
        allocnet.Scenario.from_json(text, "s.json")
    _assert_parse_error_at(info, "s.json", line, "status[1].stock")


def test_national_round_json_type_errors_name_the_field():
    base = json.loads(allocnet.NationalRound.after_county_round(allocnet.Scenario.vastmanland()).to_json())
    text, line = _with_wrong_value(base, ["warehouses", 1, "site", "lat"], "north")
    with pytest.raises(ParseError) as info:
        allocnet.NationalRound.from_json(text, "round.json")
    _assert_parse_error_at(info, "round.json", line, "warehouses[1].site.lat")


def test_testing_scenario_json_type_errors_name_the_field():
    base = json.loads(allocnet.TestingScenario.vastmanland().to_json())
    text, line = _with_wrong_value(base, ["sites", 1, "capacity_per_day"], "many")
    with pytest.raises(ParseError) as info:
        allocnet.TestingScenario.from_json(text, "t.json")
    _assert_parse_error_at(info, "t.json", line, "sites[1].capacity_per_day")
    # The core's reader: an unknown key is refused by path here too.
    base["sites"][1]["capacity_per_dya"] = 3
    with pytest.raises(InvalidInputError) as invalid:
        allocnet.TestingScenario.from_json(json.dumps(base))
    assert invalid.value.paths == ["sites[1].capacity_per_dya"]


def test_logistics_type_errors_name_the_field():
    logistics = {"items": [{"item": "m", "pack_size": 10}, {"item": "f", "pack_size": "x"}]}
    with pytest.raises(ParseError) as info:
        allocnet.trips_round(_small_county(), logistics)
    error = info.value
    assert error.source_name == "<logistics>" and error.line == 1
    assert error.detail.startswith('logistics.items[1].pack_size: invalid type: string "x", expected i64'), error.detail


def test_lookahead_option_type_errors_name_the_field():
    options = {"lead_days": [{"from": "a", "to": "b", "lead_days": 1}, {"from": "b", "to": "a", "lead_days": "2"}]}
    with pytest.raises(ParseError) as info:
        allocnet.lookahead_round(_small_county(), 3, options=options)
    assert info.value.detail.startswith("lookahead.lead_days[1].lead_days: invalid type"), info.value.detail
