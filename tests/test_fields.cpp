// Custom fields (Document::fields) searchable, filterable and facetable; structured filters;
// Index::add_path / IndexBuilder::add_path reports; JSONL titles and HTML entities (issue 13).
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

std::vector<std::string> ids(const vnsearch::Results& r) {
    std::vector<std::string> v;
    for (const auto& h : r) v.push_back(h.id);
    std::sort(v.begin(), v.end());
    return v;
}

double rank_score(const vnsearch::Results& r, const std::string& id) {
    for (const auto& h : r)
        if (h.id == id) return h.score;
    return -1;
}

vnsearch::Document doc(const std::string& id, const std::string& title, const std::string& source,
                       std::map<std::string, std::string> fields, const std::string& date = "") {
    vnsearch::Document d(id);
    d.title = title;
    d.body = title + ". Nội dung bài viết về " + title + ".";
    d.source = source;
    d.date = date;
    d.fields = std::move(fields);
    return d;
}

/// Five documents with VNTC-like labels (one with marks, one in another case) and sources
/// whose names have spaces.
void build(const std::string& path) {
    vnsearch::Index ix(path);
    ix.add(doc("a", "Đội tuyển bóng đá thắng lớn", "Báo Lạng Sơn", {{"label", "The thao"}, {"split", "train"}}, "2024-07-25"));
    ix.add(doc("b", "Giải quần vợt mở rộng", "Báo Lạng Sơn", {{"label", "Thể thao"}, {"split", "test"}}, "2023-01-02"));
    ix.add(doc("c", "Thị trường chứng khoán tăng điểm", "Tuổi Trẻ", {{"label", "Kinh doanh"}, {"split", "train"}}, "2024-03-04"));
    ix.add(doc("d", "Bóng đá và kinh doanh bản quyền", "Tuổi Trẻ", {{"Label", "Kinh doanh"}}));
    ix.add(doc("e", "Đội bóng chuyền nữ", "Nhân Dân", {}));
    ix.commit();
}

vnsearch::SearchOptions with_filters(std::vector<vnsearch::Filter> filters) {
    vnsearch::SearchOptions o;
    o.filters = std::move(filters);
    o.suggest = false;
    return o;
}

}  // namespace

TEST_CASE("custom fields are searchable as name:value, with or without marks", "[fields]") {
    TempDir dir;
    build(dir.str("db"));
    vnsearch::Searcher s(dir.str("db"));
    using V = std::vector<std::string>;
    CHECK(ids(s.search("label:\"the thao\"")) == V{"a", "b"});
    CHECK(ids(s.search("label:\"thể thao\"")) == V{"a", "b"});
    CHECK(ids(s.search("LABEL:\"kinh doanh\"")) == V{"c", "d"});  // names are case-blind ("Label" too)
    CHECK(ids(s.search("+bóng label:\"kinh doanh\"")) == V{"d"});
    CHECK(s.search("bóng label:\"kinh doanh\"").hits.at(0).id == "d");  // free text ranks within the field's matches
    CHECK(ids(s.search("bong -label:\"kinh doanh\"")) == V{"a", "e"});
    CHECK(ids(s.search("split:train")) == V{"a", "c"});
    CHECK(s.search("label:\"thể thao\"").warnings.empty());
    // Marks typed rank the exact form first: "Thể thao" (b) above "The thao" (a).
    const auto r = s.search("label:\"thể thao\"", with_filters({}));
    REQUIRE(r.size() == 2);
    CHECK(r.hits[0].id == "b");
    // The stored fields come back with the hits.
    CHECK(r.hits[0].fields.at("label") == "Thể thao");
    // A name the index holds no field of stays text, as before.
    const auto unknown = s.search("foo:bong");
    CHECK(unknown.warnings.size() == 1);
    CHECK(ids(unknown) == V{"a", "d", "e"});
}

