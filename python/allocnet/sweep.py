"""Sweeps under uncertainty: :func:`sweep` runs one base (a county scenario, a national
round, a simulation or a testing scenario) over many scenarios drawn from a sweep spec
and returns a :class:`SweepResult`, one row per scenario.

The scenarios are generated and solved by the core (``allocnet::sweep``, on its Rust
threads with the GIL released); scenario ``k`` depends only on ``(seed, k)``, so the
table is the same, bit for bit, in-process or on a Dask cluster, for any number of
threads, workers or chunks. This module adds the backends, progress (tqdm), the
DataFrames and the plots (``docs/python.md``, "Sweeps")::

    r = allocnet.sweep("vastmanland", "examples/sweeps/vastmanland_uncertainty.json", samples=1000, seed=7)
    r.table            # one row per scenario: drawn parameters, metrics, status, error
    r.summary()        # mean and quantiles per metric
    r.plot()           # distribution of unmet acute need (+ a tornado chart)
"""

from __future__ import annotations

import html
import json
import math
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from allocnet import _allocnet
from allocnet.progress import bar, run_with_bar
from allocnet.json_input import numpy_to_json
from allocnet._tables import ResultTables, exported_frame, html_table
from allocnet.exceptions import InternalError, InvalidInputError
from allocnet.model import Plan, Scenario
from allocnet.national import NationalPlan, NationalRound
from allocnet.simulation import Simulation
from allocnet.testing_plan import TestingPlan, TestingScenario

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["JOBS", "SweepResult", "chunks", "guided_chunks", "sweep"]

PathLike = Union[str, "os.PathLike[str]"]
SpecLike = Union[Mapping[str, Any], PathLike]

#: The jobs a sweep runs (``--job`` of ``allocnet sweep``).
JOBS: Tuple[str, ...] = ("county-round", "national-round", "simulate", "testing")


def _invalid(path: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"invalid input (1 problem):\n  {path}: {message}", [(path, message)])


# -- building the core sweep ----------------------------------------------------------


def _core_base(base: Any, options: Any) -> Any:
    """The compiled base of a sweep and its simulation options: the core object inside
    a wrapper, a ``(Scenario, SimulationOptions)`` pair, or a built-in name / path (the
    core resolves it for the job)."""
    if isinstance(base, tuple) and len(base) == 2 and isinstance(base[1], _allocnet.SimulationOptions):
        base, options = base
    if isinstance(base, (Scenario, NationalRound)):
        base = base.core
    if isinstance(base, os.PathLike):
        base = os.fspath(base)
    if not isinstance(base, (str, _allocnet.Scenario, _allocnet.NationalRound, TestingScenario)):
        raise TypeError(
            "base must be an allocnet.Scenario, NationalRound, TestingScenario, (Scenario, SimulationOptions), "
            f"a built-in name or a path, got {type(base).__name__}"
        )
    if options is not None and not isinstance(options, _allocnet.SimulationOptions):
        raise TypeError(f"options must be an allocnet.SimulationOptions, got {type(options).__name__}")
    return base, options


def _spec_args(spec: SpecLike) -> Tuple[Optional[str], Optional[str]]:
    """``(json_text, path)``: a dict goes to the core as JSON (numpy numbers and arrays
    included), a path as a path (the core reads JSON or TOML by its extension)."""
    if isinstance(spec, Mapping):
        try:
            return json.dumps(spec, allow_nan=False, default=numpy_to_json), None
        except (TypeError, ValueError) as err:
            raise _invalid("spec", f"must be JSON data (dicts, lists, numbers, strings, booleans): {err}") from None
    if isinstance(spec, (str, os.PathLike)):
        return None, os.fspath(spec)
    raise TypeError(f"spec must be a dict or a path to a JSON/TOML file, got {type(spec).__name__}")


def _check_count(name: str, value: Any, minimum: int) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise _invalid(name, f"must be a whole number, got {value!r}")
    if value < minimum:
        raise _invalid(name, f"must be >= {minimum}, got {value}")
    return int(value)


