"""DataFrames in and out.

Scenario input uses the same tables as the CSV format (``docs/input-formats.md``):
each DataFrame goes to the Rust core as columns (numpy arrays for numbers, object
arrays of str for text) and is read there by the same code as its CSV file, so the columns,
defaults, checks and error paths are exactly those of the CSV format. An empty cell (``NaN``,
``None``, ``pd.NA``) means the field's default. pandas and polars DataFrames are
accepted (polars is converted through ``to_dict``; pyarrow is not needed).

Plan output tables are tidy (one row per observation) with the columns and dtypes
listed in :data:`PLAN_COLUMNS`. Text columns have the pandas ``"string"`` dtype,
quantities ``int64`` (whole pieces or litres), distances ``float64`` (km); priority
classes, windows and reasons are ordered categoricals (highest priority first).
"""

from __future__ import annotations

import csv
import functools
import io
import math
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

from allocnet import _allocnet
from allocnet._tables import ResultTables, specs, table_alone
from allocnet.exceptions import AllocnetError, InvalidInputError

__all__ = [
    "INPUT_TABLES",
    "PLAN_COLUMNS",
    "REASONS",
    "WINDOWS",
    "schema",
    "to_pandas",
    "write_scenario_csv",
    "scenario_tables",
    "plan_table",
]

#: Input tables: keyword / dict key -> (CSV file, schema table name, required).
INPUT_TABLES: Dict[str, Tuple[str, str, bool]] = {
    "sites": ("sites.csv", "sites", True),
    "items": ("items.csv", "items", True),
    "status": ("status.csv", "status", True),
    "deliveries": ("deliveries.csv", "deliveries", False),
    "need_split": ("need_split.csv", "need_split", False),
    "lanes": ("lanes.csv", "lanes", False),
    "distances": ("distances.csv", "distances", False),
    "priorities": ("priorities.csv", "priority_classes", False),
    "parameters": ("parameters.csv", "parameters", False),
}

#: True when pandas copies on write (always from pandas 3): a shallow copy of a frame
#: is then independent of the original.
COPY_ON_WRITE: bool = int(pd.__version__.split(".")[0]) >= 3 or getattr(pd.options.mode, "copy_on_write", False) is True

#: Reason codes of unmet need, in the core's order (``Reason::ALL``), with their
#: explanations.
REASONS: Dict[str, str] = dict(zip(_allocnet._NAMES["reason"], _allocnet._REASON_EXPLANATIONS))

#: The kinds of unmet rows, in the core's order (``Window::ALL``): the two need windows,
#: then a donor's own use within the horizon that it gave away (``given-beyond-horizon``).
WINDOWS: List[str] = list(_allocnet._NAMES["window"])

#: Columns and dtypes of the plan tables, read from the core's schema. ``"priority"``
#: is an ordered categorical of the plan's priority classes (highest first),
#: ``"window"`` of :data:`WINDOWS`, ``"reason"`` of the :data:`REASONS` codes.
PLAN_COLUMNS: Dict[str, List[Tuple[str, str, str]]] = specs(
    "plan", {"category:priority": "priority", "category:window": "window", "category:reason": "reason"}
)


def schema() -> pd.DataFrame:
    """The input schema as a DataFrame: one row per field of every input table
    (table, field, kind, references, choices, unit, default, range, description)."""
    return pd.DataFrame(_allocnet.schema_fields())


@functools.lru_cache(maxsize=None)
def _field_kinds() -> Dict[str, Dict[str, str]]:
    kinds: Dict[str, Dict[str, str]] = {}
    for f in _allocnet.schema_fields():
        kinds.setdefault(f["table"], {})[f["field"]] = f["kind"]
    return kinds


def to_pandas(frame: Any, name: str) -> pd.DataFrame:
    """``frame`` as a pandas DataFrame: pandas as is, polars through ``to_dict``, a
    mapping of columns or a list of row dicts through ``pd.DataFrame``."""
    if isinstance(frame, pd.DataFrame):
        return frame
    module = type(frame).__module__.split(".")[0]
    if module == "polars" and hasattr(frame, "to_dict"):
        return pd.DataFrame(frame.to_dict(as_series=False))
    if isinstance(frame, (Mapping, list)):
        return pd.DataFrame(frame)
    raise InvalidInputError(
        f"invalid input (1 problem):\n  {name}: expected a pandas or polars DataFrame, got {type(frame).__name__}",
        [(name, f"expected a pandas or polars DataFrame, got {type(frame).__name__}")],
    )


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _cell(value: Any, kind: str) -> Any:
    """One cell of an object column, as the CSV text it stands for. Values are written
    as they are (no rounding, no clipping): an integer field holding 2.5 is written as
    2.5 and the core reports it."""
    if _is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        f = float(value)
        if kind == "integer" and f.is_integer() and abs(f) < 2**63:
            return str(int(f))  # 12.0 is the whole number 12
        return repr(f)
    return str(value)


