// Analysis throughput: vnsearch's analyzer and, in the same run on the same text, Xapian's
// TermGenerator (what plain Xapian does at index time). Single thread; MB/s per core,
// MB = 10^6 bytes of UTF-8 input. It measures and reports; it asserts nothing.
//   vnsearch-bench-analysis [--mb N] [--repeat R] [--shared DIR] [--corpus DIR]
// Text: title + summary + body of the first VietNews articles up to N MB (read through
// `zstd -dc`), or the sample corpus repeated when the shared corpus is absent.
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <vnsearch/vnsearch.h>

#include "corpus_reader.h"

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"vnsearch analysis throughput vs Xapian TermGenerator"};
    double mb = 100;
    int repeat = 3;
    std::string shared = VNSEARCH_BENCH_SHARED, corpus = VNSEARCH_BENCH_CORPUS;
    app.add_option("--mb", mb, "Megabytes of text to analyze")->capture_default_str();
    app.add_option("--repeat", repeat, "Runs per engine (the best is reported)")->capture_default_str();
    app.add_option("--shared", shared, "The shared data directory")->capture_default_str();
    app.add_option("--corpus", corpus, "The sample corpus directory")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    // Text: VietNews articles up to `mb` MB, else the seeds repeated.
    std::vector<std::string> texts;
    std::size_t bytes = 0;
    const auto target = static_cast<std::size_t>(mb * 1e6);
    std::string source = "VietNews (../shared/corpus/vietnews.jsonl.zst)";
    for (auto& d : vnsearch_bench::read_vietnews(shared, 1000000, target)) {
        if (bytes >= target) break;
        bytes += d.title.size() + d.body.size() + 1;
        texts.push_back(d.title + "\n" + d.body);
    }
    if (texts.empty()) {
        source = "seed articles repeated (shared corpus absent)";
        auto seeds = vnsearch_bench::read_seeds(corpus);
        while (bytes < target && !seeds.empty())
            for (auto& s : seeds) {
                bytes += s.body.size();
                texts.push_back(s.body);
            }
    }
    std::printf("text: %s, %zu documents, %.1f MB; build: %s\n\n", source.c_str(), texts.size(),
                static_cast<double>(bytes) / 1e6, VNSEARCH_BENCH_BUILD_TYPE);

    // vnsearch: every token's exact and folded terms are produced (what indexing uses).
    double best_vn = 1e9;
    std::size_t tokens = 0;
    vnsearch::Analyzer analyzer;
    for (int r = 0; r < repeat; ++r) {
        tokens = 0;
        std::size_t sink = 0;
        auto t0 = clock_type::now();
        for (const auto& t : texts)
            analyzer.analyze(t, [&](const vnsearch::Token& tok) {
                ++tokens;
                sink += tok.exact.size() + tok.folded.size();
            });
        best_vn = std::min(best_vn, seconds_since(t0));
        if (sink == 0) std::printf("(no output)\n");
    }
    // Xapian TermGenerator, a fresh document per article.
    double best_tg = 1e9;
    std::size_t terms = 0;
    Xapian::TermGenerator tg;
    for (int r = 0; r < repeat; ++r) {
        terms = 0;
        auto t0 = clock_type::now();
        for (const auto& t : texts) {
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(t);
            terms += doc.termlist_count();
        }
        best_tg = std::min(best_tg, seconds_since(t0));
    }
    const double mbytes = static_cast<double>(bytes) / 1e6;
    std::printf("| engine | seconds | MB/s (1 core) | tokens/s |\n|---|---|---|---|\n");
    std::printf("| vnsearch Analyzer (exact + folded terms) | %.3f | %.1f | %.2fM |\n", best_vn, mbytes / best_vn,
                static_cast<double>(tokens) / best_vn / 1e6);
    std::printf("| Xapian TermGenerator (lowercase terms + positions) | %.3f | %.1f | |\n", best_tg, mbytes / best_tg);
    std::printf("\nratio vnsearch / TermGenerator: %.2fx (best of %d runs each; %zu vnsearch tokens, %zu distinct "
                "Xapian terms summed over documents)\n",
                best_tg / best_vn, repeat, tokens, terms);
    return 0;
}
