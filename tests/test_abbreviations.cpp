// Abbreviations: the shipped dictionary, the letter check and the inline-definition learner.
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <vnsearch/vnsearch.h>
#include <xapian.h>

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
    std::set<std::string> irregular;
    for (const auto& a : d) {
        CAPTURE(a.abbr, a.expansion);
        CHECK(seen.insert({a.abbr, a.expansion}).second);  // no duplicate lines (also none up to NFC / tone placement)
        CHECK_FALSE(a.expansion.empty());
        CHECK(a.expansion.find("  ") == std::string::npos);
        // A typo in the data shows here: every line not marked irregular is spelled by its
        // initials, and is an abbreviation the learner would recognise (2-8 capitals).
        if (a.irregular) {
            irregular.insert(a.abbr);
            CHECK_FALSE(initials_match(a.abbr, a.expansion));  // a regular line marked irregular by mistake
        } else {
            CHECK(initials_match(a.abbr, a.expansion));
            CHECK(looks_like_abbreviation(a.abbr));
        }
    }
    // The irregular ones, by name: marking a mistyped line "irregular" has to be done here too.
    CHECK(irregular == std::set<std::string>{"BCHTW", "TW", "TTr", "CTr", "TTg", "ThS",  // letters not initials
                                             "ODA", "GDP", "FDI", "CPI", "VFF"});         // English initials
    auto has = [&](const char* abbr, const char* expansion) {
        for (const auto& a : d)
            if (a.abbr == abbr && a.expansion == expansion) return true;
        return false;
    };
    CHECK(has("HĐND", "hội đồng nhân dân"));
    CHECK(has("UBND", "uỷ ban nhân dân"));
    CHECK(has("TCCSĐ", "tổ chức cơ sở đảng"));
    CHECK(has("THPT", "trung học phổ thông"));
    CHECK(has("THCS", "trung học cơ sở"));
    CHECK(has("TW", "trung ương"));
    CHECK(has("MTTQ", "mặt trận tổ quốc"));
    CHECK(has("ĐBQH", "đại biểu quốc hội"));
    CHECK(has("NQ", "nghị quyết"));
    CHECK(has("QĐ", "quyết định"));
    CHECK(has("CT", "chỉ thị"));
    CHECK(has("HU", "huyện uỷ"));
    CHECK(has("TU", "tỉnh uỷ"));
    CHECK(has("TTg", "thủ tướng"));
    CHECK(has("TPHCM", "thành phố Hồ Chí Minh"));
    CHECK(has("GD-ĐT", "giáo dục và đào tạo"));
    CHECK(has("KT-XH", "kinh tế - xã hội"));
    // Several expansions of one abbreviation are kept, in file order.
    CHECK(has("ĐH", "đại hội"));
    CHECK(has("ĐH", "đại học"));
}

TEST_CASE("the dictionary file itself is NFC, tab separated, and is what is compiled in", "[abbreviations]") {
    std::ifstream in(VNSEARCH_SOURCE_DIR "/lib/analysis/abbreviations.tsv", std::ios::binary);
    REQUIRE(in);
    std::vector<std::string> rows;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        CAPTURE(number, line);
        CHECK(vnsearch::is_valid_utf8(line));
        // normalize(): NFC, one tone placement (uỷ, hoá), no NBSP or zero-width characters.
        CHECK(vnsearch::normalize(line) == line);
        CHECK(line.find('\r') == std::string::npos);
        if (line.empty() || line[0] == '#') continue;
        const auto tabs = std::count(line.begin(), line.end(), '\t');
        CHECK((tabs == 1 || (tabs == 2 && line.substr(line.rfind('\t') + 1) == "irregular")));
        CHECK(line.find(' ') != 0);
        CHECK(line.back() != ' ');
        rows.push_back(line);
    }
    // The compiled-in table is this file, line for line (a stale build would show here).
    const auto& d = builtin_abbreviations();
    REQUIRE(rows.size() == d.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CAPTURE(rows[i]);
        CHECK(rows[i] == d[i].abbr + '\t' + d[i].expansion + (d[i].irregular ? "\tirregular" : ""));
    }
}

