"""Executes examples/notebooks/quickstart.ipynb; any cell error fails the suite."""
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "examples" / "notebooks" / "quickstart.ipynb"


def test_quickstart_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    # The kernel inherits this environment (PYTHONPATH with the built module).
    os.environ.setdefault("VNSEARCH_ROOT", str(ROOT))
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    html = [o["data"]["text/html"] for o in outputs if o.get("output_type") == "execute_result" and "text/html" in o.get("data", {})]
    assert html and "<table" in html[0] and "<mark>" in html[0]
