"""The lookahead round from Python: county_round(scenario, lookahead=7) gives the core's
tables as DataFrames; the projection balances; bad options raise InvalidInputError."""

import json

import numpy as np
import pytest

import allocnet
from allocnet.exceptions import InvalidInputError
from allocnet.lookahead import LookaheadPlan, lookahead_round


@pytest.fixture(scope="module")
def plan() -> LookaheadPlan:
    return allocnet.county_round(allocnet.Scenario.vastmanland(), lookahead=7)


def test_tables_are_dataframes_of_the_contract(plan: LookaheadPlan) -> None:
    assert isinstance(plan, LookaheadPlan)
    ships = plan.shipments
    assert list(ships.columns) == ["item", "from", "to", "depart_day", "arrive_day", "quantity", "km", "today"]
    assert (ships["today"] == (ships["depart_day"] == 0)).all()
    assert set(ships["depart_day"]) <= set(plan.shipping_days)
    days = plan.site_days
    assert (days["shortage"] == days["consumption"] - days["served"]).all()
    assert (days["shortage_without"] >= 0).all()
    objective = plan.objective
    assert objective["level"].iloc[0] == "acute:" + objective["priority"].cat.categories[0]
    data = json.loads(plan.to_json())
    assert len(data["shipments"]) == len(ships)


def test_duals_are_site_by_day_arrays(plan: LookaheadPlan) -> None:
    level, value, km = plan.duals("ffp2")
    assert level.shape == value.shape == km.shape == (allocnet.Scenario.vastmanland().core.site_count, 7)
    assert level.dtype == np.int32 and value.dtype == np.int64
    with pytest.raises(KeyError):
        plan.duals("nothing")


def test_bad_options_name_the_field() -> None:
    scenario = allocnet.Scenario.vastmanland()
    with pytest.raises(InvalidInputError, match=r"lookahead.storage\[0\].capacity: must be >= 0"):
        lookahead_round(scenario, 7, options={"storage": [{"site": "1980", "capacity": -1}]})
    with pytest.raises(InvalidInputError, match=r"lookahead.days"):
        lookahead_round(scenario, 0)


def test_simulate_takes_the_round_mode_and_forecast_error() -> None:
    myopic = allocnet.simulate("vastmanland", weeks=1, round="myopic", forecast_error=0.2)
    ahead = allocnet.simulate("vastmanland", weeks=1, round="lookahead", lookahead_days=5, forecast_error=0.2)
    assert myopic.summary is not None and ahead.summary is not None
    with pytest.raises(InvalidInputError):
        allocnet.simulate("vastmanland", weeks=1, round="sometimes")


def test_plot_stock_draws_every_chosen_site(plan: LookaheadPlan) -> None:
    import matplotlib

    matplotlib.use("Agg")
    ax = plan.plot_stock("gown")
    assert len(ax.get_lines()) == 2 * len(ax.get_legend().get_texts())
