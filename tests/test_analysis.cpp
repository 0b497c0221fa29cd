// The analyzer: a golden table (input -> compact token string) over every rule, offsets
// into the original input, and properties over the seed corpus and random strings.
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vnsearch/vnsearch.h>

namespace {

/// Compact rendering: "exact/folded:kind@position", "/folded" omitted when equal, ":word"
/// omitted, parts prefixed with '+'.
std::string compact(std::string_view text) {
    std::string out;
    vnsearch::Analyzer().analyze(text, [&](const vnsearch::Token& t) {
        if (!out.empty()) out += ' ';
        if (t.part) out += '+';
        out += t.exact;
        if (t.folded != t.exact) out.append("/").append(t.folded);
        if (t.kind != vnsearch::TokenKind::word) out.append(":").append(vnsearch::kind_name(t.kind));
        out.append("@").append(std::to_string(t.position));
    });
    return out;
}

std::string nfd(std::string_view s) {
    UErrorCode st = U_ZERO_ERROR;
    auto u = icu::Normalizer2::getNFDInstance(st)->normalize(
        icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size()))), st);
    std::string out;
    return u.toUTF8String(out);
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Golden {
    const char* input;
    const char* expected;
};

}  // namespace

TEST_CASE("golden table: input -> tokens", "[analysis][golden]") {
    const std::vector<Golden> table = {
        // syllables, case, đ
        {"Chi Lăng", "chi@0 lăng/lang@1"},
        {"ĐẢNG BỘ Đảng bộ", "đảng/dang@0 bộ/bo@1 đảng/dang@2 bộ/bo@3"},
        {"Ðảng ðảng", "đảng/dang@0 đảng/dang@1"},  // U+00D0 / U+00F0 look-alikes
        // tone placement: both spellings give one exact term, all tones and cases
        {"hòa hoà HÒA HOÀ", "hoà/hoa@0 hoà/hoa@1 hoà/hoa@2 hoà/hoa@3"},
        {"hóa hỏa hõa họa", "hoá/hoa@0 hoả/hoa@1 hoã/hoa@2 hoạ/hoa@3"},
        {"khỏe khoẻ khòe khóe khõe khọe", "khoẻ/khoe@0 khoẻ/khoe@1 khoè/khoe@2 khoé/khoe@3 khoẽ/khoe@4 khoẹ/khoe@5"},
        {"thủy thuỷ thùy thúy thũy thụy", "thuỷ/thuy@0 thuỷ/thuy@1 thuỳ/thuy@2 thuý/thuy@3 thuỹ/thuy@4 thuỵ/thuy@5"},
        {"ủy uỷ Ủy Uỷ", "uỷ/uy@0 uỷ/uy@1 uỷ/uy@2 uỷ/uy@3"},
        {"òa oà", "oà/oa@0 oà/oa@1"},
        // closed syllables and qu/gi syllables are untouched
        {"hoàng toán huỳnh thuyền", "hoàng/hoang@0 toán/toan@1 huỳnh/huynh@2 thuyền/thuyen@3"},
        {"quý quả già giờ", "quý/quy@0 quả/qua@1 già/gia@2 giờ/gio@3"},
        // NFD and the mixed base letter + combining tone form
        {"Nghi\xCC\xA3 quyê\xCC\x81t", "nghị/nghi@0 quyết/quyet@1"},
        {"ho\xCC\x80" "a", "hoà/hoa@0"},
        {"e\xCC\x81\xCC\x82", "ế/e@0"},  // tone before shape mark
        // spaces and invisible characters
        {"Chi\xC2\xA0Lăng", "chi@0 lăng/lang@1"},                  // NBSP
        {"Chi\xE2\x80\x83Lăng\xE3\x80\x80xã", "chi@0 lăng/lang@1 xã/xa@2"},  // em space, ideographic space
        {"Đả\xE2\x80\x8Bng b\xC2\xADộ", "đảng/dang@0 bộ/bo@1"},   // zero-width space, soft hyphen
        // numbers, dates, times
        {"3.337 đồng chí", "3.337:number@0 đồng/dong@1 chí/chi@2"},
        {"59,2% và 100,34%", "59,2:number@0 và/va@1 100,34:number@2"},
        {"năm 2009.", "năm/nam@0 2009:number@1"},
        {"25/07/2024", "25/07/2024:date@0 +25:number@0 +07:number@1 +2024:number@2"},
        {"ngày 2/2/2008", "ngày/ngay@0 2/2/2008:date@1 +2:number@1 +2:number@2 +2008:number@3"},
        {"08:11:00", "08:11:00:time@0"},
        {"50.000đ 5km", "50.000:number@0 đ/d@1 5:number@2 km@3"},
        // codes: whole, then their parts
        {"03-NQ/HU", "03-nq/hu:code@0 +03:number@0 +nq:abbreviation@1 +hu@2"},
        {"28-CT/TW", "28-ct/tw:code@0 +28:number@0 +ct:abbreviation@1 +tw:abbreviation@2"},
        {"1926-QĐ/TU", "1926-qđ/tu/1926-qd/tu:code@0 +1926:number@0 +qđ/qd:abbreviation@1 +tu@2"},
        {"COVID-19", "covid-19:code@0 +covid:abbreviation@0 +19:number@1"},
        {"2015–2020", "2015-2020:code@0 +2015:number@0 +2020:number@1"},
        // abbreviations vs all-caps syllables
        {"TCCSĐ HĐND UBND THPT", "tccsđ/tccsd:abbreviation@0 hđnd/hdnd:abbreviation@1 ubnd:abbreviation@2 thpt:abbreviation@3"},
        {"CÔNG TÁC", "công/cong@0 tác/tac@1"},
        // other scripts
        {"Москва", "москва:foreign@0"},
        {"北京 ok", "北:foreign@0 京:foreign@1 ok@2"},
        {"café naïve", "café/cafe@0 naïve/naive@1"},
        // punctuation, quotes, dashes separate tokens
        {"“Học tập”—làm theo…", "học/hoc@0 tập/tap@1 làm/lam@2 theo@3"},
        {"kinh tế - xã hội", "kinh@0 tế/te@1 xã/xa@2 hội/hoi@3"},
        {"LSO- Thực hiện", "lso:abbreviation@0 thực/thuc@1 hiện/hien@2"},
        {"(Chợ Mới).", "chợ/cho@0 mới/moi@1"},
        // fuzz finding: letters whose lowercase lies outside the fast-path table
        {"ȺHòa Ⱦ", "ⱥhoà/ⱥhoa@0 ⱦ@1"},
        // invalid UTF-8: bytes are separators, the rest survives
        {"Chi\xFFL\xC4ng \xE1\xBB", "chi@0 l@1 ng@2"},
        {"", ""},
    };
    for (const auto& g : table) {
        INFO("input: " << g.input);
        CHECK(compact(g.input) == g.expected);
    }
}

