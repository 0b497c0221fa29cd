// IndexBuilder: a new index built on several threads holds the same documents, with the
// same numbers, and answers every search the same as one built by Index one by one.
#include <catch2/catch.hpp>
#include <algorithm>
#include <thread>
#include <filesystem>
#include <fstream>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

/// The seed articles cut into paragraphs (~100 documents), then the first 20 again with new
/// text under the same ids (they must replace the first versions in place), and a few
/// definitions of abbreviations spread over the input.
std::vector<vnsearch::Document> input_docs() {
    std::vector<vnsearch::Document> out = vnsearch_test::seed_paragraph_docs();
    const std::size_t n = out.size();
    for (std::size_t i = 0; i < 20 && i < n; i += 2) {
        vnsearch::Document again = out[i];
        again.body = "Bản cập nhật: Ban quản lý dự án (BQLDA) huyện Chi Lăng họp về " + std::to_string(i);
        out.push_back(std::move(again));
    }
    vnsearch::Document d("defs-late");
    d.body = "Ban quản lý dự án (BQLDA) và Hội đồng nhân dân (HĐND) cùng họp.";
    out.push_back(d);
    return out;
}

struct Answer {
    std::vector<std::string> ids;
    std::vector<double> scores;
    std::size_t total = 0;
    bool operator==(const Answer& o) const { return ids == o.ids && scores == o.scores && total == o.total; }
};

