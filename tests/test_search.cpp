// Index and search behaviour on the real seed corpus (ingested with lib/ingest) and on
// small synthetic indexes: relevance, diacritic awareness, query language, results.
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <xapian.h>

#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::seed_db;
using vnsearch_test::TempDir;
using vnsearch_test::nfd;
using namespace vnsearch_test::seeds;

namespace {

std::string upper(const std::string& s) {
    std::string out;
    return icu::UnicodeString::fromUTF8(s).toUpper(icu::Locale("vi")).toUTF8String(out);
}

std::vector<std::string> ids(const vnsearch::Results& r) {
    std::vector<std::string> v;
    for (const auto& h : r) v.push_back(h.id);
    return v;
}

std::size_t rank_of(const vnsearch::Results& r, const std::string& id) {
    for (const auto& h : r)
        if (h.id == id) return h.rank;
    return 0;
}

}  // namespace

TEST_CASE("topic queries rank the right seed first in every spelling", "[search][relevance]") {
    vnsearch::Searcher s(seed_db());
    struct Case {
        std::string query, id;
    };
    const std::vector<Case> cases = {
        {"Chi Lăng", kChiLang},
        {"Thạch Thất", kThachThat},
        {"Nghị quyết 22", kLangSon},
        {"Huyện uỷ Chợ Mới", kChoMoi},
        {"Huyện ủy Chợ Mới", kChoMoi},
        {"Quế Phong", kQuePhong},
        {"phát triển đảng viên Quế Phong", kQuePhong},
        {"Nghị quyết 03-NQ/HU", kChoMoi},
        {"TCCSĐ", kQuePhong},
    };
    for (const auto& c : cases) {
        for (const std::string& q : {c.query, vnsearch::fold(c.query), nfd(c.query), upper(c.query),
                                     upper(vnsearch::fold(c.query))}) {
            INFO("query: " << q);
            auto r = s.search(q);
            REQUIRE(!r.hits.empty());
            CHECK(r.hits[0].id == c.id);
        }
    }
}

TEST_CASE("both tone placements find the same documents with the same scores", "[search][tone]") {
    vnsearch::Searcher s(seed_db());
    for (auto [a, b] : {std::pair{"huyện uỷ", "huyện ủy"}, {"chuyển hoá", "chuyển hóa"}, {"xoá thôn", "xóa thôn"}}) {
        auto ra = s.search(a), rb = s.search(b);
        INFO(a << " vs " << b);
        REQUIRE(ra.size() == rb.size());
        REQUIRE(!ra.hits.empty());
        for (std::size_t i = 0; i < ra.size(); ++i) {
            CHECK(ra.hits[i].id == rb.hits[i].id);
            CHECK(ra.hits[i].score == Approx(rb.hits[i].score));
        }
    }
}

TEST_CASE("diacritics typed are respected: lạng is not Lăng", "[search][diacritics]") {
    vnsearch::Searcher s(seed_db());
    auto r = s.search("lạng");
    REQUIRE(rank_of(r, kLangSon) == 1);
    // Typed with marks, the exact form outranks a document rich in the other form.
    auto chi = s.search("Lăng");
    REQUIRE(chi.hits.at(0).id == kChiLang);
    // Without marks, both forms match.
    auto folded = s.search("lang");
    CHECK(rank_of(folded, kChiLang) > 0);
    CHECK(rank_of(folded, kLangSon) > 0);
}

TEST_CASE("adjacent syllables outrank scattered ones", "[search][proximity]") {
    TempDir dir;
    {
        vnsearch::Index ix(dir.str("db"));
        vnsearch::Document scattered("scattered");
        scattered.title = "Tin địa phương";
        scattered.body = "Lăng Bác. Lăng mộ. Lăng tẩm. Lăng Cô. Lăng Ông. Núi Sơn Trà ở xa. Chuyện khác về thôn xóm.";
        vnsearch::Document adjacent("adjacent");
        adjacent.title = "Tin địa phương";
        adjacent.body = "Đoàn công tác đã đến tỉnh Lạng Sơn vào tuần trước để làm việc với nhiều cơ quan.";
        ix.add(scattered);
        ix.add(adjacent);
    }
    vnsearch::Searcher s(dir.str("db"));
    auto r = s.search("lang son");
    REQUIRE(r.size() == 2);
    CHECK(r.hits[0].id == "adjacent");
}

