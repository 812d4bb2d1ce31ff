"""The exceptions allocnet raises: one class per kind of error.

Every class derives from :class:`AllocnetError` and from the matching built-in
exception, so ``except ValueError`` catches invalid input as well. The compiled
module maps the Rust core's ``allocnet::Error`` variant by variant:

=====================================  ===========================================
Rust ``Error`` variant                 Python exception
=====================================  ===========================================
``Invalid(Vec<InvalidValue>)``         :class:`InvalidInputError` (``problems``)
``Parse { source_name, line, .. }``    :class:`ParseError` (:class:`DimacsError`
                                       for DIMACS files)
``Overflow(..)``                       :class:`IntegerOverflowError`
``Io { path, source }``                :class:`FileError`
``Solver(..)``                         :class:`SolverError`
``Cancelled(..)``                      :class:`CancelledError`
a panic (a bug)                        :class:`InternalError`
=====================================  ===========================================

An infeasible or unbounded problem is not an error: it is a status in the result.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Tuple

__all__ = [
    "AllocnetError",
    "InvalidInputError",
    "ParseError",
    "DimacsError",
    "IntegerOverflowError",
    "FileError",
    "SolverError",
    "CancelledError",
    "InternalError",
]


class AllocnetError(Exception):
    """Base class of every error allocnet raises."""


class InvalidInputError(AllocnetError, ValueError):
    """The input holds one or more invalid values.

    ``problems`` lists every one of them as ``(path, message)``: ``path`` says where
    (``"arc 3 (upper)"``, ``"status[12].stock"``, ``"lanes.csv line 8, column from"``),
    ``message`` what was expected and what was found.
    """

    problems: List[Tuple[str, str]]

    def __init__(self, message: str, problems: Iterable[Tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.problems = [(str(path), str(what)) for path, what in problems]

    @property
    def paths(self) -> List[str]:
        """The paths of the invalid values, in order."""
        return [path for path, _ in self.problems]

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (str(self), self.problems))


class ParseError(AllocnetError, ValueError):
    """A text input (CSV, JSON, DIMACS) could not be parsed.

    ``source_name`` is the file (or label), ``line`` the 1-based line number and
    ``detail`` what was expected and found there.
    """

    source_name: str
    line: int
    detail: str

    def __init__(self, message: str, source_name: str = "", line: int = 0, detail: str = "") -> None:
        super().__init__(message)
        self.source_name = source_name
        self.line = line
        self.detail = detail

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (str(self), self.source_name, self.line, self.detail))


class DimacsError(ParseError):
    """A DIMACS min-cost flow file is malformed (``line`` says where)."""


class IntegerOverflowError(AllocnetError, OverflowError):
    """A value or an intermediate result does not fit its integer type.

    allocnet never wraps silently; ``detail`` says which value.
    """

    detail: str

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (str(self), self.detail))


class FileError(AllocnetError, OSError):
    """Reading or writing a file failed (``filename``, ``errno`` as for ``OSError``)."""


class SolverError(AllocnetError, RuntimeError):
    """The LP solver failed or gave an answer that failed allocnet's own checks."""

    detail: str

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (str(self), self.detail))


class CancelledError(AllocnetError):
    """A long call (a trips round, a simulation) was stopped by its progress counter's
    cancel flag before it finished; no partial result is returned. Ctrl-C under a
    progress bar raises ``KeyboardInterrupt`` instead."""


class InternalError(AllocnetError, RuntimeError):
    """A bug in allocnet (a Rust panic, caught before it reached Python)."""