std::vector<Answer> answers(const std::string& db) {
    vnsearch::Searcher s(db);
    std::vector<Answer> out;
    for (const char* q : {"chi lang", "Chi Lăng", "đảng bộ", "\"nghị quyết\"", "ban quan ly du an", "BQLDA", "HĐND",
                          "xã", "thach that OR lang son", "cập nhật"}) {
        for (auto sort : {vnsearch::SortOrder::relevance, vnsearch::SortOrder::date_desc}) {
            vnsearch::SearchOptions o;
            o.limit = 1000;
            o.sort = sort;
            o.suggest = false;
            Answer a;
            const auto r = s.search(q, o);
            a.total = r.total;
            for (const auto& h : r) {
                a.ids.push_back(h.id);
                a.scores.push_back(h.score);
            }
            out.push_back(std::move(a));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("built on 1, 2 or 3 threads: the same index as one writer makes", "[builder][threads]") {
    const auto docs = input_docs();
    REQUIRE(docs.size() > 50);
    TempDir dir("vnsearch-build");
    {
        vnsearch::Index ix(dir.str("serial"));
        for (const auto& d : docs) ix.add(d);
    }
    const auto expected = answers(dir.str("serial"));
    std::size_t found = 0;
    for (const auto& a : expected) found += a.ids.size();
    REQUIRE(found > 100);  // the queries do find things

    // Many small shards, merged at once (the default fan-in) or three at a time, in levels
    // whose group merges run on the builder's threads.
    for (const auto& [threads, fan_in] : std::vector<std::pair<unsigned, std::size_t>>{{1, 128}, {2, 128}, {3, 128}, {1, 3}, {2, 3}, {3, 2}}) {
        CAPTURE(threads, fan_in);
        const std::string db = dir.str("built-" + std::to_string(threads) + "-" + std::to_string(fan_in));
        vnsearch::BuildOptions o;
        o.threads = threads;
        o.chunk_bytes = 4096;  // many small shards
        o.batch_bytes = 2048;
        o.max_merge_inputs = fan_in;
        vnsearch::IndexBuilder b(db, o);
        for (const auto& d : docs) b.add(d);
        CHECK(b.stats().added + b.stats().replaced == docs.size());
        CHECK(b.stats().replaced == 10);
        std::vector<double> progress;
        bool other_thread = false;
        const auto caller = std::this_thread::get_id();
        b.finish([&](double f) {
            progress.push_back(f);
            if (std::this_thread::get_id() != caller) other_thread = true;
        });
        CHECK_FALSE(other_thread);  // progress is reported on the caller's thread only
        REQUIRE(progress.size() >= 2);
        CHECK(std::is_sorted(progress.begin(), progress.end()));
        CHECK(progress.back() <= 1.0);
        // Every level of group merges reports at least once on this thread, whichever
        // threads merged its groups.
        if (fan_in < 128) CHECK(std::count_if(progress.begin(), progress.end(), [](double f) { return f > 0 && f <= 0.5; }) >= 2);
        CHECK_FALSE(std::filesystem::exists(db + ".vnsearch-build"));
        vnsearch::Searcher s(db);
        CHECK(s.size() == docs.size() - 10);
        CHECK(s.info().last_update.size() >= 19);  // an ISO 8601 time, as one writer records
        CHECK(answers(db) == expected);
        // The later version of a repeated id is the one stored.
        CHECK(s.search("cập nhật BQLDA").size() >= 10);
        // Abbreviations learnt in different shards are merged (counts add up).
        std::size_t bqlda = 0;
        for (const auto& e : s.abbreviations())
            if (e.abbreviation == "BQLDA") bqlda = e.count;
        CHECK(bqlda == 11);
    }
}

TEST_CASE("IndexBuilder: only into a new or empty index, all or nothing", "[builder]") {
    TempDir dir("vnsearch-build");
    vnsearch::Document d("a");
    d.body = "Chi Lăng";
    {
        vnsearch::Index ix(dir.str("full"));
        ix.add(d);
    }
    CHECK_THROWS_WITH(vnsearch::IndexBuilder(dir.str("full")), Catch::Contains("already holds documents"));
    {
        vnsearch::Index writer(dir.str("locked"));  // holds the write lock
        CHECK_THROWS_AS(vnsearch::IndexBuilder(dir.str("locked")), vnsearch::LockError);
    }
    {
        vnsearch::IndexBuilder b(dir.str("abandoned"));
        b.add(d);
        CHECK_THROWS_AS(b.add(vnsearch::Document("")), vnsearch::DocumentError);
        vnsearch::Document bad("b");
        bad.date = "yesterday";
        CHECK_THROWS_AS(b.add(bad), vnsearch::DocumentError);
    }  // destroyed without finish(): no documents, no shards left
    CHECK_FALSE(std::filesystem::exists(dir.str("abandoned") + ".vnsearch-build"));
    CHECK(vnsearch::Searcher(dir.str("abandoned")).size() == 0);
    // An empty build makes an empty, valid index; a path that is a file is refused.
    {
        vnsearch::IndexBuilder b(dir.str("empty"));
        b.finish();
    }
    CHECK(vnsearch::Searcher(dir.str("empty")).info().scheme_version == 2);
    std::ofstream(dir.str("file")) << "x";
    CHECK_THROWS_AS(vnsearch::IndexBuilder(dir.str("file")), vnsearch::DatabaseError);
}

TEST_CASE("IndexBuilder: abbreviations learnt in many shards add up", "[builder]") {
    // Each small chunk becomes a shard; the compaction merges them several at a time.
    TempDir dir("vnsearch-build");
    vnsearch::BuildOptions o;
    o.threads = 2;
    o.chunk_bytes = 1024;
    vnsearch::IndexBuilder b(dir.str("db"), o);
    for (int i = 0; i < 60; ++i) {
        vnsearch::Document d("d" + std::to_string(i));
        d.body = "Ban quản lý dự án (BQLDA) huyện Chi Lăng họp lần thứ " + std::to_string(i) + " về đường giao thông nông thôn.";
        b.add(d);
    }
    b.finish();
    std::size_t bqlda = 0;
    for (const auto& e : vnsearch::Searcher(dir.str("db")).abbreviations())
        if (e.abbreviation == "BQLDA") bqlda = e.count;
    CHECK(bqlda == 60);
}