TEST_CASE("a long natural-language question finds its article", "[search][relevance]") {
    vnsearch::Searcher s(seed_db());
    auto r = s.search(
        "huyện Thạch Thất đã làm gì để nâng cao chất lượng tổ chức cơ sở đảng và đảng viên trong năm 2018 "
        "theo báo cáo của ban tổ chức");
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].id == kThachThat);
    CHECK(r.total == 5);  // partial matches are still returned
    auto folded = s.search(vnsearch::fold(
        "Đảng bộ huyện Chợ Mới đã xây dựng nghị quyết chuyên đề về công tác cán bộ như thế nào trong nhiệm kỳ"));
    REQUIRE(!folded.hits.empty());
    CHECK(folded.hits[0].id == kChoMoi);
}

TEST_CASE("a question's common words never outvote its one rare word", "[search][relevance][questions]") {
    // 300 news-like documents full of the function phrases questions are made of, and a few
    // about a rare entity that mention it once, in other words. Plain BM25 lets the rare
    // word's idf decide; so must vnsearch, whose pairs of common syllables would otherwise
    // vote many times ("là ai", "như thế", "thế nào", "có nghĩa").
    TempDir dir("vnsearch-questions");
    const std::string db = dir.str("db");
    // The syllables of the questions are everywhere; their adjacent pairs ("là ai", "như
    // thế", "thế nào", "có nghĩa") in a quarter of the documents, as function phrases are.
    const std::vector<std::string> common = {
        "Ai cũng biết đây là việc của đội bóng và người dân nơi này.", "Ông nói rằng nào có gì khó, thế mà vẫn như cũ.",
        "Việc có ý nghĩa với người lao động, gì cũng làm.", "Về thắng cử, đã có nhiều bàn luận ở tỉnh.",
    };
    const std::vector<std::string> phrases = {
        "Người đó là ai?", "Họ làm như thế nào?",
        "Điều này có nghĩa lớn. Đội bóng mạnh.", "Việc này thì họ đã nói.",
    };
    {
        vnsearch::Index ix(db);
        for (int i = 0; i < 300; ++i) {
            vnsearch::Document d("f" + std::to_string(i));
            d.title = "Tin tức số " + std::to_string(i);
            for (const auto& c : common) d.body += c + " ";
            if (i % 4 == 0) d.body += phrases[static_cast<std::size_t>(i / 4) % phrases.size()];
            ix.add(d);
        }
        // Long articles that name the entity once.
        const std::string neutral =
            " Trận đấu diễn ra trên sân vận động lớn trước hàng chục nghìn khán giả. Thời tiết thuận lợi, mặt sân tốt."
            " Ban tổ chức bố trí lực lượng bảo vệ và y tế đầy đủ. Sau trận, các cầu thủ ở lại giao lưu với khán giả."
            " Giải năm nay có mười hai câu lạc bộ tham dự, thi đấu vòng tròn hai lượt trong sáu tháng.";
        auto entity = [&](const std::string& id, const std::string& body) {
            vnsearch::Document d(id);
            d.title = "Thể thao và công nghệ";
            d.body = body + neutral;
            ix.add(d);
        };
        entity("messi-1", "Tiền đạo Messi ghi hai bàn trong trận tối qua.");
        entity("messi-2", "Huấn luyện viên khen Messi sau chiến thắng.");
        entity("ronaldo-1", "Ronaldo chuyển sang thi đấu ở giải mới.");
        entity("ronaldo-2", "Cầu thủ Ronaldo nhận giải thưởng cá nhân.");
        entity("ronaldo-3", "Người hâm mộ chờ Ronaldo trở lại sân cỏ.");
        entity("zuckerberg-1", "Zuckerberg trả lời phỏng vấn về quyền riêng tư.");
        entity("zuckerberg-2", "Công ty của Zuckerberg ra mắt ứng dụng mới.");
    }
    vnsearch::Searcher s(db);
    vnsearch::SearchOptions o;
    o.suggest = false;
    auto top = [&](const std::string& q, std::size_t n) {
        std::vector<std::string> v;
        for (const auto& h : s.search(q, o)) if (v.size() < n) v.push_back(h.id.substr(0, h.id.find('-')));
        return v;
    };
    using V = std::vector<std::string>;
    for (const std::string q : {"Messi có nghĩa là gì với đội bóng", "messi co nghia la gi voi doi bong"}) {
        CAPTURE(q);
        CHECK(top(q, 2) == V{"messi", "messi"});
    }
    for (const std::string q : {"Ronaldo là ai", "ronaldo la ai"}) {
        CAPTURE(q);
        CHECK(top(q, 3) == V{"ronaldo", "ronaldo", "ronaldo"});
    }
    for (const std::string q : {"Zuckerberg đã nói như thế nào về việc này", "zuckerberg da noi nhu the nao ve viec nay"}) {
        CAPTURE(q);
        CHECK(top(q, 2) == V{"zuckerberg", "zuckerberg"});
    }
    // A query of common words alone still ranks on their adjacency.
    auto r = s.search("như thế nào về việc này", o);
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].id[0] == 'f');
}

