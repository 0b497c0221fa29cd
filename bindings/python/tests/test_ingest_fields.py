"""Python reads articles itself (parse_article, read, add_path) and custom fields are
first-class: searchable, filterable with structured filters, facetable (issue 13)."""
import json
import os
import pathlib
import threading

import pytest

import vnsearch

ROOT = pathlib.Path(__file__).resolve().parents[3]
CORPUS = pathlib.Path(os.environ.get("VNSEARCH_CORPUS_DIR", ROOT / "corpus"))
CHI_LANG = CORPUS / "000_36fbaf0990d157c1.txt"


def test_parse_article_from_path_text_and_bytes():
    d = vnsearch.parse_article(CHI_LANG)
    assert isinstance(d, vnsearch.Document)
    assert d.id == "000_36fbaf0990d157c1"
    assert d.title == "Công tác xây dựng Đảng ở Chi Lăng"
    assert d.date == "2024-07-25"
    assert d.byline == d.author == "La Nam"
    assert "Thứ năm" not in d.title and d.body.startswith("Năm 2009")
    assert vnsearch.parse_article(str(CHI_LANG)) == d
    text = CHI_LANG.read_text(encoding="utf-8")
    assert vnsearch.parse_article(text, id="x").title == d.title
    assert vnsearch.parse_article(text).id == ""
    # UTF-16 bytes with a BOM are decoded like the CLI decodes them.
    utf16 = vnsearch.parse_article(b"\xff\xfe" + text.encode("utf-16-le"), id="u")
    assert (utf16.title, utf16.date, utf16.body) == (d.title, d.date, d.body)
    with pytest.raises(TypeError):
        vnsearch.parse_article(42)


def test_read_directory_jsonl_and_problems(tmp_path):
    docs = list(vnsearch.read(CORPUS))
    assert [d.id for d in docs] == sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert docs[0].date == "2024-07-25" and docs[2].date == "2019-02-23"
    f = tmp_path / "vntc.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "1", "label": "The thao", "source": "NLD", "text": "Tiêu đề ngắn\nThân bài."}, ensure_ascii=False),
        "not json",
        json.dumps({"id": "2", "title": "T&amp;T mua lại SHB", "text": "x", "label": "Kinh doanh"}),
    ]) + "\n", encoding="utf-8")
    r = vnsearch.read(f)
    got = list(r)
    assert [(d.id, d.title, d.body, d.fields) for d in got] == [
        ("1", "Tiêu đề ngắn", "Thân bài.", {"label": "The thao"}),
        ("2", "T&T mua lại SHB", "x", {"label": "Kinh doanh"}),
    ]
    assert r.problems == [(f"{f}:2", "not a JSON object")]
    assert list(r) == []  # exhausted stays exhausted
    missing = vnsearch.read(tmp_path / "nowhere")
    assert list(missing) == [] and missing.problems[0][1] == "no such file or directory"


def test_read_stops_early_without_reading_everything(tmp_path):
    f = tmp_path / "big.jsonl"
    with f.open("w", encoding="utf-8") as out:
        for i in range(5000):
            out.write(json.dumps({"id": str(i), "title": f"bài {i}", "text": "nội dung"}) + "\n")
    r = vnsearch.read(f)
    assert next(r).id == "0"
    r.close()  # the reader thread stops and is joined
    assert list(r) == []
    # Abandoned without close(): garbage collection stops the reader too.
    for _ in range(20):
        it = vnsearch.read(f)
        next(it)
        del it
    assert threading.active_count() >= 1


def test_add_path_reports_counts_and_reasons(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join([
        json.dumps({"id": "1", "title": "Một", "text": "x"}),
        "{oops",
        json.dumps({"id": "2", "title": "Hai", "text": "y", "date": "hôm qua"}),
        json.dumps({"id": "1", "title": "Một nữa", "text": "z"}),
    ]) + "\n", encoding="utf-8")
    with vnsearch.Index(str(tmp_path / "db")) as ix:
        rep = ix.add_path(f)
        assert isinstance(rep, vnsearch.AddReport)
        assert (rep.added, rep.replaced, rep.skipped) == (1, 1, 2)
        assert rep.problems[0] == (f"{f}:2", "not a JSON object")
        assert rep.problems[1][0] == "2" and "ISO 8601" in rep.problems[1][1]
        assert ix.add_path(CORPUS).added == 5
    with vnsearch.IndexBuilder(str(tmp_path / "db2"), threads=2) as b:
        rep = b.add_path(CORPUS)
        assert (rep.added, rep.replaced, rep.skipped, rep.problems) == (5, 0, 0, [])
        for doc in vnsearch.read(f):
            if doc.date != "hôm qua":
                b.add(doc)
    s = vnsearch.Searcher(str(tmp_path / "db2"))
    assert len(s) == 6
    assert s.search("Chi Lăng")[0].date == "2024-07-25"


@pytest.fixture()
def labelled(tmp_path):
    path = str(tmp_path / "db")
    with vnsearch.Index(path) as ix:
        ix.add("a", "Đội tuyển bóng đá thắng lớn", "bóng đá", "2024-07-25", source="Báo Lạng Sơn", label="The thao")
        ix.add("b", "Giải quần vợt mở rộng", "quần vợt", "2023-01-02", source="Báo Lạng Sơn", label="Thể thao")
        ix.add(vnsearch.Document("c", "Bóng đá và kinh doanh", "bóng đá", source="Tuổi Trẻ", author="La Nam",
                                 url="http://x/c", fields={"label": "Kinh doanh"}))
        ix.add("d", "Đội bóng chuyền nữ", "bóng chuyền", source="Nhân Dân")
    return vnsearch.Searcher(path)


def test_custom_fields_searchable_with_any_marks(labelled):
    for q in ('label:"the thao"', 'label:"thể thao"', "LABEL:thao"):
        assert sorted(h.id for h in labelled.search(q)) == ["a", "b"]
    assert labelled.search('label:"thể thao"')[0].id == "b"  # the exact spelling first
    hit = labelled.search('label:"kinh doanh"')[0]
    assert (hit.id, hit.fields, hit.author, hit.url) == ("c", {"label": "Kinh doanh"}, "La Nam", "http://x/c")


def test_structured_filters(labelled):
    # A source with spaces: pasted into the query text it used to find nothing.
    assert sorted(h.id for h in labelled.search("bóng", filters={"source": "Báo Lạng Sơn"})) == ["a"]
    assert sorted(h.id for h in labelled.search(filters={"source": "Báo Lạng Sơn"})) == ["a", "b"]
    assert sorted(h.id for h in labelled.search(filters={"label": "the thao", "year": "2024"})) == ["a"]
    assert sorted(h.id for h in labelled.search("bóng", filters=[("-label", "kinh doanh")])) == ["a", "d"]
    assert len(labelled.search(filters={"source": 'x" OR "y'})) == 0
    with pytest.raises(vnsearch.Error, match="not a field name"):
        labelled.search(filters={"no such": "x"})
    with pytest.raises(vnsearch.Error, match="date"):
        labelled.search(filters={"date": "yesterday"})


def test_facets_by_custom_field(labelled):
    r = labelled.search("bóng OR quần", facets=["label", "year"])
    assert r.facets["label"] == [("Kinh doanh", 1), ("The thao", 1), ("Thể thao", 1)]
    assert r.facets["year"] == [("2024", 1), ("2023", 1)]
    assert r.years == []  # facets=True is the year+source shorthand
    r = labelled.search("bóng", facets=True)
    assert set(r.facets) == {"year", "source"} and r.sources == r.facets["source"]
    with pytest.raises(TypeError):
        labelled.search("bóng", facets="label")
