// The C++ API's conveniences: Searcher({"a", "b"}), Results::empty()/operator[], exact or
// estimated totals, highlight spans, enums with string forms, sort names, undated documents
// last in both date orders, fetching a document by id, and the builder's merge progress.
#include <catch2/catch.hpp>
#include <sstream>
#include <type_traits>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::seed_db;
using vnsearch_test::TempDir;

namespace {

const std::string kChiLang = "000_36fbaf0990d157c1";

std::vector<std::string> ids(const vnsearch::Results& r) {
    std::vector<std::string> v;
    for (const auto& h : r) v.push_back(h.id);
    return v;
}

/// Four documents about "hội nghị": three dated, one undated.
void add_dated(const std::string& path) {
    vnsearch::Index ix(path);
    auto add = [&](std::string id, std::string body, std::string date) {
        vnsearch::Document d(std::move(id));
        d.title = "Tin " + d.id;
        d.body = std::move(body);
        d.date = std::move(date);
        ix.add(d);
    };
    add("b", "Hội nghị xây dựng Đảng ở huyện.", "2019-02-23T08:00:00");
    add("undated", "Hội nghị không có ngày tháng.", "");
    add("a", "Hội nghị tổng kết.", "2018-05-01");
    add("c", "Hội nghị cuối năm.", "2020-10-23");
}

}  // namespace

TEST_CASE("Searcher({\"a\", \"b\"}) searches several shards as one", "[api]") {
    static_assert(std::is_constructible_v<vnsearch::Searcher, std::initializer_list<std::string>>);
    TempDir dir;
    add_dated(dir.str("one"));
    {
        vnsearch::Index ix(dir.str("two"));
        vnsearch::Document d("z");
        d.body = "Hội nghị thứ năm.";
        ix.add(d);
    }
    const std::string one = dir.str("one"), two = dir.str("two");
    vnsearch::Searcher both({one, two});
    CHECK(both.size() == 5);
    vnsearch::Searcher literal({one.c_str(), two.c_str()});  // the braces hold two paths, not a string's iterators
    CHECK(literal.size() == 5);
    vnsearch::Searcher single({one});
    CHECK(single.size() == 4);
    CHECK(vnsearch::Searcher(one).size() == 4);
}

TEST_CASE("Results: empty(), operator[] and whether the total is exact", "[api]") {
    vnsearch::Searcher s(seed_db());
    const vnsearch::Results r = s.search("chi lang");
    REQUIRE_FALSE(r.empty());
    CHECK(r[0].id == kChiLang);
    CHECK(&r[0] == &r.hits[0]);
    // Five documents: Xapian sees every match, so the count is exact.
    CHECK(r.total_exact);
    CHECK(r.total == r.size());

    const vnsearch::Results none = s.search("zzzkhongcotu");
    CHECK(none.empty());
    CHECK(none.total == 0);
    CHECK(none.total_exact);

    // limit 0: no hits, and still the exact count.
    vnsearch::SearchOptions count_only;
    count_only.limit = 0;
    const vnsearch::Results c = s.search("đảng", count_only);
    CHECK(c.empty());
    CHECK(c.total_exact);
    CHECK(c.total == s.search("đảng", vnsearch::SearchOptions{0, 100}).size());
}

namespace {
/// Builds `n` documents "d0".."d<n-1>" whose bodies `body(i)` gives, on two threads.
template <typename Body>
void build_numbered(const std::string& path, int n, Body body) {
    vnsearch::IndexBuilder b(path, {2});
    for (int i = 0; i < n; ++i) {
        vnsearch::Document d("d" + std::to_string(i));
        d.body = body(i);
        b.add(std::move(d));
    }
    b.finish();
}
}  // namespace

