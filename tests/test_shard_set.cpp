// Shard sets (IndexOptions::shards, BuildOptions::shards): N databases in one directory,
// each document in shard fnv1a32(id) mod N. Searched as one, a set answers exactly as one
// database holding the same documents; replace and remove reach the one shard holding the id.
#include <signal.h>
#include <sys/wait.h>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <vnsearch/vnsearch.h>

#include "index/term_scheme.h"
#include "test_support.h"

namespace fs = std::filesystem;
using vnsearch_test::TempDir;

namespace {

/// The seed paragraphs plus `generated` documents made of the seed corpus's own words
/// (deterministic): dates over ten years, five sources, a custom field, and abbreviations
/// defined inline in some of them.
std::vector<vnsearch::Document> corpus(std::size_t generated) {
    std::vector<vnsearch::Document> docs = vnsearch_test::seed_paragraph_docs();
    std::vector<std::string> words;
    std::set<std::string> seen;
    const vnsearch::Analyzer analyzer;
    for (const auto& d : docs)
        analyzer.analyze(d.body, [&](const vnsearch::Token& t) {
            if (t.kind == vnsearch::TokenKind::word && !t.part && seen.insert(t.exact).second) words.push_back(t.exact);
        });
    REQUIRE(words.size() > 300);
    static const char* sources[] = {"Báo Lạng Sơn", "Báo Hà Nội Mới", "VnExpress", "Tuổi Trẻ", "Nhân Dân"};
    static const char* topics[] = {"chinh-tri", "kinh-te", "xa-hoi", "the-thao"};
    static const char* definitions[] = {" Hội đồng nhân dân (HĐND) họp phiên thường kỳ.",
                                        " Ủy ban nhân dân (UBND) ban hành kế hoạch.", " Ban quản lý dự án (BQLDA) báo cáo."};
    std::mt19937 rng(20261201u);  // its output is fixed by the standard
    for (std::size_t i = 0; i < generated; ++i) {
        vnsearch::Document d("gen-" + std::to_string(i));
        const std::size_t title_words = 4 + rng() % 6, body_words = 30 + rng() % 90;
        for (std::size_t k = 0; k < title_words; ++k) d.title += (k ? " " : "") + words[rng() % words.size()];
        for (std::size_t k = 0; k < body_words; ++k) d.body += words[rng() % words.size()] + (k % 15 == 14 ? ". " : " ");
        if (i % 7 == 0) d.body += definitions[rng() % 3];
        if (i % 11 != 0) {  // some undated
            char date[16];
            std::snprintf(date, sizeof date, "%04u-%02u-%02u", 2015 + static_cast<unsigned>(rng() % 10),
                          1 + static_cast<unsigned>(rng() % 12), 1 + static_cast<unsigned>(rng() % 28));
            d.date = date;
        }
        d.source = sources[rng() % 5];
        d.fields["topic"] = topics[rng() % 4];
        docs.push_back(std::move(d));
    }
    return docs;
}

/// Hits as (score, id), ties ordered by id: documents of equal score come in docid order,
/// and the docids of a set interleave its shards', so only the order among ties may differ.
std::vector<std::pair<double, std::string>> ranked(const vnsearch::Results& r) {
    std::vector<std::pair<double, std::string>> v;
    for (const auto& h : r) v.emplace_back(h.score, h.id);
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
        if (std::abs(a.first - b.first) > 1e-9 * std::max(1.0, std::abs(a.first))) return a.first > b.first;
        return a.second < b.second;
    });
    return v;
}

void same_results(const vnsearch::Results& a, const vnsearch::Results& b) {
    CHECK(a.total == b.total);
    CHECK(a.total_exact == b.total_exact);
    CHECK(a.suggestion == b.suggestion);
    const auto x = ranked(a), y = ranked(b);
    REQUIRE(x.size() == y.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        CHECK(x[i].second == y[i].second);
        CHECK(x[i].first == Approx(y[i].first).epsilon(1e-9));
    }
    REQUIRE(a.facets.size() == b.facets.size());
    for (const auto& [name, counts] : a.facets) {
        CAPTURE(name);
        const auto& other = b.facets.at(name);
        REQUIRE(counts.size() == other.size());
        for (std::size_t i = 0; i < counts.size(); ++i) {
            CHECK(counts[i].value == other[i].value);
            CHECK(counts[i].count == other[i].count);
        }
    }
}

