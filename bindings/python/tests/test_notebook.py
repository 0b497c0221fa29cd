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
    # The executed output shows every seed article's real title and date, read by
    # vnsearch.read() (a hand-made reader once took the date line for the title).
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    for date, title in SEED_ARTICLES:
        assert f"{date or '(no date)':19}  {title}" in printed
    assert "5 added, 0 skipped" in printed
    assert "Thứ năm" not in printed and "Thứ năm" not in "".join(html)
    # The province chart shows today's provinces and, before 2025, Bắc Kạn for Chợ Mới.
    chart = [h for h in html if "Provinces today" in h]
    assert chart and "Thái Nguyên" in chart[0] and "Bắc Kạn" in chart[0] and "Lạng Sơn" in chart[0]
    assert "Chợ Mới → Bắc Kạn then, Thái Nguyên now" in printed
    # The results table shows the dates next to the titles.
    assert "Công tác xây dựng Đảng ở Chi Lăng" in html[0] and "2024-07-25" in html[0]


#: (date, title) of the seed articles in corpus/, as the ingestion reads them.
SEED_ARTICLES = [
    ("2024-07-25", "Công tác xây dựng Đảng ở Chi Lăng"),
    ("2018-10-29T08:11:00", "Công tác tổ chức - xây dựng Đảng năm 2018 : Nhiều kết quả tích cực"),
    ("2019-02-23", "Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng"),
    ("2020-10-23T20:37:00", "Quế Phong: Nâng cao chất lượng phát triển đảng viên"),
    ("", "Chợ Mới củng cố, nâng cao chất lượng tổ chức cơ sở đảng"),
]