def _core_sweep(base: Any, spec: SpecLike, samples: Any, seed: Any, job: str, options: Any) -> Any:
    if job not in JOBS:
        raise _invalid("job", f"expected one of {', '.join(JOBS)}, got {job!r}")
    core_base, core_options = _core_base(base, options)
    spec_json, spec_path = _spec_args(spec)
    samples = _check_count("samples", samples, 1)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or not 0 <= seed < 2**64:
        raise _invalid("seed", f"must be a whole number in 0..2^64, got {seed!r}")
    return _allocnet._Sweep(core_base, job, spec_json, spec_path, samples, int(seed), core_options)


def _keep_indices(keep: Iterable[Any], total: int) -> List[int]:
    out = []
    for i, k in enumerate(keep):
        if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k < total:
            raise _invalid(f"keep[{i}]", f"must be a scenario index in 0..{total}, got {k!r}")
        out.append(int(k))
    return sorted(set(out))


# -- chunks and backends --------------------------------------------------------------


def chunks(total: int, size: int) -> List[Tuple[int, int]]:
    """``[start, stop)`` ranges of at most ``size`` scenarios covering ``0..total`` in
    order (the tasks of a distributed sweep).

    >>> chunks(5, 2)
    [(0, 2), (2, 4), (4, 5)]
    """
    if size < 1:
        raise _invalid("chunk_size", f"must be >= 1, got {size}")
    return [(start, min(start + size, total)) for start in range(0, total, size)]


class _Chunk:
    """What one range of scenarios gives: the table rows (a DataFrame), the metrics
    (a scenario x metric float64 array) and the kept results ``{index: core result}``."""

    __slots__ = ("start", "table", "metrics", "kept")

    def __init__(self, start: int, table: pd.DataFrame, metrics: np.ndarray, kept: Dict[int, Any]) -> None:
        self.start, self.table, self.metrics, self.kept = start, table, metrics, kept


def _run_chunk(
    core: Any, start: int, stop: int, keep: Sequence[int], progress: Any = None, threads: Optional[int] = None
) -> _Chunk:
    """Runs scenarios ``start..stop`` (GIL released) on ``threads`` Rust threads
    (default: the process's pool) and makes their DataFrame (on a Dask worker: there)."""
    export, metrics, kept = core._run(start, stop, [k for k in keep if start <= k < stop], progress, threads)
    kept = {k: _kept(result) for k, result in kept}
    tables = ResultTables(export)
    names = tables.names()  # the job's results table (`results_<job>` in the core's schema)
    table = tables.frame(names[0]) if len(names) == 1 else None
    if table is None:  # not expected: the core exports exactly its results table
        raise InternalError(f"internal error in allocnet (please report it): tables {names} exported")
    table.index = pd.RangeIndex(start, start + len(table))
    return _Chunk(start, table, metrics, kept)


def _in_process(core: Any, keep: Sequence[int], progress: bool) -> _Chunk:
    """Every scenario in one core call on the Rust threads (GIL released); with
    ``progress`` a tqdm bar follows the core's counter (:mod:`allocnet.progress`) and
    Ctrl-C cancels the run."""
    total = len(core)
    if not progress:
        return _run_chunk(core, 0, total, keep)
    return run_with_bar(lambda counter: _run_chunk(core, 0, total, keep, counter), total, "sweep", "scenario")


def _dask_chunk(core: Any, start: int, stop: int, keep: Sequence[int]) -> _Chunk:
    """One Dask task: scenarios ``start..stop`` generated and solved on the worker, on
    one Rust thread: the worker's Dask threads are the parallelism (a worker with
    ``threads_per_worker=n`` runs ``n`` tasks at once), so the cores are not
    oversubscribed whatever the worker's ``RAYON_NUM_THREADS``."""
    return _run_chunk(core, start, stop, keep, threads=1)


