// The analyzer: golden tables (input -> compact token string) over every rule, offsets
// into the original input, tone placement over every tone and case, over-long tokens,
// and properties over the seed corpus and random strings.
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vnsearch/vnsearch.h>

#include "analysis/scan.h"
#include "text/utf8.h"

namespace {

/// Compact rendering of the tokens of `text`, separated by spaces, one per token:
///   exact[/folded][:kind]@position[:start-end]
/// "/folded" is left out when equal to exact, ":word" is left out, parts start with '+',
/// and ":start-end" (byte offsets into the input) is only written when `offsets` is set.
/// E.g. "Huyện uỷ" -> "huyện/huyen@0 uỷ/uy@1", or with offsets "huyện/huyen@0:0-7 uỷ/uy@1:8-12".
std::string compact(std::string_view text, bool offsets = false, const vnsearch::Analyzer& a = vnsearch::Analyzer()) {
    std::string out;
    a.analyze(text, [&](const vnsearch::Token& t) {
        if (!out.empty()) out += ' ';
        if (t.part) out += '+';
        out += t.exact;
        if (t.folded != t.exact) out.append("/").append(t.folded);
        if (t.kind != vnsearch::TokenKind::word) out.append(":").append(vnsearch::kind_name(t.kind));
        out.append("@").append(std::to_string(t.position));
        if (offsets) out.append(":").append(std::to_string(t.start)).append("-").append(std::to_string(t.end));
    });
    return out;
}

icu::UnicodeString u16(std::string_view s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
}

std::string u8(const icu::UnicodeString& u) {
    std::string out;
    return u.toUTF8String(out);
}

const icu::Normalizer2& nfd_instance() {
    UErrorCode st = U_ZERO_ERROR;
    return *icu::Normalizer2::getNFDInstance(st);
}

const icu::Normalizer2& nfc_instance() {
    UErrorCode st = U_ZERO_ERROR;
    return *icu::Normalizer2::getNFCInstance(st);
}

std::string nfd(std::string_view s) {
    UErrorCode st = U_ZERO_ERROR;
    return u8(nfd_instance().normalize(u16(s), st));
}

std::string nfc(std::string_view s) {
    UErrorCode st = U_ZERO_ERROR;
    return u8(nfc_instance().normalize(u16(s), st));
}

bool is_tone_mark(UChar32 c) { return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323; }

/// The Windows-1258 spelling: each letter precomposed with its shape mark but its tone as a
/// combining mark after it ("ệ" -> "ê" U+0323). Canonically equivalent to the input.
std::string mixed(std::string_view s) {
    UErrorCode st = U_ZERO_ERROR;
    const icu::UnicodeString in = nfc_instance().normalize(u16(s), st);
    icu::UnicodeString out;
    for (int32_t i = 0; i < in.length();) {
        const UChar32 c = in.char32At(i);
        i += U16_LENGTH(c);
        const icu::UnicodeString d = nfd_instance().normalize(icu::UnicodeString(c), st);
        icu::UnicodeString rest;
        UChar32 tone = 0;
        for (int32_t k = 0; k < d.length();) {
            const UChar32 x = d.char32At(k);
            k += U16_LENGTH(x);
            if (is_tone_mark(x) && !tone)
                tone = x;
            else
                rest.append(x);
        }
        icu::UnicodeString split = nfc_instance().normalize(rest, st);
        if (tone) split.append(tone);
        // Only where that is the same text: not for ȭ (o + tilde + macron, whose order counts).
        if (nfc_instance().normalize(split, st) == icu::UnicodeString(c))
            out.append(split);
        else
            out.append(c);
    }
    REQUIRE(U_SUCCESS(st));
    return u8(out);
}

std::string utf8(const std::u32string& s) {
    return u8(icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size())));
}

std::string upper(std::string_view s) { return u8(u16(s).toUpper(icu::Locale::getRoot())); }

