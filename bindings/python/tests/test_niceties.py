"""Python niceties: to_pandas columns and types, HTML that escapes everything, validated
arguments, the sort names, total_exact, highlight spans, Searcher.document, remove, dir()."""
import ast
import pathlib
import warnings

import pytest

import vnsearch

CHI_LANG = "000_36fbaf0990d157c1"
STUB = pathlib.Path(vnsearch.__file__).with_name("__init__.pyi")


@pytest.fixture(scope="module")
def dated_db(tmp_path_factory):
    """Three dated documents, one undated; one with markup in its body and extra fields."""
    path = str(tmp_path_factory.mktemp("dated") / "db")
    with vnsearch.Index(path) as ix:
        ix.add(id="b", title="Tin b", body="Hội nghị xây dựng Đảng ở huyện.", date="2019-02-23T08:00:00",
               source="Báo Lạng Sơn", url="https://example.org/b", author="Hà")
        ix.add(id="u", title="Không ngày", body="Hội nghị không có ngày tháng.")
        ix.add(id="a", title="Tin a", body="Hội nghị tổng kết <mark>giả</mark> &amp; <b>in đậm</b>.", date="2018",
               label="the thao")
        ix.add(id="c", title="<i>Tin c</i>", body="Hội nghị cuối năm.", date="2020-10-23")
    return path


def test_to_pandas_columns_types_and_options(dated_db):
    pd = pytest.importorskip("pandas")
    s = vnsearch.Searcher(dated_db)
    columns = ["rank", "id", "title", "date", "score", "source", "url", "author", "fields", "snippet"]
    df = s.search("hội nghị", sort="date_asc", highlight=("[", "]")).to_pandas()
    assert list(df.columns) == columns
    assert str(df["date"].dtype) == "datetime64[ns]"
    assert list(df["id"]) == ["a", "b", "c", "u"]
    assert df.iloc[0]["date"] == pd.Timestamp("2018-01-01")
    assert df.iloc[1]["date"] == pd.Timestamp("2019-02-23 08:00:00")
    assert pd.isna(df.iloc[3]["date"])  # undated
    assert df.iloc[1]["url"] == "https://example.org/b" and df.iloc[1]["author"] == "Hà"
    assert df.iloc[0]["fields"] == {"label": "the thao"}
    # Highlight markers removed by default (the document's own "<b>" is its text, kept).
    assert "[" not in df.iloc[1]["snippet"] and "Hội nghị" in df.iloc[1]["snippet"]
    assert "<b>in đậm</b>" in df.iloc[0]["snippet"]
    kept = s.search("hội nghị", sort="date_asc", highlight=("[", "]")).to_pandas(parse_dates=False, keep_highlights=True)
    assert kept.iloc[0]["date"] == "2018" and kept.iloc[3]["date"] == ""
    assert "[Hội] [nghị]" in kept.iloc[1]["snippet"]
    # No hits: the same columns and types.
    empty = s.search("zzzkhongcotu").to_pandas()
    assert list(empty.columns) == columns and len(empty) == 0
    assert str(empty["date"].dtype) == "datetime64[ns]"
    assert str(empty["score"].dtype) == "float64" and str(empty["rank"].dtype) == "int64"


def test_repr_html_escapes_document_text_and_shows_suggestion_warnings_facets(dated_db, seed_db):
    s = vnsearch.Searcher(dated_db)
    r = s.search("tổng kết", facets=True)
    html = r._repr_html_()
    # The document's own markup is text: escaped, never a highlight or a tag.
    assert "&lt;mark&gt;giả&lt;/mark&gt;" in html
    assert "&lt;b&gt;in đậm&lt;/b&gt;" in html
    assert "<mark>giả</mark>" not in html and "<b>in đậm</b>" not in html
    assert "&amp;amp;" in html
    assert "<mark>tổng</mark> <mark>kết</mark>" in html
    assert "By year: 2018 (1)" in html
    # Markers that also occur in the text cannot fake a highlight either.
    same = s.search("tổng kết", highlight=("<mark>", "</mark>"))._repr_html_()
    assert "<mark>giả</mark>" not in same and "<mark>tổng</mark>" in same
    titles = s.search("tin c")._repr_html_()
    assert "&lt;i&gt;Tin c&lt;/i&gt;" in titles and "<i>" not in titles
    warned = s.search('"hội nghị')
    assert warned.warnings
    assert vnsearch._html.escape(warned.warnings[0]) in warned._repr_html_()
    sugg = vnsearch.Searcher(seed_db).search("chi lang")
    html = sugg._repr_html_()
    assert sugg.suggestion == "Chi Lăng"
    assert "Did you mean <b>Chi Lăng</b>" in html and "diacritics" in html


