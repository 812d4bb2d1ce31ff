"""Result tables from the core's JSON rows: one column spec per table (name, dtype,
meaning) turns a list of row dicts into a DataFrame with documented dtypes, and the
same specs generate the column reference of ``docs/python.md``.

dtypes: ``"string"``, ``"int64"``, ``"Int64"`` (nullable), ``"float64"``,
``"boolean"``, or ``"category:<name>"``, an ordered categorical whose categories the
caller passes under ``<name>`` (e.g. the priority classes of the result).
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Sequence, Tuple

import pandas as pd

#: A table's columns: (column, dtype, meaning).
Spec = List[Tuple[str, str, str]]


def frame(rows: Sequence[Mapping[str, Any]], spec: Spec, categories: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The rows as a DataFrame with exactly the columns and dtypes of ``spec``."""
    data: Dict[str, Any] = {}
    for column, dtype, _ in spec:
        values = [row[column] for row in rows]
        if dtype.startswith("category:"):
            data[column] = pd.Categorical(values, categories=list(categories[dtype[9:]]), ordered=True)
        else:
            data[column] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data, columns=[c for c, _, _ in spec])


def markdown(prefix: str, specs: Mapping[str, Spec], category_doc: Mapping[str, str]) -> str:
    """The tables of ``specs`` as Markdown, one heading ``prefix.<table>`` each."""
    out = []
    for table, spec in specs.items():
        out.append(f"#### `{prefix}.{table}`\n\n| column | dtype | meaning |\n|---|---|---|\n")
        for column, dtype, meaning in spec:
            doc = f"category ({category_doc[dtype[9:]]})" if dtype.startswith("category:") else dtype
            out.append(f"| `{column}` | {doc} | {meaning} |\n")
        out.append("\n")
    return "".join(out)


def html_table(df: pd.DataFrame, limit: int = 10) -> str:
    """The first ``limit`` rows as a compact HTML table (for ``_repr_html_``)."""
    if df.empty:
        return "<p>none</p>"
    return df.head(limit).to_html(index=False, border=0, float_format=lambda v: f"{v:,.1f}")


#: What each ``category:<name>`` holds, for the docs.
CATEGORY_DOC: Dict[str, str] = {
    "priority": "ordered: the priority classes, highest first",
    "leg": "county, national, last-mile",
    "outcome": "reproduced, differs, failed",
    "test_type": "pcr, serology",
    "reason": "no-site-in-reach, sites-full, kits-exhausted, labs-full",
    "resource": "site-capacity, lab-capacity, site-kits, store-kits",
    "kind": "drive-in, health-centre, home-test-pickup",
}


def results_markdown() -> str:
    """The column reference of the national plan, simulation, comparison, replay and
    testing plan tables, as in ``docs/python.md`` (a test keeps them in step)."""
    from allocnet.national import NATIONAL_COLUMNS
    from allocnet.simulation import COMPARISON_COLUMNS, REPLAY_COLUMNS, SIMULATION_COLUMNS
    from allocnet.testing_plan import TESTING_COLUMNS

    return "".join(
        [
            markdown("national_plan", NATIONAL_COLUMNS, CATEGORY_DOC),
            markdown("simulation", SIMULATION_COLUMNS, CATEGORY_DOC),
            markdown("allocnet", {"compare_policies(...)": COMPARISON_COLUMNS}, CATEGORY_DOC),
            markdown("replay", {"lines": REPLAY_COLUMNS}, CATEGORY_DOC),
            markdown("testing_plan", TESTING_COLUMNS, CATEGORY_DOC),
        ]
    )