/// First letter upper case, the rest as given.
std::string title(std::string_view s) {
    icu::UnicodeString u = u16(s);
    const int32_t first = U16_LENGTH(u.char32At(0));
    icu::UnicodeString head(u, 0, first);
    return u8(head.toUpper(icu::Locale::getRoot()).append(icu::UnicodeString(u, first)));
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> seed_texts() {
    std::vector<std::string> texts;
    for (const auto& e : std::filesystem::directory_iterator(VNSEARCH_CORPUS_DIR))
        if (e.path().extension() == ".txt") texts.push_back(read(e.path()));
    return texts;
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
        {"Ðảng ðảng ÐẢNG Ðà", "đảng/dang@0 đảng/dang@1 đảng/dang@2 đà/da@3"},  // U+00D0 / U+00F0 look-alikes
        // tone placement: both spellings give one exact term, all tones and cases
        {"hòa hoà HÒA HOÀ Hòa Hoà", "hoà/hoa@0 hoà/hoa@1 hoà/hoa@2 hoà/hoa@3 hoà/hoa@4 hoà/hoa@5"},
        {"hóa hỏa hõa họa", "hoá/hoa@0 hoả/hoa@1 hoã/hoa@2 hoạ/hoa@3"},
        {"khỏe khoẻ khòe khóe khõe khọe", "khoẻ/khoe@0 khoẻ/khoe@1 khoè/khoe@2 khoé/khoe@3 khoẽ/khoe@4 khoẹ/khoe@5"},
        {"KHỎE KHOẺ Khỏe", "khoẻ/khoe@0 khoẻ/khoe@1 khoẻ/khoe@2"},
        {"thủy thuỷ thùy thúy thũy thụy", "thuỷ/thuy@0 thuỷ/thuy@1 thuỳ/thuy@2 thuý/thuy@3 thuỹ/thuy@4 thuỵ/thuy@5"},
        {"THỦY THUỶ Thủy", "thuỷ/thuy@0 thuỷ/thuy@1 thuỷ/thuy@2"},
        {"ủy uỷ Ủy Uỷ ỦY UỶ", "uỷ/uy@0 uỷ/uy@1 uỷ/uy@2 uỷ/uy@3 uỷ/uy@4 uỷ/uy@5"},
        {"òa oà", "oà/oa@0 oà/oa@1"},
        // closed syllables and qu/gi syllables are untouched
        {"hoàng toán huỳnh thuyền", "hoàng/hoang@0 toán/toan@1 huỳnh/huynh@2 thuyền/thuyen@3"},
        {"quý quả già giờ", "quý/quy@0 quả/qua@1 già/gia@2 giờ/gio@3"},
        {"quỳ qùy hoài xoáy", "quỳ/quy@0 qùy/quy@1 hoài/hoai@2 xoáy/xoay@3"},
        // NFD and the mixed base letter + combining tone form
        {"Nghi\xCC\xA3 quyê\xCC\x81t", "nghị/nghi@0 quyết/quyet@1"},
        {"Vie\xCC\xA3\xCC\x82t Viê\xCC\xA3t", "việt/viet@0 việt/viet@1"},  // NFD; ê + combining dot
        {"ho\xCC\x80" "a hoa\xCC\x80 thu\xCC\x89y", "hoà/hoa@0 hoà/hoa@1 thuỷ/thuy@2"},
        {"e\xCC\x81\xCC\x82", "ế/e@0"},  // tone before shape mark
        {"U\xCC\x9B\xCC\x80", "ừ/u@0"},
        // spaces and invisible characters
        {"Chi\xC2\xA0Lăng", "chi@0 lăng/lang@1"},                             // NBSP
        {"Chi\xE2\x80\x83Lăng\xE3\x80\x80xã", "chi@0 lăng/lang@1 xã/xa@2"},  // em space, ideographic space
        {"a\xE2\x80\x89" "b\xE2\x80\xAF" "c\xE2\x80\x8A" "d", "a@0 b@1 c@2 d@3"},  // thin, narrow NBSP, hair
        {"Đả\xE2\x80\x8Bng b\xC2\xADộ", "đảng/dang@0 bộ/bo@1"},              // zero-width space, soft hyphen
        {"Đả\xE2\x80\x8Dng Đả\xE2\x81\xA0ng Đả\xEF\xBB\xBFng", "đảng/dang@0 đảng/dang@1 đảng/dang@2"},  // ZWJ, WJ, BOM
        // numbers, dates, times
        {"3.337 đồng chí", "3.337:number@0 đồng/dong@1 chí/chi@2"},
        {"61.491 đảng viên", "61.491:number@0 đảng/dang@1 viên/vien@2"},
        {"59,2% và 100,34%", "59,2:number@0 và/va@1 100,34:number@2"},
        {"năm 2009.", "năm/nam@0 2009:number@1"},
        {"25/07/2024", "25/07/2024:date@0 +25:number@0 +07:number@1 +2024:number@2"},
        {"ngày 2/2/2008", "ngày/ngay@0 2/2/2008:date@1 +2:number@1 +2:number@2 +2008:number@3"},
        {"12/2020 2024-07-25", "12/2020:date@0 +12:number@0 +2020:number@1 2024-07-25:date@2 +2024:number@2 +07:number@3 +25:number@4"},
        {"08:11:00", "08:11:00:time@0"},
        {"08:11 0:00 / 0:00", "08:11:time@0 0:00:time@1 0:00:time@2"},
        {"50.000đ 5km", "50.000:number@0 đ/d@1 5:number@2 km@3"},
        // codes: whole, then their parts
        {"03-NQ/HU", "03-nq/hu:code@0 +03:number@0 +nq:abbreviation@1 +hu@2"},
        {"28-CT/TW", "28-ct/tw:code@0 +28:number@0 +ct:abbreviation@1 +tw:abbreviation@2"},
        {"1926-QĐ/TU", "1926-qđ/tu/1926-qd/tu:code@0 +1926:number@0 +qđ/qd:abbreviation@1 +tu@2"},
        {"Nghị quyết số 03-NQ/HU ngày", "nghị/nghi@0 quyết/quyet@1 số/so@2 03-nq/hu:code@3 +03:number@3 +nq:abbreviation@4 +hu@5 ngày/ngay@6"},
        {"COVID-19", "covid-19:code@0 +covid:abbreviation@0 +19:number@1"},
        {"H5N1", "h5n1:code@0"},
        {"2015–2020", "2015-2020:code@0 +2015:number@0 +2020:number@1"},  // en dash joins, spelled '-'
        // abbreviations vs all-caps syllables
        {"TCCSĐ HĐND UBND THPT", "tccsđ/tccsd:abbreviation@0 hđnd/hdnd:abbreviation@1 ubnd:abbreviation@2 thpt:abbreviation@3"},
        {"ĐBQH MTTQ BQL", "đbqh/dbqh:abbreviation@0 mttq:abbreviation@1 bql:abbreviation@2"},
        {"Hội đồng nhân dân (HĐND)", "hội/hoi@0 đồng/dong@1 nhân/nhan@2 dân/dan@3 hđnd/hdnd:abbreviation@4"},
        {"ĐẢNG CÔNG TÁC", "đảng/dang@0 công/cong@1 tác/tac@2"},
        // other scripts
        {"Москва", "москва:foreign@0"},
        {"Xin chào Привет", "xin@0 chào/chao@1 привет:foreign@2"},
        {"北京 ok", "北:foreign@0 京:foreign@1 ok@2"},
        {"Ελλάδα", "ελλάδα/ελλαδα:foreign@0"},
        {"café naïve", "café/cafe@0 naïve/naive@1"},
        // punctuation, quotes, dashes separate tokens
        {"“Học tập”—làm theo…", "học/hoc@0 tập/tap@1 làm/lam@2 theo@3"},
        {"«Đảng» „bộ“ ‘chi’ 'lăng' \"xã\"", "đảng/dang@0 bộ/bo@1 chi@2 lăng/lang@3 xã/xa@4"},
        {"kinh tế - xã hội – văn hoá — ok", "kinh@0 tế/te@1 xã/xa@2 hội/hoi@3 văn/van@4 hoá/hoa@5 ok@6"},
        {"LSO- Thực hiện", "lso:abbreviation@0 thực/thuc@1 hiện/hien@2"},
        {"(Chợ Mới).", "chợ/cho@0 mới/moi@1"},
        {"văn hoá...ok…tiếp", "văn/van@0 hoá/hoa@1 ok@2 tiếp/tiep@3"},
        // fuzz finding: letters whose lowercase lies outside the fast-path table
        {"ȺHòa Ⱦ", "ⱥhoà/ⱥhoa@0 ⱦ@1"},
        // invalid UTF-8: bytes are separators, the rest survives
        {"Chi\xFFL\xC4ng \xE1\xBB", "chi@0 l@1 ng@2"},
        {"x\xC0\xAFy\xED\xA0\x80z\xF5w\xF0\x9F\x98", "x@0 y@1 z@2 w@3"},  // overlong, surrogate, F5, truncated
        {"", ""},
        {" \t\n…", ""},
    };
    for (const auto& g : table) {
        INFO("input: " << g.input);
        CHECK(compact(g.input) == g.expected);
    }
}