def _texts(values: List[Any], missing: np.ndarray, form: Any) -> List[str]:
    text = list(map(form, values))
    if missing.any():
        for i in np.flatnonzero(missing):
            text[i] = ""
    return text


def _csv_column(column: pd.Series, kind: str) -> Sequence[Any]:
    """A column as the CSV cells it stands for, vectorised where the dtype allows:
    floats keep full precision (``repr``, the shortest text that reads back exactly),
    a float column of an integer field whose values are all whole (a column with NaN
    holes) is written as whole numbers, booleans as true/false, missing values as
    empty cells; anything else (object columns) cell by cell with :func:`_cell`."""
    dtype = column.dtype
    missing = column.isna().to_numpy()
    if pd.api.types.is_bool_dtype(dtype):
        flags = column.to_numpy(dtype=bool, na_value=False).tolist()
        return _texts(flags, missing, lambda v: "true" if v else "false")
    if pd.api.types.is_integer_dtype(dtype):
        return _texts(column.to_numpy(dtype=np.int64, na_value=0).tolist(), missing, str)
    if pd.api.types.is_float_dtype(dtype):
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        present = values[~missing]
        if kind == "integer" and bool(np.all(np.mod(present, 1) == 0)) and bool(np.all(np.abs(present) < 2**63)):
            return _texts(np.where(missing, 0, values).astype(np.int64).tolist(), missing, str)
        return _texts(values.tolist(), missing, repr)
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return column.to_numpy(dtype=object, na_value="")
    return [("" if v is None else v) for v in (_cell(v, kind) for v in column.tolist())]


def _write_table(frame: pd.DataFrame, path: Path, kinds: Mapping[str, str]) -> None:
    cells = [_csv_column(frame.iloc[:, i], kinds.get(str(c), "text")) for i, c in enumerate(frame.columns)]
    # "\n" line ends: the reader counts lines by them.
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([str(c) for c in frame.columns])
        writer.writerows(zip(*cells))


def _parameters_frame(parameters: Any) -> pd.DataFrame:
    if isinstance(parameters, Mapping):
        return pd.DataFrame({"name": list(parameters.keys()), "value": list(parameters.values())})
    return to_pandas(parameters, "parameters")


def _check_table_names(tables: Mapping[str, Any]) -> None:
    unknown = sorted(set(tables) - set(INPUT_TABLES))
    if unknown:
        raise InvalidInputError(
            "invalid input: unknown tables " + ", ".join(unknown),
            [(name, f"unknown table (expected: {', '.join(INPUT_TABLES)})") for name in unknown],
        )


def _input_frames(tables: Mapping[str, Any]) -> Iterator[Tuple[str, pd.DataFrame, Dict[str, str]]]:
    """The given tables as pandas DataFrames, in :data:`INPUT_TABLES` order, each with
    the kinds of its fields."""
    _check_table_names(tables)
    kinds = _field_kinds()
    for key, (_file, table, _required) in INPUT_TABLES.items():
        frame = tables.get(key)
        if frame is None:
            continue
        df = _parameters_frame(frame) if key == "parameters" else to_pandas(frame, key)
        yield key, df, kinds.get(table, {})


def write_scenario_csv(tables: Mapping[str, Any], directory: Path) -> None:
    """Writes DataFrames (keys of :data:`INPUT_TABLES`) as the CSV tables of a
    scenario directory. ``parameters`` may also be a dict ``{name: value}``."""
    for key, df, kinds in _input_frames(tables):
        _write_table(df, directory / INPUT_TABLES[key][0], kinds)


def _is_text_array(column: pd.Series) -> bool:
    return pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")


