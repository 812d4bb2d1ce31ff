"""Python data handed to the core as JSON text: numpy numbers and arrays as the
numbers and lists they hold; a NaN or infinite number refused at its path (JSON has
no such numbers, and the core would only see a syntax error)."""

from __future__ import annotations

import json
import math
from typing import Any, List, Mapping, Tuple

import numpy as np

from allocnet.exceptions import InvalidInputError


def invalid(path: str, message: str) -> InvalidInputError:
    """One problem at ``path`` as the core reports it."""
    return InvalidInputError(f"invalid input (1 problem):\n  {path}: {message}", [(path, message)])


def numpy_to_json(value: Any) -> Any:
    """numpy scalars and arrays (``np.arange(5)``, ``np.int64(3)``) as the JSON
    numbers, booleans and lists they stand for; anything else is refused."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def first_non_finite(data: Any, root: str) -> Tuple[str, float] | None:
    """The path (``root.items[0].volume_l``) and value of the first NaN or infinite
    number in ``data`` (dicts, lists, tuples, numpy arrays), depth first, or None."""
    stack: List[Tuple[str, Any]] = [(root, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, np.ndarray):
            value = value.tolist()
        if isinstance(value, Mapping):
            stack.extend((f"{path}.{k}", v) for k, v in reversed(list(value.items())))
        elif isinstance(value, (list, tuple)):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, (float, np.floating)) and not math.isfinite(value):
            return path, float(value)
    return None


def json_text(data: Any, root: str) -> str:
    """``data`` as JSON text for the core. A NaN or infinite number raises
    :class:`InvalidInputError` at its path under ``root``; a value JSON cannot hold
    (a set, an object) raises it at ``root``."""
    bad = first_non_finite(data, root)
    if bad is not None:
        raise invalid(bad[0], f"must be a finite number, got {bad[1]}")
    try:
        return json.dumps(data, allow_nan=False, default=numpy_to_json)
    except (TypeError, ValueError, RecursionError) as err:
        raise invalid(root, f"must be JSON data (dicts, lists, numbers, strings, booleans): {err}") from None
