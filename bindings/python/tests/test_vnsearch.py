"""The Python surface of vnsearch, run with Debian's pytest against the built module."""
import threading

import pytest

import vnsearch

CHI_LANG = "000_36fbaf0990d157c1"
LANG_SON = "002_e8d5dcae7cb99294"


def test_analyze_offsets_are_str_indices():
    text = "Huyện uỷ Chợ Mới ban hành Nghị quyết 03-NQ/HU"
    tokens = vnsearch.analyze(text)
    assert [t.exact for t in tokens[:4]] == ["huyện", "uỷ", "chợ", "mới"]
    for t in tokens:
        assert text[t.start:t.end] == t.text
        assert text.encode()[t.byte_start:t.byte_end].decode() == t.text
    code = next(t for t in tokens if t.kind == "code")
    assert code.text == "03-NQ/HU"
    assert [t.text for t in tokens if t.part] == ["03", "NQ", "HU"]


def test_normalize_fold_lower():
    assert vnsearch.normalize("hòa khỏe thủy") == "hoà khoẻ thuỷ"
    assert vnsearch.fold("Đảng bộ Lạng Sơn") == "dang bo lang son"
    assert vnsearch.fold("Ðảng") == "dang"
    assert vnsearch.lower("ĐẢNG") == "đảng"
    nfd = "Nghi\u0323 quyê\u0301t"
    assert vnsearch.normalize(nfd) == "Nghị quyết"


@pytest.mark.parametrize("query", ["chi lang", "Chi Lăng", "CHI LĂNG", "Chi La\u0306ng"])
def test_search_with_and_without_diacritics(seed_db, query):
    results = vnsearch.Searcher(seed_db).search(query)
    assert results[0].id == CHI_LANG
    assert results.total >= 1


def test_exact_diacritics_preferred(seed_db):
    results = vnsearch.Searcher(seed_db).search("lạng")
    assert results[0].id == LANG_SON


def test_results_protocol_and_html(seed_db):
    results = vnsearch.Searcher(seed_db).search("chi lang", limit=3, highlight=("[", "]"))
    assert 1 <= len(results) <= 3
    assert list(results)[0] is results[0]
    assert results[0:1] == [results[0]]
    hit = results[0]
    assert hit.rank == 1 and hit.score > 0 and hit.title
    assert "[Chi] [Lăng]" in hit.snippet
    html = results._repr_html_()
    assert "<table" in html and "<mark>Chi</mark>" in html
    # everything else is escaped
    evil = vnsearch.Searcher(seed_db).search("chi lang", highlight=("<<", ">>"))
    assert "<<" not in evil._repr_html_()


def test_paging_sort_facets_and_warnings(seed_db):
    s = vnsearch.Searcher(seed_db)
    first = s.search("đảng", limit=2)
    second = s.search("đảng", limit=2, offset=2)
    assert [h.rank for h in second] == [3, 4]
    assert not {h.id for h in first} & {h.id for h in second}
    assert s.search("đảng", facets=True).years is not None
    r = s.search('"Chi Lăng')
    assert r.warnings and r[0].id == CHI_LANG
    with pytest.raises(ValueError):
        s.search("đảng", sort="sideways")


def test_index_context_manager_commits_or_rolls_back(tmp_path):
    path = str(tmp_path / "db")
    with vnsearch.Index(path) as ix:
        assert ix.add(id="a", title="Thạch Thất", body="Đảng bộ huyện", date="2018-10-29", topic="politics") == "added"
        assert ix.add(id="a", title="Thạch Thất", body="Đảng bộ huyện Thạch Thất") == "replaced"
    with pytest.raises(RuntimeError):
        with vnsearch.Index(path) as ix:
            ix.add(id="b", title="Quế Phong")
            raise RuntimeError("boom")
    s = vnsearch.Searcher(path)
    assert len(s) == 1
    hit = s.search("thach that")[0]
    assert hit.id == "a"
    with vnsearch.Index(path) as ix:
        assert ix.remove("a") and not ix.remove("a")
    s.reopen()
    assert len(s) == 0


def test_error_hierarchy(tmp_path):
    assert issubclass(vnsearch.LockError, vnsearch.DatabaseError)
    assert issubclass(vnsearch.DatabaseError, vnsearch.Error)
    with pytest.raises(vnsearch.DatabaseError):
        vnsearch.Searcher(str(tmp_path / "missing"))
    path = str(tmp_path / "db")
    first = vnsearch.Index(path)
    with pytest.raises(vnsearch.LockError, match="locked by another writer"):
        vnsearch.Index(path)
    first.close()
    vnsearch.Index(path).close()  # the lock is released on close
    with vnsearch.Index(path) as ix, pytest.raises(vnsearch.DocumentError):
        ix.add(id="x", date="25/07/2024")


