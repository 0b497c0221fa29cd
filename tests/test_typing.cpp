// Telex and VNI decoding (lib/analysis/typing.h): words typed without an input method.
#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

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

