// Diacritic restoration benchmark: index part of the shared corpus, then ask
// Searcher::suggest for the fully unaccented (and the half-accented) form of headlines held
// out from the index, and count the syllables restored exactly as written (lowercase, tone
// placement normalized as everywhere in vnsearch).
//
//   vnsearch-bench-restore [--train vntc|vietnews|all] [--vietnews 100000] [--test 500]
//                          [--seed 42] [--work DIR] [--json FILE]
//
// Held out: --test VNTC documents drawn with the seed (their headlines are the queries,
// the documents are not indexed). --train says what is indexed: "vietnews" = the first
// --vietnews VietNews documents (the baseline's set-up in VIETNAMESE.md: 100k VietNews,
// tested on VNTC), "vntc" = every other VNTC document, "all" = both.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <unordered_set>
#include <vnsearch/vnsearch.h>

#include "analysis/typing.h"
#include "bench_stats.h"
#include "corpus_reader.h"

namespace {

using vnsearch_bench::percentile;

using clk = std::chrono::steady_clock;

/// A query's words beyond this are not read (QueryLimits::kMaxWords): some VNTC "headlines"
/// are whole paragraphs, whose tail no suggestion can restore.
constexpr std::size_t kQueryWords = 64;

/// The words of `s` a query counts against kQueryWords: every whole token (numbers and codes
/// too), not only the syllables.
std::size_t query_words(const vnsearch::Analyzer& a, const std::string& s) {
    std::size_t n = 0;
    a.analyze(s, [&](const vnsearch::Token& t) { n += !t.part; });
    return n;
}

std::vector<std::string> syllables(const vnsearch::Analyzer& a, const std::string& s) {
    std::vector<std::string> out;
    a.analyze(s, [&](const vnsearch::Token& t) {
        if (t.kind == vnsearch::TokenKind::word || t.kind == vnsearch::TokenKind::abbreviation) out.push_back(t.exact);
    });
    return out;
}


}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Diacritic restoration accuracy on held-out headlines"};
    std::string train = "all", shared = VNSEARCH_BENCH_SHARED, work = "build-bench/restore-work", out_json;
    std::size_t n_vietnews = 100000, n_test = 500;
    unsigned seed = 42;
    app.add_option("--train", train, "What is indexed: vntc, vietnews or all")
        ->check(CLI::IsMember({"vntc", "vietnews", "all"}))
        ->capture_default_str();
    app.add_option("--vietnews", n_vietnews, "VietNews documents indexed (train vietnews/all)")->capture_default_str();
    app.add_option("--test", n_test, "Held-out VNTC headlines")->capture_default_str();
    app.add_option("--seed", seed, "Random seed for the held-out sample")->capture_default_str();
    app.add_option("--shared", shared, "The shared data directory")->capture_default_str();
    app.add_option("--work", work, "Directory for the index (reused when it holds the same set-up)")->capture_default_str();
    app.add_option("--json", out_json, "Also write the results as JSON to this file");
    CLI11_PARSE(app, argc, argv);

    auto vntc = vnsearch_bench::read_vntc(shared, static_cast<std::size_t>(-1));
    if (vntc.empty()) {
        std::printf("skipped: %s/corpus/vntc.jsonl.zst (or zstd) not found\n", shared.c_str());
        return 0;
    }
    std::mt19937 rng(seed);
    std::vector<std::size_t> order(vntc.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::unordered_set<std::size_t> held;
    std::unordered_set<std::string> held_titles;
    for (std::size_t i = 0; i < order.size() && held.size() < n_test; ++i) {
        const auto& d = vntc[order[i]];
        // Distinct headlines of some length: a duplicate article would leak its own headline.
        if (d.title.size() < 20 || !held_titles.insert(d.title).second) continue;
        held.insert(order[i]);
    }

    // The index depends on the held-out sample only when VNTC documents are indexed.
    const std::string setup = train == "vietnews"
                                  ? train + "-" + std::to_string(n_vietnews)
                                  : train + "-" + std::to_string(n_vietnews) + "-" + std::to_string(n_test) + "-" +
                                        std::to_string(seed) + "-" + std::to_string(vntc.size());
    const std::string db = work + "/" + setup;
    double index_s = 0;
    std::size_t indexed = 0;
    if (!std::filesystem::exists(db + "/DONE")) {
        std::filesystem::remove_all(db);
        std::filesystem::create_directories(work);
        const auto t0 = clk::now();
        vnsearch::Index index(db);
        auto add = [&](const vnsearch_bench::BenchDoc& b) {
            vnsearch::Document d(b.id);
            d.title = b.title;
            d.body = b.body;
            index.add(d);
            ++indexed;
        };
        if (train != "vntc")
            for (const auto& b : vnsearch_bench::read_vietnews(shared, n_vietnews)) add(b);
        if (train != "vietnews")
            for (std::size_t i = 0; i < vntc.size(); ++i)
                if (!held.count(i) && !held_titles.count(vntc[i].title)) add(vntc[i]);
        index.commit();
        index_s = std::chrono::duration<double>(clk::now() - t0).count();
        std::ofstream(db + "/DONE") << indexed << '\n';
    } else {
        std::ifstream(db + "/DONE") >> indexed;
    }

    vnsearch::Searcher searcher(db);
    vnsearch::Analyzer analyzer;
    std::size_t total_short = 0, ok_short = 0;  // headlines a query holds whole (kQueryWords)
    std::size_t total = 0, unchanged = 0, ok_plain = 0, ok_half = 0, total_half = 0, ok_default = 0, total_default = 0;
    // Typed without an input method: every mark as Telex or VNI keys (the words without
    // marks as they are).
    std::size_t total_telex = 0, ok_telex = 0, total_vni = 0, ok_vni = 0;
    std::vector<double> ms_typed;
    std::vector<double> ms, ms_default;
    std::vector<std::pair<std::string, std::string>> examples;
    for (std::size_t i : held) {
        const std::string& title = vntc[i].title;
        const auto truth = syllables(analyzer, title);
        // Fully unaccented query.
        const std::string plain = vnsearch::fold(title);
        const auto t0 = clk::now();
        const vnsearch::Suggestion s = searcher.suggest(plain);
        ms.push_back(std::chrono::duration<double, std::milli>(clk::now() - t0).count());
        const auto got = syllables(analyzer, s ? s.text : plain);
        const auto base = syllables(analyzer, plain);
        if (got.size() != truth.size() || base.size() != truth.size()) continue;
        const bool within_limit = query_words(analyzer, plain) <= kQueryWords;
        for (std::size_t k = 0; k < truth.size(); ++k) {
            ++total;
            ok_plain += got[k] == truth[k];
            if (within_limit) ++total_short, ok_short += got[k] == truth[k];
            if (got[k] != truth[k] && std::getenv("VNSEARCH_BENCH_ERRORS"))
                std::fprintf(stderr, "%s%s -> %s   [%s]\n", within_limit ? "" : "beyond the limit: ", truth[k].c_str(), got[k].c_str(), title.c_str());
            unchanged += base[k] == truth[k];
        }
        if (examples.size() < 8) examples.emplace_back(plain, s ? s.text : plain);
        // The default path: a plain search, whose results carry the (cheaper) suggestion.
        const auto t1 = clk::now();
        const vnsearch::Results r = searcher.search(plain);
        ms_default.push_back(std::chrono::duration<double, std::milli>(clk::now() - t1).count());
        const auto got_default = syllables(analyzer, r.suggestion.empty() ? plain : r.suggestion);
        if (got_default.size() == truth.size())
            for (std::size_t k = 0; k < truth.size(); ++k) ++total_default, ok_default += got_default[k] == truth[k];
        for (auto method : {vnsearch::analysis::InputMethod::telex, vnsearch::analysis::InputMethod::vni}) {
            std::string typed;
            std::size_t last = 0;
            analyzer.analyze(title, [&](const vnsearch::Token& t) {
                if (t.part) return;
                typed += title.substr(last, t.start - last);
                const auto keys = t.kind == vnsearch::TokenKind::word ? vnsearch::analysis::encode_word(t.text, method) : std::nullopt;
                typed += keys ? *keys : t.text;
                last = t.end;
            });
            typed += title.substr(last);
            const auto t2 = clk::now();
            const vnsearch::Suggestion st = searcher.suggest(typed);
            ms_typed.push_back(std::chrono::duration<double, std::milli>(clk::now() - t2).count());
            const auto got_typed = syllables(analyzer, st ? st.text : typed);
            if (got_typed.size() != truth.size() || !within_limit) continue;
            const bool telex = method == vnsearch::analysis::InputMethod::telex;
            for (std::size_t j = 0; j < truth.size(); ++j) {
                ++(telex ? total_telex : total_vni);
                (telex ? ok_telex : ok_vni) += got_typed[j] == truth[j];
                if (got_typed[j] != truth[j] && std::getenv("VNSEARCH_BENCH_ERRORS"))
                    std::fprintf(stderr, "typed: %s -> %s   [%s]\n", truth[j].c_str(), got_typed[j].c_str(), typed.c_str());
            }
        }
        // Half accented: every other syllable keeps its marks (as typed on a phone in a hurry).
        std::string half;
        std::size_t k = 0, last = 0;
        analyzer.analyze(title, [&](const vnsearch::Token& t) {
            half += title.substr(last, t.start - last);
            half += (k++ % 2 == 0) ? t.text : vnsearch::fold(t.text);
            last = t.end;
        });
        half += title.substr(last);
        const vnsearch::Suggestion h = searcher.suggest(half);
        const auto got_half = syllables(analyzer, h ? h.text : half);
        if (got_half.size() != truth.size()) continue;
        for (std::size_t j = 0; j < truth.size(); ++j) {
            if (j % 2 == 0) continue;  // typed with its marks
            ++total_half;
            ok_half += got_half[j] == truth[j];
        }
    }
    // Cost of a short query's suggestion next to a plain search of the same query (no
    // snippets, no suggestion), one after the other, so load falls on both alike; and
    // per syllable over whole headlines (the cost grows linearly with the query).
    std::vector<double> ms5_suggest, ms5_search, us_per_syllable;
    vnsearch::SearchOptions plain_search;
    plain_search.suggest = false;
    plain_search.snippet_chars = 0;
    for (std::size_t i : held) {
        std::string q5;
        std::size_t n = 0;
        analyzer.analyze(vnsearch::fold(vntc[i].title), [&](const vnsearch::Token& t) {
            if (n < 5 && t.kind == vnsearch::TokenKind::word) q5 += (n++ ? " " : "") + t.text;
        });
        if (n < 5) continue;
        const auto t0 = clk::now();
        (void)searcher.suggest(q5);
        const auto t1 = clk::now();
        (void)searcher.search(q5, plain_search);
        const auto t2 = clk::now();
        ms5_suggest.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        ms5_search.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    {
        std::size_t j = 0;
        for (std::size_t i : held) {
            const std::size_t syl = std::min(kQueryWords, syllables(analyzer, vntc[i].title).size());
            if (syl && j < ms.size()) us_per_syllable.push_back(1000.0 * ms[j] / static_cast<double>(syl));
            ++j;
        }
    }
    auto pct = [](std::size_t a, std::size_t b) { return b ? 100.0 * static_cast<double>(a) / static_cast<double>(b) : 0.0; };
    std::printf("Diacritic restoration: %zu held-out VNTC headlines (seed %u), index = %s (%zu documents%s)\n\n",
                held.size(), seed, train.c_str(), indexed,
                index_s > 0 ? (", indexed in " + std::to_string(static_cast<int>(index_s)) + " s").c_str() : ", reused");
    std::printf("| query | syllables | restored exactly |\n|---|---|---|\n");
    std::printf("| unaccented, left as typed | %zu | %.2f %% |\n", total, pct(unchanged, total));
    std::printf("| unaccented, vnsearch suggest | %zu | **%.2f %%** |\n", total, pct(ok_plain, total));
    std::printf("| unaccented, vnsearch suggest, headlines a query holds whole (at most %zu words) | %zu | **%.2f %%** |\n",
                kQueryWords, total_short, pct(ok_short, total_short));
    std::printf("| half accented (unmarked half), vnsearch suggest | %zu | %.2f %% |\n", total_half, pct(ok_half, total_half));
    std::printf("| unaccented, default search (Results::suggestion) | %zu | %.2f %% |\n", total_default, pct(ok_default, total_default));
    std::printf("| typed in Telex without an input method (every mark as keys), headlines of at most %zu words | %zu | %.2f %% |\n",
                kQueryWords, total_telex, pct(ok_telex, total_telex));
    std::printf("| typed in VNI without an input method, headlines of at most %zu words | %zu | %.2f %% |\n", kQueryWords,
                total_vni, pct(ok_vni, total_vni));
    std::printf("\nbigram baseline (VIETNAMESE.md: 100k VietNews, 500 VNTC docs): 92.45 %%\n");
    std::printf("suggest latency: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n", percentile(ms, 0.5), percentile(ms, 0.95),
                percentile(ms, 0.99));
    std::printf("suggest latency, typed in Telex or VNI: p50 %.2f ms, p99 %.2f ms\n", percentile(ms_typed, 0.5),
                percentile(ms_typed, 0.99));
    std::printf("default search latency (search + snippets + suggestion): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n",
                percentile(ms_default, 0.5), percentile(ms_default, 0.95), percentile(ms_default, 0.99));
    std::printf("5-syllable queries (%zu): suggest p50 %.3f ms, p99 %.3f ms; plain search of the same query (no snippets, "
                "no suggestion) p50 %.3f ms, p99 %.3f ms; ratio at p50 %.2f\n",
                ms5_suggest.size(), percentile(ms5_suggest, 0.5), percentile(ms5_suggest, 0.99), percentile(ms5_search, 0.5),
                percentile(ms5_search, 0.99), percentile(ms5_suggest, 0.5) / std::max(1e-9, percentile(ms5_search, 0.5)));
    std::printf("whole headlines: suggest costs p50 %.1f us per syllable, p95 %.1f us\n\nexamples:\n",
                percentile(us_per_syllable, 0.5), percentile(us_per_syllable, 0.95));
    for (const auto& [q, r] : examples) std::printf("- %s -> %s\n", q.c_str(), r.c_str());
    if (!out_json.empty()) {
        nlohmann::json j = {{"train", train},
                            {"indexed_documents", indexed},
                            {"held_out_headlines", held.size()},
                            {"seed", seed},
                            {"syllables", total},
                            {"accuracy_unaccented", pct(ok_plain, total) / 100},
                            {"accuracy_unaccented_within_query_limit", pct(ok_short, total_short) / 100},
                            {"accuracy_left_as_typed", pct(unchanged, total) / 100},
                            {"accuracy_half_accented", pct(ok_half, total_half) / 100},
                            {"accuracy_default_search", pct(ok_default, total_default) / 100},
                            {"accuracy_telex", pct(ok_telex, total_telex) / 100},
                            {"accuracy_vni", pct(ok_vni, total_vni) / 100},
                            {"typed_suggest_ms", {{"p50", percentile(ms_typed, 0.5)}, {"p99", percentile(ms_typed, 0.99)}}},
                            {"default_search_latency_ms",
                             {{"p50", percentile(ms_default, 0.5)}, {"p95", percentile(ms_default, 0.95)}, {"p99", percentile(ms_default, 0.99)}}},
                            {"latency_ms", {{"p50", percentile(ms, 0.5)}, {"p95", percentile(ms, 0.95)}, {"p99", percentile(ms, 0.99)}}},
                            {"five_syllable_suggest_ms", {{"p50", percentile(ms5_suggest, 0.5)}, {"p99", percentile(ms5_suggest, 0.99)}}},
                            {"five_syllable_plain_search_ms", {{"p50", percentile(ms5_search, 0.5)}, {"p99", percentile(ms5_search, 0.99)}}},
                            {"suggest_us_per_syllable", {{"p50", percentile(us_per_syllable, 0.5)}, {"p95", percentile(us_per_syllable, 0.95)}}}};
        std::ofstream(out_json) << j.dump(2) << '\n';
    }
    return 0;
}
