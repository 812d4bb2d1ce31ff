"""allocnet: allocation of scarce medical supplies over a supply network.

The heavy lifting (network simplex, LP engine, the county round) is Rust, in the
compiled module ``allocnet._allocnet``; this package re-exports it and adds the
DataFrame conversions (:mod:`allocnet.frames`) and plots (:mod:`allocnet.plot`).

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
)
from allocnet.exceptions import (
    AllocnetError,
    DimacsError,
    FileError,
    IntegerOverflowError,
    InternalError,
    InvalidInputError,
    ParseError,
    SolverError,
)

__all__ = [
    "INFINITE",
    "FlowResult",
    "Network",
    "__version__",
    "min_cost_flow",
    "read_dimacs",
    "AllocnetError",
    "DimacsError",
    "FileError",
    "IntegerOverflowError",
    "InternalError",
    "InvalidInputError",
    "ParseError",
    "SolverError",
]
