// The text layer: exhaustive folding, the generated table against ICU, normalization of
// spaces and invisible characters, decoding (repair, BOMs, UTF-16 files, legacy charsets).
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <boost/locale/encoding.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vnsearch/vnsearch.h>

#include "text/char_table.h"
#include "text/utf8.h"
#include "test_support.h"

namespace {

std::string to_utf8(const icu::UnicodeString& u) {
    std::string out;
    return u.toUTF8String(out);
}

std::string nfc(const std::u32string& s) {
    UErrorCode st = U_ZERO_ERROR;
    auto u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
    return to_utf8(icu::Normalizer2::getNFCInstance(st)->normalize(u, st));
}

std::string nfd(const std::string& s) {
    UErrorCode st = U_ZERO_ERROR;
    return to_utf8(icu::Normalizer2::getNFDInstance(st)->normalize(icu::UnicodeString::fromUTF8(s), st));
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("folding is exhaustive over every marked Vietnamese vowel, both cases, and Đ", "[text][fold]") {
    // 12 vowel letters (shape marks included) x (no tone + 5 tones) x 2 cases, composed
    // from base letter + marks with ICU's NFC; the 12 plain a e i o u y / A E I O U Y aside.
    struct Base {
        std::u32string lower, upper;  // base letter + shape mark
        char ascii;
    };
    const std::vector<Base> bases = {{U"a", U"A", 'a'},           {U"a\u0306", U"A\u0306", 'a'}, {U"a\u0302", U"A\u0302", 'a'},
                                     {U"e", U"E", 'e'},           {U"e\u0302", U"E\u0302", 'e'}, {U"i", U"I", 'i'},
                                     {U"o", U"O", 'o'},           {U"o\u0302", U"O\u0302", 'o'}, {U"o\u031B", U"O\u031B", 'o'},
                                     {U"u", U"U", 'u'},           {U"u\u031B", U"U\u031B", 'u'}, {U"y", U"Y", 'y'}};
    const std::vector<char32_t> tones = {0, 0x0300, 0x0301, 0x0303, 0x0309, 0x0323};
    std::size_t marked = 0;
    for (const auto& b : bases) {
        for (char32_t tone : tones) {
            std::u32string lo = b.lower, up = b.upper;
            if (tone) lo.push_back(tone), up.push_back(tone);
            const std::string l = nfc(lo), u = nfc(up);
            INFO("letter " << l << " / " << u);
            REQUIRE(vnsearch::text::to_u32(l).size() == 1);  // precomposed in NFC
            REQUIRE(vnsearch::text::to_u32(u).size() == 1);
            if (l.size() == 1) continue;  // a e i o u y without marks
            marked += 2;
            const std::string ascii(1, b.ascii);
            for (const std::string& form : {l, u, nfd(l), nfd(u)}) {
                INFO("form " << form);
                CHECK(vnsearch::fold(form) == ascii);
                CHECK(vnsearch::lower(form) == l);
            }
            CHECK(vnsearch::normalize(u) == u);
            CHECK(vnsearch::normalize(l) == l);
            CHECK(vnsearch::normalize(nfd(u)) == u);
            CHECK(vnsearch::normalize(nfd(l)) == l);
        }
    }
    CHECK(marked == 132);  // 66 marked lowercase vowel letters and their capitals
    for (const char* d : {"Đ", "đ", "Ð", "ð"}) {
        INFO(d);
        CHECK(vnsearch::fold(d) == "d");
        CHECK(vnsearch::lower(d) == "đ");
        ++marked;
    }
    CHECK(marked == 134 + 2);  // with Đ/đ the 134 marked letters, and the two look-alikes
    CHECK(vnsearch::normalize("Ð") == "Đ");
    CHECK(vnsearch::normalize("ð") == "đ");
}

TEST_CASE("the generated table agrees with ICU for every code point it covers", "[text][table]") {
    // Every field of lib/text/char_table.inc is recomputed here from ICU (not from the
    // Python script that generated it), so a stale or hand-edited table fails.
    using namespace vnsearch::text;
    const icu::Normalizer2* nfd_n;
    const icu::Normalizer2* nfc_n;
    {
        UErrorCode st = U_ZERO_ERROR;
        nfd_n = icu::Normalizer2::getNFDInstance(st);
        nfc_n = icu::Normalizer2::getNFCInstance(st);
        REQUIRE(U_SUCCESS(st));
    }
    auto tone_of = [](UChar32 m) -> std::uint8_t {
        switch (m) {
            case 0x0300: return kGrave;
            case 0x0301: return kAcute;
            case 0x0303: return kTilde;
            case 0x0309: return kHook;
            case 0x0323: return kDot;
            default: return kNoTone;
        }
    };
    std::size_t letters = 0;
    auto check = [&](char32_t table_cp) {
        const CharInfo* ci = char_info(table_cp);
        REQUIRE(ci);
        INFO("U+" << std::hex << static_cast<unsigned>(table_cp));
        // Ð U+00D0 / ð U+00F0 are tabulated as the Đ / đ they are typed for.
        const char32_t cp = table_cp == 0xD0 ? 0x110 : table_cp == 0xF0 ? 0x111 : table_cp;
        const auto c = static_cast<UChar32>(cp);
        const int8_t type = u_charType(c);
        const bool letter = type == U_UPPERCASE_LETTER || type == U_LOWERCASE_LETTER || type == U_TITLECASE_LETTER ||
                            type == U_MODIFIER_LETTER || type == U_OTHER_LETTER;
        const bool space = type == U_SPACE_SEPARATOR || type == U_LINE_SEPARATOR || type == U_PARAGRAPH_SEPARATOR ||
                           type == U_CONTROL_CHAR;
        if (cp == 0xAD) {  // soft hyphen: invisible, removed
            CHECK(ci->cls == kIgnorable);
            return;
        }
        CHECK((ci->cls == kLetter) == letter);
        CHECK((ci->cls == kDigit) == (type == U_DECIMAL_DIGIT_NUMBER));
        CHECK((ci->cls == kMark) == (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK));
        CHECK((ci->cls == kSpace) == space);
        if (!letter) {
            CHECK(ci->tone == kNoTone);
            CHECK(ci->upper == 0);
            CHECK(ci->lower == cp);
            CHECK(ci->notone == cp);
            CHECK(ci->fold == (cp >= '0' && cp <= '9' ? static_cast<char>(cp) : 0));
            return;
        }
        ++letters;
        CHECK(ci->lower == static_cast<char32_t>(u_tolower(c)));
        CHECK(ci->upper == (u_tolower(c) != c && u_toupper(c) == c ? 1 : 0));
        // fold, tone and notone from the canonical decomposition: base letter + marks
        UErrorCode st = U_ZERO_ERROR;
        const icu::UnicodeString d = nfd_n->normalize(icu::UnicodeString(c), st);
        const UChar32 base = d.char32At(0);
        icu::UnicodeString kept(base);
        std::uint8_t tone = kNoTone;
        for (int32_t i = U16_LENGTH(base); i < d.length();) {
            const UChar32 m = d.char32At(i);
            i += U16_LENGTH(m);
            if (tone_of(m) != kNoTone && tone == kNoTone)
                tone = tone_of(m);
            else if (tone_of(m) == kNoTone)
                kept.append(m);
        }
        CHECK(ci->tone == tone);
        const icu::UnicodeString stripped = nfc_n->normalize(kept, st);
        const char32_t expected_notone = stripped.countChar32() == 1 ? static_cast<char32_t>(stripped.char32At(0)) : cp;
        CHECK(ci->notone == expected_notone);
        const UChar32 lb = u_tolower(base);
        char expected_fold = lb >= 'a' && lb <= 'z' ? static_cast<char>(lb) : 0;
        if (cp == 0x110 || cp == 0x111) expected_fold = 'd';
        CHECK(ci->fold == expected_fold);
    };
    for (char32_t cp = 0; cp < 0x250; ++cp) check(cp);
    for (char32_t cp = 0x1E00; cp < 0x1F00; ++cp) check(cp);
    CHECK(letters > 600);
    CHECK(char_info(0x250) == nullptr);
    CHECK(char_info(0x1F00) == nullptr);
}

TEST_CASE("normalize and fold on running text", "[text]") {
    CHECK(vnsearch::normalize("Hòa bình, khỏe mạnh, Thủy lợi") == "Hoà bình, khoẻ mạnh, Thuỷ lợi");
    CHECK(vnsearch::normalize("HÒA BÌNH, KHỎE MẠNH, ỦY BAN") == "HOÀ BÌNH, KHOẺ MẠNH, UỶ BAN");
    CHECK(vnsearch::normalize("hoàng thuyền quý quả già") == "hoàng thuyền quý quả già");
    CHECK(vnsearch::lower("ĐẢNG BỘ HUYỆN") == "đảng bộ huyện");
    CHECK(vnsearch::lower("ÐẢNG ðảng") == "đảng đảng");
    CHECK(vnsearch::fold("Đảng bộ Lạng Sơn, 25/07/2024!") == "dang bo lang son, 25/07/2024!");
    CHECK(vnsearch::fold("Москва café") == "москва cafe");
    // NFD, and base letter + combining tone (Windows-1258 style), to NFC
    CHECK(vnsearch::normalize(nfd("Nghị quyết Thạch Thất")) == "Nghị quyết Thạch Thất");
    CHECK(vnsearch::normalize("Viê\xCC\xA3t ho\xCC\x80" "a") == "Việt hoà");
    CHECK(vnsearch::normalize("e\xCC\x81\xCC\x82") == "ế");  // tone typed before the shape mark
}

TEST_CASE("Unicode spaces become spaces, invisible characters disappear", "[text]") {
    // NBSP, en quad .. hair space, narrow NBSP, medium math space, ideographic space
    for (const char* space : {"\xC2\xA0", "\xE2\x80\x80", "\xE2\x80\x83", "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xAF",
                              "\xE2\x81\x9F", "\xE3\x80\x80", "\xE2\x80\xA8"}) {
        INFO("space " << space);
        CHECK(vnsearch::normalize(std::string("Chi") + space + "Lăng") == "Chi Lăng");
        CHECK(vnsearch::Analyzer().analyze(std::string("Chi") + space + "Lăng").size() == 2);
    }
    // zero-width space / non-joiner / joiner, word joiner, BOM, soft hyphen
    for (const char* zw : {"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xE2\x81\xA0", "\xEF\xBB\xBF", "\xC2\xAD"}) {
        INFO("zero-width " << zw);
        CHECK(vnsearch::normalize(std::string("Đả") + zw + "ng") == "Đảng");
        CHECK(vnsearch::fold(std::string("Đả") + zw + "ng") == "dang");
        auto toks = vnsearch::Analyzer().analyze(std::string("Đả") + zw + "ng");
        REQUIRE(toks.size() == 1);
        CHECK(toks[0].exact == "đảng");
    }
}

TEST_CASE("UTF-8 repair: each maximal invalid subpart is one U+FFFD", "[text][decode]") {
    const std::string fffd = "\xEF\xBF\xBD";
    struct Case {
        std::string in, out;
        std::size_t repaired;
    };
    const std::vector<Case> cases = {
        {"ok", "ok", 0},
        {"\xFF", fffd, 1},                                  // never a lead byte
        {"\x80\xBF", fffd + fffd, 2},                       // stray continuation bytes
        {"\xC0\xAF", fffd + fffd, 2},                       // overlong '/'
        {"\xE0\x80\xAF", fffd + fffd + fffd, 3},            // overlong 3-byte
        {"\xED\xA0\x80", fffd + fffd + fffd, 3},            // surrogate U+D800
        {"\xF4\x90\x80\x80", fffd + fffd + fffd + fffd, 4}, // above U+10FFFF
        {"\xE1\xBB", fffd, 1},                              // truncated ệ at the end
        {"\xE1\xBB" "a", fffd + "a", 1},                    // truncated ệ before a letter
        {"\xF0\x9F\x98" "x", fffd + "x", 1},                // truncated emoji
        {"L\xE1\xBA\xA1ng", "Lạng", 0},
    };
    for (const auto& c : cases) {
        INFO("input " << c.in);
        std::size_t repaired = 99;
        CHECK(vnsearch::repair_utf8(c.in, &repaired) == c.out);
        CHECK(repaired == c.repaired);
        CHECK(vnsearch::is_valid_utf8(c.in) == (c.repaired == 0));
        auto d = vnsearch::decode(c.in);
        CHECK(d.text == c.out);
        CHECK(d.repaired == c.repaired);
        CHECK(vnsearch::is_valid_utf8(d.text));
    }
}

TEST_CASE("decoding: BOMs, repair, UTF-16, legacy charsets", "[text][decode]") {
    SECTION("UTF-8 BOM is dropped") {
        auto d = vnsearch::decode("\xEF\xBB\xBFLạng Sơn");
        CHECK(d.had_bom);
        CHECK(d.text == "Lạng Sơn");
        CHECK(d.encoding == vnsearch::Encoding::utf8);
    }
    SECTION("invalid UTF-8 is repaired and counted") {
        auto d = vnsearch::decode("Chi L\xFF\xC4ng\xE1\xBB");
        CHECK(d.repaired == 3);
        CHECK(vnsearch::is_valid_utf8(d.text));
        CHECK(d.text == "Chi L\xEF\xBF\xBD\xEF\xBF\xBDng\xEF\xBF\xBD");
    }
    SECTION("UTF-16LE and BE by BOM") {
        std::string le("\xFF\xFE" "L\0\xA1\x1E" "n\0g\0", 10), be("\xFE\xFF\0L\x1E\xA1\0n\0g", 10);
        CHECK(vnsearch::decode(le).text == "Lạng");
        CHECK(vnsearch::decode(le).encoding == vnsearch::Encoding::utf16le);
        CHECK(vnsearch::decode(be).text == "Lạng");
        CHECK(vnsearch::decode(be).encoding == vnsearch::Encoding::utf16be);
    }
    SECTION("ill-formed UTF-16 is repaired and counted") {
        std::string odd("\xFF\xFE" "a\0\x00\xD8" "b\0c", 9);  // an unpaired surrogate, an odd last byte
        auto d = vnsearch::decode(odd);
        CHECK(vnsearch::is_valid_utf8(d.text));
        CHECK(d.repaired >= 2);
        CHECK(d.text.substr(0, 1) == "a");
    }
    SECTION("legacy charsets through Boost.Locale") {
        // "Việt" in windows-1258: V i \xEA + combining dot below (\xF2) t
        auto d = vnsearch::decode("Vi\xEA\xF2t", "windows-1258");
        CHECK(d.encoding == vnsearch::Encoding::legacy);
        CHECK(vnsearch::normalize(d.text) == "Việt");
        CHECK(vnsearch::Analyzer().analyze(d.text).at(0).exact == "việt");
        CHECK_THROWS_AS(vnsearch::decode("x", "no-such-charset"), vnsearch::EncodingError);
    }
    SECTION("the VNTC UTF-16 sample files") {
        const std::filesystem::path dir = std::filesystem::path(VNSEARCH_SHARED_DIR) / "corpus" / "vntc-utf16-samples";
        if (!std::filesystem::exists(dir)) {
            WARN("shared corpus absent (" << dir << "): UTF-16 sample files not checked");
            return;
        }
        std::size_t files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            INFO(e.path());
            const std::string bytes = read(e.path());
            REQUIRE(bytes.substr(0, 2) == "\xFF\xFE");
            auto d = vnsearch::decode(bytes);
            CHECK(d.encoding == vnsearch::Encoding::utf16le);
            CHECK(d.had_bom);
            CHECK(d.repaired == 0);
            // The same conversion by Boost.Locale, independently of vnsearch's decoder.
            const std::string expected = boost::locale::conv::to_utf<char>(bytes.substr(2), "UTF-16LE");
            CHECK(d.text == expected);
            // The same file byte-swapped to UTF-16BE decodes to the same text.
            std::string swapped = bytes;
            for (std::size_t i = 0; i + 1 < swapped.size(); i += 2) std::swap(swapped[i], swapped[i + 1]);
            CHECK(vnsearch::decode(swapped).encoding == vnsearch::Encoding::utf16be);
            CHECK(vnsearch::decode(swapped).text == expected);
            // Token offsets refer to the decoded UTF-8 text.
            const auto toks = vnsearch::Analyzer().analyze(d.text);
            CHECK(toks.size() > 50);
            for (const auto& t : toks) REQUIRE(d.text.substr(t.start, t.end - t.start) == t.text);
            ++files;
        }
        CHECK(files == 12);
    }
}

TEST_CASE("legacy charsets: bytes from the standards, and the tables match iconv", "[text][legacy]") {
    // RFC 1456 (VISCII): ệ = 0xAE, đ = 0xF0, Ỵ = 0x1E; TCVN 5712: ệ = 0xD6, đ = 0xAE, ư = 0xAD;
    // windows-1258: ê = 0xEA + combining dot below 0xF2, đ = 0xF0.
    CHECK(vnsearch::decode("Vi\xAEt Nam \xF0\xE3 \x1E", "VISCII").text == "Việt Nam đã Ỵ");
    CHECK(vnsearch::decode("Vi\xD6t Nam \xAE\xB8 \xAD", "TCVN3").text == "Việt Nam đá ư");
    CHECK(vnsearch::decode("Vi\xEA\xF2t Nam \xF0\xE3", "windows-1258").text == "Việt Nam đă");  // composed (NFC)
    auto d = vnsearch::decode("Vi\xAEt", "viscii");
    CHECK(d.encoding == vnsearch::Encoding::legacy);
    CHECK(d.charset == "VISCII");
    CHECK(vnsearch::decode("\xD6", "tcvn5712-1").text == "ệ");
    CHECK_THROWS_AS(vnsearch::decode("abc", "no-such-charset"), vnsearch::EncodingError);
    // Every byte of the generated tables (lib/text/gen_legacy_tables.py) against iconv.
    for (auto [iconv_name, name] : {std::pair{"TCVN5712-1", "TCVN3"}, std::pair{"VISCII", "VISCII"}}) {
        if (!vnsearch_test::iconv_convert("a", "UTF-8", iconv_name)) {
            WARN("iconv has no " << iconv_name << ": table not checked");
            continue;
        }
        int mismatches = 0;
        for (int b = 0; b < 256; ++b) {
            const std::string byte(1, static_cast<char>(b));
            auto want = vnsearch_test::iconv_convert(byte, "UTF-8", iconv_name);
            if (!want || vnsearch::decode(byte, name).text != *want) {
                ++mismatches;
                UNSCOPED_INFO(name << " byte " << b);
            }
        }
        CHECK(mismatches == 0);
    }
}

TEST_CASE("count_chars counts the bytes that start a character, eight at a time or one", "[text][utf8]") {
    // Against a byte-by-byte count over every cut of a text of one- to four-byte characters,
    // stray continuation bytes and invalid bytes (each counts as one).
    const std::string text = "Chi Lăng, Hoà Bình — ngày 25/07/2024 \xF0\x9F\x98\x80 \x80\xFF Nghị quyết 22 京";
    for (std::size_t from = 0; from < text.size(); ++from)
        for (std::size_t to = from; to <= text.size(); ++to) {
            const std::string_view s = std::string_view(text).substr(from, to - from);
            std::size_t expected = 0;
            for (const char c : s) expected += !vnsearch::text::is_continuation(static_cast<unsigned char>(c));
            CHECK(vnsearch::text::count_chars(s) == expected);
        }
}