TEST_CASE("a question's rare phrase of common words anchors it like a rare word", "[search][relevance][questions]") {
    // "chó" and "cắn" (folded "cho", "can": also "cho", "cần") are in every document; "gì"
    // is rarer, in the quarter that ask "cần làm gì". The phrase "chó cắn" is in two
    // documents: a pair as rare as that decides, as a rare word does, rather than counting
    // only beside the question's rarest word ("gì", which the two do not hold).
    TempDir dir("vnsearch-questions-phrase");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        for (int i = 0; i < 300; ++i) {
            vnsearch::Document d("f" + std::to_string(i));
            d.title = "Tin tức số " + std::to_string(i);
            d.body = "Cho tôi hỏi, anh cần làm việc này ngay. Anh cắn bút nghĩ mãi. Con chó nằm ngủ cạnh cửa. ";
            if (i % 4 == 0) d.body += "Vậy họ cần làm gì?";
            ix.add(d);
        }
        for (const std::string id : {"bite-1", "bite-2"}) {
            vnsearch::Document d(id);
            d.title = "Tin địa phương";
            d.body = "Một người bị chó cắn ở đầu ngõ, được đưa đi tiêm phòng dại. Con chó cắn thêm hai người nữa.";
            ix.add(d);
        }
    }
    vnsearch::Searcher s(db);
    vnsearch::SearchOptions o;
    o.suggest = false;
    for (const std::string q : {"chó cắn cần làm gì", "cho can can lam gi", "bị chó cắn thì cần làm gì"}) {
        CAPTURE(q);
        const auto r = s.search(q, o);
        REQUIRE(r.hits.size() >= 2);
        CHECK(r.hits[0].id.rfind("bite-", 0) == 0);
        CHECK(r.hits[1].id.rfind("bite-", 0) == 0);
    }
}

