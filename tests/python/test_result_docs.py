"""docs/python.md lists the result tables of the national round, the simulator and the
testing plan exactly as the package builds them."""

from pathlib import Path

from allocnet._tables import results_markdown


def test_docs_python_md_lists_the_result_tables_as_generated():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "python.md").read_text(encoding="utf-8")
    assert results_markdown() in doc, "regenerate the result tables of docs/python.md (allocnet._tables.results_markdown)"
