"""Plots of a county-round plan with matplotlib (an optional dependency).

* :func:`plot_map`: sites on their coordinates, shipments as arrows whose width
  grows with the quantity, sites with unmet acute need highlighted.
* :func:`plot_unmet`: unmet need by site, stacked by priority class.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Dict, Optional

import pandas as pd

from allocnet.exceptions import InvalidInputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from allocnet.model import Plan, Scenario

__all__ = ["plot_map", "plot_unmet"]

_KIND_STYLE: Dict[str, Dict[str, Any]] = {
    "municipality": {"marker": "o", "color": "#4c72b0", "label": "municipality"},
    "region": {"marker": "s", "color": "#55a868", "label": "region (hospital)"},
    "private-provider": {"marker": "D", "color": "#8172b2", "label": "private provider"},
    "transshipment-point": {"marker": "^", "color": "#dd8452", "label": "transshipment point"},
    "national-warehouse": {"marker": "P", "color": "#937860", "label": "national warehouse"},
}


def _pyplot() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _invalid(path: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"invalid input (1 problem):\n  {path}: {message}", [(path, message)])


def _check_item(plan: "Plan", item: Optional[str]) -> None:
    if item is None:
        return
    items = set(plan.objective["item"])
    if item not in items:
        raise _invalid("item", f"no item '{item}' in the plan (items: {', '.join(sorted(items))})")


def plot_map(
    plan: "Plan",
    item: Optional[str] = None,
    ax: "Optional[Axes]" = None,
    scenario: "Optional[Scenario]" = None,
    labels: bool = True,
    max_width: float = 6.0,
) -> "Axes":
    """Draws the plan on a map (longitude/latitude, WGS84, aspect corrected).

    Sites are markers by kind; each shipment (of ``item``, or of every item summed per
    lane when ``item`` is None) is an arrow from donor to receiver whose line width is
    proportional to the quantity (``max_width`` points for the largest); sites with
    unmet acute need get a red ring whose area grows with the unmet units. Needs the
    plan's scenario (or ``scenario=``) for the coordinates. Returns the axes.
    """
    plt = _pyplot()
    scenario = scenario if scenario is not None else plan.scenario
    if scenario is None:
        raise _invalid("scenario", "the plan has no scenario (read from JSON alone): pass scenario=")
    _check_item(plan, item)
    sites = scenario.sites.set_index("id")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 7))

    shipments = plan.shipments
    unmet = plan.unmet
    if item is not None:
        shipments = shipments[shipments["item"] == item]
        unmet = unmet[unmet["item"] == item]
    lanes = shipments.groupby(["from", "to"], as_index=False)["quantity"].sum()
    largest = int(lanes["quantity"].max()) if len(lanes) else 0
    for row in lanes.itertuples(index=False):
        start = sites.loc[row[0]]
        end = sites.loc[row[1]]
        width = 0.6 + (max_width - 0.6) * row.quantity / largest
        ax.annotate(
            "",
            xy=(end["lon"], end["lat"]),
            xytext=(start["lon"], start["lat"]),
            arrowprops={
                "arrowstyle": "-|>",
                "lw": width,
                "color": "#2b6cb0",
                "alpha": 0.6,
                "shrinkA": 6,
                "shrinkB": 6,
                "mutation_scale": 8 + 2 * width,
            },
            zorder=2,
        )

    for kind, group in sites.groupby("kind", observed=True):
        style = _KIND_STYLE.get(str(kind), {"marker": "o", "color": "grey", "label": str(kind)})
        ax.scatter(
            group["lon"],
            group["lat"],
            marker=style["marker"],
            color=style["color"],
            s=60,
            edgecolor="black",
            linewidth=0.5,
            label=style["label"],
            zorder=3,
        )

    acute = unmet[unmet["window"] == "acute"].groupby("site")["unmet"].sum()
    acute = acute[acute > 0]
    if len(acute):
        biggest = float(acute.max())
        where = sites.loc[acute.index]
        ax.scatter(
            where["lon"],
            where["lat"],
            s=150 + 1200 * (acute.to_numpy() / biggest),
            facecolors="none",
            edgecolors="#c53030",
            linewidths=2.0,
            zorder=4,
        )

    if labels:
        for site_id, site in sites.iterrows():
            ax.annotate(
                str(site["name"]),
                (site["lon"], site["lat"]),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=7,
                zorder=5,
            )

    mean_lat = float(sites["lat"].mean())
    ax.set_aspect(1.0 / max(math.cos(math.radians(mean_lat)), 0.1))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    what = item if item is not None else "all items"
    total = int(shipments["quantity"].sum())
    title = f"{plan.scenario_name}\n{what}: {len(shipments)} shipments, {total} units"
    if plan.synthetic:
        title += " (SYNTHETIC figures)"
    ax.set_title(title, fontsize=10)
    from matplotlib.lines import Line2D

    handles, names = ax.get_legend_handles_labels()
    if len(acute):
        ring = Line2D([0], [0], marker="o", linestyle="none", markersize=10, markerfacecolor="none")
        ring.set_markeredgecolor("#c53030")
        ring.set_markeredgewidth(2.0)
        handles.append(ring)
        names.append(f"unmet acute need (largest {int(acute.max())} units)")
    if lanes.shape[0]:
        handles.append(Line2D([0], [0], color="#2b6cb0", lw=max_width, alpha=0.6))
        names.append(f"shipment ({largest} units)")
    ax.legend(handles, names, loc="best", fontsize=7)
    return ax


def plot_unmet(
    plan: "Plan",
    window: str = "acute",
    ax: "Optional[Axes]" = None,
    item: Optional[str] = None,
) -> "Axes":
    """Bar chart of unmet need (``window`` ``"acute"`` or ``"planning"``) by site,
    stacked by priority class (highest priority at the bottom). Sums over items unless
    ``item`` is given (units differ between items: pieces and litres). Returns the axes.
    """
    plt = _pyplot()
    if window not in ("acute", "planning"):
        raise _invalid("window", f"expected 'acute' or 'planning', got '{window}'")
    _check_item(plan, item)
    unmet = plan.unmet
    unmet = unmet[unmet["window"] == window]
    if item is not None:
        unmet = unmet[unmet["item"] == item]
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    names: Dict[str, str] = {}
    if plan.scenario is not None:
        sites = plan.scenario.sites
        names = dict(zip(sites["id"], sites["name"]))
    table = unmet.pivot_table(index="site", columns="priority", values="unmet", aggfunc="sum", observed=False)
    table = table.fillna(0)
    if table.empty:
        ax.text(0.5, 0.5, f"no unmet {window} need", ha="center", va="center", transform=ax.transAxes)
    else:
        table = table.loc[table.sum(axis=1).sort_values(ascending=False).index]
        table.index = pd.Index([names.get(s, s) for s in table.index])
        # One fixed colour per class (by its rank), whichever classes have unmet need.
        palette = plt.get_cmap("viridis")
        classes = list(plan.priority_classes)
        colour = {c: palette(i / max(len(classes) - 1, 1)) for i, c in enumerate(classes)}
        table = table.loc[:, table.sum(axis=0) > 0]
        table.plot.bar(stacked=True, ax=ax, width=0.8, color=[colour[str(c)] for c in table.columns])
        ax.legend(title="priority class", fontsize=7, title_fontsize=8)
        ax.tick_params(axis="x", labelrotation=30)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
    what = item if item is not None else "all items (units summed)"
    ax.set_ylabel(f"unmet {window} need (units)")
    ax.set_xlabel("site")
    ax.set_title(f"Unmet {window} need by site and priority: {what}", fontsize=10)
    return ax
