"""The Västmanland notebook runs end to end in a real Jupyter kernel."""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "vastmanland_meeting.ipynb"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_vastmanland_notebook_executes_without_error_and_draws_real_images(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # nbclient raises CellExecutionError on the first cell that fails.
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [out for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [base64.b64decode(o["data"]["image/png"]) for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "the map and the bar chart"
    for png in images:
        assert png.startswith(PNG_MAGIC) and len(png) > 10_000
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("allocnet plan" in h and "Objective levels" in h for h in html), "the plan summary"
    texts = "".join(o.get("text", "") for o in outputs)
    assert '"shipments"' in texts