TEST_CASE("golden table with offsets: tokens point into the input as given", "[analysis][golden][offsets]") {
    const std::vector<Golden> table = {
        {"Huyện uỷ hòa 03-NQ/HU 25/07/2024 HĐND 3.337",
         "huyện/huyen@0:0-7 uỷ/uy@1:8-12 hoà/hoa@2:13-17 03-nq/hu:code@3:18-26 +03:number@3:18-20 "
         "+nq:abbreviation@4:21-23 +hu@5:24-26 25/07/2024:date@6:27-37 +25:number@6:27-29 +07:number@7:30-32 "
         "+2024:number@8:33-37 hđnd/hdnd:abbreviation@9:38-43 3.337:number@10:44-49"},
        {"Nghi\xCC\xA3 quyê\xCC\x81t", "nghị/nghi@0:0-6 quyết/quyet@1:7-15"},  // NFD: the decomposed bytes
        {"Chi\xC2\xA0Lăng", "chi@0:0-3 lăng/lang@1:5-10"},
        {"Đả\xE2\x80\x8Bng bộ", "đảng/dang@0:0-10 bộ/bo@1:11-15"},  // the zero-width space is inside the token
        {"\xFF\xFE Lạng", "lạng/lang@0:3-9"},
        {"2015–2020", "2015-2020:code@0:0-11 +2015:number@0:0-4 +2020:number@1:7-11"},
        {"北京", "北:foreign@0:0-3 京:foreign@1:3-6"},
        {"«Đảng»", "đảng/dang@0:2-9"},
    };
    for (const auto& g : table) {
        INFO("input: " << g.input);
        CHECK(compact(g.input, true) == g.expected);
    }
}

