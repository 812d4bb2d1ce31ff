"""Plots of a sweep with matplotlib (an optional dependency), in the style of
:mod:`allocnet.plot`:

* ``"unmet"``: the distribution of unmet acute need over the completed scenarios
  (a histogram, with the mean and the 95 % quantile marked);
* ``"tornado"``: each parameter's effect on a metric: the mean of the metric over the
  scenarios in the parameter's top fifth minus its mean over the bottom fifth (for a
  parameter of a few levels: highest level minus lowest; for a text or yes/no
  parameter: the largest group mean minus the smallest), bars sorted by size;
* ``"fan"`` (simulations): the 5-95 % and 25-75 % bands and the median, day by day,
  of a column of the kept simulations' ``daily`` table summed over items (default
  ``shortage``: demand stock could not cover).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

import numpy as np
import pandas as pd

from allocnet.exceptions import InvalidInputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from allocnet.sweep import SweepResult

__all__ = ["plot", "parameter_effects"]

KINDS = ("unmet", "tornado", "fan")


def _invalid(path: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"invalid input (1 problem):\n  {path}: {message}", [(path, message)])


def _pyplot() -> Any:
    import matplotlib.pyplot as plt

    return plt


def default_metric(result: "SweepResult") -> str:
    """The metric plotted when none is named: the first total of unmet acute need
    (else the first metric)."""
    names = result.metric_names
    for name in names:
        if "unmet" in name and "acute" in name:
            return name
    for name in names:
        if "unmet" in name or "untested" in name:
            return name
    if not names:
        raise _invalid("metric", "the sweep has no metrics")
    return names[0]


def _metric(result: "SweepResult", metric: Optional[str]) -> str:
    if metric is None:
        return default_metric(result)
    if metric not in result.metric_names:
        raise _invalid("metric", f"no metric '{metric}' (metrics: {', '.join(result.metric_names)})")
    return metric


def _completed(result: "SweepResult") -> pd.DataFrame:
    table = result.table
    return table[table["status"] == "ok"]


def _effect(x: pd.Series, y: pd.Series) -> float:
    """The metric's change across the parameter (see the module docs)."""
    numeric = x.dtype.kind in "iuf"
    if numeric and x.nunique() > 5:
        values = x.to_numpy(dtype=float)
        low, high = np.quantile(values, [0.2, 0.8])
        return float(y[values >= high].mean() - y[values <= low].mean())
    if numeric:  # a few levels: highest minus lowest
        levels = y.groupby(x, sort=True).mean()
        return float(levels.iloc[-1] - levels.iloc[0])
    means = y.groupby(x.astype(str), sort=True).mean()
    return float(means.max() - means.min())


def parameter_effects(result: "SweepResult", metric: Optional[str] = None) -> pd.Series:
    """Each varying parameter's effect on ``metric`` (the tornado chart's bars, see the
    module docs), largest first, over the completed scenarios."""
    name = _metric(result, metric)
    done = _completed(result)
    effects: Dict[str, float] = {}
    for p in result.parameters:
        x = done[p]
        if x.nunique(dropna=True) > 1:
            effects[p] = _effect(x, done[name].astype(float))
    out = pd.Series(effects, dtype=float, name=name)
    return out.reindex(out.abs().sort_values(ascending=False).index)


def _unmet(result: "SweepResult", metric: Optional[str], ax: "Axes") -> "Axes":
    name = _metric(result, metric)
    values = _completed(result)[name].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        ax.text(0.5, 0.5, "no completed scenario", ha="center", va="center", transform=ax.transAxes)
    else:
        ax.hist(values, bins=min(40, max(5, int(np.sqrt(len(values))))), color="#4c72b0", alpha=0.85)
        mean, q95 = float(values.mean()), float(np.quantile(values, 0.95))
        ax.axvline(mean, color="#dd8452", linestyle="--", label=f"mean {mean:,.1f}")
        ax.axvline(q95, color="#c44e52", linestyle=":", label=f"95 % quantile {q95:,.1f}")
        ax.legend(fontsize=7)
    ax.set_xlabel(name)
    ax.set_ylabel("scenarios")
    ax.set_title(f"{result.base_name} ({result.job}): {name} over {len(values)} scenarios", fontsize=10)
    return ax


def _tornado(result: "SweepResult", metric: Optional[str], ax: "Axes") -> "Axes":
    effects = parameter_effects(result, metric)
    if effects.empty:
        ax.text(0.5, 0.5, "no parameter varies", ha="center", va="center", transform=ax.transAxes)
    else:
        shown = effects.iloc[::-1]  # largest on top
        colors = ["#c44e52" if v > 0 else "#55a868" for v in shown]
        ax.barh(list(shown.index), shown.to_numpy(), color=colors)
        ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"change of {effects.name} (high minus low parameter values)")
    ax.set_title(f"Parameter effects on {effects.name}", fontsize=10)
    return ax


def daily_series(result: "SweepResult", column: str = "shortage") -> pd.DataFrame:
    """Day x scenario: ``column`` of the kept simulations' ``daily`` table summed over
    items (units), one column per kept scenario (``keep=``)."""
    sims = {k: p for k, p in result.plans.items() if hasattr(p, "daily")}
    if not sims:
        raise _invalid(
            "kind",
            "a fan chart reads the kept simulations: run job='simulate' with keep=[...] (e.g. keep=range(n))",
        )
    series = {}
    for k, sim in sims.items():
        daily = sim.daily
        if column not in daily.columns:
            raise _invalid("metric", f"no daily column '{column}' (columns: {', '.join(daily.columns)})")
        series[k] = daily.groupby("day")[column].sum()
    return pd.DataFrame(series).sort_index()


def _fan(result: "SweepResult", metric: Optional[str], ax: "Axes") -> "Axes":
    column = metric or "shortage"
    frame = daily_series(result, column)
    days, values = frame.index.to_numpy(), frame.to_numpy(dtype=float).T
    q = np.nanquantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    ax.fill_between(days, q[0], q[4], color="#4c72b0", alpha=0.2, label="5-95 %")
    ax.fill_between(days, q[1], q[3], color="#4c72b0", alpha=0.4, label="25-75 %")
    ax.plot(days, q[2], color="#4c72b0", label="median")
    ax.legend(fontsize=7)
    ax.set_xlabel("day")
    ax.set_ylabel(f"{column} (units, all sites and items)")
    ax.set_title(f"{result.base_name}: daily {column} over {values.shape[0]} simulations", fontsize=10)
    return ax


def plot(result: "SweepResult", kind: str = "unmet", metric: Optional[str] = None, ax: "Optional[Axes]" = None) -> "Axes":
    """Draws ``kind`` (``"unmet"``, ``"tornado"`` or ``"fan"``) of ``result`` on ``ax``
    (a new figure if None) and returns the axes."""
    draw = {"unmet": _unmet, "tornado": _tornado, "fan": _fan}.get(kind)
    if draw is None:
        raise _invalid("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(8, 4.5))
    return draw(result, metric, ax)