TEST_CASE("initials: marks and case ignored, but Đ is not D", "[abbreviations]") {
    CHECK(initials_match("HĐND", "hội đồng nhân dân"));
    CHECK(initials_match("HĐND", "Hội Đồng Nhân Dân"));
    CHECK(initials_match("hđnd", "HỘI ĐỒNG NHÂN DÂN"));
    CHECK(initials_match("UBND", "Uỷ ban nhân dân"));
    CHECK(initials_match("UBND", "ủy ban nhân dân"));
    CHECK(initials_match("TCCSĐ", "tổ chức cơ sở đảng"));
    CHECK(initials_match("NSƯT", "nghệ sĩ ưu tú"));
    CHECK(initials_match("TƯ", "trung ương"));                       // Ư is the initial of ương
    CHECK(initials_match("GD-ĐT", "giáo dục - đào tạo"));  // punctuation in either is no letter
    CHECK(initials_match("GDĐT", "giáo dục và đào tạo"));           // "và" may be skipped
    CHECK(initials_match("GD&ĐT", "giáo dục và đào tạo"));
    CHECK(initials_match("TP.HCM", "thành phố Hồ Chí Minh"));
    CHECK(initials_match("BGDĐT", "bộ giáo dục và đào tạo"));
    CHECK(initials_match("VKSND", "viện kiểm sát nhân dân"));
    // NFD on either side.
    CHECK(initials_match("H\xc4\x90ND", "ho\xcc\x82\xcc\xa3i \xc4\x91o\xcc\x82\xcc\x80ng nha\xcc\x82n da\xcc\x82n"));
    CHECK(initials_match("NSU\xcc\x9bT", "nghệ sĩ ưu tú"));
    // Đ and D are different letters in both directions.
    CHECK_FALSE(initials_match("HDND", "hội đồng nhân dân"));  // D for đồng: no
    CHECK_FALSE(initials_match("HĐNĐ", "hội đồng nhân dân"));  // Đ for dân: no
    CHECK_FALSE(initials_match("ĐN", "doanh nghiệp"));
    CHECK_FALSE(initials_match("DN", "Đà Nẵng"));
    CHECK(initials_match("DN", "doanh nghiệp"));
    CHECK(initials_match("ĐN", "Đà Nẵng"));
    // Letters must all be used, in order, by whole syllables.
    CHECK_FALSE(initials_match("UBND", "uỷ ban nhân"));
    CHECK_FALSE(initials_match("UBND", "uỷ ban nhân dân tỉnh"));
    CHECK_FALSE(initials_match("UBND", "ban uỷ nhân dân"));
    CHECK_FALSE(initials_match("GDĐT", "và giáo dục đào tạo"));  // only a "và" between two syllables
    CHECK_FALSE(initials_match("GDĐT", "giáo dục đào tạo và"));
    CHECK_FALSE(initials_match("GDVĐT", "giáo dục đào tạo"));
    // Irregular ones are not guessed: they live in the dictionary only.
    CHECK_FALSE(initials_match("TW", "trung ương"));
    CHECK_FALSE(initials_match("TTg", "thủ tướng"));
    CHECK_FALSE(initials_match("BCHTW", "ban chấp hành trung ương"));
    CHECK_FALSE(initials_match("U", "uỷ"));
    CHECK_FALSE(initials_match("", ""));
    CHECK_FALSE(initials_match("HĐND", ""));
    CHECK_FALSE(initials_match("HĐND", "hội đồng 2 nhân dân"));
}