def guided_chunks(total: int, threads: int, smallest: int = 1) -> List[Tuple[int, int]]:
    """``[start, stop)`` ranges covering ``0..total`` in order, each ``1 / (2 threads)``
    of the scenarios still left (at least ``smallest``): few large tasks first, small
    ones at the end, so ``threads`` Dask threads finish within about one scenario of
    each other however the scenarios' costs differ (the default chunks of a Dask sweep).

    >>> guided_chunks(20, 2)
    [(0, 5), (5, 9), (9, 12), (12, 14), (14, 16), (16, 17), (17, 18), (18, 19), (19, 20)]
    """
    if threads < 1:
        raise _invalid("threads", f"must be >= 1, got {threads}")
    out: List[Tuple[int, int]] = []
    start = 0
    while start < total:
        stop = min(total, start + max(smallest, math.ceil((total - start) / (2 * threads))))
        out.append((start, stop))
        start = stop
    return out


def _chunk_table(chunk: _Chunk) -> pd.DataFrame:
    """A chunk's table (a partition of :meth:`SweepResult.to_dask`, made on the worker
    that holds the chunk)."""
    return chunk.table


def _chunk_kept(chunk: _Chunk) -> Dict[int, Any]:
    """A chunk's kept results (fetched without its table)."""
    return chunk.kept


class _Remote:
    """The chunks of a Dask sweep left on the workers: ``futures[i]`` holds the
    :class:`_Chunk` of scenarios ``ranges[i]`` (in scenario order)."""

    __slots__ = ("client", "ranges", "futures")

    def __init__(self, client: Any, ranges: List[Tuple[int, int]], futures: List[Any]) -> None:
        self.client, self.ranges, self.futures = client, ranges, futures

    def gather(self) -> _Chunk:
        """Every chunk, brought to this process and put together."""
        return _concat(self.client.gather(self.futures))

    def kept(self, keep: Sequence[int]) -> Dict[int, Any]:
        """The kept results only, from the chunks that hold one."""
        holders = [f for (a, b), f in zip(self.ranges, self.futures) if any(a <= k < b for k in keep)]
        out: Dict[int, Any] = {}
        for part in self.client.gather(self.client.map(_chunk_kept, holders, pure=False)):
            out.update(part)
        return out


