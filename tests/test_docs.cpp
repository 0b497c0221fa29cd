// Documentation that cannot go stale: the example table of docs/analysis.md is re-checked
// against the analyzer.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <string>
#include <vnsearch/vnsearch.h>

namespace {

std::string unescape(std::string s) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"\\u00a0", "\xC2\xA0"}, {"\\u0323", "\xCC\xA3"}, {"\\u0301", "\xCC\x81"}}) {
        std::size_t p;
        while ((p = s.find(from)) != std::string::npos) s.replace(p, from.size(), to);
    }
    // a trailing note in parentheses, e.g. "(NFD)", is not part of the input
    static const std::regex note(R"( \([^)]*\)$)");
    return std::regex_replace(s, note, "");
}

}  // namespace

TEST_CASE("docs/analysis.md: every example row matches the analyzer", "[docs]") {
    std::ifstream in(std::string(VNSEARCH_SOURCE_DIR) + "/docs/analysis.md");
    REQUIRE(in);
    static const std::regex row(R"(^\| `([^`]*)` \| ([^|]*) \| ([^|]*) \| ([^|]*) \|$)");
    std::string line;
    int rows = 0;
    vnsearch::Analyzer analyzer;
    while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_match(line, m, row)) continue;
        const std::string input = unescape(m[1]);
        std::string exact, folded, kinds;
        for (const auto& t : analyzer.analyze(input)) {
            exact += (exact.empty() ? "" : " ") + t.exact;
            folded += (folded.empty() ? "" : " ") + t.folded;
            kinds += (kinds.empty() ? "" : " ") + std::string(vnsearch::kind_name(t.kind));
        }
        INFO(line);
        CHECK(exact == std::string(m[2]));
        CHECK(folded == std::string(m[3]));
        CHECK(kinds == std::string(m[4]));
        ++rows;
    }
    CHECK(rows >= 20);
}
