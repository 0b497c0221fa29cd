// What place recognition (issue 15) costs, measured on VietNews, in one run:
//   vnsearch-bench-places [--docs 10000] [--queries 1000] [--seed 42] [--work DIR] [--json FILE]
// Build: the time of recognition alone (lib/places on the tokens the document builder
// already has) next to analysis alone and to the whole build (Index::add + commit) of the
// same documents. Queries: headline spans of 1–5 syllables (half typed without marks). For
// those that name no place, the Xapian query with the place step is checked to be the very
// query without it (so the match costs the same) and the step's own time is set against
// the default search's.
#include <sys/resource.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <vnsearch/vnsearch.h>

#include "bench_stats.h"
#include "corpus_reader.h"
#include "places/places.h"
#include "search/query.h"
#include "search/query_builder.h"

namespace {

using vnsearch_bench::percentile;

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

/// CPU time (user + system) of this process so far, all threads, in seconds.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}


}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Place recognition: build share and query cost"};
    std::size_t docs = 10000, queries = 1000;
    unsigned seed = 42;
    std::string work = "/tmp/vnsearch-bench-places", json_out, shared = VNSEARCH_BENCH_SHARED;
    app.add_option("--docs", docs);
    app.add_option("--queries", queries);
    app.add_option("--seed", seed);
    app.add_option("--work", work);
    app.add_option("--json", json_out);
    app.add_option("--shared", shared);
    CLI11_PARSE(app, argc, argv);

    const auto corpus = vnsearch_bench::read_vietnews(shared, docs);
    if (corpus.empty()) {
        std::puts("SKIP: ../shared/corpus/vietnews.jsonl.zst (or zstd) is missing");
        return 0;
    }
    std::printf("%zu VietNews documents\n", corpus.size());
    const vnsearch::Analyzer analyzer;

    // Analysis alone, then recognition alone on the same tokens (as the builder runs it:
    // title and body as one text).
    std::vector<std::vector<vnsearch::Token>> tokens(corpus.size());
    std::vector<std::string> texts(corpus.size());
    auto t0 = clock_type::now();
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        texts[i] = corpus[i].title + "\n\n" + corpus[i].body;
        tokens[i] = analyzer.analyze(texts[i]);
    }
    const double analysis_s = since(t0);
    std::size_t with_places = 0, mentions = 0;
    t0 = clock_type::now();
    for (std::size_t i = 0; i < corpus.size(); ++i) {
        const auto m = vnsearch::places::recognize(tokens[i], texts[i], {});
        mentions += m.size();
        with_places += !m.empty();
    }
    const double recognition_s = since(t0);
    tokens.clear();

    // The whole build of the same documents (recognition included), as `vnsearch index`
    // builds: the parallel IndexBuilder, one worker per core.
    const std::string db = work + "/db";
    std::filesystem::remove_all(work);
    std::filesystem::create_directories(work);
    t0 = clock_type::now();
    unsigned threads = 1;
    const double cpu0 = cpu_seconds();
    {
        vnsearch::IndexBuilder builder(db);
        threads = builder.threads();
        for (const auto& d : corpus) {
            vnsearch::Document doc(d.id);
            doc.title = d.title;
            doc.body = d.body;
            builder.add(std::move(doc));
        }
        builder.finish();
    }
    const double build_s = since(t0), build_cpu_s = cpu_seconds() - cpu0;
    std::printf("analysis alone        %8.2f s\n", analysis_s);
    std::printf("recognition alone     %8.2f s  (%.1f %% of analysis)\n", recognition_s, 100 * recognition_s / analysis_s);
    // The builder's workers recognise in parallel: recognition's share of the build is its
    // time (one thread, so CPU time) over the build's CPU time, all threads.
    std::printf("whole build           %8.2f s wall, %.2f s CPU on %u threads: recognition = %.1f %% of the build's CPU time\n",
                build_s, build_cpu_s, threads, 100 * recognition_s / build_cpu_s);
    std::printf("documents with places %zu of %zu (%.1f %%), %zu mentions\n", with_places, corpus.size(),
                100.0 * static_cast<double>(with_places) / static_cast<double>(corpus.size()), mentions);

    // Queries: headline spans, half without marks.
    std::mt19937 rng(seed);
    std::vector<std::string> qs;
    while (qs.size() < queries) {
        const auto& d = corpus[rng() % corpus.size()];
        std::vector<vnsearch::Token> words;
        for (auto& t : analyzer.analyze(d.title))
            if (t.kind == vnsearch::TokenKind::word && !t.part) words.push_back(std::move(t));
        if (words.empty()) continue;
        const std::size_t len = 1 + rng() % std::min<std::size_t>(5, words.size());
        const std::size_t at = rng() % (words.size() - len + 1);
        std::string q;
        for (std::size_t k = at; k < at + len; ++k) q += (q.empty() ? "" : " ") + words[k].text;
        if (qs.size() % 2) q = vnsearch::fold(q);
        qs.push_back(q);
    }
    vnsearch::Searcher searcher(db);
    Xapian::Database xdb(db);
    vnsearch::detail::RankingParameters with, without;
    without.place = 0;
    std::vector<double> plain_search_ms, place_search_ms, step_us;
    std::size_t no_place = 0, differ = 0;
    vnsearch::PlaceOptions bare;
    bare.bare_names = true;
    for (const std::string& q : qs) {
        const auto parsed = vnsearch::detail::parse_query(q, analyzer);
        // The place step as the query builder runs it: recognition over the free-text words.
        std::vector<vnsearch::Token> words;
        for (const auto& n : parsed.nodes)
            for (const auto& w : n.words) words.push_back(w.token);
        auto s0 = clock_type::now();
        const bool named = !vnsearch::places::recognize(words, parsed.text, bare).empty();
        step_us.push_back(since(s0) * 1e6);
        auto t1 = clock_type::now();
        searcher.search(q);
        const double ms = since(t1) * 1e3;
        (named ? place_search_ms : plain_search_ms).push_back(ms);
        if (!named) {
            ++no_place;
            const auto a = vnsearch::detail::build_query(parsed, analyzer, with).query.get_description();
            const auto b = vnsearch::detail::build_query(parsed, analyzer, without).query.get_description();
            differ += a != b;
        }
    }
    std::printf("\n%zu queries: %zu name no place, %zu name one\n", qs.size(), no_place, qs.size() - no_place);
    std::printf("no-place queries whose Xapian query the place step changed: %zu\n", differ);
    std::printf("place step (recognition over the query)  p50 %.1f µs  p99 %.1f µs\n", percentile(step_us, 0.5),
                percentile(step_us, 0.99));
    std::printf("default search, no-place queries         p50 %.2f ms  p99 %.2f ms\n", percentile(plain_search_ms, 0.5),
                percentile(plain_search_ms, 0.99));
    std::printf("default search, queries naming a place   p50 %.2f ms  p99 %.2f ms\n", percentile(place_search_ms, 0.5),
                percentile(place_search_ms, 0.99));
    if (!json_out.empty()) {
        nlohmann::json j = {{"docs", corpus.size()},
                            {"analysis_s", analysis_s},
                            {"recognition_s", recognition_s},
                            {"build_s", build_s},
                            {"build_cpu_s", build_cpu_s},
                            {"build_threads", threads},
                            {"docs_with_places", with_places},
                            {"queries", qs.size()},
                            {"no_place_queries", no_place},
                            {"no_place_queries_changed", differ},
                            {"place_step_us_p50", percentile(step_us, 0.5)},
                            {"search_no_place_ms_p50", percentile(plain_search_ms, 0.5)},
                            {"search_no_place_ms_p99", percentile(plain_search_ms, 0.99)},
                            {"search_place_ms_p50", percentile(place_search_ms, 0.5)}};
        std::ofstream(json_out) << j.dump(2) << '\n';
    }
    return 0;
}