TEST_CASE("structured filters: values with spaces, custom fields, exclusions, no query text", "[fields][filters]") {
    TempDir dir;
    build(dir.str("db"));
    vnsearch::Searcher s(dir.str("db"));
    using V = std::vector<std::string>;
    // The bug of issue 13: a source with spaces, pasted into the query, found nothing.
    CHECK(ids(s.search("bóng", with_filters({{"source", "Báo Lạng Sơn"}}))) == V{"a"});
    CHECK(ids(s.search("", with_filters({{"source", "Báo Lạng Sơn"}}))) == V{"a", "b"});
    CHECK(ids(s.search("", with_filters({{"source", "bao lang son"}}))) == V{"a", "b"});
    CHECK(ids(s.search("", with_filters({{"label", "the thao"}}))) == V{"a", "b"});
    CHECK(ids(s.search("", with_filters({{"Label", "Kinh doanh"}, {"source", "Tuổi Trẻ"}}))) == V{"c", "d"});
    CHECK(ids(s.search("bong", with_filters({{"label", "kinh doanh", true}}))) == V{"a", "e"});
    CHECK(ids(s.search("", with_filters({{"year", "2024"}}))) == V{"a", "c"});
    CHECK(ids(s.search("", with_filters({{"date", "2023..2024-03"}}))) == V{"b", "c"});
    CHECK(ids(s.search("", with_filters({{"title", "đội"}}))) == V{"a", "e"});
    // A value is taken whole: quotes and colons are part of it, never query syntax.
    CHECK(s.search("", with_filters({{"source", "x\" OR \"y"}})).size() == 0);
    CHECK(s.search("", with_filters({{"label", "nothing:here"}})).size() == 0);
    // Filters never rank: the same order as without them.
    const auto all = s.search("bóng đá", with_filters({}));
    const auto filtered = s.search("bóng đá", with_filters({{"label", "kinh doanh"}}));
    REQUIRE(filtered.size() == 1);
    CHECK(filtered.hits[0].score == Approx(rank_score(all, "d")).epsilon(1e-9));
    // Bad filters are errors, not silent empty results.
    CHECK_THROWS_AS(s.search("", with_filters({{"no such", "x"}})), vnsearch::Error);
    CHECK_THROWS_AS(s.search("", with_filters({{"label", "  "}})), vnsearch::Error);
    CHECK_THROWS_AS(s.search("", with_filters({{"date", "yesterday"}})), vnsearch::Error);
}

TEST_CASE("facets of custom fields, year and source", "[fields][facets]") {
    TempDir dir;
    build(dir.str("db"));
    vnsearch::Searcher s(dir.str("db"));
    vnsearch::SearchOptions o;
    o.suggest = false;
    o.facet_fields = {"label", "Split", "nothing"};
    auto r = s.search("bóng OR thị OR quần", o);
    REQUIRE(r.total == 5);
    using F = std::vector<std::pair<std::string, std::size_t>>;
    auto pairs = [](const std::vector<vnsearch::FacetCount>& v) {
        F out;
        for (const auto& f : v) out.emplace_back(f.value, f.count);
        return out;
    };
    CHECK(pairs(r.facets.at("label")) == F{{"Kinh doanh", 2}, {"The thao", 1}, {"Thể thao", 1}});
    CHECK(pairs(r.facets.at("split")) == F{{"train", 2}, {"test", 1}});
    CHECK(r.facets.at("nothing").empty());
    CHECK(r.years.empty());  // facets = false: year and source only when asked
    o.facets = true;
    o.facet_fields = {"label"};
    o.filters = {{"source", "Tuổi Trẻ"}};
    r = s.search("", o);
    CHECK(pairs(r.facets.at("label")) == F{{"Kinh doanh", 2}});
    CHECK(pairs(r.facets.at("source")) == F{{"Tuổi Trẻ", 2}});
    CHECK(pairs(r.sources) == F{{"Tuổi Trẻ", 2}});
    CHECK(pairs(r.years) == F{{"2024", 1}});
}

TEST_CASE("facets and filters of custom fields over several shards", "[fields][facets][shards]") {
    TempDir dir;
    {
        vnsearch::Index a(dir.str("a")), b(dir.str("b"));
        a.add(doc("a1", "Bóng đá", "X", {{"label", "The thao"}}));
        a.add(doc("a2", "Chứng khoán", "X", {{"label", "Kinh doanh"}}));
        b.add(doc("b1", "Bóng rổ", "Y", {{"label", "The thao"}}));
    }
    vnsearch::Searcher s(std::vector<std::string>{dir.str("a"), dir.str("b")});
    vnsearch::SearchOptions o;
    o.suggest = false;
    o.facet_fields = {"label"};
    o.filters = {{"label", "the thao"}};
    const auto r = s.search("", o);
    CHECK(ids(r) == std::vector<std::string>{"a1", "b1"});
    REQUIRE(r.facets.at("label").size() == 1);
    CHECK(r.facets.at("label")[0].value == "The thao");
    CHECK(r.facets.at("label")[0].count == 2);
}

