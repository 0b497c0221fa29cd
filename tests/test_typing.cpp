// Telex and VNI decoding (lib/analysis/typing.h): words typed without an input method.
#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "analysis/typing.h"

using vnsearch::analysis::decode_word;
using vnsearch::analysis::InputMethod;

namespace {

std::string decoded(std::string_view w, InputMethod m) {
    auto d = decode_word(w, m);
    return d ? *d : std::string("<none>");
}

}  // namespace

TEST_CASE("Telex words decode to the syllable they spell", "[typing]") {
    const std::pair<const char*, const char*> table[] = {
        {"nghij", "nghị"},      {"quyeets", "quyết"},   {"dduowngf", "đường"}, {"dduwowngf", "đường"},
        {"tuwf", "từ"},         {"dduwowcj", "được"},   {"nguwowif", "người"}, {"nguoiwf", "người"},
        {"truwowngf", "trường"}, {"hocj", "học"},       {"vieetj", "việt"},    {"vieejt", "việt"},
        {"ddaays", "đấy"},      {"ddaast", "đất"},      {"chir", "chỉ"},       {"lawng", "lăng"},
        {"lajng", "lạng"},      {"sown", "sơn"},        {"thachj", "thạch"},   {"thaats", "thất"},
        {"hoaf", "hoà"},        {"hofa", "hoà"},        {"khoer", "khoẻ"},     {"thuyr", "thuỷ"},
        {"toans", "toán"},      {"ddangr", "đảng"},     {"booj", "bộ"},        {"xax", "xã"},
        {"tw", "tư"},           {"uyr", "uỷ"},          {"ban", "<none>"},     {"nhaan", "nhân"},
        {"daan", "dân"},        {"tinhr", "tỉnh"},      {"giaf", "già"},       {"quaf", "quà"},
        {"khuyeen", "khuyên"},  {"muwa", "mưa"},        {"tooj", "tộ"},       {"chuwa", "chưa"},
        {"Nghij", "Nghị"},      {"DDAAT", "<none>"},       {"DDAATS", "ĐẤT"},     {"Vieetj", "Việt"},
        {"awn", "ăn"},          {"owr", "ở"},           {"ddi", "đi"},         {"tieengs", "tiếng"},
    };
    for (const auto& [typed, want] : table) {
        CAPTURE(typed);
        CHECK(decoded(typed, InputMethod::telex) == want);
    }
}

TEST_CASE("VNI words decode to the syllable they spell", "[typing]") {
    const std::pair<const char*, const char*> table[] = {
        {"nghi5", "nghị"},     {"quye6t1", "quyết"},  {"quyet61", "quyết"},  {"d9u7o7ng2", "đường"},
        {"duong972", "đường"}, {"tu72", "từ"},         {"d9u7o7c5", "được"},   {"nguoi72", "người"},
        {"hoc5", "học"},       {"vie6t5", "việt"},     {"viet65", "việt"},    {"d9a6t1", "đất"},
        {"chi3", "chỉ"},       {"la8ng", "lăng"},      {"lang5", "lạng"},     {"so7n", "sơn"},
        {"thach5", "thạch"},   {"tha6t1", "thất"},     {"hoa2", "hoà"},       {"khoe3", "khoẻ"},
        {"thuy3", "thuỷ"},     {"d9ang3", "đảng"},     {"bo65", "bộ"},        {"xa4", "xã"},
        {"Nghi5", "Nghị"},     {"D9A6T1", "ĐẤT"},      {"a8n", "ăn"},         {"o73", "ở"},
    };
    for (const auto& [typed, want] : table) {
        CAPTURE(typed);
        CHECK(decoded(typed, InputMethod::vni) == want);
    }
}

TEST_CASE("words that are not Telex/VNI syllables are left alone", "[typing]") {
    for (const char* w : {"google", "class", "hello", "world", "nghi", "quyet", "chi", "lang", "street", "xyz",
                          "http", "ss", "bb", "ddd", "thachsf", "chatf", "hocf", "matx"}) {
        CAPTURE(w);
        CHECK_FALSE(decode_word(w, InputMethod::telex));
    }
    for (const char* w : {"2024", "22", "covid19", "g7", "a0", "nghi55", "bo666", "x9", "quyet12", "tat2", "1a"}) {
        CAPTURE(w);
        CHECK_FALSE(decode_word(w, InputMethod::vni));
    }
    // Non-ASCII input is never decoded: it was typed with an input method already.
    CHECK_FALSE(decode_word("nghịj", InputMethod::telex));
}


TEST_CASE("every syllable of the seed corpus, typed in Telex or VNI, decodes back to itself", "[typing]") {
    using vnsearch::analysis::encode_word;
    std::set<std::string> syllables;
    const vnsearch::Analyzer analyzer;
    for (const auto& entry : std::filesystem::directory_iterator(VNSEARCH_CORPUS_DIR)) {
        if (entry.path().extension() != ".txt") continue;
        std::ifstream in(entry.path());
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        analyzer.analyze(text, [&](const vnsearch::Token& t) {
            if (t.kind == vnsearch::TokenKind::word && t.exact != t.folded && t.folded.find_first_of("aeiouy") != std::string::npos)
                syllables.insert(vnsearch::normalize(t.text));
        });
    }
    REQUIRE(syllables.size() > 500);
    for (const std::string& s : syllables)
        for (InputMethod m : {InputMethod::telex, InputMethod::vni}) {
            const auto typed = encode_word(s, m);
            REQUIRE(typed);
            INFO(s << " typed " << *typed);
            CHECK(decoded(*typed, m) == s);
        }
    // Capitals, all-capital words, and words without marks.
    CHECK(encode_word("Quyết", InputMethod::telex) == "Quyeets");
    CHECK(encode_word("ĐƯỜNG", InputMethod::telex) == "DDUWOWNGF");
    CHECK(encode_word("người", InputMethod::vni) == "ngu7o7i2");
    CHECK(encode_word("Đà", InputMethod::vni) == "D9a2");
    CHECK(decoded(*encode_word("ĐƯỜNG", InputMethod::telex), InputMethod::telex) == "ĐƯỜNG");
    CHECK(decoded("mu7u", InputMethod::vni) == "mưu");
    CHECK(encode_word("ban", InputMethod::telex) == "ban");
    CHECK_FALSE(encode_word("Москва", InputMethod::telex));
    CHECK_FALSE(encode_word("A4", InputMethod::vni));
}
