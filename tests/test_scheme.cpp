// The term scheme's pieces that both indexing and querying rely on.
#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

#include "index/term_scheme.h"

namespace {

std::vector<std::string> bigrams(std::string_view text) {
    std::vector<std::string> out;
    vnsearch::scheme::BigramChain chain;
    vnsearch::Analyzer().analyze(text, [&](const vnsearch::Token& t) {
        chain.feed(t, [&](const std::string& pair) { out.push_back(pair); });
    });
    return out;
}

}  // namespace

TEST_CASE("bigram chain: adjacent syllables, compounds whole and by parts", "[scheme]") {
    using V = std::vector<std::string>;
    CHECK(bigrams("Chi Lăng") == V{"Bchi lang"});
    CHECK(bigrams("chi lang") == bigrams("CHI LĂNG"));
    CHECK(bigrams("hòa bình") == bigrams("hoà bình"));
    CHECK(bigrams("một") == V{});
    CHECK(bigrams("Nghị quyết 03-NQ/HU ngày") ==
          V{"Bnghi quyet", "Bquyet 03-nq/hu", "Bquyet 03", "B03 nq", "Bnq hu", "Bhu ngay"});
    CHECK(bigrams("ngày 25/07/2024") == V{"Bngay 25/07/2024", "Bngay 25", "B25 07", "B07 2024"});
    // punctuation does not break adjacency; that is the analyzer's positions
    CHECK(bigrams("Lạng Sơn, Chi Lăng") == V{"Blang son", "Bson chi", "Bchi lang"});
}

TEST_CASE("dates in the scheme's value form", "[scheme]") {
    using vnsearch::scheme::date_value;
    using vnsearch::scheme::date_value_end;
    CHECK(date_value("2024-07-25") == "20240725000000");
    CHECK(date_value("2018-10-29T08:11:00") == "20181029081100");
    CHECK(date_value("2018-10-29 08:11") == "20181029081100");
    CHECK(date_value("2019") == "20190101000000");
    CHECK(date_value_end("2019-02") == "20190231235959");
    CHECK(date_value("2018-10-29T08:11:00+07:00") == "20181029081100");
    for (const char* bad : {"", "25/07/2024", "2024-13-01", "2024-07-32", "20240725", "2024-07-25x", "abc"})
        CHECK(date_value(bad).empty());
}
