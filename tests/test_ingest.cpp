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

TEST_CASE("JSONL in both shapes: bad lines are reported and skipped", "[ingest]") {
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

TEST_CASE("a file name that is not UTF-8 gives a UTF-8 id and problem path, %XX for its bytes", "[ingest]") {
    TempDir dir;
    // Names made on a Latin-1 / Windows-1258 system: "bài" as one byte E0, and an empty file.
    std::filesystem::copy_file(std::string(VNSEARCH_CORPUS_DIR) + "/000_36fbaf0990d157c1.txt", dir.path() / "b\xE0i.txt");
    std::filesystem::copy_file(std::string(VNSEARCH_CORPUS_DIR) + "/004_90e289986aa2fce7.txt", dir.path() / "b\xE1i.txt");
    std::ofstream(dir.path() / "r\xF6ng.txt").close();
    auto c = ingest(dir.path());
    std::vector<std::string> ids;
    for (const auto& d : c.docs) ids.push_back(d.id);
    CHECK(ids == std::vector<std::string>{"b%E0i", "b%E1i"});  // two files, two ids
    REQUIRE(c.problems.size() == 1);
    CHECK(vnsearch::is_valid_utf8(c.problems[0].path));
    CHECK(std::filesystem::path(c.problems[0].path).filename().string() == "r%F6ng.txt");
    // They index like any other file.
    vnsearch::Index ix((dir.path() / "db").string());
    const vnsearch::IngestReport r = ix.add_path(dir.path());
    CHECK(r.added == 2);
    CHECK(r.skipped == 1);
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

namespace {

const std::string kLegacyTitle = "Đổi mới công tác xây dựng Đảng ở huyện Chi Lăng";
const std::string kLegacyBody =
    "Năm 2009, công tác tổ chức xây dựng Đảng ở Chi Lăng đã đạt được nhiều kết quả quan trọng. Ban Thường vụ Huyện "
    "ủy đã chỉ đạo các cấp ủy cơ sở nâng cao chất lượng sinh hoạt chi bộ, phát triển đảng viên mới trong thanh niên "
    "và đồng bào dân tộc thiểu số.\n\n"
    "Người dân ở các xã vùng sâu, vùng xa hưởng ứng tích cực phong trào thi đua yêu nước; nhiều mô hình kinh tế được "
    "nhân rộng, đời sống của nhân dân từng bước được cải thiện rõ rệt.\n\n"
    "Ủy ban nhân dân huyện khuyến khích thanh niên học nghề, giữ gìn bản sắc văn hóa truyền thống và bảo vệ môi trường.";

/// The legacy charsets as glibc's iconv names them, with the name vnsearch reports.
const std::vector<std::pair<const char*, const char*>> kLegacyCharsets = {
    {"CP1258", "windows-1258"}, {"TCVN5712-1", "TCVN3"}, {"VISCII", "VISCII"}};

}  // namespace

TEST_CASE("legacy-encoded files: windows-1258, TCVN3 and VISCII are detected and decoded", "[ingest][legacy]") {
    TempDir dir;
    const std::string article = kLegacyTitle + "\n\n" + kLegacyBody + "\n";
    std::ofstream(dir.str("utf8.txt")) << article;
    auto expected = ingest(dir.str("utf8.txt"));
    REQUIRE(expected.docs.size() == 1);
    REQUIRE(expected.docs[0].title == kLegacyTitle);
    for (const auto& [iconv_name, name] : kLegacyCharsets) {
        INFO(name);
        auto bytes = vnsearch_test::iconv_convert(article, iconv_name);
        if (!bytes) {
            WARN("iconv cannot encode " << iconv_name << ": case skipped");
            continue;
        }
        REQUIRE_FALSE(vnsearch::is_valid_utf8(*bytes));
        const auto d = vnsearch::decode_detect(*bytes);
        CHECK(d.encoding == vnsearch::Encoding::legacy);
        CHECK(d.charset == name);
        CHECK(d.text == article);
        const std::string file = dir.str(std::string(name) + ".txt");
        std::ofstream(file, std::ios::binary) << *bytes;
        auto c = ingest(file);
        CHECK(c.problems.empty());
        REQUIRE(c.docs.size() == 1);
        CHECK(c.docs[0].title == expected.docs[0].title);
        CHECK(c.docs[0].body == expected.docs[0].body);
        CHECK(vnsearch::parse_article(*bytes, "x").title == kLegacyTitle);
        // JSONL in the same charset: detected on its first lines, decoded line by line.
        const std::string jsonl = R"({"id": "a", "title": ")" + kLegacyTitle + R"(", "text": "Năm 2009, công tác tổ chức."})" "\n" +
                                  R"({"id": "b", "text": ")" + kLegacyBody.substr(0, kLegacyBody.find('\n')) + R"("})" "\n";
        auto jbytes = vnsearch_test::iconv_convert(jsonl, iconv_name);
        REQUIRE(jbytes);
        std::ofstream(dir.str(std::string(name) + ".jsonl"), std::ios::binary) << *jbytes;
        auto j = ingest(dir.str(std::string(name) + ".jsonl"));
        CHECK(j.problems.empty());
        REQUIRE(j.docs.size() == 2);
        CHECK(j.docs[0].title == kLegacyTitle);
        // Without a title, a first line of more than 30 words gives its first sentence and
        // stays body, as in articles.
        CHECK(j.docs[1].title == "Năm 2009, công tác tổ chức xây dựng Đảng ở Chi Lăng đã đạt được nhiều kết quả quan trọng.");
        CHECK(j.docs[1].body == kLegacyBody.substr(0, kLegacyBody.find('\n')));
    }
}

TEST_CASE("legacy detection is conservative, and an unknown 8-bit file is skipped as such, by name", "[ingest][legacy]") {
    // Valid UTF-8 always wins, and damaged UTF-8 stays UTF-8.
    const std::string utf8 = kLegacyTitle + "\n" + kLegacyBody;
    CHECK(vnsearch::decode_detect(utf8).encoding == vnsearch::Encoding::utf8);
    std::string damaged = utf8;
    damaged[10] = '\xFF', damaged[200] = '\xFE', damaged[400] = '\x80';
    auto dd = vnsearch::decode_detect(damaged);
    CHECK(dd.encoding == vnsearch::Encoding::utf8);
    CHECK(dd.repaired >= 3);
    // A few legacy words are not evidence enough.
    auto short_viscii = vnsearch_test::iconv_convert("Tin tức: Việt Nam đổi mới", "VISCII");
    if (short_viscii) CHECK(vnsearch::decode_detect(*short_viscii).encoding == vnsearch::Encoding::utf8);
    // Latin-1 French is no Vietnamese legacy charset.
    auto french = vnsearch_test::iconv_convert(
        "Le président a annoncé mercredi une série de mesures destinées à soutenir l'économie française. Déjà, les "
        "économistes prévoient une croissance très faible, à peine supérieure à zéro. Où va la France ?",
        "ISO-8859-1");
    REQUIRE(french);
    CHECK(vnsearch::decode_detect(*french).encoding == vnsearch::Encoding::utf8);

    TempDir dir;
    // VNI-style bytes (base letter, then a byte for the marks, as VNI fonts write "Vieät")
    // and KOI8-R Russian: text, but in no charset vnsearch knows.
    std::string vni;
    for (std::size_t i = 0; i < utf8.size();) {
        const unsigned char c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            vni += utf8[i++];
            continue;
        }
        std::size_t n = c >= 0xE0 ? 3 : 2;
        std::string folded = vnsearch::fold(utf8.substr(i, n));
        vni += folded.empty() ? "?" : folded;
        vni += static_cast<char>(0xD8 + (c + static_cast<unsigned char>(utf8[i + n - 1])) % 0x28);
        i += n;
    }
    std::ofstream(dir.str("vni.txt"), std::ios::binary) << vni;
    auto russian = vnsearch_test::iconv_convert(
        "Президент объявил в среду о серии мер, направленных на поддержку экономики. Экономисты ожидают очень слабого "
        "роста, едва превышающего ноль. Профсоюзы отреагировали с недоверием.",
        "KOI8-R");
    if (russian) std::ofstream(dir.str("koi8.txt"), std::ios::binary) << *russian;
    for (std::string name : {"vni.txt", "koi8.txt"}) {
        if (!std::filesystem::exists(dir.path() / name)) continue;
        INFO(name);
        auto c = ingest(dir.path() / name);
        CHECK(c.docs.empty());
        REQUIRE(c.problems.size() == 1);
        CHECK(c.problems[0].path == dir.str(name));  // names the file
        CHECK(c.problems[0].message.rfind("unknown legacy encoding", 0) == 0);
    }
}

TEST_CASE("UTF-16 JSONL with a byte-order mark is read, LE and BE", "[ingest][jsonl]") {
    TempDir dir;
    const std::string jsonl = R"({"id": "u1", "title": "Chi Lăng", "text": "Thân bài viết."})" "\r\n"
                              "not json\r\n" +
                              std::string(R"({"id": 2, "title": "Thạch Thất", "body": "Nội dung."})") + "\r\n";
    for (auto [charset, bom] : {std::pair{"UTF-16LE", "\xFF\xFE"}, std::pair{"UTF-16BE", "\xFE\xFF"}}) {
        INFO(charset);
        auto bytes = vnsearch_test::iconv_convert(jsonl, charset);
        REQUIRE(bytes);
        const std::string file = dir.str(std::string(charset) + ".jsonl");
        std::ofstream(file, std::ios::binary) << bom << *bytes;
        auto c = ingest(file);
        REQUIRE(c.docs.size() == 2);
        CHECK(c.docs[0].id == "u1");
        CHECK(c.docs[0].title == "Chi Lăng");
        CHECK(c.docs[0].body == "Thân bài viết.");
        CHECK(c.docs[1].id == "2");
        CHECK(c.docs[1].title == "Thạch Thất");
        REQUIRE(c.problems.size() == 1);
        CHECK(c.problems[0].path == file + ":2");
        CHECK(c.problems[0].message == "not a JSON object");
    }
}