TEST_CASE("a question's common phrases still count in the documents holding its rare word", "[search][relevance][questions]") {
    // The pairs of common syllables ("như thế", "thế nào") weigh nothing in documents
    // without the rare word, but their full adjacency weight in documents with it: of two
    // articles naming Zuckerberg with the same words, the one that says the question's
    // phrase as asked ranks first; the articles full of the phrase alone come after both.
    TempDir dir("vnsearch-questions");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        for (int i = 0; i < 200; ++i) {
            vnsearch::Document d("f" + std::to_string(i));
            d.title = "Tin tức số " + std::to_string(i);
            d.body = "Ông đã nói như thế nào về việc này? Việc này ông đã nói như thế nào? Chuyện như thế nào.";
            ix.add(d);
        }
        vnsearch::Document a("z-phrase"), b("z-scrambled");
        a.title = b.title = "Công nghệ";
        a.body = "Zuckerberg đã nói như thế nào về việc này, hỏi phóng viên.";
        b.body = "Zuckerberg đã, hỏi phóng viên: này nào về thế như việc nói.";
        ix.add(a);
        ix.add(b);
    }
    vnsearch::Searcher s(db);
    vnsearch::SearchOptions o;
    o.suggest = false;
    for (const std::string q : {"Zuckerberg đã nói như thế nào về việc này", "zuckerberg da noi nhu the nao ve viec nay"}) {
        CAPTURE(q);
        const auto r = s.search(q, o);
        REQUIRE(r.hits.size() >= 3);
        CHECK(r.hits[0].id == "z-phrase");
        CHECK(r.hits[1].id == "z-scrambled");
        CHECK(r.hits[0].score > r.hits[1].score);
    }
}

TEST_CASE("phrases, exclusion, OR and grouping", "[search][syntax]") {
    vnsearch::Searcher s(seed_db());
    auto phrase = s.search("\"Chi Lăng\"");
    CHECK(ids(phrase) == std::vector<std::string>{kChiLang});
    auto phrase_folded = s.search("\"thach that\"");
    CHECK(ids(phrase_folded) == std::vector<std::string>{kThachThat});
    auto excl = s.search("\"tổ chức cơ sở đảng\" -\"Chợ Mới\"");
    CHECK(rank_of(excl, kChoMoi) == 0);
    CHECK(excl.size() >= 2);
    auto either = s.search("\"Thạch Thất\" OR \"Quế Phong\"");
    auto e = ids(either);
    std::sort(e.begin(), e.end());
    CHECK(e == std::vector<std::string>{kThachThat, kQuePhong});
    auto plus = s.search("+TCCSĐ đảng viên");
    CHECK(ids(plus) == std::vector<std::string>{kQuePhong});
    auto notq = s.search("Chợ Mới NOT Bắc");
    CHECK(rank_of(notq, kChoMoi) == 0);
}

TEST_CASE("malformed queries degrade gracefully", "[search][syntax]") {
    vnsearch::Searcher s(seed_db());
    for (const std::string& q : std::vector<std::string>{"\"Chi Lăng", "((chi lang", "chi lang))", "OR", "-", "+", "AND chi", "chi OR", "NOT",
                          "foo:bar chi lăng", "title:", "date:abc", "\"\"", "()", "-chi", std::string(10000, '('),
                          std::string("chi \xff\xfe lang"), ""}) {
        INFO("query: " << q);
        vnsearch::Results r;
        REQUIRE_NOTHROW(r = s.search(q));
    }
    auto unbalanced = s.search("\"Chi Lăng");
    CHECK(!unbalanced.warnings.empty());
    CHECK(unbalanced.hits.at(0).id == kChiLang);
    auto unknown = s.search("foo:bar Chi Lăng");
    CHECK(unknown.hits.at(0).id == kChiLang);
    CHECK(!unknown.warnings.empty());
    std::string many;
    for (int i = 0; i < 10000; ++i) many += "chi ";
    REQUIRE_NOTHROW(s.search(many));
    CHECK(s.search("").hits.empty());
}

