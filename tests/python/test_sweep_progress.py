"""Progress of long core calls outside sweeps: ``simulate(progress=True)`` shows a tqdm
bar of the county meetings held (the core counts them with the GIL released) and gives
the same simulation as without; a cancelled counter stops the simulation."""

from __future__ import annotations

import pytest

import allocnet
from allocnet import _allocnet
from allocnet.exceptions import CancelledError


def test_simulate_with_progress_is_the_same_simulation_and_shows_the_meetings(capfd):
    quiet = allocnet.simulate("vastmanland", weeks=2)
    assert capfd.readouterr().err == ""
    shown = allocnet.simulate("vastmanland", weeks=2, progress=True)
    err = capfd.readouterr().err
    assert shown == quiet
    assert "simulate" in err and "6/6" in err and "meeting" in err  # 2 weeks x mon, wed, fri


def test_the_counter_counts_every_county_meeting():
    scenario = allocnet.Scenario.vastmanland()
    options = _allocnet.SimulationOptions(weeks=3, meeting_days=["tue", "thu"])
    counter = _allocnet._Progress()
    sim = _allocnet._simulate(scenario.core, options, None, counter)
    assert counter.done == sim.summary()["meetings"] == 6
    assert not counter.cancelled


def test_a_cancelled_counter_stops_the_simulation():
    scenario = allocnet.Scenario.vastmanland()
    counter = _allocnet._Progress()
    counter.cancel()
    assert counter.cancelled
    with pytest.raises(CancelledError, match="cancelled: the simulation before its next county meeting"):
        _allocnet._simulate(scenario.core, _allocnet.SimulationOptions(weeks=1), None, counter)
    assert counter.done == 0


def test_testing_plan_with_progress_shows_the_solve_and_gives_the_same_plan(capfd):
    scenario = allocnet.TestingScenario.vastmanland()
    quiet = allocnet.testing_plan(scenario)
    assert capfd.readouterr().err == ""
    shown = allocnet.testing_plan(scenario, progress=True)
    err = capfd.readouterr().err
    assert "testing plan" in err and "1solve" in err.replace(" ", "")
    assert shown.core == quiet.core
    with pytest.raises(TypeError):
        allocnet.testing_plan(scenario, progress="yes")