TEST_CASE("a large index: an estimated total says so, and limit 0 counts exactly", "[api]") {
    TempDir dir;
    constexpr int kDocs = 3000;
    // "xanh" in every second document, "đỏ" in every third: how many have both cannot be
    // told from the term statistics, only by looking.
    build_numbered(dir.str("db"), kDocs, [](int i) {
        return "tin số " + std::to_string(i) + (i % 2 == 0 ? " xanh" : "") + (i % 3 == 0 ? " đỏ" : "") +
               std::string(static_cast<std::size_t>(i % 7), '.') + " thêm chữ";
    });
    vnsearch::Searcher s(dir.str("db"));
    vnsearch::SearchOptions page;
    page.limit = 5;
    page.suggest = false;
    const auto estimated = s.search("+xanh +đỏ", page);
    INFO("total " << estimated.total);
    CHECK_FALSE(estimated.total_exact);
    vnsearch::SearchOptions count_only = page;
    count_only.limit = 0;
    const auto exact = s.search("+xanh +đỏ", count_only);
    CHECK(exact.total_exact);
    CHECK(exact.total == kDocs / 6);
}

TEST_CASE("limit 0 counts the documents the pages list, also beside a common word", "[api]") {
    // 3,000 documents all holding "tin" (common: only rarer words find candidates); "hiếm"
    // in every 40th, "lạ" in every 55th. A page of the default search lists the documents
    // with a rare word; the count must be of those, not of every document holding "tin".
    TempDir dir;
    constexpr int kDocs = 3000;
    build_numbered(dir.str("db"), kDocs, [](int i) {
        return "bản tin số " + std::to_string(i) + (i % 40 == 0 ? " chuyện hiếm" : "") + (i % 55 == 0 ? " điều lạ" : "");
    });
    vnsearch::Searcher s(dir.str("db"));
    std::size_t rare = 0, either = 0;
    for (int i = 0; i < kDocs; ++i) rare += i % 40 == 0, either += i % 40 == 0 || i % 55 == 0;
    auto limited = [](std::size_t limit) {
        vnsearch::SearchOptions o;
        o.limit = limit;
        o.suggest = false;
        return o;
    };
    for (const std::string q : {"tin hiếm", "tin hiem la", "hiếm"}) {
        INFO(q);
        const auto counted = s.search(q, limited(0));
        CHECK(counted.total_exact);
        const auto listed = s.search(q, limited(1000));
        CHECK(counted.total == listed.size());
        CHECK(listed.size() == (q == "tin hiem la" ? either : rare));
    }
    // A query whose rare word is in no document lists (and counts) every match of the rest.
    CHECK(s.search("tin zzzkhongco", limited(0)).total == kDocs);
    CHECK(s.search("tin zzzkhongco", limited(10)).size() == 10);
}

TEST_CASE("highlight spans point into the unmarked snippet text", "[api][snippet]") {
    vnsearch::Searcher s(seed_db());
    vnsearch::SearchOptions o;
    o.highlight_start = "[[";
    o.highlight_end = "]]";
    const auto r = s.search("chi lang", o);
    REQUIRE_FALSE(r.empty());
    const vnsearch::Hit& h = r[0];
    REQUIRE(h.highlights.size() >= 2);
    CHECK(h.snippet_text.find("[[") == std::string::npos);
    // Rebuilding the marked snippet from the spans gives the marked snippet.
    std::string rebuilt;
    std::size_t cur = 0;
    for (const auto& span : h.highlights) {
        REQUIRE(span.start >= cur);
        REQUIRE(span.end > span.start);
        REQUIRE(span.end <= h.snippet_text.size());
        rebuilt += h.snippet_text.substr(cur, span.start - cur) + "[[" + h.snippet_text.substr(span.start, span.end - span.start) + "]]";
        cur = span.end;
    }
    rebuilt += h.snippet_text.substr(cur);
    CHECK(rebuilt == h.snippet);
    bool chi = false;
    for (const auto& span : h.highlights) chi |= h.snippet_text.substr(span.start, span.end - span.start) == "Chi";
    CHECK(chi);

    SECTION("text that contains the markers is not taken for a highlight") {
        TempDir dir;
        {
            vnsearch::Index ix(dir.str("db"));
            vnsearch::Document d("m");
            d.body = "Mã <b>giả</b> và chữ Lăng thật.";
            ix.add(d);
        }
        const auto m = vnsearch::Searcher(dir.str("db")).search("lăng");
        REQUIRE(m.size() == 1);
        REQUIRE(m[0].highlights.size() == 1);
        const auto& span = m[0].highlights[0];
        CHECK(m[0].snippet_text.substr(span.start, span.end - span.start) == "Lăng");
        CHECK(m[0].snippet_text.find("<b>giả</b>") != std::string::npos);
    }
    SECTION("no snippets, no spans") {
        vnsearch::SearchOptions none;
        none.snippet_chars = 0;
        const auto n = s.search("chi lang", none);
        REQUIRE_FALSE(n.empty());
        CHECK(n[0].snippet.empty());
        CHECK(n[0].snippet_text.empty());
        CHECK(n[0].highlights.empty());
    }
}