TEST_CASE("offsets point into the original input as given", "[analysis][offsets]") {
    vnsearch::Analyzer a;
    SECTION("NFD input: the slice is the decomposed text") {
        std::string in = nfd("Thạch Thất");
        auto toks = a.analyze(in);
        REQUIRE(toks.size() == 2);
        CHECK(toks[0].start == 0);
        CHECK(toks[0].end == nfd("Thạch").size());
        CHECK(toks[1].text == nfd("Thất"));
        CHECK(toks[1].exact == "thất");
    }
    SECTION("invalid bytes before a token do not shift it") {
        std::string in = "\xFF\xFE Lạng";
        auto toks = a.analyze(in);
        REQUIRE(toks.size() == 1);
        CHECK(toks[0].start == 3);
        CHECK(in.substr(toks[0].start, toks[0].end - toks[0].start) == "Lạng");
    }
    SECTION("a code and its parts") {
        std::string in = "Nghị quyết 03-NQ/HU ngày";
        auto toks = a.analyze(in);
        REQUIRE(toks.size() == 7);
        CHECK(toks[2].text == "03-NQ/HU");
        CHECK(toks[3].text == "03");
        CHECK(toks[4].text == "NQ");
        CHECK(toks[5].text == "HU");
        CHECK(toks[5].end == toks[2].end);
        CHECK(toks[6].position == 5);
    }
}