TEST_CASE("each named limit of the tokenizer, on both sides of its boundary", "[analysis][golden]") {
    // The constants of lib/analysis/tokenizer.cpp (rules: docs/analysis.md).
    const std::vector<Golden> table = {
        // time: at most 3 parts of at most 2 digits, hour <= 24, minutes and seconds < 60
        {"24:59 25:00 0:60 23:59:59 23:59:60 1:2:3:4 123:45 1:234",
         "24:59:time@0 25:00:code@1 +25:number@1 +00:number@2 0:60:code@3 +0:number@3 +60:number@4 "
         "23:59:59:time@5 23:59:60:code@6 +23:number@6 +59:number@7 +60:number@8 1:2:3:4:code@9 +1:number@9 "
         "+2:number@10 +3:number@11 +4:number@12 123:45:code@13 +123:number@13 +45:number@14 1:234:code@15 "
         "+1:number@15 +234:number@16"},
        // d/m/y: day 1-31, month 1-12 (at most 2 digits each), year of 4 or 2 digits
        {"31/12/2024 32/12/2024 0/12/2024 1/13/2024 1/12/99 1/12/999",
         "31/12/2024:date@0 +31:number@0 +12:number@1 +2024:number@2 32/12/2024:code@3 +32:number@3 "
         "+12:number@4 +2024:number@5 0/12/2024:code@6 +0:number@6 +12:number@7 +2024:number@8 "
         "1/13/2024:code@9 +1:number@9 +13:number@10 +2024:number@11 1/12/99:date@12 +1:number@12 "
         "+12:number@13 +99:number@14 1/12/999:code@15 +1:number@15 +12:number@16 +999:number@17"},
        // m/yyyy (a 4-digit year only) and d/m
        {"12/2020 13/2020 12/202 31/12 31/13 001/1/2024",
         "12/2020:date@0 +12:number@0 +2020:number@1 13/2020:code@2 +13:number@2 +2020:number@3 "
         "12/202:code@4 +12:number@4 +202:number@5 31/12:date@6 +31:number@6 +12:number@7 31/13:code@8 "
         "+31:number@8 +13:number@9 001/1/2024:code@10 +001:number@10 +1:number@11 +2024:number@12"},
        // yyyy-mm-dd: exactly 4-2-2 digits, month 1-12, day 1-31
        {"2024-12-31 2024-13-01 2024-12-32 2024-1-01 24-12-31",
         "2024-12-31:date@0 +2024:number@0 +12:number@1 +31:number@2 2024-13-01:code@3 +2024:number@3 "
         "+13:number@4 +01:number@5 2024-12-32:code@6 +2024:number@6 +12:number@7 +32:number@8 "
         "2024-1-01:code@9 +2024:number@9 +1:number@10 +01:number@11 24-12-31:code@12 +24:number@12 "
         "+12:number@13 +31:number@14"},
        // a value of more than 6 digits fits no field (and does not overflow)
        {"12345678901234567890:00 1/1/12345678901234567890",
         "12345678901234567890:00:code@0 +12345678901234567890:number@0 +00:number@1 "
         "1/1/12345678901234567890:code@2 +1:number@2 +1:number@3 +12345678901234567890:number@4"},
        // '.' ',' ':' join digits, but not right after a dash
        {"1-2.3 1.2-3",
         "1-2:code@0 +1:number@0 +2:number@1 3:number@2 1.2-3:code@3 +1:number@3 +2:number@4 +3:number@5"},
        // an abbreviation has 2+ capitals and is no syllable
        {"Q NQ AN", "q@0 nq:abbreviation@1 an@2"},
        // after '-', a letter below U+0250 always continues a code; past it, another script ends it
        {"A-ß A-ɐ A-α A-北", "a-ß:code@0 +a@0 +ß@1 a-ɐ:code@2 +a@2 +ɐ@3 a@4 α:foreign@5 a@6 北:foreign@7"},
        // digits stop before a lowercase letter (a unit), not before a capital
        {"5km 5Km 5KM", "5:number@0 km@1 5km:code@2 5km:code@3"},
    };
    for (const auto& g : table) {
        INFO("input: " << g.input);
        CHECK(compact(g.input) == g.expected);
    }
    // The fast path takes words of up to 48 bytes (text::kFastTermBytes); longer ones take
    // the general scanner, with the same terms and kinds.
    for (const std::size_t count : {47, 48, 49}) {
        INFO("letters: " << count);
        const std::string lower(count, 'x'), caps(count, 'X');
        CHECK(compact(lower) == lower + "@0");
        CHECK(compact(caps) == lower + ":abbreviation@0");
    }
    for (const std::size_t count : {15, 16, 17}) {  // 3 bytes each: 45, 48, 51 bytes
        INFO("letters: " << count);
        std::string lower, caps;
        for (std::size_t k = 0; k < count; ++k) {
            lower += "ả";
            caps += "Ả";
        }
        const std::string folded(count, 'a');
        CHECK(compact(lower) == lower + "/" + folded + "@0");
        CHECK(compact(caps) == lower + "/" + folded + ":abbreviation@0");
    }
}