TEST_CASE("fields, filters, date ranges, sorting, facets and paging", "[search][filters]") {
    TempDir dir;
    {
        vnsearch::Index ix(dir.str("db"));
        auto add = [&](std::string id, std::string title, std::string body, std::string date, std::string source) {
            vnsearch::Document d(std::move(id));
            d.title = std::move(title);
            d.body = std::move(body);
            d.date = std::move(date);
            d.source = std::move(source);
            d.fields["lang"] = "vi";
            ix.add(d);
        };
        add("a", "Hội nghị tổng kết công tác xây dựng Đảng", "Nội dung về Đảng bộ tỉnh.", "2018-05-01", "Báo Lạng Sơn");
        add("b", "Tin thời sự", "Hội nghị xây dựng Đảng ở huyện.", "2019-02-23T08:00:00", "Báo Lạng Sơn");
        add("c", "Xây dựng Đảng năm 2020", "Hội nghị cuối năm.", "2020-10-23", "Nghệ An");
        add("d", "Không ngày", "Hội nghị không có ngày tháng.", "", "");
    }
    vnsearch::Searcher s(dir.str("db"));
    SECTION("title matches weigh more than body matches") {
        auto r = s.search("hội nghị");
        REQUIRE(r.size() == 4);
        CHECK(r.hits[0].id == "a");
        auto t = s.search("title:\"xây dựng Đảng\"");
        auto v = ids(t);
        std::sort(v.begin(), v.end());
        CHECK(v == std::vector<std::string>{"a", "c"});
    }
    SECTION("source and date filters") {
        auto src = ids(s.search("hội nghị source:\"Báo Lạng Sơn\""));
        std::sort(src.begin(), src.end());
        CHECK(src == std::vector<std::string>{"a", "b"});
        CHECK(ids(s.search("hội nghị source:nghe-an")) == std::vector<std::string>{"c"});
        auto range = ids(s.search("hội nghị date:2019..2020"));
        std::sort(range.begin(), range.end());
        CHECK(range == std::vector<std::string>{"b", "c"});
        CHECK(ids(s.search("hội nghị date:2018")) == std::vector<std::string>{"a"});
        CHECK(ids(s.search("hội nghị date:..2018-12")) == std::vector<std::string>{"a"});
        CHECK(ids(s.search("hội nghị -source:\"Báo Lạng Sơn\"")).size() == 2);
    }
    SECTION("sort by date and paging") {
        vnsearch::SearchOptions o;
        o.sort = vnsearch::SortOrder::date_desc;
        auto r = s.search("hội nghị", o);
        REQUIRE(r.size() == 4);
        auto order = ids(r);
        order.resize(3);  // the undated document sorts last
        CHECK(order == std::vector<std::string>{"c", "b", "a"});
        CHECK(ids(r)[3] == "d");
        o.offset = 1;
        o.limit = 2;
        auto page = s.search("hội nghị", o);
        CHECK(ids(page) == std::vector<std::string>{"b", "a"});
        CHECK(page.hits[0].rank == 2);
        CHECK(page.total == 4);
    }
    SECTION("facets by year and source") {
        vnsearch::SearchOptions o;
        o.facets = true;
        auto r = s.search("hội nghị", o);
        REQUIRE(r.years.size() == 3);
        CHECK(r.years[0].value == "2020");
        CHECK(r.years[0].count == 1);
        REQUIRE(!r.sources.empty());
        CHECK(r.sources[0].value == "Báo Lạng Sơn");
        CHECK(r.sources[0].count == 2);
    }
    SECTION("hits carry stored fields") {
        auto r = s.search("id:b");
        REQUIRE(r.size() == 1);
        CHECK(r.hits[0].title == "Tin thời sự");
        CHECK(r.hits[0].date == "2019-02-23T08:00:00");
        CHECK(r.hits[0].source == "Báo Lạng Sơn");
        CHECK(r.hits[0].fields.at("lang") == "vi");
    }
}

