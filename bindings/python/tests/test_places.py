"""Places from Python (issue 15): vnsearch.places(), Hit.places, place facets and filters."""
import unicodedata

import pytest

import vnsearch


def test_places_gives_units_with_offsets_and_both_maps():
    text = "Nông dân huyện Chợ Mới (Bắc Kạn) thu hoạch lúa."
    found = vnsearch.places(text)
    cho_moi = [m for m in found if m.place.unit.name == "Chợ Mới"]
    assert len(cho_moi) == 1
    m = cho_moi[0]
    assert text[m.start:m.end] == m.text
    assert text.encode()[m.byte_start:m.byte_end].decode() == m.text
    assert m.place.unit.level == "district"
    assert m.place.unit.geography == "before_2025"
    assert m.place.old_province.name == "Bắc Kạn"
    assert [p.name for p in m.place.provinces] == ["Thái Nguyên"]
    assert m.place.provinces[0].geography == "current"


def test_places_is_the_same_in_nfd_and_ignores_peace():
    text = "Hội nghị ở tỉnh Lạng Sơn bàn về hòa bình."
    names = [m.place.unit.name for m in vnsearch.places(text)]
    assert names == ["Lạng Sơn"]
    nfd = unicodedata.normalize("NFD", text)
    assert [m.place.unit.name for m in vnsearch.places(nfd)] == names
    assert vnsearch.places("") == []


def test_places_never_crashes_on_odd_input():
    assert vnsearch.places("\x00\x01 \ufffd" * 1000) == []
    with pytest.raises(TypeError):
        vnsearch.places(None)  # type: ignore[arg-type]


def test_hits_carry_places_and_place_facets(seed_db):
    s = vnsearch.Searcher(seed_db)
    r = s.search("đảng", facets=["province", "old_province"])
    assert r.total == 5
    provinces = dict(r.facets["province"])
    assert provinces["Lạng Sơn"] == 2 and provinces["Thái Nguyên"] == 1
    assert "Bắc Kạn" not in provinces
    assert dict(r.facets["old_province"])["Bắc Kạn"] == 1
    hit = next(h for h in r if h.id.startswith("004"))
    assert any(p.old_province and p.old_province.name == "Bắc Kạn" for p in hit.places)
    assert all(isinstance(p, vnsearch.Place) for h in r for p in h.places)


def test_place_filters(seed_db):
    s = vnsearch.Searcher(seed_db)
    assert [h.id[:3] for h in s.search("", filters={"province": "Thái Nguyên"})] == ["004"]
    assert [h.id[:3] for h in s.search("", filters={"old_province": "bac kan"})] == ["004"]
    with pytest.raises(vnsearch.Error, match="old_province"):
        s.search("", filters={"province": "Bắc Kạn"})


def test_query_naming_a_province_finds_its_district(seed_db):
    s = vnsearch.Searcher(seed_db)
    ids = [h.id[:3] for h in s.search("lang son")]
    assert ids[0] == "002" and "000" in ids
