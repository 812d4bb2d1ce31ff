"""hypothesis: random valid scenarios give plans that pass conservation and bound
checks (computed here, independently of the core), and random invalid ones raise
InvalidInputError naming the corrupted field — never a crash."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import allocnet
from allocnet.exceptions import InvalidInputError

CLASSES = ["covid-elderly-care", "elderly-care", "home-care", "disability-services", "health-care"]
ACUTE_DAYS = 2  # the default acute window, 48 h


@st.composite
def scenarios(draw, lanes_table: bool):
    """A one-county scenario with integer consumption (so every derived need is exact)."""
    n = draw(st.integers(2, 7))
    items = draw(st.sampled_from([["ffp2"], ["ffp2", "gloves"]]))
    sites = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(n)],
            "name": [f"Site {i}" for i in range(n)],
            "kind": [draw(st.sampled_from(["municipality", "region", "private-provider"])) for _ in range(n)],
            "county": "19",
            "lat": [draw(st.floats(59.0, 60.5)) for _ in range(n)],
            "lon": [draw(st.floats(15.5, 17.0)) for _ in range(n)],
        }
    )
    rows = []
    for site in sites["id"]:
        for item in items:
            if draw(st.integers(0, 5)) == 0:
                continue  # no report: no stock, no need
            rows.append(
                {
                    "site": site,
                    "item": item,
                    "stock": draw(st.integers(0, 400)),
                    "consumption_per_day": float(draw(st.integers(0, 40))),
                    "reserve_days": float(draw(st.integers(0, 4))),
                    "priority": draw(st.sampled_from(CLASSES)),
                }
            )
    status = pd.DataFrame(rows, columns=["site", "item", "stock", "consumption_per_day", "reserve_days", "priority"])
    tables = {
        "sites": sites,
        "items": pd.DataFrame({"id": items, "name": items, "unit": "pieces"}),
        "status": status,
    }
    if lanes_table:
        pairs = [(a, b) for a in sites["id"] for b in sites["id"] if a != b]
        chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
        tables["lanes"] = pd.DataFrame(
            {
                "from": [a for a, _ in chosen],
                "to": [b for _, b in chosen],
                "capacity": [draw(st.one_of(st.none(), st.integers(0, 150))) for _ in chosen],
            },
            columns=["from", "to", "capacity"],
        )
    return tables


def site_numbers(status: pd.DataFrame):
    """Per (site, item): stock, acute need, and what a donor may give (stock beyond its
    acute requirement plus reserve, only when it has no acute need itself)."""
    out = {}
    for r in status.itertuples():
        c = int(r.consumption_per_day)
        acute = max(ACUTE_DAYS * c - r.stock, 0)
        keep = (ACUTE_DAYS + int(r.reserve_days)) * c
        giveable = 0 if acute > 0 else max(r.stock - keep, 0)
        out[(r.site, r.item)] = (r.stock, acute, giveable)
    return out


def check_plan(tables, plan):
    numbers = site_numbers(tables["status"])
    shipments = plan.shipments
    stock = plan.stock_after.set_index(["site", "item"])
    assert (shipments["quantity"] > 0).all()
    # lanes: only along lanes, within their capacity per item
    if "lanes" in tables:
        lanes = {(r["from"], r["to"]): r["capacity"] for r in tables["lanes"].to_dict("records")}
        for r in shipments.itertuples():
            assert (r[2], r[3]) in lanes, (r[2], r[3])
            cap = lanes[(r[2], r[3])]
            if cap is not None and not (isinstance(cap, float) and math.isnan(cap)):
                assert r.quantity <= cap
    else:
        assert (shipments["from"] != shipments["to"]).all()
    # conservation per site and item, and donors never below what they keep (net of
    # what passes through: a site may forward goods along lanes of equal length)
    sent = shipments.groupby(["from", "item"])["quantity"].sum()
    received = shipments.groupby(["to", "item"])["quantity"].sum()
    moved = set(sent.index) | set(received.index)
    for (site, item) in moved | set(numbers):
        s, _, giveable = numbers.get((site, item), (0, 0, 0))
        out = int(sent.get((site, item), 0))
        into = int(received.get((site, item), 0))
        assert out - into <= giveable, (site, item, out, into, giveable)
        row = stock.loc[(site, item)]
        assert (row["before"], row["sent"], row["received"], row["after"]) == (s, out, into, s - out + into)
    # acute unmet <= acute need, per site and item
    unmet = plan.unmet
    acute_unmet = unmet[unmet["window"] == "acute"].groupby(["site", "item"])["unmet"].sum()
    for (site, item), left in acute_unmet.items():
        assert 0 < left <= numbers[(site, item)][1]
    return numbers, acute_unmet


@settings(max_examples=60)
@given(scenarios(lanes_table=False))
def test_valid_scenarios_with_default_lanes_meet_all_acute_need_they_can(tables):
    plan = allocnet.Scenario.from_frames(**tables).county_round()
    numbers, acute_unmet = check_plan(tables, plan)
    # Default lanes join every pair of the county without a limit: the acute need left
    # is exactly what the total giveable stock cannot cover.
    for item in tables["items"]["id"]:
        need = sum(a for (s, i), (_, a, _) in numbers.items() if i == item)
        give = sum(g for (s, i), (_, _, g) in numbers.items() if i == item)
        left = int(acute_unmet[acute_unmet.index.get_level_values("item") == item].sum())
        assert left == max(need - give, 0), (item, need, give, left)
    assert plan.county_request["quantity"].sum() == acute_unmet.sum()


@settings(max_examples=60)
@given(scenarios(lanes_table=True))
def test_valid_scenarios_with_random_lanes_respect_lanes_capacities_and_reserves(tables):
    scenario = allocnet.Scenario.from_frames(**tables)
    plan = scenario.county_round()
    check_plan(tables, plan)
    lp = scenario.county_round(engine="lp")
    levels = plan.objective_levels()
    lp_levels = lp.objective_levels()
    assert (levels.drop(columns="transport") == lp_levels.drop(columns="transport")).all().all()
    assert ((levels["transport"] - lp_levels["transport"]).abs() < 1e-6).all()


CORRUPTIONS = [
    ("status", "stock", lambda v: -1 - abs(int(v)), "status.csv line {line}, column stock"),
    ("status", "consumption_per_day", lambda v: -0.5, "status.csv line {line}, column consumption_per_day"),
    ("status", "stock", lambda v: int(v) + 0.5, "status.csv line {line}, column stock"),
    ("status", "site", lambda v: "no-such-site", "status.csv line {line}, column site"),
    ("status", "priority", lambda v: "vip", "status.csv line {line}, column priority"),
    ("status", "reserve_days", lambda v: float("inf"), "status.csv line {line}, column reserve_days"),
    ("sites", "lat", lambda v: 91.0, "sites.csv line {line}, column lat"),
    ("sites", "lon", lambda v: -181.0, "sites.csv line {line}, column lon"),
    ("sites", "kind", lambda v: "castle", "sites.csv line {line}, column kind"),
    ("sites", "name", lambda v: None, "sites.csv line {line}, column name"),
    ("items", "unit", lambda v: "kg", "items.csv line {line}, column unit"),
]


@settings(max_examples=80)
@given(scenarios(lanes_table=False), st.sampled_from(CORRUPTIONS), st.data())
def test_invalid_scenarios_raise_invalid_input_error_naming_the_field(tables, corruption, data):
    table, column, corrupt, path = corruption
    df = tables[table].copy()
    if df.empty:
        return
    row = data.draw(st.integers(0, len(df) - 1))
    df[column] = df[column].astype(object)
    df.loc[row, column] = corrupt(df.loc[row, column])
    tables[table] = df
    try:
        allocnet.Scenario.from_frames(**tables)
    except InvalidInputError as err:
        assert path.format(line=row + 2) in err.paths, err.problems
    else:
        raise AssertionError(f"no error for {table}.{column} at row {row}")
