// Places in the index and the query path (issue 15): province facets and filters on both
// maps, queries that name a unit also finding its sub-units, places on hits. On the seed
// corpus (real ingestion) and small synthetic indexes.
#include <algorithm>
#include <filesystem>
#include <map>

#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::seed_db;
using vnsearch_test::TempDir;
using vnsearch_test::nfd;
using namespace vnsearch_test::seeds;

namespace {

std::vector<std::string> ids(const vnsearch::Results& r) {
    std::vector<std::string> v;
    for (const auto& h : r) v.push_back(h.id);
    return v;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::map<std::string, std::size_t> counts(const std::vector<vnsearch::FacetCount>& f) {
    std::map<std::string, std::size_t> m;
    for (const auto& c : f) m[c.value] = c.count;
    return m;
}

vnsearch::Results search(const std::string& q, vnsearch::SearchOptions o = {}) {
    vnsearch::Searcher s(seed_db());
    o.limit = 10;
    return s.search(q, o);
}

std::vector<std::string> filtered(const std::string& field, const std::string& value) {
    vnsearch::SearchOptions o;
    o.filters = {{field, value}};
    return ids(search("", o));
}

}  // namespace

TEST_CASE("province facets on the seed corpus, on both maps", "[places][facets]") {
    vnsearch::SearchOptions o;
    o.facet_fields = {"province", "old_province", "old_district"};
    vnsearch::Searcher s(seed_db());
    const vnsearch::Results r = s.search("đảng", o);
    REQUIRE(r.total == 5);
    using M = std::map<std::string, std::size_t>;
    // Exactly the figures: nothing else is tagged (no Hồ Chí Minh from the person).
    CHECK(counts(r.facets.at("province")) == M{{"Lạng Sơn", 2}, {"Hà Nội", 1}, {"Nghệ An", 1}, {"Thái Nguyên", 1}});
    CHECK(counts(r.facets.at("old_province")) == M{{"Lạng Sơn", 2}, {"Hà Nội", 1}, {"Nghệ An", 1}, {"Bắc Kạn", 1}});
    const auto now = counts(r.facets.at("province"));
    CHECK(now.at("Lạng Sơn") == 2);
    CHECK(now.at("Hà Nội") == 1);
    CHECK(now.at("Nghệ An") == 1);
    CHECK(now.at("Thái Nguyên") == 1);
    CHECK(now.count("Bắc Kạn") == 0);  // not a province since 2025
    const auto old = counts(r.facets.at("old_province"));
    CHECK(old.at("Lạng Sơn") == 2);
    CHECK(old.at("Hà Nội") == 1);
    CHECK(old.at("Nghệ An") == 1);
    CHECK(old.at("Bắc Kạn") == 1);
    CHECK(old.count("Thái Nguyên") == 0);
    const auto districts = counts(r.facets.at("old_district"));
    CHECK(districts.at("Chi Lăng (Lạng Sơn)") == 1);
    CHECK(districts.at("Thạch Thất (Hà Nội)") == 1);
    CHECK(districts.at("Quế Phong (Nghệ An)") == 1);
    CHECK(districts.at("Chợ Mới (Bắc Kạn)") == 1);
    CHECK(districts.count("Chợ Mới (An Giang)") == 0);
}

TEST_CASE("place filters: the province of today holds its old provinces' units", "[places][filters]") {
    const auto thai_nguyen = filtered("province", "Thái Nguyên");
    CHECK(thai_nguyen == std::vector<std::string>{kChoMoi});  // the Chợ Mới (Bắc Kạn) article
    CHECK(filtered("province", "thai nguyen") == thai_nguyen);
    CHECK(filtered("old_province", "Bắc Kạn") == thai_nguyen);
    CHECK(filtered("old_province", "Thái Nguyên").empty());
    const auto lang_son = filtered("province", "Lạng Sơn");
    CHECK(lang_son.size() == 2);
    CHECK(has(lang_son, kChiLang));
    CHECK(has(lang_son, kLangSon));
    CHECK(filtered("old_district", "Chi Lăng") == std::vector<std::string>{kChiLang});
    // The facet's spelling of a district reads back as a filter.
    CHECK(filtered("old_district", "Chợ Mới (Bắc Kạn)") == thai_nguyen);
    CHECK(filtered("old_district", "Chợ Mới (An Giang)").empty());
    CHECK(filtered("province", "Hà Nội") == std::vector<std::string>{kThachThat});
    CHECK(filtered("province", nfd("Nghệ An")) == std::vector<std::string>{kQuePhong});

    // In the query language too, as filters (not ranked).
    const auto q = search("đảng province:\"Thái Nguyên\"");
    CHECK(ids(q) == thai_nguyen);
    CHECK(search("đảng -province:\"Lạng Sơn\"").total == 3);

    // An unknown name is an error as a structured filter, a warning (and no match) in a query.
    vnsearch::Searcher s(seed_db());
    vnsearch::SearchOptions bad;
    bad.filters = {{"province", "Bắc Kạn"}};
    try {
        s.search("", bad);
        FAIL("no error");
    } catch (const vnsearch::Error& e) {
        CHECK_THAT(e.what(), Catch::Contains("old_province"));
    }
    bad.filters = {{"old_province", "Atlantis"}};
    CHECK_THROWS_AS(s.search("", bad), vnsearch::Error);
    const auto w = search("đảng province:Atlantis");
    REQUIRE_FALSE(w.warnings.empty());
    CHECK_THAT(w.warnings[0], Catch::Contains("Atlantis"));
}

TEST_CASE("a query naming a unit finds its sub-units below the documents naming it", "[places][search]") {
    SECTION("Lạng Sơn: the Nghị quyết 22 article first, and the Chi Lăng article") {
        for (const std::string& q : std::vector<std::string>{"Lạng Sơn", "lang son", "LẠNG SƠN", nfd("Lạng Sơn")}) {
            INFO(q);
            const auto r = ids(search(q));
            REQUIRE_FALSE(r.empty());
            CHECK(r[0] == kLangSon);
            CHECK(has(r, kChiLang));
        }
    }
    SECTION("Hà Nội finds the Thạch Thất article") {
        for (const std::string& q : std::vector<std::string>{"Hà Nội", "ha noi", nfd("Hà Nội")}) {
            INFO(q);
            CHECK(has(ids(search(q)), kThachThat));
        }
    }
    SECTION("nghe an finds the Quế Phong article") {
        for (const std::string& q : std::vector<std::string>{"nghe an", "Nghệ An", nfd("Nghệ An")}) {
            INFO(q);
            CHECK(has(ids(search(q)), kQuePhong));
        }
    }
    SECTION("Thái Nguyên, today's province, finds the Chợ Mới (Bắc Kạn) article; either tone placement") {
        CHECK(has(ids(search("Thái Nguyên")), kChoMoi));
        CHECK(has(ids(search("Bắc Kạn")), kChoMoi));
        // Khánh Hoà / Khánh Hòa read alike (no seed article is there: nothing is found
        // by place either way, and both spellings agree).
        CHECK(ids(search("Khánh Hoà")) == ids(search("Khánh Hòa")));
    }
    SECTION("the place weighs below the words: a document naming the unit outranks one inside it") {
        const auto r = search("Lạng Sơn");
        double named = 0, inside = 0;
        for (const auto& h : r) {
            if (h.id == kLangSon) named = h.score;
            if (h.id == kChiLang) inside = h.score;
        }
        CHECK(named > inside);
        CHECK(inside > 0);
    }
    SECTION("a quoted phrase stays literal") {
        CHECK_FALSE(has(ids(search("\"Lạng Sơn\"")), kChiLang));
    }
}

TEST_CASE("hits carry the places their article names", "[places][hits]") {
    const auto r = search("Chợ Mới");
    REQUIRE_FALSE(r.empty());
    REQUIRE(r[0].id == kChoMoi);
    bool cho_moi = false;
    for (const auto& p : r[0].places) {
        if (p.unit.name != "Chợ Mới") continue;
        cho_moi = true;
        CHECK(p.unit.level == vnsearch::PlaceLevel::district);
        REQUIRE(p.old_province);
        CHECK(p.old_province->name == "Bắc Kạn");
        REQUIRE(p.provinces.size() == 1);
        CHECK(p.provinces[0].name == "Thái Nguyên");
        CHECK(p.provinces[0].geography == vnsearch::Geography::current);
    }
    CHECK(cho_moi);
    // No seed article is about the city of Hồ Chí Minh, although three quote the person.
    const auto all = search("đảng");
    for (const auto& h : all)
        for (const auto& p : h.places) CHECK(p.unit.name != "Hồ Chí Minh");
}

TEST_CASE("places in a synthetic index: replace and delete keep the facets true", "[places][index]") {
    TempDir dir;
    {
        vnsearch::Index ix(dir.str("db"));
        vnsearch::Document a("a");
        a.title = "Mưa lớn ở huyện Chợ Mới, tỉnh An Giang";
        a.body = "Nước lên nhanh tại thị trấn Chợ Mới, tỉnh An Giang.";
        ix.add(a);
        vnsearch::Document b("b");
        b.title = "Hội nghị về hòa bình thế giới";
        b.body = "Các đại biểu bàn về hòa bình và hợp tác.";
        ix.add(b);
        ix.commit();
    }
    vnsearch::SearchOptions o;
    o.facet_fields = {"province", "old_province"};
    {
        vnsearch::Searcher s(dir.str("db"));
        const auto all = o;
        const auto mua = s.search("chợ mới", all);
        REQUIRE(mua.total == 1);
        CHECK(counts(mua.facets.at("old_province")) == std::map<std::string, std::size_t>{{"An Giang", 1}});
        CHECK(counts(mua.facets.at("province")) == std::map<std::string, std::size_t>{{"An Giang", 1}});
        // "hòa bình" (peace) is not the province Hòa Bình.
        const auto peace = s.search("hòa bình", all);
        REQUIRE(peace.total == 1);
        CHECK(peace.facets.at("province").empty());
        CHECK(peace[0].places.empty());
    }
    {
        vnsearch::Index ix(dir.str("db"));
        vnsearch::Document a("a");
        a.title = "Chợ Mới (Bắc Kạn) đón mùa lúa";
        a.body = "Nông dân huyện Chợ Mới thu hoạch.";
        ix.add(a);  // same id: replaces
        ix.commit();
    }
    vnsearch::Searcher s(dir.str("db"));
    const auto r = s.search("chợ mới", o);
    REQUIRE(r.total == 1);
    CHECK(counts(r.facets.at("old_province")) == std::map<std::string, std::size_t>{{"Bắc Kạn", 1}});
    CHECK(counts(r.facets.at("province")) == std::map<std::string, std::size_t>{{"Thái Nguyên", 1}});
    vnsearch::SearchOptions f;
    f.filters = {{"old_province", "An Giang"}};
    CHECK(s.search("", f).total == 0);
}

TEST_CASE("a query naming a province finds its district's article in every spelling", "[places][search]") {
    TempDir dir;
    {
        vnsearch::Index ix(dir.str("db"));
        vnsearch::Document a("district");
        a.title = "Nông dân huyện Quảng Xương được mùa";
        a.body = "Năm nay huyện Quảng Xương thu hoạch lúa sớm.";
        ix.add(a);
        vnsearch::Document b("other");
        b.title = "Tin thể thao";
        b.body = "Đội bóng thắng trận thứ hai.";
        ix.add(b);
        ix.commit();
    }
    vnsearch::Searcher s(dir.str("db"));
    for (const std::string& q : std::vector<std::string>{"Thanh Hoá", "Thanh Hóa", nfd("Thanh Hóa"), "thanh hoa", "THANH HOÁ"}) {
        INFO(q);
        const auto r = s.search(q);
        REQUIRE(r.size() == 1);
        CHECK(r[0].id == "district");
    }
    // Scores agree between the two tone placements and NFC/NFD.
    CHECK(s.search("Thanh Hoá")[0].score == Approx(s.search("Thanh Hóa")[0].score));
    CHECK(s.search("Thanh Hoá")[0].score == Approx(s.search(nfd("Thanh Hoá"))[0].score));
}

TEST_CASE("place facets and filters over a shard set equal one database's", "[places][shard-set]") {
    TempDir dir;
    vnsearch::IndexOptions set_options;
    set_options.shards = 3;
    {
        vnsearch::Index one(dir.str("one"));
        vnsearch::Index set(dir.str("set"), set_options);
        for (const auto& p : std::filesystem::directory_iterator(VNSEARCH_CORPUS_DIR)) {
            if (p.path().extension() != ".txt") continue;
            one.add_path(p.path());
            set.add_path(p.path());
        }
        one.commit();
        set.commit();
    }
    vnsearch::SearchOptions o;
    o.facet_fields = {"province", "old_province", "old_district"};
    const auto a = vnsearch::Searcher(dir.str("one")).search("đảng", o);
    const auto b = vnsearch::Searcher(dir.str("set")).search("đảng", o);
    REQUIRE(a.total == 5);
    REQUIRE(b.total == 5);
    for (const char* f : {"province", "old_province", "old_district"}) {
        INFO(f);
        CHECK(counts(a.facets.at(f)) == counts(b.facets.at(f)));
    }
    CHECK(counts(b.facets.at("province")).at("Thái Nguyên") == 1);
    vnsearch::SearchOptions f;
    f.filters = {{"province", "Thái Nguyên"}};
    CHECK(ids(vnsearch::Searcher(dir.str("set")).search("", f)) == std::vector<std::string>{kChoMoi});
}
