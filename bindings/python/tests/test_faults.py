"""Faults from Python (issue 12): writers shared by threads, use after close, failures that
must raise vnsearch.Error — never crash the interpreter."""
import os
import subprocess
import sys
import threading

import pytest

import vnsearch
from vnsearch import _vnsearch


def doc(i):
    return dict(id=f"d{i}", title=f"Tin số {i}",
                body=f"Huyện Chi Lăng, tỉnh Lạng Sơn: bài {i} về đảng bộ xã {i % 7}. Ban quản lý dự án (BQLDA) họp.",
                date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}")


def run_threads(work, n=4):
    errors = []

    def guarded(t):
        try:
            work(t)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_one_index_shared_by_four_threads(tmp_path):
    docs = [doc(i) for i in range(400)]
    with vnsearch.Index(str(tmp_path / "serial")) as ix:
        for d in docs:
            ix.add(**d)
    shared = vnsearch.Index(str(tmp_path / "shared"), auto_commit_bytes=8 << 10)

    def work(t):
        for i in range(t, len(docs), 4):
            assert shared.add(**docs[i]) == "added"
            if i % 40 == 0:
                shared.commit()
            if i % 25 == 0:
                len(shared)

    run_threads(work)
    assert len(shared) == 400
    shared.close()
    serial, par = vnsearch.Searcher(str(tmp_path / "serial")), vnsearch.Searcher(str(tmp_path / "shared"))
    assert len(par) == 400
    for q in ["chi lang", "xã 3", "bài 17", "BQLDA"]:
        a, b = serial.search(q, limit=500, suggest=False), par.search(q, limit=500, suggest=False)
        assert sorted((h.id, round(h.score, 9)) for h in a) == sorted((h.id, round(h.score, 9)) for h in b)
    assert serial.abbreviations() == par.abbreviations()


def test_index_builder_fed_by_four_threads(tmp_path):
    docs = [doc(i) for i in range(400)]
    b = vnsearch.IndexBuilder(str(tmp_path / "built"), threads=2)

    def work(t):
        for i in range(t, len(docs), 4):
            b.add(**docs[i])

    run_threads(work)
    b.finish()
    s = vnsearch.Searcher(str(tmp_path / "built"))
    assert len(s) == 400
    assert {h.id for h in s.search("chi lang", limit=1000, suggest=False)} == {d["id"] for d in docs}
    assert not os.path.exists(str(tmp_path / "built") + ".vnsearch-build")


def test_one_searcher_shared_by_four_threads(seed_db):
    s = vnsearch.Searcher(seed_db)
    expected = [h.id for h in s.search("nghi quyet 22")]

    def work(t):
        for _ in range(20):
            assert [h.id for h in s.search("nghi quyet 22")] == expected
            assert len(s) == 5
            s.suggest("chi lang")

    run_threads(work)


def test_use_after_close_raises_error(tmp_path):
    path = str(tmp_path / "db")
    ix = vnsearch.Index(path)
    ix.add(**doc(1))
    ix.close()
    ix.close()  # closing again does nothing
    for use in (lambda: ix.add(**doc(2)), lambda: len(ix), ix.commit, ix.rollback, lambda: ix.remove("d1")):
        with pytest.raises(vnsearch.Error):
            use()
    # The compiled objects themselves, used after close: vnsearch.Error, never a crash.
    raw = _vnsearch.Index(path, True, 4 << 20, 1 << 20)
    raw.close()
    with pytest.raises(vnsearch.Error, match="closed"):
        raw.add("x", "", "", "", "", "", "", {})
    with pytest.raises(vnsearch.Error):
        len(raw)
    b = _vnsearch.IndexBuilder(str(tmp_path / "built"), 1)
    b.close()
    with pytest.raises(vnsearch.Error, match="closed"):
        b.add("x", "", "", "", "", "", "", {})
    with pytest.raises(vnsearch.Error):
        b.finish()
    builder = vnsearch.IndexBuilder(str(tmp_path / "built2"))
    builder.close()
    with pytest.raises(vnsearch.Error):
        builder.add(**doc(1))
    assert len(vnsearch.Searcher(path)) == 1


DAEMONS_AT_EXIT = """
import sys, threading, time
import vnsearch
path = sys.argv[1]
with vnsearch.Index(path) as ix:
    for i in range(200):
        ix.add(id=f"d{i}", title=f"Hà Nội công an {i}", body="Công an thành phố Hà Nội " * 50)
s = vnsearch.Searcher(path)
ix = vnsearch.Index(path + "-w")
text = "Công an Hà Nội xyz " * 2000
def search():
    while True:
        s.search("hà nội công an", facets=True)
def index():
    n = 0
    while True:
        n += 1
        ix.add(id=f"w{n}", title="Hà Nội", body=text)
def places():
    while True:
        vnsearch.places(text)
for f in (search, index, places, search):
    threading.Thread(target=f, daemon=True).start()
time.sleep(0.5)
print("exiting", flush=True)
"""