def test_gil_released_during_search(seed_db):
    s = vnsearch.Searcher(seed_db)
    errors = []

    def work():
        try:
            for _ in range(20):
                assert vnsearch.Searcher(seed_db).search("nghi quyet 22")[0].id == LANG_SON
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(s) == 5


def test_one_searcher_shared_by_threads_while_a_writer_commits(tmp_path):
    path = str(tmp_path / "db")
    queries = ["chi lang", "hội nghị Lạng Sơn", '"nghị quyết" -lạng', "dang vien OR can bo"]

    def answer(s, q):
        r = s.search(q, limit=10, snippet_chars=60)
        return [(h.id, h.score) for h in r], r.suggestion

    with vnsearch.Index(path) as ix:
        ix.add(id="seed", title="Chi Lăng", body="Hội nghị ở Chi Lăng, Lạng Sơn.")
    shared = vnsearch.Searcher(path)
    stop = threading.Event()
    errors = []

    def reader(k):
        try:
            i = 0
            while not stop.is_set() or i < len(queries):
                answer(shared, queries[(i + k) % len(queries)])
                if k == 0 and i % 5 == 0:
                    shared.reopen()
                i += 1
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    with vnsearch.Index(path) as ix:
        for b in range(30):
            for i in range(10):
                ix.add(id=f"d{b}-{i}", title=f"Hội nghị lần {b}",
                       body=f"Đảng bộ huyện Chi Lăng, nghị quyết số {i}, cán bộ đảng viên ở Lạng Sơn.")
            ix.commit()
    stop.set()
    for t in threads:
        t.join()
    assert not errors
    shared.reopen()
    expected = {q: answer(vnsearch.Searcher(path), q) for q in queries}
    mismatches = []

    def check():
        for _ in range(3):
            for q in queries:
                if answer(shared, q) != expected[q]:
                    mismatches.append(q)

    threads = [threading.Thread(target=check) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not mismatches
    assert len(shared) == 301


def test_searcher_close_and_context_manager(seed_db):
    with vnsearch.Searcher(seed_db) as s:
        assert len(s.search("chi lang")) > 0
    assert s.closed
    s.close()  # idempotent
    for call in (lambda: s.search("chi lang"), lambda: s.suggest("chi lang"), lambda: len(s), s.reopen, s.info):
        with pytest.raises(vnsearch.Error, match="closed"):
            call()


def test_to_pandas(seed_db):
    pd = pytest.importorskip("pandas")
    df = vnsearch.Searcher(seed_db).search("chi lang").to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert df.iloc[0]["id"] == CHI_LANG


def test_suggestion_restores_diacritics_and_decodes_telex(seed_db):
    s = vnsearch.Searcher(seed_db)
    assert s.suggest("chi lang") == vnsearch.Suggestion("Chi Lăng", "diacritics")
    assert s.suggest("nghi quyet") == ("nghị quyết", "diacritics")
    assert s.suggest("nghij quyeets") == ("nghị quyết", "telex")
    assert s.suggest("nghi5 quye6t1") == ("nghị quyết", "vni")
    assert s.suggest("Chi Lăng") is None
    results = s.search("thach that")
    assert results.suggestion == "Thạch Thất" and results.suggestion_reason == "diacritics"
    assert s.search("thach that", suggest=False).suggestion == ""


def test_searcher_over_several_shards(seed_db, tmp_path):
    other = tmp_path / "other"
    with vnsearch.Index(str(other)) as ix:
        ix.add("extra-1", title="Thêm", body="Một bài về Chi Lăng ở Lạng Sơn.")
    both = vnsearch.Searcher([seed_db, other])
    assert len(both) == len(vnsearch.Searcher(seed_db)) + 1
    assert both.info()["shards"] == 2
    assert "extra-1" in [h.id for h in both.search("chi lang", limit=20)]


def test_exhaustive_ranks_documents_holding_only_common_words(tmp_path):
    # "của" is in every document (well over 10 % and 1,000 of them): by default it finds no
    # candidates of its own, so the documents holding only it are not hits.
    db = str(tmp_path / "common")
    with vnsearch.Index(db) as ix:
        for i in range(1500):
            ix.add(f"d{i}", body=f"của {'lăng' if i % 100 == 0 else 'thành'} {i}")
        for i in range(3):
            ix.add(f"only{i}", body="của của")
    s = vnsearch.Searcher(db)
    fast = s.search("lăng của", limit=2000, suggest=False)
    full = s.search("lăng của", limit=2000, suggest=False, exhaustive=True)
    assert [h.id for h in fast] == [f"d{i}" for i in range(0, 1500, 100)]
    assert [h.id for h in full][:15] == [h.id for h in fast]
    assert "only0" in [h.id for h in full] and fast.total < full.total
    assert [h.id for h in s.search("của", limit=5)] == [h.id for h in s.search("của", limit=5, exhaustive=True)]


def test_abbreviations_both_ways(tmp_path):
    db = str(tmp_path / "abbr")
    with vnsearch.Index(db) as ix:
        ix.add("short", body="Huyện uỷ chỉ đạo các TCCSĐ rà soát.")
        ix.add("long", body="Huyện uỷ chỉ đạo các tổ chức cơ sở đảng rà soát.")
        ix.add("def", body="Hệ thống chính trị (HTCT) ở cơ sở.")
        ix.add_abbreviation("BQLDA", "ban quản lý dự án")
    s = vnsearch.Searcher(db)
    assert [h.id for h in s.search("TCCSĐ")] == ["short", "long"]
    assert [h.id for h in s.search("to chuc co so dang")][:2] == ["long", "short"]
    learned = {(a["abbreviation"], a["expansion"], a["origin"]) for a in s.abbreviations()}
    assert ("HTCT", "hệ thống chính trị", "learned") in learned
    assert ("BQLDA", "ban quản lý dự án", "user") in learned
    assert any(a["abbreviation"] == "HĐND" for a in s.abbreviations(builtin=True))


def test_index_builder_matches_index(tmp_path):
    docs = [(f"d{i}", f"Tin số {i}", f"Huyện Chi Lăng, tỉnh Lạng Sơn: bài {i} về đảng bộ xã {i % 7}.") for i in range(300)]
    with vnsearch.Index(str(tmp_path / "one")) as ix:
        for id, title, body in docs:
            ix.add(id, title=title, body=body)
    with vnsearch.IndexBuilder(str(tmp_path / "par"), threads=2) as b:
        assert b.threads == 2
        for id, title, body in docs:
            b.add(id, title=title, body=body)
    one, par = vnsearch.Searcher(str(tmp_path / "one")), vnsearch.Searcher(str(tmp_path / "par"))
    assert len(par) == len(one) == 300
    for q in ["chi lang", "xã 3", "bài 17"]:
        a, b = one.search(q, limit=50, suggest=False), par.search(q, limit=50, suggest=False)
        assert [(h.id, h.score) for h in a] == [(h.id, h.score) for h in b]
    # Abandoned on an error: nothing written.
    try:
        with vnsearch.IndexBuilder(str(tmp_path / "bad")) as b:
            b.add("x", body="Chi Lăng")
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert len(vnsearch.Searcher(str(tmp_path / "bad"))) == 0


def test_similar_related_articles(tmp_path):
    topics = {
        "bong-da": ("Đội tuyển bóng đá thắng trận", "Cầu thủ ghi bàn thắng trên sân, huấn luyện viên khen đội tuyển bóng đá."),
        "bong-da-2": ("Huấn luyện viên chọn cầu thủ", "Đội tuyển bóng đá tập trung, cầu thủ tập sút bóng trên sân."),
        "bong-da-3": ("Tiền đạo ghi bàn thắng", "Trận đấu có nhiều bàn thắng, cầu thủ và huấn luyện viên ăn mừng."),
        "lua-gao": ("Giá lúa gạo tăng", "Nông dân bán lúa được giá, doanh nghiệp xuất khẩu gạo."),
        "lua-gao-2": ("Xuất khẩu gạo tăng mạnh", "Giá gạo xuất khẩu tăng, nông dân trồng lúa phấn khởi."),
        "lua-gao-3": ("Nông dân thu hoạch lúa", "Vụ lúa được mùa, thương lái mua lúa gạo của nông dân."),
    }
    path = str(tmp_path / "db")
    with vnsearch.Index(path) as ix:
        for id, (title, body) in topics.items():
            ix.add(id=id, title=title, body=body)
        ix.add(id="bong-da-copy", title=topics["bong-da"][0], body=topics["bong-da"][1])  # an exact duplicate
    s = vnsearch.Searcher(path)
    r = s.similar("bong-da", limit=2, highlight=("[", "]"))
    assert isinstance(r, vnsearch.Results)
    assert r.query == "bong-da"
    assert {h.id for h in r} == {"bong-da-2", "bong-da-3"}
    assert r[0].rank == 1 and "[" in r[0].snippet
    everything = {h.id for h in s.similar("bong-da", limit=100)}
    assert "bong-da" not in everything and "bong-da-copy" not in everything
    assert {h.id for h in s.similar("lua-gao", limit=2, snippet_chars=0)} == {"lua-gao-2", "lua-gao-3"}
    with pytest.raises(vnsearch.NotFoundError, match="no document with id"):
        s.similar("no-such-id")
    assert issubclass(vnsearch.NotFoundError, vnsearch.Error)
    with pytest.raises(ValueError):
        s.similar("bong-da", limit=-1)
    # Shared by threads, as search is.
    out = []
    threads = [threading.Thread(target=lambda: out.append(len(s.similar("lua-gao-2", limit=2)))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [2, 2, 2, 2]