/// The shard (index in the set) holding each id, read shard by shard.
std::map<std::string, std::vector<std::size_t>> holders(const std::string& set, std::size_t n,
                                                        const std::vector<vnsearch::Document>& docs) {
    std::map<std::string, std::vector<std::size_t>> where;
    for (std::size_t k = 0; k < n; ++k) {
        char name[32];
        std::snprintf(name, sizeof name, "/shard-%03zu", k);
        vnsearch::Searcher shard(set + name);
        for (const auto& d : docs)
            if (shard.document(d.id)) where[d.id].push_back(k);
    }
    return where;
}

}  // namespace

TEST_CASE("shard routing: FNV-1a of the id's bytes modulo the shard count", "[shard-set]") {
    using vnsearch::scheme::fnv1a32;
    // The published FNV-1a 32-bit test vectors.
    CHECK(fnv1a32("") == 0x811c9dc5u);
    CHECK(fnv1a32("a") == 0xe40c292cu);
    CHECK(fnv1a32("foobar") == 0xbf9cf968u);
    CHECK(vnsearch::scheme::shard_of("foobar", 3) == 0xbf9cf968u % 3);
    CHECK(vnsearch::scheme::shard_of("bài-1", 1) == 0);
    // The custom-field slots keep their numbers (they use the same hash).
    CHECK(vnsearch::scheme::field_slot("topic") == vnsearch::scheme::kFieldSlotBase + (fnv1a32("topic") & 0x7FFFFFFFu));
}

