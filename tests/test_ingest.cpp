// Ingestion: the seed articles (boilerplate out, title/date/byline in), UTF-16 files,
// JSONL in both shapes, directories with bad files.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

struct Collected {
    std::vector<vnsearch::Document> docs;
    std::vector<vnsearch::IngestProblem> problems;
};

Collected ingest(const std::filesystem::path& p) {
    Collected c;
    vnsearch::IngestCallbacks cb;
    cb.on_document = [&](vnsearch::Document&& d) { c.docs.push_back(std::move(d)); };
    cb.on_problem = [&](const vnsearch::IngestProblem& pr) { c.problems.push_back(pr); };
    vnsearch::ingest_path(p, cb);
    return c;
}

std::size_t count(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("seed articles: title, date, byline, no boilerplate", "[ingest]") {
    auto c = ingest(VNSEARCH_CORPUS_DIR);
    REQUIRE(c.problems.empty());
    REQUIRE(c.docs.size() == 5);
    std::map<std::string, vnsearch::Document> by_id;
    for (auto& d : c.docs) by_id[d.id] = d;
    struct Expect {
        std::string id, title, date, author;
    };
    const std::vector<Expect> expected = {
        {"000_36fbaf0990d157c1", "Công tác xây dựng Đảng ở Chi Lăng", "2024-07-25", "La Nam"},
        {"001_1d85e84d585870a7", "Công tác tổ chức - xây dựng Đảng năm 2018 : Nhiều kết quả tích cực",
         "2018-10-29T08:11:00", "DTT"},
        {"002_e8d5dcae7cb99294", "Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng", "2019-02-23",
         "Phùng Khiêm"},
        {"003_6d84db7008b6e36f", "Quế Phong: Nâng cao chất lượng phát triển đảng viên", "2020-10-23T20:37:00", "Văn Thi"},
        {"004_90e289986aa2fce7", "Chợ Mới củng cố, nâng cao chất lượng tổ chức cơ sở đảng", "", ""},
    };
    for (const auto& e : expected) {
        INFO(e.id);
        REQUIRE(by_id.count(e.id));
        const auto& d = by_id[e.id];
        CHECK(d.title == e.title);
        CHECK(d.date == e.date);
        CHECK(d.author == e.author);
        for (const char* junk : {"Skip portlet", "Portlet Menu", "0:00", "Gửi bình luận", "Hãy sử dụng tiếng Việt",
                                 "°C", "Đ?ẩm", "<<", "Đầu trang", "Xem thêm", "Thư viện ảnh", "Giới thiệu chung"})
            CHECK(d.body.find(junk) == std::string::npos);
        CHECK(d.body.size() > 3000);
    }
    // The lead's teaser (truncated with "...") is not kept beside the full paragraph.
    CHECK(count(by_id["000_36fbaf0990d157c1"].body, "Năm 2009, công tác tổ chức xây dựng Đảng ở Chi Lăng") == 1);
    // Photo captions shown twice are kept once.
    CHECK(count(by_id["004_90e289986aa2fce7"].body, "Lớp bồi dưỡng nghiệp vụ công tác đảng tại huyện Chợ Mới.") == 1);
    // A date in the body text is not the article's date (004 mentions 15/12/2020).
    CHECK(by_id["004_90e289986aa2fce7"].date.empty());
    // The lead's dateline is metadata, not text; the agency prefix becomes the source.
    CHECK(by_id["001_1d85e84d585870a7"].body.rfind("Những năm qua", 0) == 0);
    CHECK(by_id["002_e8d5dcae7cb99294"].source == "LSO");
    CHECK(by_id["004_90e289986aa2fce7"].source == "BBK");
    // Stored text keeps the article's own spelling (no tone-placement rewriting).
    CHECK(by_id["001_1d85e84d585870a7"].body.find("tự chuyển hóa") != std::string::npos);
}

TEST_CASE("UTF-16LE files with BOM and CRLF", "[ingest]") {
    const std::filesystem::path dir = std::filesystem::path(VNSEARCH_SHARED_DIR) / "corpus" / "vntc-utf16-samples";
    if (!std::filesystem::exists(dir)) {
        WARN("shared corpus absent: UTF-16 samples not ingested");
        return;
    }
    auto c = ingest(dir);
    CHECK(c.problems.empty());
    REQUIRE(c.docs.size() == 12);
    for (const auto& d : c.docs) {
        INFO(d.id);
        CHECK(d.id.rfind("XH_NLD_T_", 0) == 0);
        CHECK(!d.title.empty());
        CHECK(d.body.find('\r') == std::string::npos);
        CHECK(vnsearch::is_valid_utf8(d.body));
        CHECK(d.body.size() > 200);
    }
}

TEST_CASE("JSONL in both shapes; bad lines are reported and skipped", "[ingest]") {
    TempDir dir;
    {
        std::ofstream f(dir.str("news.jsonl"));
        f << R"({"id": "train/000001", "split": "train", "title": "Chi Lăng", "summary": "Tóm tắt.", "body": "Nội dung."})" << '\n'
          << "this is not json\n"
          << R"({"title": "no id"})" << '\n'
          << '\n'
          << R"({"id": 42, "label": "Chinh tri Xa hoi", "source": "NLD", "text": "Tiêu đề bài\nThân bài viết."})" << '\n';
    }
    auto c = ingest(dir.str("news.jsonl"));
    REQUIRE(c.docs.size() == 2);
    CHECK(c.docs[0].id == "train/000001");
    CHECK(c.docs[0].title == "Chi Lăng");
    CHECK(c.docs[0].body == "Tóm tắt.\n\nNội dung.");
    CHECK(c.docs[0].fields.at("split") == "train");
    CHECK(c.docs[1].id == "42");
    CHECK(c.docs[1].title == "Tiêu đề bài");
    CHECK(c.docs[1].body == "Thân bài viết.");
    CHECK(c.docs[1].source == "NLD");
    CHECK(c.docs[1].fields.at("label") == "Chinh tri Xa hoi");
    REQUIRE(c.problems.size() == 2);
    CHECK(c.problems[0].path == dir.str("news.jsonl") + ":2");
    CHECK(c.problems[1].path == dir.str("news.jsonl") + ":3");
}

TEST_CASE("directories: good files ingested, bad ones reported by name", "[ingest]") {
    TempDir dir;
    std::filesystem::create_directories(dir.path() / "sub" / "deeper");
    std::filesystem::create_directories(dir.path() / ".hidden");
    std::filesystem::copy_file(std::string(VNSEARCH_CORPUS_DIR) + "/000_36fbaf0990d157c1.txt", dir.path() / "a.txt");
    std::filesystem::copy_file(std::string(VNSEARCH_CORPUS_DIR) + "/004_90e289986aa2fce7.txt",
                               dir.path() / "sub" / "deeper" / "b.txt");
    std::ofstream(dir.path() / "empty.txt").close();
    {
        std::ofstream bin(dir.path() / "sub" / "binary.txt", std::ios::binary);
        for (int i = 0; i < 2000; ++i) bin.put(static_cast<char>(i % 7 == 0 ? 0 : i & 0xFF));
    }
    std::ofstream(dir.path() / ".hidden" / "c.txt") << "Hidden article title that should not be read at all";
    std::ofstream(dir.path() / "notes.md") << "# not an article";
    {
        std::ofstream bad(dir.path() / "invalid-utf8.txt", std::ios::binary);
        bad << "Tiêu đề bài viết có byte h\xFFng ở giữa\n\nThân bài viết vẫn được giữ lại đầy đủ.";
    }
    auto c = ingest(dir.path());
    std::vector<std::string> ids;
    for (const auto& d : c.docs) ids.push_back(d.id);
    CHECK(ids == std::vector<std::string>{"a", "invalid-utf8", "b"});
    std::vector<std::string> bad;
    for (const auto& p : c.problems) bad.push_back(std::filesystem::path(p.path).filename().string() + ": " + p.message);
    CHECK(bad == std::vector<std::string>{"empty.txt: empty file", "binary.txt: binary file (not text)"});
    auto missing = ingest(dir.path() / "nope");
    REQUIRE(missing.problems.size() == 1);
    CHECK(missing.problems[0].message == "no such file or directory");
}

TEST_CASE("JSONL numbers are kept as written: 2^64-1 and -1 are different ids", "[ingest][jsonl]") {
    TempDir dir;
    {
        std::ofstream f(dir.str("ids.jsonl"));
        f << R"({"id": 18446744073709551615, "title": "Số lớn nhất"})" << '\n'
          << R"({"id": -1, "title": "Âm một"})" << '\n'
          << R"({"id": 9223372036854775808, "title": "Hai mũ sáu mươi ba"})" << '\n'
          << R"({"id": "-9223372036854775808", "title": "Chuỗi âm"})" << '\n'
          << R"({"id": 1.50, "title": "Số thập phân", "year": 2024, "views": 12345678901234567890123, "ratio": -0.0,)"
          << R"( "score": 1e5, "tags": [1, "x"], "nested": {"n": 7}, "flag": true, "text": "Bài \"7\" có 3 số"})" << '\n';
    }
    auto c = ingest(dir.str("ids.jsonl"));
    CHECK(c.problems.empty());
    std::vector<std::string> ids;
    for (const auto& d : c.docs) ids.push_back(d.id);
    CHECK(ids == std::vector<std::string>{"18446744073709551615", "-1", "9223372036854775808", "-9223372036854775808", "1.50"});
    REQUIRE(c.docs.size() == 5);
    const auto& f = c.docs[4].fields;
    CHECK(f.at("year") == "2024");
    CHECK(f.at("views") == "12345678901234567890123");
    CHECK(f.at("ratio") == "-0.0");
    CHECK(f.at("score") == "1e5");
    CHECK(f.count("tags") == 0);  // arrays, objects and booleans are not fields
    CHECK(f.count("flag") == 0);
    CHECK(c.docs[4].title == "Số thập phân");
    CHECK(c.docs[4].body == "Bài \"7\" có 3 số");
    // Indexed, they are five documents: none replaces another.
    vnsearch::Index index(dir.str("db"));
    for (const auto& d : c.docs) index.add(d);
    index.commit();
    CHECK(index.stats().replaced == 0);
    CHECK(index.size() == 5);
}
