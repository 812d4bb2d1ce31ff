"""allocnet: allocation of scarce medical supplies over a supply network.

The heavy lifting (network simplex, LP engine, the county round) is Rust, in the
compiled module ``allocnet._allocnet``; this package re-exports it and adds the
DataFrame conversions (:mod:`allocnet.frames`) and plots (:mod:`allocnet.plot`).

Model (the county round)::

    s = allocnet.Scenario.vastmanland()          # or Scenario.from_frames(sites, items, status, ...)
    plan = allocnet.county_round(s)
    plan.shipments, plan.unmet, plan.county_request   # pandas DataFrames
    plan.plot_map()

The national round, the weekly simulator and the testing plan
(:mod:`allocnet.national`, :mod:`allocnet.simulation`, :mod:`allocnet.testing_plan`)::

    allocnet.national_round(allocnet.NationalRound.sweden(), policy="max-min").allocations
    allocnet.simulate("vastmanland", weeks=2, policy="proportional").unmet_unit_days
    allocnet.compare_policies("vastmanland")                 # one row per policy x redistribution
    allocnet.testing_plan(allocnet.TestingScenario.vastmanland()).guidance

Sweeps under uncertainty (:mod:`allocnet.sweep`)::

    r = allocnet.sweep("vastmanland", spec_dict_or_path, samples=1000, seed=7)
    r.table, r.summary(), r.failures, r.plot()

Low level::

    import numpy as np, allocnet
    r = allocnet.min_cost_flow(tails, heads, capacities, costs, supplies)
    r.status, r.cost, r.flows, r.potentials

Errors are the classes of :mod:`allocnet.exceptions` (all :class:`AllocnetError`).
"""

from allocnet._allocnet import (
    INFINITE,
    FlowResult,
    Network,
    __version__,
    min_cost_flow,
    read_dimacs,
    result_schema,
    schema_fields,
)
from allocnet.model import Plan, Scenario, county_round
from allocnet.lookahead import LookaheadPlan, lookahead_round
from allocnet.trips import TripsPlan, trips_round
from allocnet import trips
from allocnet.national import NationalPlan, NationalRound, national_round
from allocnet.simulation import Replay, Simulation, compare_policies, replay, simulate
from allocnet.testing_plan import TestingPlan, TestingScenario, testing_plan
from allocnet.sweep import SweepResult, sweep
from allocnet._allocnet import SimulationOptions
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

__all__ = [
    "Scenario",
    "Plan",
    "county_round",
    "NationalRound",
    "NationalPlan",
    "national_round",
    "Simulation",
    "SimulationOptions",
    "Replay",
    "simulate",
    "compare_policies",
    "replay",
    "TestingScenario",
    "TestingPlan",
    "testing_plan",
    "sweep",
    "SweepResult",
    "INFINITE",
    "FlowResult",
    "Network",
    "__version__",
    "min_cost_flow",
    "read_dimacs",
    "result_schema",
    "schema_fields",
    "AllocnetError",
    "CancelledError",
    "DimacsError",
    "FileError",
    "IntegerOverflowError",
    "InternalError",
    "InvalidInputError",
    "ParseError",
    "SolverError",
    "LookaheadPlan",
    "lookahead_round",
    "TripsPlan",
    "trips_round",
    "trips",
]