TEST_CASE("a 3-shard set answers as one database holding the same documents", "[shard-set]") {
    const auto docs = corpus(500);
    TempDir dir("vnsearch-shard-set");
    const std::string one = dir.str("one"), set = dir.str("set");
    {
        vnsearch::Index a(one);
        vnsearch::IndexOptions o;
        o.shards = 3;
        o.auto_commit_bytes = 64 << 10;  // several commits per shard
        vnsearch::Index b(set, o);
        for (const auto& d : docs) {
            a.add(d);
            b.add(d);
        }
        a.add_abbreviation("HTCT", "hệ thống chính trị");
        b.add_abbreviation("HTCT", "hệ thống chính trị");
        CHECK(b.size() == docs.size());
        CHECK(b.stats().added == docs.size());
        a.close();
        b.close();
    }
    // The layout: manifest, stub, three Glass databases.
    CHECK(fs::exists(set + "/vnsearch-shards.json"));
    CHECK(fs::exists(set + "/XAPIANDB"));
    for (const char* s : {"/shard-000/iamglass", "/shard-001/iamglass", "/shard-002/iamglass"}) CHECK(fs::exists(set + s));
    CHECK_FALSE(fs::exists(set + "/iamglass"));
    // Every document is in exactly the shard its id hashes to.
    const auto where = holders(set, 3, docs);
    REQUIRE(where.size() == docs.size());
    std::size_t per_shard[3] = {0, 0, 0};
    for (const auto& d : docs) {
        const auto& in = where.at(d.id);
        REQUIRE(in.size() == 1);
        CHECK(in[0] == vnsearch::scheme::shard_of(d.id, 3));
        ++per_shard[in[0]];
    }
    for (std::size_t n : per_shard) CHECK(n > docs.size() / 5);  // the hash spreads them

    vnsearch::Searcher a(one), b(set);
    CHECK(b.size() == docs.size());
    const auto info = b.info();
    CHECK(info.shards == 3);
    CHECK(info.remote_shards == 0);
    CHECK(info.documents == docs.size());
    CHECK(info.terms == a.info().terms);
    CHECK(info.scheme_version == vnsearch::scheme::kVersion);
    CHECK_FALSE(info.last_update.empty());  // the latest of the shards'

    const char* queries[] = {"chi lang", "Chi Lăng", "thach that", "\"nghị quyết\"", "đảng bộ -lạng", "chi bo OR hdnd",
                             "HĐND", "hội đồng nhân dân", "UBND", "HTCT", "lạng sơn", "ủy ban", "nghi quyet 22",
                             "topic:kinh-te", "year:2018..2020 xã", "source:\"Tuổi Trẻ\" đảng", "nghij quyeets"};
    std::size_t compared = 0;
    for (const char* q : queries)
        for (auto sort : {vnsearch::SortOrder::relevance, vnsearch::SortOrder::date_desc}) {
            CAPTURE(q, vnsearch::to_string(sort));
            vnsearch::SearchOptions opt;
            opt.limit = 5000;  // the whole list: ties at a page's edge may fall either way
            opt.sort = sort;
            opt.facets = true;
            opt.facet_fields = {"topic"};
            opt.snippet_chars = 0;
            const auto x = a.search(q, opt), y = b.search(q, opt);
            same_results(x, y);
            compared += x.size();
            if (sort == vnsearch::SortOrder::relevance) {
                // A page of the ranking: the same scores, and the same ids but for ties.
                opt.limit = 10;
                const auto p = a.search(q, opt), r = b.search(q, opt);
                REQUIRE(p.size() == r.size());
                for (std::size_t i = 0; i < p.size(); ++i) CHECK(p[i].score == Approx(r[i].score).epsilon(1e-9));
            }
        }
    CHECK(compared > 2000);
    CHECK(b.suggest("thach that").text == a.suggest("thach that").text);
    CHECK(b.suggest("nghij quyeets").text == a.suggest("nghij quyeets").text);
    // Abbreviations are read from every shard and merged: learnt counts add up across shards.
    auto listed = [](const vnsearch::Searcher& s) {
        std::map<std::pair<std::string, std::string>, std::pair<std::size_t, vnsearch::AbbreviationOrigin>> m;
        for (const auto& e : s.abbreviations()) {
            CHECK(m.count({e.abbreviation, e.expansion}) == 0);  // one entry per pair
            m[{e.abbreviation, e.expansion}] = {e.count, e.origin};
        }
        return m;
    };
    const auto pa = listed(a), pb = listed(b);
    CHECK(pa.size() >= 4);
    CHECK(pa == pb);
    // Stored documents and related articles.
    for (std::size_t i = 0; i < docs.size(); i += 37) {
        CAPTURE(docs[i].id);
        const auto x = a.document(docs[i].id), y = b.document(docs[i].id);
        REQUIRE(x);
        REQUIRE(y);
        CHECK(x->title == y->title);
        CHECK(x->body == y->body);
        CHECK(x->date == y->date);
        CHECK(x->fields == y->fields);
        vnsearch::SimilarOptions so;
        so.limit = 20;
        so.snippet_chars = 0;
        const auto s = a.similar(docs[i].id, so), t = b.similar(docs[i].id, so);
        const auto rs = ranked(s), rt = ranked(t);
        REQUIRE(rs.size() == rt.size());
        for (std::size_t k = 0; k < rs.size(); ++k) CHECK(rs[k].first == Approx(rt[k].first).epsilon(1e-9));
        // The same neighbours (a tie at the last place may differ).
        std::size_t shared = 0;
        for (const auto& h : rs)
            shared += static_cast<std::size_t>(
                std::count_if(rt.begin(), rt.end(), [&](const auto& o) { return o.second == h.second; }));
        CHECK(shared + 1 >= rs.size());
    }
    CHECK_FALSE(b.document("no-such-id"));
    CHECK_THROWS_AS(b.similar("no-such-id"), vnsearch::NotFoundError);

    // Plain Xapian opens the set as one database through its stub file.
    Xapian::Database x(set);
    CHECK(x.get_doccount() == docs.size());
    CHECK(x.get_termfreq("Qgen-1") == 1);
    // ...but its metadata is the first shard's only: why vnsearch reads every shard itself.
    const auto hdnd = pb.find({"HĐND", "hội đồng nhân dân"});
    REQUIRE(hdnd != pb.end());
    const std::string first_only = x.get_metadata("vnsearch.abbr:HĐND\thội đồng nhân dân");
    CHECK(std::strtoull(first_only.c_str(), nullptr, 10) < hdnd->second.first);
}

