"""The plan-table reference of docs/python.md, as the core generates it from its
result schema (a test keeps the document in step)."""

from __future__ import annotations

from allocnet import _allocnet


def plan_tables_markdown() -> str:
    """The plan tables as Markdown: one table of columns per plan attribute."""
    return _allocnet._result_markdown("plan")
