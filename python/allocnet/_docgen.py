"""Generates the plan-table reference of docs/python.md from frames.PLAN_COLUMNS
(a test keeps the document in step)."""

from __future__ import annotations

from allocnet.frames import PLAN_COLUMNS

_DTYPE_DOC = {
    "string": "string",
    "int64": "int64",
    "float64": "float64",
    "priority": "category (ordered: the plan's priority classes, highest first)",
    "window": "category (ordered: acute, planning)",
    "reason": "category (no-surplus, held-by-reserves, used-for-higher-priority, no-lane)",
}


def plan_tables_markdown() -> str:
    """The plan tables as Markdown: one table of columns per plan attribute."""
    out = []
    for table, columns in PLAN_COLUMNS.items():
        out.append(f"#### `plan.{table}`\n\n| column | dtype | meaning |\n|---|---|---|\n")
        for column, dtype, meaning in columns:
            out.append(f"| `{column}` | {_DTYPE_DOC[dtype]} | {meaning} |\n")
        out.append("\n")
    return "".join(out)
