"""Shard sets from Python: Index(path, shards=N) routes each document to shard
fnv1a32(id) mod N, and a Searcher over the set directory answers as one database."""
import json

import pytest

import vnsearch

from conftest import CORPUS, read_article


def _fnv1a32(data: bytes) -> int:
    h = 2166136261
    for b in data:
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def _docs():
    docs = []
    for f in sorted(CORPUS.glob("*.txt")):
        title, body = read_article(f)
        for k, para in enumerate(p for p in body.split("\n") if len(p) > 40):
            docs.append((f"{f.stem}#{k}", title, para))
    for i in range(150):
        docs.append((f"gen-{i}", f"Tin số {i}", f"Huyện Chi Lăng, tỉnh Lạng Sơn: bài {i} về đảng bộ xã {i % 7}."))
    return docs


def test_index_with_shards_matches_one_database(tmp_path):
    docs = _docs()
    one, sset = str(tmp_path / "one"), str(tmp_path / "set")
    with vnsearch.Index(one) as a, vnsearch.Index(sset, shards=3) as b:
        for id, title, body in docs:
            a.add(id, title=title, body=body, topic=str(len(body) % 3))
            b.add(id, title=title, body=body, topic=str(len(body) % 3))
        assert len(b) == len(docs)
    manifest = json.loads((tmp_path / "set" / "vnsearch-shards.json").read_text())
    assert manifest == {"format": "vnsearch-shards", "version": 1, "hash": "fnv1a-32",
                        "shards": ["shard-000", "shard-001", "shard-002"]}
    # Each document sits in the shard its id hashes to.
    for id, _, _ in docs[::9]:
        k = _fnv1a32(id.encode("utf-8")) % 3
        for j in range(3):
            shard = vnsearch.Searcher(str(tmp_path / "set" / f"shard-00{j}"))
            assert (shard.document(id) is not None) == (j == k), (id, j)

    s1, s3 = vnsearch.Searcher(one), vnsearch.Searcher(sset)
    assert len(s3) == len(s1) == len(docs)
    assert s3.info()["shards"] == 3
    for q in ["chi lang", "đảng bộ xã 3", "\"nghị quyết\"", "topic:1"]:
        a = s1.search(q, limit=1000, facets=["year", "source", "topic"])
        b = s3.search(q, limit=1000, facets=["year", "source", "topic"])
        assert a.total == b.total
        assert sorted(((h.id, round(h.score, 9)) for h in a), key=lambda t: (-t[1], t[0])) == \
            sorted(((h.id, round(h.score, 9)) for h in b), key=lambda t: (-t[1], t[0]))
        assert a.facets == b.facets
    assert s3.document("gen-5").title == "Tin số 5"


def test_shard_set_replace_remove_and_errors(tmp_path):
    sset = str(tmp_path / "set")
    with vnsearch.Index(sset, shards=2) as ix:
        ix.add("a", body="Chi Lăng lần một")
        ix.add("b", body="Lạng Sơn")
    with vnsearch.Index(sset) as ix:  # the manifest says how many shards
        assert ix.add("a", body="Thạch Thất lần hai") == "replaced"
        assert ix.remove("b")
    s = vnsearch.Searcher(sset)
    assert len(s) == 1
    assert [h.id for h in s.search("thach that")] == ["a"]
    assert s.search("chi lang").total == 0
    with pytest.raises(vnsearch.DatabaseError, match="shard set of 2 shards, not 3"):
        vnsearch.Index(sset, shards=3)
    with pytest.raises(ValueError):
        vnsearch.Index(sset, shards=-1)
    single = str(tmp_path / "single")
    vnsearch.Index(single).close()
    with pytest.raises(vnsearch.DatabaseError, match="single database"):
        vnsearch.Index(single, shards=2)
    with vnsearch.Index(sset) as writer:
        with pytest.raises(vnsearch.LockError):
            vnsearch.Index(sset)
        writer.add("c", body="x")


def test_index_builder_with_shards(tmp_path):
    docs = _docs()
    with vnsearch.IndexBuilder(str(tmp_path / "built"), threads=2, shards=3) as b:
        for id, title, body in docs:
            b.add(id, title=title, body=body)
    s = vnsearch.Searcher(str(tmp_path / "built"))
    assert len(s) == len(docs)
    assert s.info()["shards"] == 3