TEST_CASE("snippets highlight matched words, folded matches too, with configurable markers", "[search][snippet]") {
    vnsearch::Searcher s(seed_db());
    vnsearch::SearchOptions o;
    o.highlight_start = "[[";
    o.highlight_end = "]]";
    auto r = s.search("chi lang", o);
    REQUIRE(!r.hits.empty());
    CHECK(r.hits[0].snippet.find("[[Chi]] [[Lăng]]") != std::string::npos);
    auto acc = s.search("Huyện uỷ Chợ Mới", o);
    // The text writes "Huyện ủy": the other tone placement is highlighted as well.
    CHECK(acc.hits.at(0).snippet.find("[[ủy]]") != std::string::npos);
    CHECK(acc.hits.at(0).snippet.find("[[Chợ]] [[Mới]]") != std::string::npos);
}

TEST_CASE("add replaces by id, remove deletes, commit makes changes visible", "[index]") {
    TempDir dir;
    const std::string db = dir.str("db");
    vnsearch::Index ix(db);
    vnsearch::Document d("x");
    d.title = "Chi Lăng";
    CHECK(ix.add(d) == vnsearch::AddResult::added);
    d.title = "Thạch Thất";
    CHECK(ix.add(d) == vnsearch::AddResult::replaced);
    CHECK(ix.size() == 1);
    ix.commit();
    vnsearch::Searcher s(db);
    CHECK(s.search("chi lang").hits.empty());
    CHECK(s.search("thach that").hits.at(0).id == "x");
    CHECK(ix.remove("x"));
    CHECK_FALSE(ix.remove("x"));
    ix.commit();
    s.reopen();
    CHECK(s.size() == 0);
    // rollback drops the batch since the last commit, and only that batch
    vnsearch::Document kept("kept"), dropped("dropped");
    kept.title = "Quế Phong";
    dropped.title = "Chợ Mới";
    ix.add(kept);
    ix.commit();
    ix.add(dropped);
    CHECK(ix.size() == 2);
    ix.rollback();
    CHECK(ix.size() == 1);
    ix.commit();
    s.reopen();
    CHECK(s.search("cho moi").hits.empty());
    CHECK(s.search("que phong").hits.at(0).id == "kept");
    vnsearch::Document bad("");
    CHECK_THROWS_AS(ix.add(bad), vnsearch::DocumentError);
    vnsearch::Document baddate("y");
    baddate.date = "25/07/2024";
    CHECK_THROWS_AS(ix.add(baddate), vnsearch::DocumentError);
}

TEST_CASE("database errors are vnsearch errors with clear messages", "[index][errors]") {
    TempDir dir;
    const std::string db = dir.str("db");
    SECTION("missing database") {
        CHECK_THROWS_AS(vnsearch::Searcher(dir.str("nope")), vnsearch::DatabaseError);
    }
    SECTION("a second writer is refused") {
        vnsearch::Index first(db);
        try {
            vnsearch::Index second(db);
            FAIL("second writer was allowed");
        } catch (const vnsearch::LockError& e) {
            CHECK(std::string(e.what()).find("locked by another writer") != std::string::npos);
        }
    }
    SECTION("another term-scheme version is refused, never misread") {
        {
            vnsearch::Index ix(db);
            ix.add(vnsearch::Document("a"));
        }
        {
            Xapian::WritableDatabase w(db);
            w.set_metadata("vnsearch.scheme", "999");
            w.commit();
        }
        CHECK_THROWS_AS(vnsearch::Searcher(db), vnsearch::SchemeVersionError);
        CHECK_THROWS_AS(vnsearch::Index(db), vnsearch::SchemeVersionError);
    }
    SECTION("a path that is a file") {
        std::string file = dir.str("file");
        FILE* f = std::fopen(file.c_str(), "w");
        std::fputs("x", f);
        std::fclose(f);
        CHECK_THROWS_AS(vnsearch::Index(file), vnsearch::DatabaseError);
        CHECK_THROWS_AS(vnsearch::Searcher(file), vnsearch::DatabaseError);
    }
}
