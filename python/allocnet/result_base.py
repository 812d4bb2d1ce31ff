"""Protocols shared by the Python classes that wrap one compiled object (``_core``):
scenarios, rounds and the result classes (Plan, NationalPlan, Simulation, TestingPlan,
TripsPlan, LookaheadPlan).

* :class:`CoreWrapper`: equal when the cores are equal, unhashable, and pickled as
  the core plus the attributes named in ``_pickled`` (unpickling calls ``__init__``
  again, so caches start empty).
* :class:`FramesTables`: ``_table(name)`` from a :class:`~allocnet._tables.Frames`
  cache in ``_frames`` (each call returns a copy).
* :class:`ExportedTables`: ``_table(name)`` from one export of every table
  (``core._tables()``), kept in ``_columns``; a table left out of the export is
  built alone (``core._table(name)``), which raises the core's error.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

import pandas as pd

from allocnet._tables import Frames, ResultTables

__all__ = ["CoreWrapper", "ExportedTables", "FramesTables"]


class CoreWrapper:
    """Equality, hashing and pickling by the compiled ``_core``."""

    __slots__ = ()

    _core: Any
    #: Attributes a pickle keeps besides the core, passed to ``__init__`` again after
    #: it (``"_scenario"`` is pickled as ``"scenario"``).
    _pickled: Tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and self._core == other._core  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> Dict[str, Any]:
        state = {"core": self._core}
        for attribute in self._pickled:
            state[attribute.lstrip("_")] = getattr(self, attribute)
        return state

    def __setstate__(self, state: Dict[str, Any]) -> None:
        arguments = (state[attribute.lstrip("_")] for attribute in self._pickled)
        self.__init__(state["core"], *arguments)  # type: ignore[misc]


class FramesTables:
    """``_table(name)``: a copy of the cached DataFrame of ``name``."""

    __slots__ = ()

    _frames: Frames

    def _table(self, name: str) -> pd.DataFrame:
        return self._frames(name)


class ExportedTables:
    """``_table(name)``: the DataFrame of ``name`` from the core's one export."""

    __slots__ = ()

    _core: Any
    _columns: Optional[ResultTables]

    def _table(self, name: str) -> pd.DataFrame:
        if self._columns is None:
            # The slot is the subclass's (mypy sees only this mixin's empty slots).
            self._columns = ResultTables(self._core._tables())  # type: ignore[misc]
        frame = self._columns.frame(name)
        if frame is None:
            frame = ResultTables(self._core._table(name)).frame(name)
        assert frame is not None
        return frame
