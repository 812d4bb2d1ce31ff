"""Progress of the county round with logistics data: ``trips_round(progress=True)``
shows a tqdm bar of the parts solved (one per county; the core counts them with the GIL
released) and gives the same plan as without; a cancelled counter stops the round with
an error, never a partial plan."""

from __future__ import annotations

import pytest
from test_trips import small_logistics, small_scenario

import allocnet
from allocnet import _allocnet
from allocnet.exceptions import CancelledError, InvalidInputError
from allocnet.json_input import json_text
from allocnet.trips import trips_round


def test_trips_round_with_progress_is_the_same_plan_and_shows_the_parts(capsys):
    vastmanland = allocnet.Scenario.vastmanland()
    quiet = trips_round(vastmanland)
    assert capsys.readouterr().err == ""
    shown = trips_round(vastmanland, progress=True)
    err = capsys.readouterr().err
    assert "trips round" in err and "1/1" in err and "part" in err
    assert not shown.trips.empty
    for name in ("pack_shipments", "trips", "levels"):
        assert getattr(shown, name).equals(getattr(quiet, name)), name
    assert shown.plan.to_json() == quiet.plan.to_json()
    assert shown.to_json() == quiet.to_json()


def test_the_counter_counts_every_part():
    scenario = small_scenario()
    text = json_text(small_logistics(), "logistics")
    assert _allocnet._trips_round_parts(scenario.core, text) == 2  # two counties
    counter = _allocnet._Progress()
    out = _allocnet._trips_round(scenario.core, text, None, "auto", "auto", 30.0, counter)
    assert counter.done == 2 and not counter.cancelled
    assert out == _allocnet._trips_round(scenario.core, text, None, "auto", "auto", 30.0)


def test_a_cancelled_counter_stops_the_round():
    scenario = small_scenario()
    text = json_text(small_logistics(), "logistics")
    counter = _allocnet._Progress()
    counter.cancel()
    with pytest.raises(CancelledError, match="cancelled: the trips round after 0 of 2 parts"):
        _allocnet._trips_round(scenario.core, text, None, "auto", "auto", 30.0, counter)
    assert counter.done == 0


def test_the_parts_of_bad_logistics_data_name_the_field():
    bad = json_text({"items": [{"item": "ffp2", "pack_size": 0}]}, "logistics")
    with pytest.raises(InvalidInputError, match="pack_size"):
        _allocnet._trips_round_parts(small_scenario().core, bad)