def _on_dask(client: Any, core: Any, keep: Sequence[int], chunk_size: Optional[int], progress: bool) -> _Remote:
    """The scenarios in chunks on a ``distributed.Client``: the core sweep (base and
    spec) is scattered to every worker once; each task is one chunk of scenario
    indices. Returns when every chunk is done, the chunks still on the workers (a
    failed task raises its error here)."""
    from distributed import as_completed

    total = len(core)
    if chunk_size is None:
        threads = max(1, sum(client.nthreads().values()))
        # Tasks of at least 1/64 of a thread's share: a cheap scenario (a county round,
        # ~1 ms) still makes tasks of tens of milliseconds, above Dask's own cost per task.
        ranges = guided_chunks(total, threads, max(1, total // (64 * threads)))
    else:
        ranges = chunks(total, chunk_size)
    shipped = client.scatter(core, broadcast=True)
    futures = [client.submit(_dask_chunk, shipped, a, b, keep, pure=False) for a, b in ranges]
    sizes = {f.key: b - a for f, (a, b) in zip(futures, ranges)}
    shown = bar(total, "sweep (dask)", "scenario") if progress else None
    try:
        for future in as_completed(futures):
            if future.status != "finished":
                future.result()  # raises the task's error
            if shown is not None:
                shown.update(sizes[future.key])
    finally:
        if shown is not None:
            shown.close()
    return _Remote(client, ranges, futures)


def _concat(parts: List[_Chunk]) -> _Chunk:
    """The chunks in scenario order as one (columns keep the dtypes of the core's
    table: a categorical of one closed set stays categorical)."""
    if len(parts) == 1:
        return parts[0]
    table = pd.concat([p.table for p in parts], ignore_index=True)
    first = parts[0].table
    for column in first.columns:
        if table[column].dtype != first[column].dtype:  # not expected: one schema
            raise InternalError(f"internal error in allocnet (please report it): column {column!r} changed dtype")
    metrics = np.concatenate([p.metrics for p in parts], axis=0)
    kept: Dict[int, Any] = {}
    for p in parts:
        kept.update(p.kept)
    return _Chunk(0, table, metrics, kept)


# -- the result -----------------------------------------------------------------------


class SweepResult:
    """A sweep's result: one row per scenario in :attr:`table` (the drawn parameters,
    the job's metrics, ``status`` and ``error``), the metrics as a numpy matrix
    (:attr:`metrics`), the failed scenarios (:attr:`failures`) and the results kept with
    ``keep=`` (:attr:`plans`)."""

    __slots__ = (
        "_core", "_table", "_metrics", "_plans", "_remote", "_keep", "job", "seed", "parameters", "metric_names",
        "base_name",
    )

    def __init__(self, core: Any, chunk: Union[_Chunk, _Remote], seed: int, keep: Sequence[int] = ()) -> None:
        self._core = core
        self._remote: Optional[_Remote] = None
        self._table: Optional[pd.DataFrame] = None
        self._metrics: Optional[np.ndarray] = None
        self._plans: Optional[Dict[int, Any]] = None
        self._keep = list(keep)
        if isinstance(chunk, _Remote):
            self._remote = chunk
        else:
            self._hold(chunk)
        #: The job (``county-round``, ``national-round``, ``simulate``, ``testing``).
        self.job: str = core.job
        #: The sweep's seed.
        self.seed: int = seed
        #: Names of the parameter columns, in table order.
        self.parameters: List[str] = list(core.parameters)
        #: Names of the metric columns (the columns of :attr:`metrics`), in table order.
        self.metric_names: List[str] = list(core.metrics)
        #: The base's name.
        self.base_name: str = core.base_name

    def _hold(self, chunk: _Chunk) -> None:
        self._table = chunk.table
        self._table.index = pd.RangeIndex(len(self._table))
        self._metrics = chunk.metrics
        self._metrics.flags.writeable = False
        self._plans = dict(sorted(chunk.kept.items()))

    def _frame(self) -> pd.DataFrame:
        """The table, gathered from the workers first if it is still there."""
        if self._table is None:
            if self._remote is None:  # not expected: a result holds its chunks somewhere
                raise InternalError("internal error in allocnet (please report it): a sweep result without rows")
            self._hold(self._remote.gather())
        assert self._table is not None
        return self._table

    @property
    def gathered(self) -> bool:
        """False while the rows of a Dask sweep run with ``gather=False`` are still on
        the workers (the first use of :attr:`table`, :attr:`metrics`,
        :attr:`failures`, :meth:`summary` or :meth:`plot` gathers them)."""
        return self._table is not None

    @property
    def table(self) -> pd.DataFrame:
        """One row per scenario (index = scenario number): parameter values, metrics,
        ``status`` and ``error`` (columns in ``docs/sweeps.md``). A copy you own."""
        return self._frame().copy()

    @property
    def metrics(self) -> np.ndarray:
        """The metrics as a read-only float64 array, scenario x metric (columns
        :attr:`metric_names`; NaN where a scenario failed)."""
        self._frame()
        assert self._metrics is not None
        return self._metrics

    @property
    def failures(self) -> pd.DataFrame:
        """The rows of the scenarios that did not complete (``status`` other than
        ``ok``), with their ``error``."""
        table = self._frame()
        return table[table["status"] != "ok"].copy()

    @property
    def plans(self) -> Dict[int, Any]:
        """The full results kept with ``keep=[...]``, by scenario number: a
        :class:`Plan`, :class:`NationalPlan` or :class:`Simulation` (failed scenarios
        have none). Rows left on Dask workers stay there: only the kept results are
        fetched."""
        if self._plans is None:
            assert self._remote is not None
            self._plans = dict(sorted(self._remote.kept(self._keep).items()))
        return dict(self._plans)

    def __len__(self) -> int:
        return len(self._core)

    def summary(self) -> pd.DataFrame:
        """Per metric (the index) over the scenarios with status ``ok``: ``count``,
        ``mean`` and the quantiles ``p5``, ``p25``, ``p50``, ``p75``, ``p95`` (linear
        interpolation between order statistics, numpy's default): the core's summary,
        the ``summary.csv`` of ``allocnet sweep``."""
        ok = (self._frame()["status"] == "ok").to_numpy(dtype=bool)
        out = exported_frame(self._core._summary(self.metrics, list(ok)), "summary")
        return out.set_index("metric")

    def to_polars(self) -> Any:
        """:attr:`table` as a polars DataFrame (needs polars)."""
        import polars as pl

        return pl.from_pandas(self._frame())

    def to_dask(self, npartitions: Optional[int] = None) -> Any:
        """:attr:`table` as a ``dask.dataframe`` indexed by scenario number.

        For a sweep run on Dask with ``gather=False`` the partitions are the chunks of
        scenarios where the workers computed them (one per task, divisions at the
        chunks' first scenarios): nothing is gathered to this process, so the table
        may be larger than its memory; it lives as long as this result and its client
        (``npartitions`` must then be left out). Otherwise the in-memory table is split
        into ``npartitions`` (default: about 10 000 scenarios each)."""
        import dask.dataframe as dd

        remote = self._remote
        if remote is not None:
            if npartitions is not None:
                raise _invalid("npartitions", "the partitions of rows left on Dask workers are their chunks; leave it out")
            parts = remote.client.map(_chunk_table, remote.futures, pure=False)
            divisions = tuple(a for a, _ in remote.ranges) + (remote.ranges[-1][1] - 1,)
            return dd.from_delayed(parts, meta=self._meta(), divisions=divisions, verify_meta=False)
        table = self._frame()
        parts = npartitions or max(1, math.ceil(len(table) / 10_000))
        return dd.from_pandas(table, npartitions=parts, sort=True)

    def _meta(self) -> pd.DataFrame:
        """The table's columns and dtypes without rows (made here from the schema by
        an empty run: categories included)."""
        return _run_chunk(self._core, 0, 0, []).table

    def plot(self, kind: str = "unmet", metric: Optional[str] = None, ax: "Optional[Axes]" = None) -> "Axes":
        """Draws ``kind``: ``"unmet"`` the distribution of unmet acute need over the
        scenarios, ``"tornado"`` each parameter's effect on ``metric``, ``"fan"`` (for
        simulations) the quantile bands of a metric over the scenarios' days. See
        :mod:`allocnet.sweep_plot`."""
        from allocnet import sweep_plot

        return sweep_plot.plot(self, kind, metric=metric, ax=ax)

    def _failed(self) -> str:
        """The count of failed scenarios, or where the rows are while not gathered."""
        if self._table is None:
            return "? (rows on the Dask workers)"
        return str(int((self._table["status"] != "ok").sum()))

    def __repr__(self) -> str:
        return (
            f"SweepResult(base={self.base_name!r}, job={self.job!r}, scenarios={len(self)}, "
            f"failed={self._failed()}, parameters={self.parameters}, kept={sorted(self._keep)})"
        )

    def _repr_html_(self) -> str:
        head = (
            f"<h4>allocnet sweep: {html.escape(self.base_name)} ({html.escape(self.job)})</h4>"
            f"<p>{len(self)} scenarios, {html.escape(self._failed())} failed, seed {self.seed}; parameters: "
            f"{html.escape(', '.join(self.parameters))}</p>"
        )
        if self._table is None:
            return head + "<p>The rows are on the Dask workers: <code>to_dask()</code> reads them there.</p>"
        summary = self.summary().reset_index()
        return head + "<h5>Metrics</h5>" + html_table(summary, limit=len(summary)) + "<h5>First scenarios</h5>" + html_table(
            self._table
        )


def _kept(core: Any) -> Any:
    """A kept compiled result in its Python class."""
    if isinstance(core, _allocnet.Plan):
        return Plan(core)
    if isinstance(core, _allocnet.NationalPlan):
        return NationalPlan(core)
    if isinstance(core, _allocnet.Simulation):
        return Simulation(core)
    if isinstance(core, _allocnet.TestingPlan):
        return TestingPlan(core)
    raise InternalError(f"internal error in allocnet (please report it): kept result {type(core).__name__}")


def sweep(
    base: Any,
    spec: SpecLike,
    samples: Optional[int] = None,
    seed: int = 0,
    job: str = "county-round",
    backend: Any = None,
    keep: Iterable[int] = (),
    progress: bool = True,
    *,
    options: Optional[_allocnet.SimulationOptions] = None,
    chunk_size: Optional[int] = None,
    gather: bool = True,
) -> SweepResult:
    """Runs ``job`` on ``base`` for every scenario of ``spec`` (``allocnet sweep``).

    ``base``: a :class:`Scenario` (``county-round``; ``national-round``: its county
    round, then the national round with the default SYNTHETIC warehouses;
    ``simulate``), a :class:`NationalRound` (``national-round`` on its fixed
    requests: the spec varies only ``national-stock`` and ``policy``; another job or
    target is an :class:`InvalidInputError` naming it), a :class:`TestingScenario`
    (``testing``), a ``(Scenario,
    SimulationOptions)`` pair, a built-in name (``"vastmanland"``, ``"sweden"``) or a
    path read as ``allocnet sweep`` reads its ``BASE`` (a scenario file or CSV
    directory, a national round file, a testing scenario file). ``spec``: a dict or a JSON/TOML
    file (``docs/sweeps.md``); a bad field raises :class:`InvalidInputError` naming it
    (``parameters[2].sd: must be >= 0, got -1``). ``samples``: scenarios drawn from the
    distributions (a grid alone needs none). ``seed``: scenario ``k`` depends only on
    ``(seed, k)``. ``backend``: ``None`` runs in-process on the Rust threads (GIL
    released), a ``distributed.Client`` runs chunks of ``chunk_size`` scenarios on
    Dask (default: :func:`guided_chunks`, large chunks first, small ones last), each
    task on one Rust thread; the table is the same from both. ``keep``: scenario numbers whose full result
    is kept (:attr:`SweepResult.plans`). ``progress``: a tqdm bar on stderr (a widget
    in notebooks). ``options``: the :class:`SimulationOptions` of ``simulate``.
    ``gather``: with a Dask backend, ``False`` leaves the rows on the workers
    (:meth:`SweepResult.to_dask` reads them there; the first use of the table
    gathers them).

    A scenario that fails (invalid after its draw, a solver error) is a row with its
    ``status`` and ``error``; the others complete.
    """
    core = _core_sweep(base, spec, samples, seed, job, options)
    kept = _keep_indices(keep, len(core))
    size = _check_count("chunk_size", chunk_size, 1)
    if not isinstance(gather, bool):
        raise TypeError(f"gather must be True or False, got {type(gather).__name__}")
    if backend is None:
        if not gather:
            raise _invalid("gather", "only a Dask backend leaves the rows elsewhere; an in-process sweep gathers them")
        chunk: Union[_Chunk, _Remote] = _in_process(core, kept, progress)
    elif hasattr(backend, "scatter") and hasattr(backend, "submit"):
        chunk = _on_dask(backend, core, kept, size, progress)
        if gather:
            chunk = chunk.gather()
    else:
        raise TypeError(f"backend must be None or a distributed.Client, got {type(backend).__name__}")
    return SweepResult(core, chunk, int(seed), kept)
