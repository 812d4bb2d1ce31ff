"""Writes examples/notebooks/scenario_study.ipynb (unexecuted) from the cells below.

    .venv/bin/python scripts/make_scenario_study_notebook.py

The notebook is executed in a real kernel by tests/python/test_sweep_notebook.py with
a small sample count (``ALLOCNET_STUDY_SAMPLES``).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parents[1] / "examples" / "notebooks" / "scenario_study.ipynb"

CELLS = [
    (
        "md",
        """# A scenario study on the Sweden scenario: what does county redistribution buy under demand uncertainty?

The Sweden scenario has real geography (21 counties, their municipalities, hospitals and
private providers) and **SYNTHETIC** stock and consumption. Consumption during an epidemic
wave is uncertain, and stock reports are sometimes wrong (a site has lost part of what it
reports). This notebook asks, with `allocnet.sweep`:

1. How much of the acute shortfall (what sites cannot cover from their own stock within the
   48-hour acute window: allocnet's *acute need*) do counties cover by redistributing within
   themselves, over many demand scenarios? What is left goes to the national agency as the
   county request.
2. How much *county stock* (as a multiple of today's) keeps unmet acute need under 1 % of
   today's acute shortfall in 95 % of the demand scenarios?
3. How much *national stock* keeps the acute need left unmet after the national round under
   1 % of acute need in 95 % of the demand scenarios?
4. Does the national allocation policy change the acute need left unmet, and which policy
   serves the worst-served county best, how often?

All figures come from synthetic data: they illustrate the method, not Sweden's supply.""",
    ),
    (
        "code",
        """import os

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import allocnet

%matplotlib inline

# Samples per grid point: 200 for the study; the test runs the notebook with a few.
N = int(os.environ.get("ALLOCNET_STUDY_SAMPLES", "200"))
SEED = 2020
sweden = allocnet.Scenario.sweden()
sweden""",
    ),
    (
        "md",
        """## The uncertainty

Consumption is drawn per county (one lognormal multiplier shared by all sites of a county,
median 1, about ±30 %), and per site a stock-report error: with probability 0.1 a site has
lost 40 % of the stock it reports. Redistribution is a grid parameter: 0 (each site keeps what
it has; the county only forms its request to the national agency) or 1 (the county round).
Grid points share the draws of a sample (common random numbers), so each demand scenario is
solved with and without redistribution.""",
    ),
    (
        "code",
        """spec = {
    "name": "Sweden: redistribution under demand uncertainty (SYNTHETIC)",
    "parameters": [
        {"name": "redistribution", "target": "redistribution", "values": [0, 1]},
        {"name": "consumption", "target": "consumption", "per": "county",
         "distribution": "lognormal", "mu": 0, "sigma": 0.3},
        {"name": "lost", "target": "stock-shock", "per": "site",
         "distribution": "bernoulli", "p": 0.1, "value": 0.4},
    ],
}
study = allocnet.sweep(sweden, spec, samples=N, seed=SEED, progress=False)
study""",
    ),
    (
        "code",
        """t = study.table
t["acute_unmet_share"] = t["acute_unmet"] / t["acute_need"]
paired = t.pivot(index="sample", columns="redistribution", values="acute_unmet")
paired.columns = ["without", "with"]
gain = paired["without"] - paired["with"]
print(f"{len(paired)} demand scenarios, {len(study.failures)} failed")
print(f"acute need left unmet, mean: without {paired['without'].mean():,.0f}, with {paired['with'].mean():,.0f} units")
covered = 1 - t.loc[t["redistribution"] == 1, "acute_unmet"].sum() / t.loc[t["redistribution"] == 1, "acute_need"].sum()
print(f"redistribution covers {covered:.0%} of the acute shortfall")
print(f"redistribution lowers unmet acute need in {(gain > 0).mean():.0%} of the scenarios, "
      f"raises it in {(gain < 0).mean():.0%}")
paired.describe().round(1)""",
    ),
    (
        "code",
        """fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for value, label in ((0, "without redistribution"), (1, "with redistribution")):
    share = t.loc[t["redistribution"] == value, "acute_unmet_share"] * 100
    axes[0].hist(share, bins=30, alpha=0.6, label=label)
axes[0].axvline(1.0, color="black", linestyle=":", label="1 % of acute need")
axes[0].set_xlabel("unmet acute need, % of acute need")
axes[0].set_ylabel("demand scenarios")
axes[0].legend(fontsize=8)
axes[0].set_title("Unmet acute need over the demand scenarios (SYNTHETIC)", fontsize=10)
axes[1].hist(gain, bins=30, color="#55a868")
axes[1].set_xlabel("acute need met thanks to redistribution (units)")
axes[1].set_title("Value of county redistribution, per scenario", fontsize=10)
plt.tight_layout()""",
    ),
    (
        "md",
        """Which uncertainty matters most? The tornado chart shows each parameter's effect on unmet
acute need (mean over the scenarios in its top fifth minus the bottom fifth; for the
redistribution grid: on minus off).""",
    ),
    ("code", """study.plot("tornado");"""),
    (
        "md",
        """## County stock for 95 % of the demand scenarios

Now the stock on hand is a grid of multiples of today's stock. The bar is 1 % of today's
acute shortfall (the mean acute need at 1 x stock). For each level and each redistribution
setting, the share of demand scenarios in which unmet acute need stays below the bar; the answer
is the smallest level where that share reaches 95 %. Without redistribution every unit of
acute need is unmet (a site can only use its own stock), so that curve only reaches the bar
when no site is short at all.""",
    ),
    (
        "code",
        """levels = [0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0]
stock_spec = {
    "parameters": [
        {"name": "stock", "target": "stock", "values": levels},
        {"name": "redistribution", "target": "redistribution", "values": [0, 1]},
        {"name": "consumption", "target": "consumption", "per": "county",
         "distribution": "lognormal", "mu": 0, "sigma": 0.3},
    ]
}
stock_study = allocnet.sweep(sweden, stock_spec, samples=max(N // 4, 10), seed=SEED, progress=False)
s = stock_study.table
bar = 0.01 * s.loc[s["stock"] == 1.0, "acute_need"].mean()
print(f"the bar: {bar:,.0f} units of unmet acute need")
s["under_1_percent"] = s["acute_unmet"] < bar
share = s.pivot_table(index="stock", columns="redistribution", values="under_1_percent", aggfunc="mean")
share.columns = ["without", "with"]
needed = {c: next((lvl for lvl in share.index if share.loc[lvl, c] >= 0.95), None) for c in share.columns}
for c, lvl in needed.items():
    print(f"{c} redistribution: " + (f"{lvl:g} x today's stock" if lvl else f"more than {levels[-1]:g} x today's stock"))
share""",
    ),
    (
        "code",
        """ax = (share * 100).plot(marker="o", figsize=(7, 4))
ax.axhline(95, color="black", linestyle=":")
ax.set_xlabel("county stock, multiple of today's (SYNTHETIC)")
ax.set_ylabel("% of demand scenarios under the bar")
ax.set_title("Stock needed for 95 % of the demand scenarios", fontsize=10);""",
    ),
    (
        "md",
        """## National stock for 95 % of the demand scenarios

The national round (job `national-round`: each county's round forms its request, then the
national agency allocates its warehouses' stock, SYNTHETIC: by default 2 days of the country's
consumption, 60 % Stockholm, 40 % Gothenburg). The default covers every scenario here, so the
national stock is a grid of small fractions of it; consumption is uncertain as above. For each
level, the share of demand scenarios in which the acute need still unmet after the national round
is under 1 % of acute need.""",
    ),
    (
        "code",
        """national_levels = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5]
national_spec = {
    "parameters": [
        {"name": "national_stock", "target": "national-stock", "values": national_levels},
        {"name": "consumption", "target": "consumption", "per": "county",
         "distribution": "lognormal", "mu": 0, "sigma": 0.3},
    ]
}
national = allocnet.sweep(sweden, national_spec, samples=max(N // 4, 10), seed=SEED,
                          job="national-round", progress=False)
n = national.table
n["under_1_percent"] = n["national_acute_unmet"] < 0.01 * n["acute_need"]
national_share = n.groupby("national_stock")["under_1_percent"].mean()
enough = next((lvl for lvl in national_levels if national_share[lvl] >= 0.95), None)
print("national stock for 95 % of the demand scenarios: "
      + (f"{enough:g} x the default (SYNTHETIC) stock" if enough else f"more than {national_levels[-1]:g} x the default"))
ax = (national_share * 100).plot(marker="o", figsize=(7, 4))
ax.axhline(95, color="black", linestyle=":")
ax.set_xlabel("national stock, multiple of the default (SYNTHETIC)")
ax.set_ylabel("% of demand scenarios, unmet acute < 1 %")
ax.set_title("National stock needed after the national round", fontsize=10);""",
    ),
    (
        "md",
        """## How often each national policy wins

The four national policies (`optimal`: least unmet acute need first; `proportional`,
`max-min`, `population`) on the same demand scenarios (common random numbers), with scarce
national stock (3 % of the default, where some acute need stays unmet). First: does the policy
change how much acute need stays unmet? Then, as the policies differ in who gets the stock: a
policy wins a scenario when its worst-served county gets the largest share of its request
(`national_min_fraction`); a tie shares the win.""",
    ),
    (
        "code",
        """policy_spec = {
    "parameters": [
        {"name": "policy", "target": "policy", "values": ["optimal", "proportional", "max-min", "population"]},
        {"name": "national_stock", "target": "national-stock", "values": [0.03]},
        {"name": "consumption", "target": "consumption", "per": "county",
         "distribution": "lognormal", "mu": 0, "sigma": 0.3},
    ]
}
policies = allocnet.sweep(sweden, policy_spec, samples=max(N // 4, 10), seed=SEED,
                          job="national-round", progress=False)
pt = policies.table
acute = pt.pivot(index="sample", columns="policy", values="national_acute_unmet")
same = acute.nunique(axis=1).eq(1).mean()
print(f"acute need unmet after the national round is the same under every policy in {same:.0%} of the scenarios")
fair = pt.pivot(index="sample", columns="policy", values="national_min_fraction")
best = fair.eq(fair.max(axis=1), axis=0)
wins = best.div(best.sum(axis=1), axis=0).sum().sort_values(ascending=False) / len(fair)
print("share of demand scenarios won (worst-served county's share):", ", ".join(f"{k} {v:.0%}" for k, v in wins.items()))
ax = (wins * 100).plot.bar(figsize=(7, 3.5), color="#4c72b0")
ax.set_ylabel("% of demand scenarios won")
ax.set_title("Largest share of its request for the worst-served county (ties shared)", fontsize=10);
fair.describe().round(3)""",
    ),
    (
        "md",
        """## Reading the result

* `study.summary()` gives the mean and quantiles of every metric (the `summary.csv` of
  `allocnet sweep`); `study.failures` lists scenarios that could not be solved (none here).
* The same spec runs on a Dask cluster with `backend=client`; the table is the same, bit for bit.""",
    ),
    ("code", """study.summary().round(2)"""),
]


def main() -> None:
    cells = [new_markdown_cell(text) if kind == "md" else new_code_cell(text) for kind, text in CELLS]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