def test_daemon_threads_inside_the_library_at_exit_end_quietly(tmp_path):
    # When the interpreter exits, CPython ends a daemon thread that takes the GIL back: from
    # inside a call into the library that once aborted the process (std::terminate).
    script = tmp_path / "daemons.py"
    script.write_text(DAEMONS_AT_EXIT)
    for _ in range(3):
        r = subprocess.run([sys.executable, str(script), str(tmp_path / "db")], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert "exiting" in r.stdout
        assert "terminate" not in r.stderr


def test_close_commits_and_raises_on_failure(tmp_path):
    path = str(tmp_path / "db")
    ix = vnsearch.Index(path)
    ix.add(**doc(1))
    ix.close()  # commits
    assert len(vnsearch.Searcher(path)) == 1
    # A commit refused for lack of space: close() raises, and still releases the lock.
    ix = vnsearch.Index(path, min_free_bytes=1 << 62)
    ix.add(**doc(2))
    with pytest.raises(vnsearch.DiskFullError, match="^disk full: "):
        ix.commit()
    assert len(ix) == 2  # the batch is kept
    with pytest.raises(vnsearch.DiskFullError):
        ix.close()
    with vnsearch.Index(path) as again:  # the lock was released
        assert len(again) == 1
    assert issubclass(vnsearch.DiskFullError, vnsearch.IoError)


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 20 MB tmpfs, filled but for ~3 MB (needs root, as in CI)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs ({r.stderr.strip()}): the full-disk tests need root, as in CI")
    try:
        st = os.statvfs(str(mnt))
        with open(mnt / "ballast", "wb") as f:
            f.write(b"x" * (st.f_bfree * st.f_frsize - (3 << 20)))
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_index_builder_on_a_full_disk_raises_vnsearch_error(tiny_tmpfs):
    path = str(tiny_tmpfs / "db")
    words = ["công", "tác", "xây", "dựng", "Đảng", "huyện", "Chi", "Lăng", "nghị", "quyết", "Thạch", "Thất"]
    with pytest.raises(vnsearch.Error, match="^disk full: "):
        with vnsearch.IndexBuilder(path, threads=2) as b:
            for i in range(3000):
                body = " ".join(f"{words[(i * 7 + k) % 12]}{i % 97}x{k}" for k in range(60))
                b.add(id=f"d{i}", title=f"Bài {i}", body=body)
    assert not os.path.exists(path + ".vnsearch-build")


def test_a_file_name_that_is_not_utf8_is_read_and_named(tmp_path):
    # A name made on a Latin-1 / Windows-1258 system: its byte shows as %E0, in the id and
    # in a problem's path, and the rest of the batch is kept.
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"b\xe0i.txt"), "w", encoding="utf-8") as f:
        f.write("Hội nghị Ban Chấp hành\n\nNội dung bài viết về hội nghị.")
    open(os.path.join(os.fsencode(folder), b"r\xf6ng.txt"), "w").close()
    (folder / "ok.txt").write_text("Tiêu đề\n\nThân bài.", encoding="utf-8")
    db = str(tmp_path / "db")
    with vnsearch.Index(db) as ix:
        report = ix.add_path(str(folder))
    assert (report.added, report.skipped) == (2, 1)
    assert report.problems[0][0].endswith("r%F6ng.txt") and report.problems[0][1] == "empty file"
    assert sorted(d.id for d in vnsearch.read(str(folder))) == ["b%E0i", "ok"]
    assert len(vnsearch.Searcher(db)) == 2


def test_none_is_no_id(tmp_path):
    # str(None) would quietly make a document "None" (and remove it again).
    with vnsearch.Index(str(tmp_path / "db")) as ix:
        with pytest.raises(TypeError, match="id"):
            ix.add(None, title="Tiêu đề")
        with pytest.raises(TypeError, match="id"):
            ix.remove(None)
        assert ix.add(5, title="Tiêu đề") == "added"  # a number is its text, as in JSONL
    b = vnsearch.IndexBuilder(str(tmp_path / "built"))
    with pytest.raises(TypeError, match="id"):
        b.add(None, title="Tiêu đề")
    b.close()
    assert vnsearch.Searcher(str(tmp_path / "db")).document("5") is not None


def test_a_query_is_a_str(seed_db):
    s = vnsearch.Searcher(seed_db)
    for bad in (b"h\xe0", b"chi lang", None, 5):
        with pytest.raises(TypeError, match="query must be a str"):
            s.search(bad)
        with pytest.raises(TypeError, match="query must be a str"):
            s.suggest(bad)
    assert s.search("chi lang").total > 0