TEST_CASE("inline definitions are learnt from text, both ways round", "[abbreviations]") {
    CHECK(definitions("Kỳ họp thứ 5 Hội đồng nhân dân (HĐND) tỉnh Lạng Sơn khoá XVII") ==
          Pairs{{"HĐND", "Hội đồng nhân dân"}});
    CHECK(definitions("xây dựng các tổ chức cơ sở đảng (TCCSĐ) trong sạch vững mạnh") ==
          Pairs{{"TCCSĐ", "tổ chức cơ sở đảng"}});
    CHECK(definitions("UBND (Uỷ ban nhân dân) xã Chi Lăng") == Pairs{{"UBND", "Uỷ ban nhân dân"}});
    CHECK(definitions("Theo UBND (Uỷ ban nhân dân.) xã") == Pairs{{"UBND", "Uỷ ban nhân dân"}});
    CHECK(definitions("Sở Giáo dục và Đào tạo (GDĐT) tỉnh") == Pairs{{"GDĐT", "Giáo dục và Đào tạo"}});
    CHECK(definitions("Sở Giáo dục - Đào tạo (GD-ĐT) tỉnh") == Pairs{{"GD-ĐT", "Giáo dục - Đào tạo"}});
    CHECK(definitions("trường trung học phổ thông ( THPT ) Chu Văn An") ==
          Pairs{{"THPT", "trung học phổ thông"}});
    // The shortest run that spells it: "Sở" and "tỉnh" are left out.
    CHECK(definitions("Sở Tài nguyên và Môi trường (TNMT)") == Pairs{{"TNMT", "Tài nguyên và Môi trường"}});
    // Ban Chấp hành Trung ương: "BCH TW" is two words, and W is no initial of "ương", so
    // nothing is learnt (TW lives in the dictionary as irregular); with TƯ the letters add up.
    CHECK(definitions("Ban Chấp hành Trung ương (BCH TW) khoá XIII").empty());
    CHECK(definitions("Ban Chấp hành Trung ương (BCHTW) khoá XIII").empty());
    CHECK(definitions("Ban Chấp hành Trung ương (BCH TƯ) khoá XIII").empty());
    CHECK(definitions("Ban Chấp hành Trung ương (BCHTƯ) khoá XIII") ==
          Pairs{{"BCHTƯ", "Ban Chấp hành Trung ương"}});
    // NFD input: the expansion is reported as written.
    const std::string nfd = "H\xe1\xbb\x99i \xc4\x91o\xcc\x82\xcc\x80ng nha\xcc\x82n da\xcc\x82n (H\xc4\x90ND)";
    const auto d = definitions(nfd);
    REQUIRE(d.size() == 1);
    CHECK(d[0].first == "H\xc4\x90ND");
    CHECK(d[0].second == "H\xe1\xbb\x99i \xc4\x91o\xcc\x82\xcc\x80ng nha\xcc\x82n da\xcc\x82n");
    CHECK(vnsearch::normalize(d[0].second) == "Hội đồng nhân dân");
    // An abbreviation with a marked capital, in NFD, both ways round.
    const std::string nsut_nfd = "NSU\xcc\x9bT";
    const std::string nghe_si_nfd = "Nghe\xcc\xa3\xcc\x82 si\xcc\x83 u\xcc\x9bu tu\xcc\x81";
    CHECK(definitions(nsut_nfd + " (" + nghe_si_nfd + ") Lan Hương") == Pairs{{nsut_nfd, nghe_si_nfd}});
    CHECK(definitions(nghe_si_nfd + " (" + nsut_nfd + ") Lan Hương") == Pairs{{nsut_nfd, nghe_si_nfd}});
    // Two in one sentence, in order.
    CHECK(definitions("Mặt trận Tổ quốc (MTTQ) và Hội đồng nhân dân (HĐND) cùng giám sát") ==
          Pairs{{"MTTQ", "Mặt trận Tổ quốc"}, {"HĐND", "Hội đồng nhân dân"}});
    // Inside a larger parenthesis, and at the very start of the text.
    CHECK(definitions("(Hội đồng nhân dân (HĐND))") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
}

TEST_CASE("a definition broken over a line or padded with NBSP is reported single-spaced", "[abbreviations]") {
    // Learnt pairs are stored one per line, so a line break must never come out.
    CHECK(definitions("Hội đồng nhân\ndân (HĐND) tỉnh") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
    CHECK(definitions("Hội đồng nhân\r\n  dân (HĐND)") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
    CHECK(definitions("Hội\xc2\xa0" "đồng  nhân\tdân\xc2\xa0(HĐND)") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
    CHECK(definitions("UBND (Uỷ ban\n nhân dân)") == Pairs{{"UBND", "Uỷ ban nhân dân"}});
    CHECK(definitions("Hội đồng nhân dân\n(HĐND)") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
}

TEST_CASE("parentheses that are not definitions teach nothing", "[abbreviations]") {
    for (const char* text : {"Lễ khai mạc (ảnh) tại xã", "năm học mới (2020)", "Hội nghị Trung ương (HĐND)",
                             "ở tỉnh (UBND)", "(HĐND)", "Hội đồng nhân dân (HĐND", "Hội đồng nhân dân ((HĐND))x",
                             "Hội đồng nhân dân, (HĐND)", "Hội đồng nhân dân (H2ND)", ")(", "(((((", "", "()",
                             "( )", "HĐND (họp thường kỳ)", "Hội đồng nhân dân (hđnd)", "Hội đồng nhân dân (HDND)",
                             "Hội đồng nhân dân (HĐNĐ)", "Hội đồng nhân dân (ABCDEFGHI)", "Hội đồng nhân dân (HĐND, 2020)",
                             "UBND (Uỷ ban nhân dân xã)", "UBND, (Uỷ ban nhân dân)", "uBND (Uỷ ban nhân dân)",
                             "(ND) (ND)x(", "Tổ chức Thương mại Thế giới (WTO)",
                             "Hội đồng nhân dân )HĐND(", "\xff\xfe (\xff\xfe)", "Hội đồng nhân dân (\xc4\x90\xff)"}) {
        CAPTURE(text);
        CHECK(definitions(text).empty());
    }
    // An unclosed parenthesis ends the search; one closed later still counts.
    CHECK(definitions("Hội đồng nhân dân (HĐND) và (ghi chú") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
    CHECK(definitions("Hội đồng nhân dân (HĐND)(") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
    CHECK(definitions("(ghi chú ( Hội đồng nhân dân (HĐND)") == Pairs{{"HĐND", "Hội đồng nhân dân"}});
}

TEST_CASE("the learner looks at whole words only, and stays linear", "[abbreviations]") {
    // The window before "(" must not cut a long word into an abbreviation-sized tail.
    std::string long_word;
    for (int i = 0; i < 40; ++i) long_word += "Đ";
    CHECK(definitions(long_word + " (đa đa đa đa đa đa đa đa)").empty());
    CHECK(definitions("x" + long_word.substr(0, 16) + " (đa đa đa đa đa đa đa đa)").empty());
    CHECK(definitions(long_word.substr(0, 16) + " (đa đa đa đa đa đa đa đa)") ==
          Pairs{{long_word.substr(0, 16), "đa đa đa đa đa đa đa đa"}});
    // ... nor a long word into a short tail that starts the run of initials.
    for (const auto& [abbr, expansion] : definitions(std::string(200, 'b') + " an (BA)")) {
        CAPTURE(abbr, expansion);
        CHECK(expansion.size() > 200);
    }
    std::string many_a;
    for (int i = 0; i < 100; ++i) many_a += "an ";
    CHECK(definitions(many_a + "(AA)") == Pairs{{"AA", "an an"}});
    // Pathological punctuation: a million "(" before one ")" is one pass, not a million.
    std::string parens(1'000'000, '(');
    parens += "Hội đồng nhân dân (HĐND)";
    const auto t0 = std::chrono::steady_clock::now();
    CHECK(definitions(parens) == Pairs{{"HĐND", "Hội đồng nhân dân"}});
    std::string pairs;
    for (int i = 0; i < 20'000; ++i) pairs += "() (A) (ĐĐ)";
    CHECK(definitions(pairs).empty());
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
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

TEST_CASE("each abbreviation pair is its own metadata key: a commit writes its own pairs, the older single value is read and moved", "[abbreviations]") {
    vnsearch_test::TempDir dir("vnsearch-abbr-keys");
    const std::string db = dir.str("db");
    { vnsearch::Index ix(db); }
    {
        // An index written with the older layout: every pair in one value.
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        w.set_metadata("vnsearch.abbreviations", "ABC\tan bình cư\t2\tlearned\nHTCT\thệ thống chính trị\t1\tuser\n");
        w.commit();
    }
    auto count_of = [](const std::vector<vnsearch::AbbreviationEntry>& v, const std::string& a) -> long {
        for (const auto& e : v)
            if (e.abbreviation == a) return static_cast<long>(e.count);
        return -1;
    };
    auto pair_keys = [&] {
        Xapian::Database r(db);
        std::vector<std::string> keys;
        for (auto it = r.metadata_keys_begin("vnsearch.abbr:"); it != r.metadata_keys_end("vnsearch.abbr:"); ++it) keys.push_back(*it);
        return keys;
    };
    {
        vnsearch::Searcher s(db);
        CHECK(count_of(s.abbreviations(), "ABC") == 2);
        CHECK(count_of(s.abbreviations(), "HTCT") == 1);
        CHECK(ids(s, "HTCT").empty());
    }
    {
        vnsearch::Index ix(db);
        add_doc(ix, "defines", "Ban quản lý dự án (BQLDA) huyện đã họp.");
    }
    // The commit moved the older pairs to their own keys and added its own.
    CHECK(Xapian::Database(db).get_metadata("vnsearch.abbreviations").empty());
    CHECK(pair_keys() == std::vector<std::string>{"vnsearch.abbr:ABC\tan bình cư", "vnsearch.abbr:BQLDA\tban quản lý dự án",
                                                  "vnsearch.abbr:HTCT\thệ thống chính trị"});
    CHECK(Xapian::Database(db).get_metadata("vnsearch.abbr:HTCT\thệ thống chính trị") == "1\tuser");
    {
        vnsearch::Index ix(db);
        add_doc(ix, "again", "Ban quản lý dự án (BQLDA) tỉnh cũng họp.");
    }
    vnsearch::Searcher s(db);
    CHECK(count_of(s.abbreviations(), "BQLDA") == 2);
    CHECK(count_of(s.abbreviations(), "ABC") == 2);
    const auto found = ids(s, "BQLDA");
    CHECK(std::set<std::string>(found.begin(), found.end()) == std::set<std::string>{"defines", "again"});
}
