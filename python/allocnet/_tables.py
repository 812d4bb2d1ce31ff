"""Result tables as DataFrames: :class:`ResultTables` turns the columns every result
exports from the core (``_tables()``: numpy arrays, text dictionary-encoded,
categoricals as codes into their categories) into DataFrames, one conversion for every
result. The column specs (name, dtype, meaning) generate the column reference of
``docs/python.md``.

dtypes: ``"string"``, ``"int64"``, ``"Int64"`` (nullable), ``"float64"``,
``"boolean"``, or ``"category:<name>"``, an ordered categorical whose categories the
caller passes under ``<name>`` (e.g. the priority classes of the result).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from allocnet import _allocnet
from allocnet.exceptions import InternalError

#: A table's columns: (column, dtype, meaning).
Spec = List[Tuple[str, str, str]]


_STRING = pd.StringDtype()

#: Whether ``Categorical.from_codes`` takes ``validate`` (pandas >= 2.1).
_FROM_CODES_VALIDATE: bool = "validate" in inspect.signature(pd.Categorical.from_codes).parameters


@functools.lru_cache(maxsize=64)
def _ordered_categories(categories: Tuple[str, ...]) -> pd.CategoricalDtype:
    """The ordered categorical dtype of ``categories`` (built once per set of
    categories: a dtype costs more than coding a column)."""
    return pd.CategoricalDtype(list(categories), ordered=True)


def _categorical(codes: np.ndarray, categories: Sequence[str]) -> pd.Categorical:
    dtype = _ordered_categories(tuple(categories))
    if _FROM_CODES_VALIDATE:  # the core's codes index exactly these categories (or are -1)
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    return pd.Categorical.from_codes(codes, dtype=dtype)


class ResultTables:
    """A result's tables as the core exports them (``core._tables()`` or, for one
    table, ``core._table(name)``: ``(labels, codes, tables)``), made into DataFrames
    on demand. Every text column is a slice of one ``string`` array built with a single
    ``take``; numbers are the core's numpy arrays (no copy); ``Int64`` and ``boolean``
    are pandas' nullable arrays; ``category`` columns are ordered categoricals of the
    categories the core lists (all of a closed set, in its order)."""

    __slots__ = ("_text", "_tables")

    def __init__(self, export: Tuple[List[str], np.ndarray, Dict[str, List[Tuple[str, str, Any]]]]) -> None:
        labels, codes, self._tables = export
        block = pd.array(np.asarray(labels, dtype=object), dtype=_STRING)
        self._text = block.take(codes.astype(np.intp, copy=False), allow_fill=True)

    def names(self) -> List[str]:
        """The tables exported, in the core's order."""
        return list(self._tables)

    def frame(self, name: str) -> Optional[pd.DataFrame]:
        """Table ``name`` as a DataFrame, or None when the core did not export it."""
        columns = self._tables.get(name)
        if columns is None:
            return None
        return pd.DataFrame({column: self._values(dtype, data) for column, dtype, data in columns}, copy=False)

    def _values(self, dtype: str, data: Any) -> Any:
        if dtype == "string":
            return self._text[data]
        if dtype == "category":
            return _categorical(*data)
        if dtype == "Int64":
            values, missing = data
            return pd.arrays.IntegerArray(values, missing)
        if dtype == "boolean":
            return pd.array(data, dtype="boolean")
        return data  # int64 / float64 numpy arrays


def exported_frame(export: Any, name: str) -> pd.DataFrame:
    """Table ``name`` of an export that must hold it (one table built alone: the core
    raised its error if it could not build it)."""
    df = ResultTables(export).frame(name)
    if df is None:  # not expected
        raise InternalError(f"internal error in allocnet (please report it): no table {name!r} exported")
    return df


def table_alone(core: Any, name: str) -> pd.DataFrame:
    """Table ``name`` of the compiled result ``core`` built alone
    (``core._table(name)``), raising the core's error when it cannot be built."""
    return exported_frame(core._table(name), name)


class Frames:
    """The DataFrames of a compiled result, built on first use from one export of
    every table (``core._tables()``); each call returns a copy the caller owns."""

    __slots__ = ("_core", "_columns", "_frames")

    def __init__(self, core: Any) -> None:
        self._core = core
        self._columns: Optional[ResultTables] = None
        self._frames: Dict[str, pd.DataFrame] = {}

    def __call__(self, name: str) -> pd.DataFrame:
        df = self._frames.get(name)
        if df is None:
            if self._columns is None:
                self._columns = ResultTables(self._core._tables())
            df = self._columns.frame(name)
            if df is None:  # left out of the export: built alone, it raises the core's error
                df = table_alone(self._core, name)
            self._frames[name] = df
        return df.copy()


def specs(result: str, categories: Optional[Mapping[str, str]] = None) -> Dict[str, Spec]:
    """The column specs of ``result``'s tables (a result of the core's schema:
    ``plan``, ``national_plan``, ``simulation``, ``comparison``, ``replay``,
    ``testing_plan``) as ``{table: [(column, dtype, meaning)]}``, read from the core.
    Tables shown only as files and per-class columns (``<class>`` in the name) are left
    out; ``categories`` renames dtypes (e.g. ``category:priority`` -> ``priority``)."""
    rename = categories or {}
    out: Dict[str, Spec] = {}
    for table, _meaning, file_only, columns in _allocnet.result_schema()[result]:
        if not file_only:
            out[table] = [
                (name, rename.get(dtype, dtype), meaning) for name, dtype, _unit, meaning in columns if "<class>" not in name
            ]
    return out


def html_table(df: pd.DataFrame, limit: int = 10) -> str:
    """The first ``limit`` rows as a compact HTML table (for ``_repr_html_``)."""
    if df.empty:
        return "<p>none</p>"
    return df.head(limit).to_html(index=False, border=0, float_format=lambda v: f"{v:,.1f}")


def results_markdown() -> str:
    """The column reference of the national plan, simulation, comparison, replay and
    testing plan tables, as the core generates it for ``docs/python.md`` (a test keeps
    them in step)."""
    results = ["national_plan", "simulation", "comparison", "replay", "testing_plan"]
    return "".join(_allocnet._result_markdown(r) for r in results)