def _input_column(column: Any, kind: str) -> Tuple[Any, Optional[np.ndarray]]:
    """A column (its array: numpy or pandas extension array) as
    ``Scenario.from_columns`` takes it, with the meaning of its CSV cells: a numeric
    column of a numeric field as a numpy array (float64 with NaN holes, or int64 with a
    mask of missing values), text as an object array of str (None, NaN and pd.NA
    missing), anything else as the text of its CSV cells (:func:`_csv_column`, a list
    of str)."""
    dtype = column.dtype
    numeric_field = kind in ("integer", "number")
    if isinstance(column, np.ndarray):  # no holes but NaN; checked by kind
        if numeric_field and dtype.kind == "f":
            return np.asarray(column, dtype=np.float64), None
        if numeric_field and dtype.kind in "iu":
            if dtype.kind == "u" and column.size and int(column.max()) >= 2**63:
                return list(_csv_column(pd.Series(column), kind)), None  # beyond int64: the core reports it
            return np.asarray(column, dtype=np.int64), None
        if dtype.kind == "O" and _is_text_array(column):
            # an object array of str: the core interns the ids (each distinct text is
            # copied once) and reads None, NaN and pd.NA as missing
            return column, None
        return list(_csv_column(pd.Series(column), kind)), None
    if isinstance(dtype, pd.StringDtype):
        return np.asarray(column, dtype=object), None
    series = pd.Series(column, copy=False)
    if numeric_field and pd.api.types.is_float_dtype(dtype):
        return series.to_numpy(dtype=np.float64, na_value=np.nan), None
    if (
        numeric_field
        and pd.api.types.is_integer_dtype(dtype)
        and not (pd.api.types.is_unsigned_integer_dtype(dtype) and bool((series >= 2**63).any()))
    ):
        values = series.to_numpy(dtype=np.int64, na_value=0)
        missing = series.isna().to_numpy(dtype=bool)
        return values, (missing if missing.any() else None)
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        return np.asarray(column, dtype=object), None
    return list(_csv_column(series, kind)), None


def _column_array(column: pd.Series) -> Any:
    """A column's values as pandas stores them, through public API: a numpy array (a
    view, no copy) for a numpy dtype, else the pandas extension array."""
    return column.to_numpy(copy=False) if isinstance(column.dtype, np.dtype) else column.array


def scenario_columns(tables: Mapping[str, Any]) -> Dict[str, List[Tuple[str, Any, Optional[np.ndarray]]]]:
    """DataFrames (keys of :data:`INPUT_TABLES`) as the argument of
    ``_allocnet.Scenario.from_columns``: per table, ``(column, values, missing)``."""
    return {
        key: [
            (str(c), *_input_column(_column_array(column), kinds.get(str(c), "text")))
            for c, column in df.items()
        ]
        for key, df, kinds in _input_frames(tables)
    }


def _add_dataframe_note(err: AllocnetError) -> None:
    note = (
        "The tables were given as DataFrames: 'X.csv line N' is row position N - 2 of "
        "DataFrame X (line 1 is the header)."
    )
    if hasattr(err, "add_note"):  # Python >= 3.11
        err.add_note(note)


def scenario_from_tables(tables: Mapping[str, Any]) -> _allocnet.Scenario:
    """A checked core scenario from DataFrames: their columns go to the core as numpy
    arrays and lists of str (:func:`scenario_columns`), checked exactly as the CSV
    tables they stand for."""
    columns = scenario_columns(tables)
    try:
        return _allocnet.Scenario.from_columns(columns)
    except AllocnetError as err:
        _add_dataframe_note(err)
        raise


def scenario_tables(scenario: _allocnet.Scenario) -> Dict[str, pd.DataFrame]:
    """The scenario's tables as DataFrames (the CSV layout; optional tables only when
    the scenario has them). Text columns are ``string``, integer fields nullable
    ``Int64`` (empty = default), numbers ``float64``."""
    kinds = _field_kinds()
    dtype_of = {
        "integer": "Int64",
        "number": "float64",
        "boolean": "string",
    }
    frames: Dict[str, pd.DataFrame] = {}
    texts = dict(scenario._csv_texts())  # the CSV tables of write_csv_dir, in memory
    for key, (file, table, _required) in INPUT_TABLES.items():
        text = texts.get(file)
        if text is None:
            continue
        if key == "parameters":
            dtypes = {"name": "string", "value": "string"}
        else:
            dtypes = {field: dtype_of.get(kind, "string") for field, kind in kinds.get(table, {}).items()}
        frames[key] = pd.read_csv(io.StringIO(text), dtype=dtypes, keep_default_na=False, na_values=[""])
    return frames


class PlanColumns(ResultTables):
    """Every table of a plan as the core exports it (:class:`allocnet._tables.ResultTables`)."""

    __slots__ = ()

    def __init__(self, plan: _allocnet.Plan) -> None:
        super().__init__(plan._tables())


def plan_table(plan: _allocnet.Plan, name: str, columns: Optional[ResultTables] = None) -> pd.DataFrame:
    """One plan table as a DataFrame with the columns and dtypes of
    :data:`PLAN_COLUMNS`, from the columns the core exports (``columns``: every
    table's columns when the caller has them, see :class:`PlanColumns`)."""
    if name not in PLAN_COLUMNS:
        raise InvalidInputError(
            f"invalid input (1 problem):\n  table: unknown plan table '{name}'",
            [("table", f"expected one of {', '.join(PLAN_COLUMNS)}, got '{name}'")],
        )
    df = columns.frame(name) if columns is not None else None
    # one table alone: raises the core's error when it cannot be built
    return df if df is not None else table_alone(plan, name)