TEST_CASE("JSONL without a title: a headline of at most 30 words, the rest body; entities decoded", "[ingest][jsonl][fields]") {
    TempDir dir;
    const std::string long_line =
        "Thành lập dự án POLICY phòng chống HIV/AIDS ở VN (NLĐ)- Quỹ hỗ trợ khẩn cấp về AIDS của Hoa Kỳ vừa thành lập dự "
        "án POLICY tại VN với cam kết hỗ trợ Chính phủ và nhân dân VN đối phó HIV/AIDS trong nhiều năm tới.";
    const std::string no_agency =
        "Sáng nay hàng nghìn người dân đã đổ về quảng trường trung tâm để theo dõi buổi lễ khai mạc. Sau đó các đoàn "
        "nghệ thuật biểu diễn nhiều tiết mục đặc sắc kéo dài đến tận chiều tối cùng ngày hôm đó tại thành phố.";
    {
        std::ofstream f(dir.str("vntc.jsonl"));
        f << R"({"id": "1", "label": "Suc khoe", "source": "NLD", "text": ")" << long_line << R"("})" << '\n'
          << R"({"id": "2", "label": "Xa hoi", "text": ")" << no_agency << R"(\nĐoạn hai."})" << '\n'
          << R"({"id": "3", "text": "Tiêu đề ngắn\nThân bài."})" << '\n'
          << R"({"id": "4", "title": "T&amp;T Group mua lại &quot;SHB&quot; &#7841; &#x1EA1;", "text": "A &lt;b&gt; B", "label": "Kinh doanh &amp; Tài chính", "url": "http://x/?a=1&amp;b=2"})"
          << '\n'
          << R"({"id": "5", "title": "Không &bogus; &#0; &amp", "text": "."})" << '\n'
          << R"({"id": "6", "text": "99% HS trong độ tuổi tiểu học đến trường (NLĐ)- Thủ tướng vừa ký quyết định về phát triển giáo dục.\nTheo đó..."})"
          << '\n';
    }
    vnsearch::IngestCallbacks cb;
    std::vector<vnsearch::Document> docs;
    cb.on_document = [&](vnsearch::Document&& d) { docs.push_back(std::move(d)); };
    vnsearch::ingest_path(dir.str("vntc.jsonl"), cb);
    REQUIRE(docs.size() == 6);
    // An agency dateline ends the headline; the whole line stays body; the JSON source stays.
    CHECK(docs[0].title == "Thành lập dự án POLICY phòng chống HIV/AIDS ở VN");
    CHECK(docs[0].body == long_line);
    CHECK(docs[0].source == "NLD");
    CHECK(docs[0].fields.at("label") == "Suc khoe");
    // Otherwise the first sentence; the body keeps the whole text.
    CHECK(docs[1].title == "Sáng nay hàng nghìn người dân đã đổ về quảng trường trung tâm để theo dõi buổi lễ khai mạc.");
    CHECK(docs[1].body == no_agency + "\nĐoạn hai.");
    // A short first line is the title and leaves the body.
    CHECK(docs[2].title == "Tiêu đề ngắn");
    CHECK(docs[2].body == "Thân bài.");
    CHECK(docs[3].title == "T&T Group mua lại \"SHB\" ạ ạ");
    CHECK(docs[3].body == "A <b> B");
    CHECK(docs[3].fields.at("label") == "Kinh doanh & Tài chính");
    CHECK(docs[3].url == "http://x/?a=1&amp;b=2");  // urls are kept as written
    CHECK(docs[4].title == "Không &bogus; &#0; &amp");  // unknown, NUL and unterminated stay
    // An agency dateline ends the headline on a short line too; the line stays body.
    CHECK(docs[5].title == "99% HS trong độ tuổi tiểu học đến trường");
    CHECK(docs[5].body.rfind("99% HS trong độ tuổi tiểu học đến trường (NLĐ)- Thủ tướng", 0) == 0);
    CHECK(docs[5].source == "NLĐ");  // the dateline's agency, when the record has no source
}

TEST_CASE("Index::add_path and IndexBuilder::add_path report added, replaced and skipped", "[ingest][fields]") {
    TempDir dir;
    std::filesystem::create_directories(dir.str("in"));
    {
        std::ofstream f(dir.str("in/a.jsonl"));
        f << R"({"id": "1", "title": "Một", "text": "x", "label": "the thao"})" << '\n'
          << "not json\n"
          << R"({"id": "2", "title": "Hai", "text": "y", "date": "hôm qua"})" << '\n'
          << R"({"id": "1", "title": "Một lần nữa", "text": "z"})" << '\n';
        std::ofstream(dir.str("in/empty.txt")) << "";
    }
    auto check = [&](const vnsearch::IngestReport& r) {
        CHECK(r.added == 1);
        CHECK(r.replaced == 1);
        CHECK(r.skipped == 3);
        REQUIRE(r.problems.size() == 3);
        CHECK(r.problems[0].path == dir.str("in/a.jsonl") + ":2");
        CHECK(r.problems[0].message == "not a JSON object");
        CHECK(r.problems[1].path == "2");
        CHECK(r.problems[1].message.find("date is not ISO 8601") != std::string::npos);
        CHECK(r.problems[2].path == dir.str("in/empty.txt"));
    };
    {
        vnsearch::Index ix(dir.str("db1"));
        check(ix.add_path(dir.str("in")));
        const auto again = ix.add_path(dir.str("in/a.jsonl"));
        CHECK(again.added == 0);
        CHECK(again.replaced == 2);
    }
    {
        vnsearch::IndexBuilder b(dir.str("db2"));
        check(b.add_path(dir.str("in")));
        b.finish();
    }
    for (const char* db : {"db1", "db2"}) {
        vnsearch::Searcher s(dir.str(db));
        CHECK(s.size() == 1);
        // The replacement has no label any more.
        CHECK(s.search("", with_filters({{"title", "lần nữa"}})).size() == 1);
    }
    vnsearch::Index ix(dir.str("db3"));
    const auto missing = ix.add_path(dir.str("nowhere"));
    CHECK(missing.skipped == 1);
    CHECK(missing.problems.at(0).message == "no such file or directory");
}