TEST_CASE("suggestion reasons and abbreviation origins are enums with string forms", "[api]") {
    using vnsearch::to_string;
    CHECK(to_string(vnsearch::SuggestionReason::diacritics) == "diacritics");
    CHECK(to_string(vnsearch::SuggestionReason::telex) == "telex");
    CHECK(to_string(vnsearch::SuggestionReason::vni) == "vni");
    CHECK(to_string(vnsearch::SuggestionReason::none).empty());
    CHECK(to_string(vnsearch::AbbreviationOrigin::learned) == "learned");
    CHECK(to_string(vnsearch::AbbreviationOrigin::user) == "user");
    CHECK(to_string(vnsearch::AbbreviationOrigin::builtin) == "builtin");

    vnsearch::Searcher s(seed_db());
    CHECK(s.suggest("chi lang").reason == vnsearch::SuggestionReason::diacritics);
    const auto fine = s.suggest("Chi Lăng");
    CHECK_FALSE(fine);
    CHECK(fine.reason == vnsearch::SuggestionReason::none);
    CHECK(s.search("Chi Lăng").suggestion_reason == vnsearch::SuggestionReason::none);

    TempDir dir;
    {
        vnsearch::Index ix(dir.str("db"));
        vnsearch::Document d("x");
        d.body = "Hội đồng nhân dân (HĐND) tỉnh họp.";
        ix.add(d);
        ix.add_abbreviation("HTCT", "hệ thống chính trị");
    }
    bool learned = false, user = false, builtin = false;
    for (const auto& e : vnsearch::Searcher(dir.str("db")).abbreviations(true)) {
        learned |= e.abbreviation == "HĐND" && e.origin == vnsearch::AbbreviationOrigin::learned;
        user |= e.abbreviation == "HTCT" && e.origin == vnsearch::AbbreviationOrigin::user;
        builtin |= e.origin == vnsearch::AbbreviationOrigin::builtin;
    }
    CHECK(learned);
    CHECK(user);
    CHECK(builtin);
}

TEST_CASE("sort names: one set of names, both spellings, undated documents last in both orders", "[api][sort]") {
    using vnsearch::SortOrder;
    CHECK(vnsearch::parse_sort_order("relevance") == SortOrder::relevance);
    for (const char* name : {"date", "date-desc", "date_desc"}) CHECK(vnsearch::parse_sort_order(name) == SortOrder::date_desc);
    for (const char* name : {"date-asc", "date_asc"}) CHECK(vnsearch::parse_sort_order(name) == SortOrder::date_asc);
    for (const char* name : {"", "Date", "date asc", "newest", "relevance "}) CHECK_FALSE(vnsearch::parse_sort_order(name));
    for (auto order : {SortOrder::relevance, SortOrder::date_desc, SortOrder::date_asc})
        CHECK(vnsearch::parse_sort_order(vnsearch::to_string(order)) == order);

    TempDir dir;
    add_dated(dir.str("db"));
    vnsearch::Searcher s(dir.str("db"));
    vnsearch::SearchOptions o;
    o.sort = SortOrder::date_desc;
    CHECK(ids(s.search("hội nghị", o)) == std::vector<std::string>{"c", "b", "a", "undated"});
    o.sort = SortOrder::date_asc;
    CHECK(ids(s.search("hội nghị", o)) == std::vector<std::string>{"a", "b", "c", "undated"});
    o.offset = 3;
    CHECK(ids(s.search("hội nghị", o)) == std::vector<std::string>{"undated"});
}

