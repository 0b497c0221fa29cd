// Abbreviations: the shipped dictionary, the letter check and the inline-definition learner.
#include <catch2/catch.hpp>
#include <algorithm>
#include <set>
#include <vnsearch/vnsearch.h>

#include "analysis/abbreviations.h"
#include "test_support.h"

using namespace vnsearch::analysis;

namespace {

std::vector<std::pair<std::string, std::string>> definitions(std::string_view text) {
    std::vector<std::pair<std::string, std::string>> out;
    find_definitions(text, [&](std::string_view a, std::string_view e) { out.emplace_back(a, e); });
    return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("the shipped dictionary is well formed and its letters add up", "[abbreviations]") {
    const auto& d = builtin_abbreviations();
    REQUIRE(d.size() >= 150);
    std::set<std::pair<std::string, std::string>> seen;
    std::size_t irregular = 0;
    for (const auto& a : d) {
        CAPTURE(a.abbr, a.expansion);
        CHECK(seen.insert({a.abbr, a.expansion}).second);  // no duplicate lines
        CHECK(vnsearch::normalize(a.abbr) == a.abbr);
        CHECK(vnsearch::normalize(a.expansion) == a.expansion);
        CHECK_FALSE(a.expansion.empty());
        // A typo in the data shows here: every line not marked irregular is spelled by its initials.
        if (a.irregular)
            ++irregular;
        else
            CHECK(initials_match(a.abbr, a.expansion));
    }
    CHECK(irregular < 20);
    auto has = [&](const char* abbr, const char* expansion) {
        for (const auto& a : d)
            if (a.abbr == abbr && a.expansion == expansion) return true;
        return false;
    };
    CHECK(has("HĐND", "hội đồng nhân dân"));
    CHECK(has("UBND", "uỷ ban nhân dân"));
    CHECK(has("TCCSĐ", "tổ chức cơ sở đảng"));
    CHECK(has("THPT", "trung học phổ thông"));
    CHECK(has("TW", "trung ương"));
    CHECK(has("MTTQ", "mặt trận tổ quốc"));
    CHECK(has("ĐBQH", "đại biểu quốc hội"));
    CHECK(has("NQ", "nghị quyết"));
    CHECK(has("QĐ", "quyết định"));
    CHECK(has("CT", "chỉ thị"));
    CHECK(has("HU", "huyện uỷ"));
    CHECK(has("TU", "tỉnh uỷ"));
}

TEST_CASE("initials: marks and case ignored, but Đ is not D", "[abbreviations]") {
    CHECK(initials_match("HĐND", "hội đồng nhân dân"));
    CHECK(initials_match("HĐND", "Hội Đồng Nhân Dân"));
    CHECK(initials_match("UBND", "Uỷ ban nhân dân"));
    CHECK(initials_match("UBND", "ủy ban nhân dân"));
    CHECK(initials_match("TCCSĐ", "tổ chức cơ sở đảng"));
    CHECK(initials_match("GD-ĐT", "giáo dục - đào tạo"));  // punctuation in either is no letter
    CHECK(initials_match("GDĐT", "giáo dục và đào tạo"));           // "và" may be skipped
    CHECK(initials_match("BGDĐT", "bộ giáo dục và đào tạo"));
    CHECK_FALSE(initials_match("HDND", "hội đồng nhân dân"));  // D for đồng: no
    CHECK_FALSE(initials_match("HĐNĐ", "hội đồng nhân dân"));  // Đ for dân: no
    CHECK_FALSE(initials_match("UBND", "uỷ ban nhân"));
    CHECK_FALSE(initials_match("UBND", "uỷ ban nhân dân tỉnh"));
    CHECK_FALSE(initials_match("U", "uỷ"));
    CHECK_FALSE(initials_match("", ""));
}

TEST_CASE("inline definitions are learnt from text, both ways round", "[abbreviations]") {
    CHECK(definitions("Kỳ họp thứ 5 Hội đồng nhân dân (HĐND) tỉnh Lạng Sơn khoá XVII") ==
          Pairs{{"HĐND", "Hội đồng nhân dân"}});
    CHECK(definitions("xây dựng các tổ chức cơ sở đảng (TCCSĐ) trong sạch vững mạnh") ==
          Pairs{{"TCCSĐ", "tổ chức cơ sở đảng"}});
    CHECK(definitions("UBND (Uỷ ban nhân dân) xã Chi Lăng") == Pairs{{"UBND", "Uỷ ban nhân dân"}});
    CHECK(definitions("Sở Giáo dục và Đào tạo (GDĐT) tỉnh") == Pairs{{"GDĐT", "Giáo dục và Đào tạo"}});
    // NFD input: the expansion is reported as written.
    const std::string nfd = "H\xe1\xbb\x99i \xc4\x91o\xcc\x82\xcc\x80ng nha\xcc\x82n da\xcc\x82n (H\xc4\x90ND)";
    const auto d = definitions(nfd);
    REQUIRE(d.size() == 1);
    CHECK(d[0].first == "H\xc4\x90ND");
    CHECK(vnsearch::normalize(d[0].second) == "Hội đồng nhân dân");
    // Two in one sentence.
    CHECK(definitions("Mặt trận Tổ quốc (MTTQ) và Hội đồng nhân dân (HĐND) cùng giám sát").size() == 2);
}

TEST_CASE("parentheses that are not definitions teach nothing", "[abbreviations]") {
    for (const char* text : {"Lễ khai mạc (ảnh) tại xã", "năm học mới (2020)", "Hội nghị Trung ương (HĐND)",
                             "ở tỉnh (UBND)", "(HĐND)", "Hội đồng nhân dân (HĐND", "Hội đồng nhân dân ((HĐND))x",
                             "Hội đồng nhân dân, (HĐND)", "Hội đồng nhân dân (H2ND)", ")(", "(((((", "",
                             "HĐND (họp thường kỳ)", "Hội đồng nhân dân (hđnd)"}) {
        CAPTURE(text);
        CHECK(definitions(text).empty());
    }
}

TEST_CASE("keys: what the analyzer makes of an abbreviation and of an expansion", "[abbreviations]") {
    CHECK(abbreviation_key("HĐND") == "hdnd");
    CHECK(abbreviation_key("TCCSĐ") == "tccsd");
    CHECK(abbreviation_key("two words").empty());
    CHECK(expansion_key("Hội đồng  nhân dân") == "hoi dong nhan dan");
    CHECK(expansion_key("uỷ ban nhân dân") == expansion_key("ủy ban nhân dân"));
    CHECK(looks_like_abbreviation("HĐND"));
    CHECK(looks_like_abbreviation("GD-ĐT"));
    CHECK_FALSE(looks_like_abbreviation("Hội"));
    CHECK_FALSE(looks_like_abbreviation("H"));
    CHECK_FALSE(looks_like_abbreviation("ABCDEFGHI"));
    CHECK_FALSE(looks_like_abbreviation("H2ND"));
}

namespace {

std::vector<std::string> ids(const vnsearch::Searcher& s, const std::string& q) {
    std::vector<std::string> out;
    vnsearch::SearchOptions o;
    o.suggest = false;
    for (const auto& h : s.search(q, o)) out.push_back(h.id);
    return out;
}

void add_doc(vnsearch::Index& ix, const std::string& id, const std::string& body) {
    vnsearch::Document d(id);
    d.body = body;
    ix.add(d);
}

}  // namespace

TEST_CASE("a query for either form finds both, the literal form first", "[abbreviations]") {
    vnsearch_test::TempDir dir("vnsearch-abbr");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        add_doc(ix, "short", "Huyện uỷ chỉ đạo các TCCSĐ rà soát đảng viên trong quý này.");
        add_doc(ix, "long", "Huyện uỷ chỉ đạo các tổ chức cơ sở đảng rà soát đảng viên trong quý này.");
        add_doc(ix, "other", "Thời tiết Lạng Sơn hôm nay có mưa rào và dông rải rác.");
        // Learnt from the text: defined once inline, then used alone elsewhere.
        add_doc(ix, "defines", "Ban quản lý dự án (BQLDA) huyện đã họp.");
        add_doc(ix, "bqlda-only", "Kế hoạch năm nay của BQLDA được duyệt.");
        add_doc(ix, "long-only", "Ông được bổ nhiệm làm trưởng ban quản lý dự án giao thông.");
        add_doc(ix, "htct", "Xây dựng hệ thống chính trị ở cơ sở vững mạnh.");
        ix.add_abbreviation("HTCT", "hệ thống chính trị");
        CHECK_THROWS_AS(ix.add_abbreviation("two words", "x y"), vnsearch::DocumentError);
        CHECK_THROWS_AS(ix.add_abbreviation("HTCT", " "), vnsearch::DocumentError);
    }
    vnsearch::Searcher s(db);
    // The shipped dictionary, both ways; literal matches rank above expansions.
    CHECK(ids(s, "TCCSĐ") == std::vector<std::string>{"short", "long"});
    CHECK(ids(s, "tccsd") == std::vector<std::string>{"short", "long"});
    CHECK(ids(s, "tổ chức cơ sở đảng").at(0) == "long");
    CHECK(ids(s, "to chuc co so dang").at(1) == "short");
    // Learnt from "Ban quản lý dự án (BQLDA)".
    auto bq = ids(s, "BQLDA");
    REQUIRE(bq.size() == 3);
    CHECK(std::set<std::string>(bq.begin(), bq.begin() + 2) == std::set<std::string>{"defines", "bqlda-only"});
    CHECK(bq[2] == "long-only");
    auto lq = ids(s, "ban quản lý dự án");
    CHECK(std::find(lq.begin(), lq.end(), "bqlda-only") != lq.end());
    CHECK(std::find(lq.begin(), lq.end(), "long-only") < std::find(lq.begin(), lq.end(), "bqlda-only"));
    // Added by a user.
    CHECK(ids(s, "HTCT") == std::vector<std::string>{"htct"});
    // Phrases and title: searches stay literal.
    CHECK(ids(s, "\"TCCSĐ\"") == std::vector<std::string>{"short"});
    // A word that merely looks like an abbreviation is not expanded into unrelated text.
    CHECK(ids(s, "mưa").size() == 1);
}