TEST_CASE("a shard set: replace and remove reach the one shard holding the id", "[shard-set]") {
    TempDir dir("vnsearch-shard-set");
    const std::string set = dir.str("set");
    std::vector<vnsearch::Document> docs;
    for (int i = 0; i < 60; ++i) {
        vnsearch::Document d("bài-" + std::to_string(i));
        d.title = "Tin số " + std::to_string(i);
        d.body = "Nội dung đầu tiên của bài " + std::to_string(i) + " về xây dựng nông thôn mới.";
        docs.push_back(d);
    }
    {
        vnsearch::Index ix(set, {.shards = 4});
        for (const auto& d : docs) CHECK(ix.add(d) == vnsearch::AddResult::added);
        ix.commit();
        // Re-indexed with other content (other terms, other length): replaced, never copied.
        for (auto d : docs) {
            d.title = "Bản sửa " + d.id;
            d.body = "Hoàn toàn khác: giá lúa gạo xuất khẩu tăng mạnh ở đồng bằng sông Cửu Long.";
            CHECK(ix.add(d) == vnsearch::AddResult::replaced);
        }
        CHECK(ix.size() == docs.size());
        ix.commit();
        CHECK(ix.remove("bài-3"));
        CHECK_FALSE(ix.remove("bài-3"));
        CHECK_FALSE(ix.remove("never-there"));
        CHECK(ix.stats().replaced == docs.size());
        CHECK(ix.stats().removed == 1);
        ix.close();
        CHECK_THROWS_AS(ix.add(docs[0]), vnsearch::Error);
    }
    // Reopened without saying how many shards: the manifest routes.
    {
        vnsearch::Index ix(set);
        CHECK(ix.size() == docs.size() - 1);
        vnsearch::Document again = docs[5];
        again.body = "Lần thứ ba, nội dung khác nữa.";
        CHECK(ix.add(again) == vnsearch::AddResult::replaced);
        ix.rollback();
        CHECK(ix.size() == docs.size() - 1);
    }
    const auto where = holders(dir.str("set"), 4, docs);
    CHECK(where.size() == docs.size() - 1);
    for (const auto& [id, in] : where) {
        CAPTURE(id);
        REQUIRE(in.size() == 1);
        CHECK(in[0] == vnsearch::scheme::shard_of(id, 4));
    }
    vnsearch::Searcher s(set);
    CHECK(s.search("nông thôn mới").total == 0);
    CHECK(s.search("lúa gạo").total == docs.size() - 1);
    CHECK(s.document("bài-7")->title == "Bản sửa bài-7");
    CHECK_FALSE(s.document("bài-3"));
}