def test_highlight_spans_are_str_indices_into_snippet_text(dated_db):
    r = vnsearch.Searcher(dated_db).search("tổng kết", highlight=("<<", ">>"))
    hit = r[0]
    assert hit.id == "a"
    assert [hit.snippet_text[s:e] for s, e in hit.highlights] == ["tổng", "kết"]
    rebuilt, cur = "", 0
    for s, e in hit.highlights:
        rebuilt += hit.snippet_text[cur:s] + "<<" + hit.snippet_text[s:e] + ">>"
        cur = e
    assert rebuilt + hit.snippet_text[cur:] == hit.snippet


def test_highlight_is_validated_as_a_pair(dated_db):
    s = vnsearch.Searcher(dated_db)
    some_id = s.search("hội nghị")[0].id
    # search and similar check their markers alike.
    for call in (lambda h: s.search("hội nghị", highlight=h), lambda h: s.similar(some_id, highlight=h)):
        for bad in ("<b>", b"<>", None, 3, {"<b>", "</b>"}):
            with pytest.raises(TypeError, match="highlight"):
                call(bad)
        for bad in ((), ("<b>",), ("<", ">", "!")):
            with pytest.raises(ValueError, match="pair"):
                call(bad)
        with pytest.raises(TypeError, match="str"):
            call(("<b>", 1))
    assert "[Hội]" in s.search("hội nghị", highlight=["[", "]"])[0].snippet  # a list pair is fine
    with pytest.raises(ValueError):
        s.search("hội nghị", snippet_chars=-1)


def test_sort_names_both_spellings_undated_last(dated_db):
    s = vnsearch.Searcher(dated_db)
    order = lambda sort: [h.id for h in s.search("hội nghị", sort=sort)]  # noqa: E731
    assert order("date_asc") == order("date-asc") == ["a", "b", "c", "u"]
    assert order("date_desc") == order("date-desc") == order("date") == ["c", "b", "a", "u"]
    assert set(vnsearch.SORT_ORDERS) == {"relevance", "date", "date_desc", "date_asc", "date-desc", "date-asc"}
    for name in vnsearch.SORT_ORDERS:
        s.search("hội nghị", sort=name)
    with pytest.raises(ValueError, match="date_asc"):
        s.search("hội nghị", sort="oldest")
    with pytest.raises(TypeError):
        s.search("hội nghị", sort=None)


def test_stubs_use_literal_sort_values():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    alias = next(n for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "_SortOrder")
    values = {e.value for e in alias.value.slice.elts}
    assert values == set(vnsearch.SORT_ORDERS)
    search = next(f for c in tree.body if isinstance(c, ast.ClassDef) and c.name == "Searcher"
                  for f in c.body if isinstance(f, ast.FunctionDef) and f.name == "search")
    sort = next(a for a in search.args.kwonlyargs if a.arg == "sort")
    assert ast.unparse(sort.annotation) == "_SortOrder"


def test_total_exact(dated_db, tmp_path):
    s = vnsearch.Searcher(dated_db)
    r = s.search("hội nghị")
    assert r.total == 4 and r.total_exact is True
    path = str(tmp_path / "big")
    with vnsearch.IndexBuilder(path, threads=2) as b:
        for i in range(3000):
            b.add(id=f"g{i}", body="tin" + (" xanh" if i % 2 == 0 else "") + (" đỏ" if i % 3 == 0 else "") + "." * (i % 7))
    big = vnsearch.Searcher(path)
    estimated = big.search("+xanh +đỏ", limit=5, suggest=False)
    assert estimated.total_exact is False
    counted = big.search("+xanh +đỏ", limit=0, suggest=False)
    assert counted.total_exact is True and counted.total == 500 and len(counted) == 0
    assert "about" in estimated._repr_html_() and "about" not in counted._repr_html_()


def test_searcher_document(dated_db):
    s = vnsearch.Searcher(dated_db)
    d = s.document("a")
    assert isinstance(d, vnsearch.Document)
    assert d.id == "a" and d.title == "Tin a" and d.date == "2018"
    assert "tổng kết" in d.body and d.fields == {"label": "the thao"}
    b = s.document("b")
    assert b.url == "https://example.org/b" and b.author == "Hà" and b.source == "Báo Lạng Sơn"
    assert s.document("nope") is None
    s.close()
    with pytest.raises(vnsearch.Error, match="closed"):
        s.document("a")


def test_remove_is_the_name_delete_is_deprecated(tmp_path):
    path = str(tmp_path / "db")
    with vnsearch.Index(path) as ix:
        ix.add(id="a", body="một")
        ix.add(id="b", body="hai")
        assert ix.remove("a") is True and ix.remove("a") is False
        with pytest.deprecated_call():
            assert ix.delete("b") is True
    assert len(vnsearch.Searcher(path)) == 0


def test_dir_shows_only_the_api():
    names = set(dir(vnsearch))
    assert names == set(vnsearch.__all__) | {"__version__"}
    for leaked in ("os", "_os", "_vnsearch", "dataclass", "field", "Any", "overload", "annotations", "_html"):
        assert leaked not in names
    for name in vnsearch.__all__:
        assert hasattr(vnsearch, name), name
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        exec("from vnsearch import *", {})