TEST_CASE("Searcher::document fetches a stored document by id", "[api]") {
    vnsearch::Searcher s(seed_db());
    const auto d = s.document(kChiLang);
    REQUIRE(d);
    CHECK(d->id == kChiLang);
    CHECK(d->title == "Công tác xây dựng Đảng ở Chi Lăng");
    CHECK(d->date == "2024-07-25");
    CHECK(d->body.find("Chi Lăng") != std::string::npos);
    CHECK_FALSE(s.document("no-such-id"));
    CHECK_FALSE(s.document(""));

    TempDir dir;
    add_dated(dir.str("one"));
    {
        vnsearch::Index ix(dir.str("two"));
        vnsearch::Document z("z");
        z.body = "Ở shard thứ hai.";
        z.fields["label"] = "the thao";
        ix.add(z);
    }
    vnsearch::Searcher both({dir.str("one"), dir.str("two")});
    const auto z = both.document("z");
    REQUIRE(z);
    CHECK(z->body == "Ở shard thứ hai.");
    CHECK(z->fields.at("label") == "the thao");
    REQUIRE(both.document("a"));
    CHECK(both.document("a")->date == "2018-05-01");
}

TEST_CASE("Index::remove counts what it removed", "[api]") {
    TempDir dir;
    vnsearch::Index ix(dir.str("db"));
    vnsearch::Document d("x");
    d.body = "nội dung";
    ix.add(d);
    CHECK(ix.remove("x"));
    CHECK_FALSE(ix.remove("x"));
    CHECK(ix.stats().removed == 1);
}

TEST_CASE("IndexBuilder::finish reports the merge's progress up to 1", "[api][builder]") {
    TempDir dir;
    vnsearch::IndexBuilder b(dir.str("db"), {2, 1024, 4096});
    for (int i = 0; i < 200; ++i) {
        vnsearch::Document d("d" + std::to_string(i));
        d.body = "Hội nghị lần thứ " + std::to_string(i) + " bàn về công tác xây dựng Đảng.";
        b.add(std::move(d));
    }
    std::vector<double> seen;
    b.finish([&](double f) { seen.push_back(f); });
    REQUIRE(seen.size() >= 3);  // the start, tables merged, the end
    CHECK(seen.front() == 0.0);
    CHECK(seen.back() == 1.0);
    CHECK(std::is_sorted(seen.begin(), seen.end()));
    bool between = false;
    for (double f : seen) between |= f > 0 && f < 1;
    CHECK(between);
    CHECK(vnsearch::Searcher(dir.str("db")).size() == 200);
}

TEST_CASE("ingest_jsonl reads a stream that cannot seek", "[api][ingest]") {
    std::string jsonl = "{\"id\": \"a\", \"title\": \"Tiêu đề\", \"body\": \"Nội dung\"}\n\nnot json\n";
    // A line longer than the charset sample (256 KB), and a last line without a newline.
    jsonl += "{\"id\": \"long\", \"title\": \"Dài\", \"body\": \"" + std::string(300000, 'x') + "\"}\n";
    jsonl += "{\"id\": \"b\", \"title\": \"Cuối\"}";
    std::istringstream in(jsonl);
    std::vector<vnsearch::Document> docs;
    std::vector<std::string> problems;
    vnsearch::IngestCallbacks cb;
    cb.on_document = [&](vnsearch::Document&& d) { docs.push_back(std::move(d)); };
    cb.on_problem = [&](const vnsearch::IngestProblem& p) { problems.push_back(p.path + ": " + p.message); };
    vnsearch::ingest_jsonl(in, "<stdin>", cb);
    REQUIRE(docs.size() == 3);
    CHECK(docs[0].title == "Tiêu đề");
    CHECK(docs[1].id == "long");
    CHECK(docs[1].body.size() == 300000);
    CHECK(docs[2].id == "b");
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == "<stdin>:3: not a JSON object");
}
