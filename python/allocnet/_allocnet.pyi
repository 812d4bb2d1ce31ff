"""Type stubs of the compiled module ``allocnet._allocnet`` (checked by mypy.stubtest)."""

import os
from typing import List, Optional, Tuple, Union

import numpy as np
import numpy.typing as npt
from typing_extensions import final

__all__ = [
    "INFINITE",
    "__version__",
    "FlowResult",
    "Network",
    "min_cost_flow",
    "read_dimacs",
    "_raise_core_error",
]

INFINITE: int
__version__: str

_Int64Array = npt.NDArray[np.int64]
_Path = Union[str, "os.PathLike[str]"]

@final
class FlowResult:
    def __new__(
        cls,
        status: str,
        cost: Optional[int],
        flows: _Int64Array,
        potentials: _Int64Array,
        engine: str,
    ) -> FlowResult: ...
    @property
    def status(self) -> str: ...
    @property
    def cost(self) -> Optional[int]: ...
    @property
    def flows(self) -> _Int64Array: ...
    @property
    def potentials(self) -> _Int64Array: ...
    @property
    def engine(self) -> str: ...
    @property
    def is_optimal(self) -> bool: ...
    def __reduce__(self) -> Tuple[object, Tuple[object, ...]]: ...

@final
class Network:
    def __new__(
        cls,
        tails: _Int64Array,
        heads: _Int64Array,
        capacities: _Int64Array,
        costs: _Int64Array,
        supplies: _Int64Array,
        lower: Optional[_Int64Array] = None,
    ) -> Network: ...
    @property
    def node_count(self) -> int: ...
    @property
    def arc_count(self) -> int: ...
    @property
    def tails(self) -> _Int64Array: ...
    @property
    def heads(self) -> _Int64Array: ...
    @property
    def lower(self) -> _Int64Array: ...
    @property
    def capacities(self) -> _Int64Array: ...
    @property
    def costs(self) -> _Int64Array: ...
    @property
    def supplies(self) -> _Int64Array: ...
    def solve(self, engine: str = "simplex") -> FlowResult: ...
    def verify(self, result: FlowResult) -> List[str]: ...
    def write_dimacs(self, path: _Path) -> None: ...
    def __reduce__(self) -> Tuple[object, Tuple[object, ...]]: ...

def min_cost_flow(
    tails: _Int64Array,
    heads: _Int64Array,
    capacities: _Int64Array,
    costs: _Int64Array,
    supplies: _Int64Array,
    lower: Optional[_Int64Array] = None,
    engine: str = "simplex",
) -> FlowResult: ...
def read_dimacs(path: _Path) -> Network: ...
def _raise_core_error(kind: str) -> None: ...
