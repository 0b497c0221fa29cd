// Bad input, table-driven: each case gets a clear error or a documented graceful result,
// and loses nothing around the bad part.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

struct TextCase {
    const char* name;
    std::string input;
    std::size_t min_tokens;  // tokens the good text around the bad part must still give
    const char* must_find;   // an exact term that must survive
};

}  // namespace

TEST_CASE("bad text never crashes the analyzer and keeps the good text", "[bad-input]") {
    using namespace std::string_literals;
    std::string nul_text = "Chi Lăng\0\0Thạch Thất"s;
    std::string binary;
    for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7919) & 0xFF));
    std::string huge;
    while (huge.size() < 50u << 20) huge += "Công tác xây dựng Đảng ở Chi Lăng năm 2009. ";
    huge += "kếtthúc";
    const std::vector<TextCase> cases = {
        {"invalid UTF-8", "Chi L\xC4 \xFF\xFE ăng \xE1\xBB Thạch Thất", 4, "thạch"},
        {"NUL bytes", nul_text, 4, "thất"},
        {"binary", binary + " Lạng Sơn", 2, "lạng"},
        {"empty", "", 0, nullptr},
        {"10,000-character token", std::string(10000, 'a') + " Quế Phong", 3, "quế"},
        {"50 MB document", huge, 9000000, "kếtthúc"},
        {"lone combining marks", "\xCC\x81\xCC\x80 Chợ Mới \xCC\x83", 2, "chợ"},
        {"overlong and surrogate encodings", "\xC0\xAF \xED\xA0\x80 Đảng", 1, "đảng"},
    };
    vnsearch::Analyzer analyzer;
    for (const auto& c : cases) {
        INFO(c.name);
        std::size_t n = 0;
        bool found = c.must_find == nullptr;
        std::size_t max_len = 0, out_of_range = 0, invalid = 0;
        REQUIRE_NOTHROW(analyzer.analyze(c.input, [&](const vnsearch::Token& t) {
            ++n;
            max_len = std::max(max_len, t.exact.size());
            if (c.must_find && t.exact == c.must_find) found = true;
            out_of_range += t.end > c.input.size() || t.start >= t.end;
            invalid += !vnsearch::is_valid_utf8(t.exact) || !vnsearch::is_valid_utf8(t.folded);
        }));
        CHECK(out_of_range == 0);
        CHECK(invalid == 0);
        CHECK(n >= c.min_tokens);
        CHECK(found);
        CHECK(max_len <= analyzer.options().max_term_bytes);
    }
}

TEST_CASE("bad documents and bad paths give clear errors", "[bad-input]") {
    TempDir dir;
    SECTION("a 50 MB document is indexed and found") {
        std::string body;
        while (body.size() < 50u << 20) body += "Công tác xây dựng Đảng ở Chi Lăng năm 2009. ";
        body += "Thạch Thất";
        {
            vnsearch::Index ix(dir.str("db"));
            vnsearch::Document d("big");
            d.body = body;
            ix.add(d);
        }
        vnsearch::Searcher s(dir.str("db"));
        auto r = s.search("\"thach that\"");
        REQUIRE(r.size() == 1);
        CHECK(r.hits[0].id == "big");
    }
    SECTION("invalid UTF-8 in a document is stored repaired and searchable") {
        {
            vnsearch::Index ix(dir.str("db"));
            vnsearch::Document d("bad-utf8");
            d.title = "Chi L\xFF\xFE Lăng";
            d.body = "Thạch \xC3 Thất";
            ix.add(d);
        }
        vnsearch::Searcher s(dir.str("db"));
        auto r = s.search("thach that");
        REQUIRE(r.size() == 1);
        CHECK(vnsearch::is_valid_utf8(r.hits[0].title));
        CHECK(vnsearch::is_valid_utf8(r.hits[0].snippet));
    }
    SECTION("a database path that is a file") {
        std::ofstream(dir.str("file")) << "not a database";
        CHECK_THROWS_AS(vnsearch::Index(dir.str("file")), vnsearch::DatabaseError);
        CHECK_THROWS_AS(vnsearch::Searcher(dir.str("file")), vnsearch::DatabaseError);
    }
    SECTION("a read-only directory") {
        // Root ignores permission bits but not the immutable attribute; use that when root.
        const std::string ro = dir.str("ro");
        std::filesystem::create_directories(ro);
        bool locked = false;
        if (geteuid() == 0)
            locked = std::system(("chattr +i '" + ro + "' 2>/dev/null").c_str()) == 0;
        else
            locked = chmod(ro.c_str(), 0555) == 0;
        if (!locked) {
            WARN("cannot make a directory read-only here; case skipped");
            return;
        }
        try {
            vnsearch::Index(ro + "/db");
            FAIL("a database was created in a read-only directory");
        } catch (const vnsearch::DatabaseError& e) {
            CHECK(std::string(e.what()).find(ro) != std::string::npos);  // names the path
        }
        if (geteuid() == 0)
            CHECK(std::system(("chattr -i '" + ro + "'").c_str()) == 0);
        else
            chmod(ro.c_str(), 0755);
    }
    SECTION("a directory that is not a database") {
        std::filesystem::create_directories(dir.str("plain"));
        std::ofstream(dir.str("plain/x.txt")) << "hello";
        CHECK_THROWS_AS(vnsearch::Searcher(dir.str("plain")), vnsearch::DatabaseError);
    }
}

TEST_CASE("legacy-charset detection on hostile bytes: valid UTF-8 out, never a guess from noise", "[bad-input][legacy]") {
    std::mt19937 rng(12);
    std::size_t guessed = 0;
    for (int round = 0; round < 300; ++round) {
        // Mostly high bytes with ASCII letters and spaces between: the shape of 8-bit text.
        std::string bytes;
        const std::size_t n = 1 + rng() % 3000;
        for (std::size_t i = 0; i < n; ++i) {
            const unsigned r = rng() % 10;
            bytes.push_back(static_cast<char>(r < 3 ? 0x80 + rng() % 0x80 : r < 5 ? ' ' : 'a' + rng() % 26));
        }
        const vnsearch::Decoded d = vnsearch::decode_detect(bytes);
        CHECK(vnsearch::is_valid_utf8(d.text));
        guessed += d.encoding == vnsearch::Encoding::legacy;
    }
    CHECK(guessed == 0);  // random letters are not Vietnamese syllables
}
