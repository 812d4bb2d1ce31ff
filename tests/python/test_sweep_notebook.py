"""The scenario-study notebook runs end to end in a real Jupyter kernel (with a few
samples per grid point, to keep CI short) and draws its plots."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "scenario_study.ipynb"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_scenario_study_notebook_executes_and_answers_its_questions(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLOCNET_STUDY_SAMPLES", "12")  # the kernel inherits the environment
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3, "the distributions, the tornado chart and the stock curve"
    for png in images:
        assert png.startswith(PNG_MAGIC) and len(png) > 10_000
    texts = "".join(o.get("text", "") for o in outputs)
    assert "12 demand scenarios, 0 failed" in texts
    assert "redistribution lowers unmet acute need in" in texts
    assert "x today's stock" in texts
    html = "".join(o["data"].get("text/html", "") for o in outputs if "data" in o)
    assert "allocnet sweep" in html
    assert os.environ.get("ALLOCNET_STUDY_SAMPLES") == "12"
