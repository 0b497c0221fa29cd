// The text layer: exhaustive folding, the generated table against ICU, decoding.
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

namespace {

std::string nfc(const std::u32string& s) {
    UErrorCode st = U_ZERO_ERROR;
    auto u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()), static_cast<int32_t>(s.size()));
    std::string out;
    return icu::Normalizer2::getNFCInstance(st)->normalize(u, st).toUTF8String(out);
}

std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("folding is exhaustive over every marked Vietnamese vowel, both cases, and Đ", "[text][fold]") {
    // 12 vowel letters (shape marks included) x (no tone + 5 tones) x 2 cases, built with ICU.
    struct Base {
        char32_t lower, upper;
        char ascii;
    };
    const std::vector<Base> bases = {{U'a', U'A', 'a'}, {U'ă', U'Ă', 'a'}, {U'â', U'Â', 'a'}, {U'e', U'E', 'e'},
                                     {U'ê', U'Ê', 'e'}, {U'i', U'I', 'i'}, {U'o', U'O', 'o'}, {U'ô', U'Ô', 'o'},
                                     {U'ơ', U'Ơ', 'o'}, {U'u', U'U', 'u'}, {U'ư', U'Ư', 'u'}, {U'y', U'Y', 'y'}};
    const std::vector<char32_t> tones = {0, 0x0300, 0x0301, 0x0303, 0x0309, 0x0323};
    std::size_t marked = 0;
    for (const auto& b : bases) {
        for (char32_t tone : tones) {
            std::u32string lo{b.lower}, up{b.upper};
            if (tone) lo.push_back(tone), up.push_back(tone);
            const std::string l = nfc(lo), u = nfc(up);
            INFO("letter " << l << " / " << u);
            REQUIRE(vnsearch::text::to_u32(l).size() == 1);  // precomposed in NFC
            REQUIRE(vnsearch::text::to_u32(u).size() == 1);
            if (l.size() == 1) continue;  // a e i o u y without marks
            marked += 2;
            CHECK(vnsearch::fold(l) == std::string(1, b.ascii));
            CHECK(vnsearch::fold(u) == std::string(1, b.ascii));
            CHECK(vnsearch::lower(u) == l);
            CHECK(vnsearch::normalize(u) == u);
            CHECK(vnsearch::normalize(l) == l);
        }
    }
    CHECK(marked == 132);  // 66 marked lowercase letters and their capitals
    for (const char* d : {"Đ", "đ", "Ð", "ð"}) {
        INFO(d);
        CHECK(vnsearch::fold(d) == "d");
        CHECK(vnsearch::lower(d) == "đ");
    }
    CHECK(vnsearch::normalize("Ð") == "Đ");
    CHECK(vnsearch::normalize("ð") == "đ");
}

TEST_CASE("the generated table agrees with ICU for every code point it covers", "[text][table]") {
    using namespace vnsearch::text;
    auto check = [](char32_t cp) {
        const CharInfo* ci = char_info(cp);
        REQUIRE(ci);
        INFO("U+" << std::hex << static_cast<unsigned>(cp));
        const auto c = static_cast<UChar32>(cp);
        const int8_t type = u_charType(c);
        const bool letter = type == U_UPPERCASE_LETTER || type == U_LOWERCASE_LETTER || type == U_TITLECASE_LETTER ||
                            type == U_MODIFIER_LETTER || type == U_OTHER_LETTER;
        if (cp == 0xAD) {
            CHECK(ci->cls == kIgnorable);
            return;
        }
        CHECK((ci->cls == kLetter) == letter);
        CHECK((ci->cls == kDigit) == (type == U_DECIMAL_DIGIT_NUMBER));
        CHECK((ci->cls == kMark) == (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK));
        if (!letter) return;
        const char32_t expected_lower = cp == 0xD0 || cp == 0xF0 ? 0x111 : static_cast<char32_t>(u_tolower(c));
        CHECK(ci->lower == expected_lower);
        // fold: first character of the NFD decomposition, lowercased, when it is a-z
        UErrorCode st = U_ZERO_ERROR;
        icu::UnicodeString d = icu::Normalizer2::getNFDInstance(st)->normalize(icu::UnicodeString(c), st);
        UChar32 base = u_tolower(d.char32At(0));
        char expected_fold = base >= 'a' && base <= 'z' ? static_cast<char>(base) : 0;
        if (cp == 0x110 || cp == 0x111 || cp == 0xD0 || cp == 0xF0) expected_fold = 'd';
        CHECK(ci->fold == expected_fold);
    };
    for (char32_t cp = 0; cp < 0x250; ++cp) check(cp);
    for (char32_t cp = 0x1E00; cp < 0x1F00; ++cp) check(cp);
}

TEST_CASE("normalize and fold on running text", "[text]") {
    CHECK(vnsearch::normalize("Hòa bình, khỏe mạnh, Thủy lợi") == "Hoà bình, khoẻ mạnh, Thuỷ lợi");
    CHECK(vnsearch::normalize("a\xC2\xA0" "b\xE2\x80\x8B" "c") == "a bc");
    CHECK(vnsearch::lower("ĐẢNG BỘ HUYỆN") == "đảng bộ huyện");
    CHECK(vnsearch::fold("Đảng bộ Lạng Sơn, 25/07/2024!") == "dang bo lang son, 25/07/2024!");
    CHECK(vnsearch::fold("Москва café") == "москва cafe");
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
    SECTION("legacy charsets through Boost.Locale") {
        // "Việt" in windows-1258: V i \xEA + combining dot below (\xF2) t
        auto d = vnsearch::decode("Vi\xEA\xF2t", "windows-1258");
        CHECK(vnsearch::normalize(d.text) == "Việt");
        CHECK_THROWS_AS(vnsearch::decode("x", "no-such-charset"), vnsearch::EncodingError);
    }
    SECTION("the VNTC UTF-16 sample files") {
        const std::filesystem::path dir = std::filesystem::path(VNSEARCH_SHARED_DIR) / "corpus" / "vntc-utf16-samples";
        if (!std::filesystem::exists(dir)) {
            WARN("shared corpus absent: UTF-16 sample files not checked");
            return;
        }
        std::size_t files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir)) {
            INFO(e.path());
            const std::string bytes = read(e.path());
            auto d = vnsearch::decode(bytes);
            CHECK(d.encoding == vnsearch::Encoding::utf16le);
            CHECK(d.repaired == 0);
            // The same conversion by Boost.Locale, independently of ICU.
            std::string expected = boost::locale::conv::to_utf<char>(bytes.substr(2), "UTF-16LE");
            CHECK(d.text == expected);
            CHECK(vnsearch::Analyzer().analyze(d.text).size() > 50);
            ++files;
        }
        CHECK(files == 12);
    }
}