TEST_CASE("over-long tokens are cut in their terms, and the text after them survives", "[analysis]") {
    std::string in = std::string(10000, 'x') + "ệ Chi Lăng";
    vnsearch::Analyzer a;
    auto toks = a.analyze(in);
    REQUIRE(toks.size() == 3);
    CHECK(toks[0].text.size() == 10003);
    CHECK(toks[0].exact.size() <= a.options().max_term_bytes);
    CHECK(vnsearch::is_valid_utf8(toks[0].exact));
    CHECK(toks[2].exact == "lăng");
    CHECK(toks[2].start == 10003 + 5);
}

TEST_CASE("invalid UTF-8 is counted, never fatal", "[analysis]") {
    vnsearch::Analyzer a;
    std::size_t n = 0;
    auto stats = a.analyze("a\xFF\xFE" "b\xC3", [&](const vnsearch::Token&) { ++n; });
    CHECK(stats.invalid_bytes == 3);
    CHECK(n == 2);
}

namespace {

/// Checks the analyzer's invariants on one text.
void check_properties(const std::string& text) {
    vnsearch::Analyzer a;
    std::uint32_t last_pos = 0;
    a.analyze(text, [&](const vnsearch::Token& t) {
        REQUIRE(t.start < t.end);
        REQUIRE(t.end <= text.size());
        // character boundaries: neither end splits a UTF-8 sequence
        REQUIRE((static_cast<unsigned char>(text[t.start]) & 0xC0) != 0x80);
        if (t.end < text.size()) REQUIRE((static_cast<unsigned char>(text[t.end]) & 0xC0) != 0x80);
        REQUIRE(text.substr(t.start, t.end - t.start) == t.text);
        REQUIRE(t.position >= last_pos);
        last_pos = t.position;
        REQUIRE(vnsearch::is_valid_utf8(t.exact));
        REQUIRE(vnsearch::fold(t.exact) == t.folded);
    });
    const std::string valid = vnsearch::repair_utf8(text);
    const std::string n1 = vnsearch::normalize(valid), f1 = vnsearch::fold(valid);
    REQUIRE(vnsearch::normalize(n1) == n1);
    REQUIRE(vnsearch::fold(f1) == f1);
    REQUIRE(vnsearch::fold(n1) == f1);
    // NFC and NFD spellings of the same text give the same terms.
    auto terms = [&](const std::string& s) {
        std::vector<std::string> v;
        a.analyze(s, [&](const vnsearch::Token& t) { v.push_back(t.exact + "|" + t.folded); });
        return v;
    };
    REQUIRE(terms(valid) == terms(nfd(valid)));
}

}  // namespace

TEST_CASE("properties hold over the seed corpus", "[analysis][properties]") {
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(VNSEARCH_CORPUS_DIR)) {
        if (e.path().extension() != ".txt") continue;
        INFO(e.path());
        check_properties(read(e.path()));
        ++files;
    }
    CHECK(files == 5);
}

TEST_CASE("properties hold over random strings", "[analysis][properties]") {
    // Pieces a random string is made of: Vietnamese letters (NFC), combining marks,
    // ASCII, digits and connectors, spaces of all kinds, zero-width, invalid bytes.
    const std::vector<std::string> pieces = {
        "a", "ă", "â", "ệ", "ở", "ữ", "Đ", "đ", "Ð", "ð", "hòa", "thuỷ", "quý", "gì", "\xCC\x81", "\xCC\x82",
        "\xCC\xA3", "\xCC\x80", "\xCC\x9B", "x", "Q", "7", "0", ".", ",", "/", "-", ":", " ", "\xC2\xA0",
        "\xE2\x80\x8B", "\n", "\xFF", "\xC3", "\xE1\xBB", "“", "…", "Ж", "京", "é", "HĐND", "03-NQ/HU"};
    std::mt19937 rng(20261122);
    for (int i = 0; i < 2000; ++i) {
        std::string s;
        std::size_t len = rng() % 24;
        for (std::size_t k = 0; k < len; ++k) s += pieces[rng() % pieces.size()];
        INFO("random string #" << i << ": " << s);
        check_properties(s);
    }
}