TEST_CASE("a shard set: one writer, and clear errors for a wrong count or a single database", "[shard-set]") {
    TempDir dir("vnsearch-shard-set");
    const std::string set = dir.str("set"), single = dir.str("single");
    vnsearch::Index writer(set, {.shards = 3});
    // A second writer is refused (every shard is locked) and leaves the first unharmed.
    CHECK_THROWS_AS(vnsearch::Index(set), vnsearch::LockError);
    CHECK_THROWS_AS(vnsearch::IndexBuilder(set), vnsearch::LockError);
    vnsearch::Document d("x");
    d.body = "một hai ba";
    writer.add(d);
    writer.commit();
    CHECK(vnsearch::Searcher(set).size() == 1);
    writer.close();

    try {
        vnsearch::Index(set, {.shards = 2});
        FAIL("a 3-shard set opened as 2 shards");
    } catch (const vnsearch::DatabaseError& e) {
        CHECK_THAT(e.what(), Catch::Contains("shard set of 3 shards, not 2"));
    }
    CHECK_THROWS_AS(vnsearch::IndexBuilder(set, {.shards = 5}), vnsearch::DatabaseError);
    vnsearch::Index(single).close();
    try {
        vnsearch::Index(single, {.shards = 3});
        FAIL("a single database opened as a shard set");
    } catch (const vnsearch::DatabaseError& e) {
        CHECK_THAT(e.what(), Catch::Contains("is a single database, not a shard set"));
    }
    fs::create_directories(dir.str("other"));
    std::ofstream(dir.str("other/notes.txt")) << "x";
    CHECK_THROWS_WITH(vnsearch::Index(dir.str("other"), {.shards = 2}), Catch::Contains("not empty and holds no shard set"));
    CHECK_THROWS_AS(vnsearch::Index(dir.str("missing"), {.create = false, .shards = 2}), vnsearch::DatabaseError);
    CHECK_FALSE(fs::exists(dir.str("missing")));
    // A manifest of another version, or a broken one.
    auto manifest = [&](const std::string& text) {
        fs::create_directories(dir.str("bad"));
        std::ofstream(dir.str("bad/vnsearch-shards.json")) << text;
    };
    manifest(R"({"format": "vnsearch-shards", "version": 2, "hash": "fnv1a-32", "shards": ["shard-000"]})");
    CHECK_THROWS_AS(vnsearch::Searcher(dir.str("bad")), vnsearch::SchemeVersionError);
    CHECK_THROWS_AS(vnsearch::Index(dir.str("bad")), vnsearch::SchemeVersionError);
    manifest(R"({"format": "vnsearch-shards", "version": 1, "hash": "fnv1a-32", "shards": ["../elsewhere"]})");
    CHECK_THROWS_WITH(vnsearch::Index(dir.str("bad")), Catch::Contains("plain directory names"));
    manifest(R"({"format": "vnsearch-shards", "version": 1, "hash": "crc32", "shards": ["shard-000"]})");
    CHECK_THROWS_WITH(vnsearch::Searcher(dir.str("bad")), Catch::Contains("routes documents with hash \"crc32\""));
    for (const char* text : {R"({"format": 5, "version": 1})", R"({"format": "vnsearch-shards", "version": "1"})",
                             R"({"format": "vnsearch-shards", "version": 1, "hash": "fnv1a-32", "shards": []})",
                             R"({"format": "vnsearch-shards", "version": 1, "hash": "fnv1a-32", "shards": [3]})",
                             R"(["shard-000"])"}) {
        CAPTURE(text);
        manifest(text);
        CHECK_THROWS_WITH(vnsearch::Searcher(dir.str("bad")), Catch::Contains("malformed shard-set manifest"));
    }
    manifest("{not json");
    CHECK_THROWS_WITH(vnsearch::Searcher(dir.str("bad")), Catch::Contains("malformed shard-set manifest"));
    CHECK_FALSE(fs::exists(dir.str("bad/iamglass")));  // nothing was created in its place
}

TEST_CASE("IndexBuilder over a shard set: the same shards as Index, built in parallel", "[shard-set][builder]") {
    const auto docs = corpus(200);
    TempDir dir("vnsearch-shard-set");
    {
        vnsearch::IndexBuilder b(dir.str("built"), {.threads = 2, .batch_bytes = 16 << 10, .chunk_bytes = 16 << 10, .shards = 3});
        CHECK(b.threads() == 3);  // one per shard at least
        for (const auto& d : docs) b.add(d);
        b.add(docs[3]);  // again: replaced in place, in its shard
        CHECK(b.stats().added == docs.size());
        CHECK(b.stats().replaced == 1);
        double last = -1;
        b.finish([&](double f) {
            CHECK(f >= last);
            last = f;
        });
        CHECK(last == 1.0);
        vnsearch::Index ix(dir.str("added"), {.shards = 3});
        for (const auto& d : docs) ix.add(d);
        ix.close();
    }
    CHECK_THROWS_WITH(vnsearch::IndexBuilder(dir.str("built")), Catch::Contains("already holds documents"));
    vnsearch::Searcher built(dir.str("built")), added(dir.str("added"));
    CHECK(built.info().shards == 3);
    CHECK(built.size() == docs.size());
    for (std::size_t k = 0; k < 3; ++k) {
        const std::string name = "/shard-00" + std::to_string(k);
        CHECK(vnsearch::Searcher(dir.str("built") + name).size() == vnsearch::Searcher(dir.str("added") + name).size());
    }
    for (const char* q : {"chi lang", "đảng bộ", "HĐND", "topic:the-thao xã"}) {
        CAPTURE(q);
        vnsearch::SearchOptions opt;
        opt.limit = 5000;
        opt.facets = true;
        opt.snippet_chars = 0;
        same_results(built.search(q, opt), added.search(q, opt));
    }
}