TEST_CASE("tone placement: oa, oe, uy in every tone, spelling and case", "[analysis][tones]") {
    struct Pair {
        char32_t first, second;
    };
    const std::vector<Pair> pairs = {{U'o', U'a'}, {U'o', U'e'}, {U'u', U'y'}};
    const std::vector<char32_t> tones = {0x0300, 0x0301, 0x0303, 0x0309, 0x0323};
    const std::vector<std::string> onsets = {"", "h", "kh", "th", "x", "ng", "t", "l"};
    auto toned = [](char32_t letter, char32_t tone) { return nfc(utf8(std::u32string{letter, tone})); };
    std::size_t checked = 0;
    for (const auto& p : pairs) {
        const std::string first = utf8(std::u32string{p.first});
        const std::string second = utf8(std::u32string{p.second});
        for (char32_t tone : tones) {
            for (const auto& onset : onsets) {
                const std::string old_spelling = onset + toned(p.first, tone) + second;  // hòa
                const std::string new_spelling = onset + first + toned(p.second, tone);  // hoà
                const std::string folded = onset + first + second;
                for (const auto& s : {old_spelling, new_spelling}) {
                    for (const auto& variant : {s, upper(s), title(s), nfd(s), mixed(s), nfd(upper(s))}) {
                        INFO("variant: " << variant);
                        const auto toks = vnsearch::Analyzer().analyze(variant);
                        REQUIRE(toks.size() == 1);
                        CHECK(toks[0].exact == new_spelling);
                        CHECK(toks[0].folded == folded);
                        CHECK(toks[0].kind == vnsearch::TokenKind::word);
                        ++checked;
                    }
                    // normalize() places the tone too, and keeps the case
                    CHECK(vnsearch::normalize(s) == new_spelling);
                    CHECK(vnsearch::normalize(upper(s)) == upper(new_spelling));
                    CHECK(vnsearch::normalize(title(s)) == title(new_spelling));
                }
                // A final consonant: both conventions agree, nothing moves (hoàn, hoạch, thuyết...).
                for (const char* coda : {"n", "ng", "c", "ch", "t", "nh", "m", "p"}) {
                    const std::string closed = onset + first + toned(p.second, tone) + coda;
                    INFO("closed: " << closed);
                    CHECK(vnsearch::normalize(closed) == closed);
                    CHECK(vnsearch::normalize(upper(closed)) == upper(closed));
                }
            }
            // qu + vowel: the u belongs to the onset (quả, quý, què); gi likewise (già).
            for (const std::string& s : {"qu" + toned(p.second, tone), "gi" + toned(U'a', tone)}) {
                INFO("qu/gi: " << s);
                CHECK(vnsearch::normalize(s) == s);
                CHECK(vnsearch::lower(upper(s)) == s);
            }
        }
    }
    CHECK(checked == 3 * 5 * 8 * 2 * 6);
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

TEST_CASE("over-long tokens are cut in their terms, and the text after them survives", "[analysis][long]") {
    vnsearch::Analyzer a;
    const std::size_t max = a.options().max_term_bytes;
    auto check_cut = [&](const vnsearch::Token& t) {
        CHECK(t.exact.size() <= max);
        CHECK(t.folded.size() <= max);
        CHECK(t.exact.size() + 4 > max);  // cut at the last whole character, not earlier
        CHECK(vnsearch::is_valid_utf8(t.exact));
        CHECK(vnsearch::is_valid_utf8(t.folded));
    };
    SECTION("10,000 ASCII letters and a marked one") {
        std::string in = std::string(10000, 'x') + "ệ Chi Lăng";
        auto toks = a.analyze(in);
        REQUIRE(toks.size() == 3);
        CHECK(toks[0].text.size() == 10003);
        check_cut(toks[0]);
        CHECK(toks[0].exact == std::string(max, 'x'));
        CHECK(toks[2].exact == "lăng");
        CHECK(toks[2].start == 10003 + 5);
        CHECK(toks[2].position == 2);
    }
    SECTION("10,000 Vietnamese letters: cut at a character boundary") {
        std::string word;
        for (int k = 0; k < 5000; ++k) word += "Ệệ";
        auto toks = a.analyze(word + " cuối");
        REQUIRE(toks.size() == 2);
        CHECK(toks[0].text == word);
        check_cut(toks[0]);
        std::string all_e;
        while (all_e.size() + 3 <= max) all_e += "ệ";
        CHECK(toks[0].exact == all_e);
        CHECK(toks[0].folded == std::string(max, 'e'));
        CHECK(toks[1].exact == "cuối");
    }
    SECTION("the same in NFD (the general path through ICU)") {
        std::string word;
        for (int k = 0; k < 2000; ++k) word += "e\xCC\xA3\xCC\x82";
        auto toks = a.analyze(word + " x");
        REQUIRE(toks.size() == 2);
        check_cut(toks[0]);
        CHECK(toks[0].folded == std::string(max, 'e'));
        CHECK(toks[1].start == word.size() + 1);
    }
    SECTION("a 10,000-digit number and a long code with its parts") {
        auto toks = a.analyze(std::string(10000, '7') + " " + std::string(5000, 'A') + "-" + std::string(5000, '1') + " x");
        REQUIRE(toks.size() == 5);
        CHECK(toks[0].kind == vnsearch::TokenKind::number);
        CHECK(toks[0].exact == std::string(max, '7'));
        CHECK(toks[1].kind == vnsearch::TokenKind::code);
        CHECK(toks[1].exact.size() == max);
        CHECK(toks[2].part);
        CHECK(toks[3].part);
        CHECK(toks[4].exact == "x");
        CHECK(toks[4].position == 3);
    }
    SECTION("a configurable limit") {
        vnsearch::AnalyzerOptions options;
        options.max_term_bytes = 245;  // Xapian's own limit
        auto toks = vnsearch::Analyzer(options).analyze(std::string(1000, 'a'));
        REQUIRE(toks.size() == 1);
        CHECK(toks[0].exact.size() == 245);
    }
}

TEST_CASE("options: parts, first position, statistics", "[analysis]") {
    vnsearch::AnalyzerOptions options;
    options.emit_parts = false;
    options.first_position = 100;
    vnsearch::Analyzer a(options);
    CHECK(compact("03-NQ/HU và 25/07/2024", false, a) == "03-nq/hu:code@100 và/va@101 25/07/2024:date@102");
    std::size_t n = 0;
    auto stats = vnsearch::Analyzer().analyze("Nghị quyết 03-NQ/HU", [&](const vnsearch::Token&) { ++n; });
    CHECK(stats.tokens == n);
    CHECK(n == 6);
}

TEST_CASE("invalid UTF-8 is counted, never fatal", "[analysis]") {
    vnsearch::Analyzer a;
    std::size_t n = 0;
    auto stats = a.analyze("a\xFF\xFE" "b\xC3", [&](const vnsearch::Token&) { ++n; });
    CHECK(stats.invalid_bytes == 3);
    CHECK(n == 2);
    // overlong '/', a surrogate, a byte that never starts a sequence, a truncated emoji
    stats = a.analyze("x\xC0\xAFy\xED\xA0\x80z\xF5w\xF0\x9F\x98", [](const vnsearch::Token&) {});
    CHECK(stats.invalid_bytes == 2 + 3 + 1 + 3);
    CHECK(stats.tokens == 4);
}

namespace {

/// The terms of `s` in order, each as "exact|folded|kind@position".
std::vector<std::string> terms(const std::string& s) {
    std::vector<std::string> v;
    vnsearch::Analyzer().analyze(s, [&](const vnsearch::Token& t) {
        v.push_back(t.exact + "|" + t.folded + "|" + std::string(vnsearch::kind_name(t.kind)) + "@" +
                    std::to_string(t.position));
    });
    return v;
}

/// Checks the analyzer's invariants on one text.
void check_properties(const std::string& text) {
    // Character boundaries: where each character starts, an invalid sequence (its maximal
    // subpart, as decode() and repair_utf8 see it) counting as one character.
    std::vector<bool> boundary(text.size() + 1, false);
    for (std::size_t i = 0; i < text.size();) {
        boundary[i] = true;
        std::size_t len;
        bool invalid;
        vnsearch::text::decode_utf8(reinterpret_cast<const unsigned char*>(text.data()) + i, text.size() - i, len, invalid);
        i += len;
    }
    boundary[text.size()] = true;
    vnsearch::Analyzer a;
    std::uint32_t last_pos = 0;
    a.analyze(text, [&](const vnsearch::Token& t) {
        REQUIRE(t.start < t.end);
        REQUIRE(t.end <= text.size());
        REQUIRE(boundary[t.start]);
        REQUIRE(boundary[t.end]);
        REQUIRE(text.substr(t.start, t.end - t.start) == t.text);
        REQUIRE(t.position >= last_pos);
        last_pos = t.position;
        REQUIRE(!t.exact.empty());
        REQUIRE(vnsearch::is_valid_utf8(t.exact));
        REQUIRE(vnsearch::is_valid_utf8(t.folded));
        REQUIRE(vnsearch::fold(t.exact) == t.folded);
        REQUIRE(vnsearch::lower(t.exact) == t.exact);
    });
    const std::string valid = vnsearch::repair_utf8(text);
    const std::string n1 = vnsearch::normalize(valid), l1 = vnsearch::lower(valid), f1 = vnsearch::fold(valid);
    REQUIRE(vnsearch::normalize(n1) == n1);
    REQUIRE(vnsearch::lower(l1) == l1);
    REQUIRE(vnsearch::fold(f1) == f1);
    REQUIRE(vnsearch::fold(n1) == f1);
    REQUIRE(vnsearch::fold(l1) == f1);
    // NFC, NFD and the mixed spelling of the same text give the same terms.
    const auto expected = terms(valid);
    REQUIRE(terms(nfc(valid)) == expected);
    REQUIRE(terms(nfd(valid)) == expected);
    REQUIRE(terms(mixed(valid)) == expected);
    REQUIRE(vnsearch::normalize(nfd(valid)) == n1);
}

}  // namespace

TEST_CASE("properties hold over the seed corpus", "[analysis][properties]") {
    std::size_t files = 0;
    for (const auto& text : seed_texts()) {
        check_properties(text);
        ++files;
    }
    CHECK(files == 5);
}

TEST_CASE("zero-width characters inside words change no term (table path = ICU path)", "[analysis][properties]") {
    // A zero-width space after the first character of every word sends the word through
    // the general (ICU) path; its terms must be those of the table fast path.
    for (const auto& text : seed_texts()) {
        std::string spiked;
        std::size_t copied = 0;
        vnsearch::Analyzer().analyze(text, [&](const vnsearch::Token& t) {
            if (t.part || t.kind == vnsearch::TokenKind::foreign) return;
            std::size_t first = t.start + 1;
            while (first < t.end && (static_cast<unsigned char>(text[first]) & 0xC0) == 0x80) ++first;
            spiked.append(text, copied, first - copied).append("\xE2\x80\x8B");
            copied = first;
        });
        spiked.append(text, copied);
        CHECK(terms(spiked) == terms(text));
    }
}

TEST_CASE("properties hold over random strings", "[analysis][properties]") {
    // Pieces a random string is made of: Vietnamese letters (NFC), combining marks,
    // ASCII, digits and connectors, spaces of all kinds, zero-width, invalid bytes.
    const std::vector<std::string> pieces = {
        "a", "ă", "â", "ệ", "ở", "ữ", "Đ", "đ", "Ð", "ð", "hòa", "thuỷ", "quý", "gì", "ỦY", "KHỎE", "\xCC\x81",
        "\xCC\x82", "\xCC\xA3", "\xCC\x80", "\xCC\x89", "\xCC\x9B", "\xCC\x86", "x", "Q", "7", "0", ".", ",", "/", "-",
        ":", " ", "\xC2\xA0", "\xE2\x80\x83", "\xE2\x80\x8B", "\xC2\xAD", "\n", "\xFF", "\xC3", "\xE1\xBB", "\xED\xA0\x80",
        "“", "…", "–", "Ж", "京", "é", "Ⱥ", "HĐND", "03-NQ/HU", "25/07/2024", "3.337", "08:11"};
    std::mt19937 rng(20261122);
    for (int i = 0; i < 3000; ++i) {
        std::string s;
        std::size_t len = rng() % 24;
        for (std::size_t k = 0; k < len; ++k) s += pieces[rng() % pieces.size()];
        INFO("random string #" << i << ": " << s);
        check_properties(s);
    }
}

TEST_CASE("properties hold over random bytes", "[analysis][properties]") {
    std::mt19937 rng(7);
    for (int i = 0; i < 2000; ++i) {
        std::string s(rng() % 40, '\0');
        for (char& c : s) c = static_cast<char>(rng() % 256);
        INFO("random bytes #" << i);
        check_properties(s);
    }
}

TEST_CASE("analyze_while sends the tokens analyze sends, up to the one it stops after", "[analysis]") {
    const vnsearch::Analyzer a;
    const std::string text = "Ngày 25/07/2024, HĐND huyện Chi Lăng họp về 03-NQ/HU và Nghị quyết 22.";
    const std::vector<vnsearch::Token> all = a.analyze(text);
    REQUIRE(all.size() > 10);
    for (std::size_t stop = 0; stop < all.size(); ++stop) {
        CAPTURE(stop);
        std::vector<vnsearch::Token> got;
        const vnsearch::AnalysisStats stats = a.analyze_while(text, [&](const vnsearch::Token& t) {
            got.push_back(t);
            return got.size() <= stop;
        });
        REQUIRE(got.size() == stop + 1);  // the token it stops after is sent, no other
        CHECK(stats.tokens == got.size());
        for (std::size_t k = 0; k < got.size(); ++k) {
            CHECK(got[k].exact == all[k].exact);
            CHECK(got[k].start == all[k].start);
            CHECK(got[k].position == all[k].position);
            CHECK(got[k].part == all[k].part);
        }
    }
    // A sink that never stops reads everything.
    std::size_t n = 0;
    a.analyze_while(text, [&](const vnsearch::Token&) { return ++n > 0; });
    CHECK(n == all.size());
}

TEST_CASE("analyze_looking_for sends analyze's tokens but the plain words not looked for", "[analysis][properties]") {
    // Texts of words in every form (NFC, NFD, capitals, both tone placements, đ, compounds,
    // numbers, other scripts, invalid bytes), searched for folded forms of their words, with
    // a stop offset and a stop count: every token sent is analyze's, whole, at the same
    // offsets and position; a token not sent is a plain word not looked for; every token
    // read, sent or not, has its bounds in `bounds`; none from the stop offset on is read
    // (but the parts of a compound that starts before).
    const std::vector<std::string> words = {
        "Chi",  "Lăng", "lạng", "LANG", "hòa", "hoà", "Hoa", "uỷ", "ủy", "Đảng", "dang", "HĐND", "TCCSĐ", "Nghị",
        "quyết", "22",   "03-NQ/HU", "25/07/2024", "3.337", "08:11", "ho\xCC\x80" "a", "Ж", "京", "\xFF", "x2",
        "kilômét", "nguyễn", "NGUYỄN", "a\xE2\x80\x8B" "b", "café", "Ⱥ"};
    const std::vector<std::string> separators = {" ", ", ", ". ", "\n", "-", "/", "  ", ""};
    const std::vector<std::vector<std::string>> looked_for = {
        {"lang"}, {"hoa", "chi"}, {"dang", "hdnd"}, {"22", "nghi", "quyet"}, {}, {"nguyen", "kilomet", "ab"}, {"zzz"}};
    const vnsearch::Analyzer a;
    std::mt19937 rng(20261204);
    std::size_t skipped = 0, whole = 0, stopped_at_offset = 0;
    for (int i = 0; i < 1500; ++i) {
        std::string text;
        const std::size_t n = rng() % 40;
        for (std::size_t k = 0; k < n; ++k) text += words[rng() % words.size()] + separators[rng() % separators.size()];
        const std::vector<std::string>& forms = looked_for[static_cast<std::size_t>(i) % looked_for.size()];
        vnsearch::detail::FoldedSet wanted;
        for (const std::string& f : forms) wanted.insert(f);
        const std::vector<vnsearch::Token> all = a.analyze(text);
        const std::size_t stop = rng() % (all.size() + 2);  // past the end: reads everything
        std::vector<std::pair<std::size_t, std::size_t>> bounds;
        vnsearch::detail::LookingFor looking(wanted);
        looking.bounds = &bounds;
        if (i % 2) looking.stop_at = rng() % (text.size() + 2);
        std::vector<vnsearch::Token> got;
        const vnsearch::AnalysisStats stats = vnsearch::detail::analyze_looking_for(a, text, looking, [&](const vnsearch::Token& t) {
            got.push_back(t);
            return got.size() <= stop;
        });
        INFO("text: " << text << " stop " << stop << " stop_at " << looking.stop_at);
        // What analyze_while sends up to the same stops, and which of it comes.
        std::size_t k = 0, read = 0;
        std::vector<std::pair<std::size_t, std::size_t>> expected_bounds;
        for (const vnsearch::Token& y : all) {
            if (k == got.size() && k > stop) break;
            const bool sought = std::find(forms.begin(), forms.end(), y.folded) != forms.end();
            if (y.start >= looking.stop_at && !y.part) {  // a compound's parts come with it
                ++stopped_at_offset;
                break;
            }
            ++read;
            if (!y.part) expected_bounds.emplace_back(y.start, y.end);
            if (k < got.size() && got[k].start == y.start && got[k].end == y.end && got[k].part == y.part) {
                const vnsearch::Token& x = got[k++];
                ++whole;
                CHECK(x.position == y.position);
                CHECK(x.exact == y.exact);
                CHECK(x.folded == y.folded);
                CHECK(x.text == y.text);
                CHECK(x.kind == y.kind);
            } else {  // not sent: a whole plain word (or abbreviation) not looked for
                ++skipped;
                CHECK_FALSE(sought);
                CHECK_FALSE(y.part);
                CHECK((y.kind == vnsearch::TokenKind::word || y.kind == vnsearch::TokenKind::abbreviation));
            }
        }
        CHECK(k == got.size());  // every token sent is one of analyze's, in order
        CHECK(stats.tokens == read);
        CHECK(bounds == expected_bounds);
    }
    CHECK(skipped > 1000);
    CHECK(whole > 1000);
    CHECK(stopped_at_offset > 100);
}