TEST_CASE("killed between two shards' commits: every shard consistent, no document twice", "[shard-set][crash]") {
    const auto docs = corpus(120);
    TempDir dir("vnsearch-shard-set");
    const std::string set = dir.str("set");
    const std::size_t first = 60;
    {
        vnsearch::Index ix(set, {.auto_commit_bytes = 0, .shards = 3});
        for (std::size_t i = 0; i < first; ++i) ix.add(docs[i]);
        ix.close();
    }
    const int status = vnsearch_test::run_killed_at("shards.commit", [&] {
        vnsearch::Index ix(set, {.auto_commit_bytes = 0});
        for (vnsearch::Document d : docs) {
            d.body += " bản hai";  // the first ones re-indexed with new content
            ix.add(d);
        }
        ix.commit();  // dies after shard 0's commit
    });
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGKILL);
    // Shard 0 holds the new batch, shards 1 and 2 their last commit; no id is in two shards.
    const auto where = holders(set, 3, docs);
    std::size_t expected = 0;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        const std::size_t k = vnsearch::scheme::shard_of(docs[i].id, 3);
        const bool present = i < first || k == 0;
        expected += present;
        CAPTURE(docs[i].id);
        if (!present) {
            CHECK(where.count(docs[i].id) == 0);
            continue;
        }
        REQUIRE(where.count(docs[i].id) == 1);
        CHECK(where.at(docs[i].id) == std::vector<std::size_t>{k});
    }
    vnsearch::Searcher s(set);
    CHECK(s.size() == expected);
    const auto in_first = std::count_if(docs.begin(), docs.end(), [](const auto& d) { return vnsearch::scheme::shard_of(d.id, 3) == 0; });
    CHECK(s.search("\"bản hai\"").total == static_cast<std::size_t>(in_first));
    // Indexing the batch again completes the set, still without duplicates.
    {
        vnsearch::Index ix(set);
        for (const auto& d : docs) ix.add(d);
        ix.close();
    }
    s.reopen();
    CHECK(s.size() == docs.size());
    for (const auto& [id, in] : holders(set, 3, docs)) CHECK(in.size() == 1);
}

TEST_CASE("one Index over a shard set shared by 4 threads: every document once, in its shard", "[shard-set][threads]") {
    const auto docs = corpus(300);
    TempDir dir("vnsearch-shard-set");
    const std::string set = dir.str("set");
    {
        vnsearch::Index ix(set, {.auto_commit_bytes = 16 << 10, .shards = 3});  // shards auto-commit while others add
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (std::size_t i = t; i < docs.size(); i += 4) {
                    ix.add(docs[i]);
                    if (i % 50 == 0) ix.commit();  // a set-wide commit from any thread
                }
            });
        for (auto& th : threads) th.join();
        CHECK(ix.size() == docs.size());
        CHECK(ix.stats().added == docs.size());
        ix.close();
    }
    const auto where = holders(set, 3, docs);
    REQUIRE(where.size() == docs.size());
    for (const auto& [id, in] : where) {
        REQUIRE(in.size() == 1);
        CHECK(in[0] == vnsearch::scheme::shard_of(id, 3));
    }
}
