// Place recognition against a hand-labelled gold set (issue 15): micro precision, recall and
// F1 over (article, old province) pairs, and every error.
//   vnsearch-eval-places [--gold FILE] [--shared DIR] [--min-precision P] [--min-recall R]
//   vnsearch-eval-places --print < TEXT      (the mentions of one text, for inspection)
//   vnsearch-eval-places --time N            (cost of recognition vs analysis on N VietNews articles:
//                                             analysis, then places::recognize on its tokens)
// Gold lines: {"corpus":"vntc"|"vietnews","id":...,"provinces":["20","01"],...}; provinces
// are the sorted pre-2025 province codes the article names places in. Article text:
// VietNews title + summary + body, VNTC `text`, read from SHARED/corpus/*.jsonl.zst.
// An article's predicted set is the old_province code of each mention.
// Exit status: 0 when the thresholds hold, 1 when not, 77 (skip) when the gold file or the
// corpus is missing.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unistd.h>

#include <vnsearch/analysis.h>
#include <vnsearch/index.h>
#include <vnsearch/places.h>

#include "corpus_reader.h"
#include "places/places.h"  // the internal entry point on tokens (linked from vnsearch_internal)

namespace {

constexpr int kSkip = 77;

std::set<std::string> provinces_of(const std::string& text) {
    std::set<std::string> out;
    for (const auto& m : vnsearch::recognize_places(text))
        if (m.place.old_province) out.insert(m.place.old_province->code);
    return out;
}

int print_mentions() {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    const std::string text = ss.str();
    for (const auto& m : vnsearch::recognize_places(text)) {
        std::cout << m.start << "-" << m.end << "\t" << m.text << "\t" << vnsearch::level_name(m.place.unit.level) << " "
                  << m.place.unit.code << " " << m.place.unit.type << " " << m.place.unit.name;
        if (m.place.old_province) std::cout << "\told " << m.place.old_province->code << " " << m.place.old_province->name;
        std::cout << "\tnow";
        for (const auto& p : m.place.provinces) std::cout << " " << p.code << " " << p.name;
        std::cout << "\n";
    }
    return 0;
}

int time_it(const std::string& shared, std::size_t n) {
    auto docs = vnsearch_bench::read_vietnews(shared, n);
    if (docs.empty()) {
        std::cerr << "no corpus under " << shared << "\n";
        return kSkip;
    }
    std::vector<std::string> texts;
    std::size_t bytes = 0;
    for (auto& d : docs) texts.push_back(d.title + "\n" + d.body), bytes += texts.back().size();
    vnsearch::Analyzer an;
    std::vector<std::vector<vnsearch::Token>> toks(texts.size());
    using clk = std::chrono::steady_clock;
    vnsearch::recognize_places("Lạng Sơn");  // build the tables outside the timing
    // best of 5 for each side, interleaved (the machine may be shared)
    double best_a = 1e9, best_r = 1e9;
    std::size_t mentions = 0;
    for (int rep = 0; rep < 5; ++rep) {
        auto t0 = clk::now();
        for (std::size_t i = 0; i < texts.size(); ++i) toks[i] = an.analyze(texts[i]);
        auto t1 = clk::now();
        // the document builder's path: recognition on the tokens it already has
        mentions = 0;
        for (std::size_t i = 0; i < texts.size(); ++i) mentions += vnsearch::places::recognize(toks[i], texts[i], {}).size();
        auto t2 = clk::now();
        best_a = std::min(best_a, std::chrono::duration<double>(t1 - t0).count());
        best_r = std::min(best_r, std::chrono::duration<double>(t2 - t1).count());
    }
    std::printf("%zu articles, %.1f MB: analysis %.3f s, recognition on top %.3f s (%.1f %% of analysis), %zu mentions\n",
                texts.size(), bytes / 1e6, best_a, best_r, 100.0 * best_r / best_a, mentions);
    // against a build: the same articles into a real index (one writer, so CPU ~ wall)
    const auto dir = std::filesystem::temp_directory_path() / ("vnsearch-eval-places-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto t0 = clk::now();
    {
        vnsearch::Index index(dir.string());
        for (auto& d : docs) {
            vnsearch::Document doc(d.id);
            doc.title = d.title;
            doc.body = d.body;
            index.add(doc);
        }
        index.close();
    }
    const double build = std::chrono::duration<double>(clk::now() - t0).count();
    std::filesystem::remove_all(dir);
    std::printf("index build of the same articles (one writer): %.2f s; recognition is %.1f %% of it\n", build,
                100.0 * best_r / build);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"vnsearch place recognition against a gold set"};
    std::string gold = VNSEARCH_SOURCE_DIR "/tests/data/places_gold.jsonl";
    std::string shared = VNSEARCH_BENCH_SHARED;
    double min_p = 0, min_r = 0;
    bool print = false;
    std::size_t time_n = 0;
    app.add_option("--gold", gold, "Gold JSONL file")->capture_default_str();
    app.add_option("--shared", shared, "The shared data directory (corpus/*.jsonl.zst)")->capture_default_str();
    app.add_option("--min-precision", min_p, "Fail below this precision");
    app.add_option("--min-recall", min_r, "Fail below this recall");
    app.add_flag("--print", print, "Print the mentions of standard input");
    app.add_option("--time", time_n, "Time recognition against analysis on N VietNews articles");
    CLI11_PARSE(app, argc, argv);
    if (print) return print_mentions();
    if (time_n) return time_it(shared, time_n);

    std::ifstream in(gold);
    if (!in) {
        std::cout << "SKIP: no gold file " << gold << "\n";
        return kSkip;
    }
    struct Gold {
        std::string corpus, id, title;
        std::set<std::string> provinces;
    };
    std::vector<Gold> golds;
    std::map<std::string, std::size_t> want[2];  // id -> index, per corpus (0 vietnews, 1 vntc)
    std::string line;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) {
            std::cerr << "bad gold line: " << line << "\n";
            return 2;
        }
        Gold g;
        g.corpus = j.value("corpus", "");
        g.id = j.value("id", "");
        g.title = j.value("title", "");
        for (const auto& p : j.value("provinces", nlohmann::json::array())) g.provinces.insert(p.get<std::string>());
        if (g.corpus != "vietnews" && g.corpus != "vntc") {
            std::cerr << "bad corpus in gold line: " << line << "\n";
            return 2;
        }
        want[g.corpus == "vntc"][g.corpus == "vntc" ? "vntc/" + g.id : g.id] = golds.size();
        golds.push_back(std::move(g));
    }
    for (const char* f : {"/corpus/vietnews.jsonl.zst", "/corpus/vntc.jsonl.zst"})
        if (!std::filesystem::exists(shared + f)) {
            std::cout << "SKIP: no corpus " << shared << f << "\n";
            return kSkip;
        }
    std::vector<std::string> texts(golds.size());
    std::vector<bool> found(golds.size());
    auto take = [&](int c) {
        return [&, c](vnsearch_bench::BenchDoc&& d) {
            auto it = want[c].find(d.id);
            if (it == want[c].end() || found[it->second]) return;
            found[it->second] = true;
            texts[it->second] = d.title + "\n" + d.body;
        };
    };
    const auto all = static_cast<std::size_t>(-1);
    if (!want[0].empty()) vnsearch_bench::for_each_vietnews(shared, all, all, take(0));
    if (!want[1].empty()) vnsearch_bench::for_each_vntc(shared, all, take(1));

    std::size_t tp = 0, fp = 0, fn = 0, missing = 0;
    for (std::size_t i = 0; i < golds.size(); ++i) {
        const Gold& g = golds[i];
        if (!found[i]) {
            std::cout << "MISSING " << g.corpus << " " << g.id << "\n";
            ++missing;
            continue;
        }
        auto got = provinces_of(texts[i]);
        for (const auto& p : got) {
            if (g.provinces.count(p)) {
                ++tp;
            } else {
                ++fp;
                std::cout << "FP " << g.corpus << " " << g.id << " province " << p << "  (" << g.title << ")\n";
                for (const auto& m : vnsearch::recognize_places(texts[i]))
                    if (m.place.old_province && m.place.old_province->code == p)
                        std::cout << "     at " << m.start << ": \"" << m.text << "\" -> " << m.place.unit.type << " "
                                  << m.place.unit.name << "\n";
            }
        }
        for (const auto& p : g.provinces)
            if (!got.count(p)) {
                ++fn;
                auto unit = vnsearch::place_by_code(p, vnsearch::Geography::before_2025);
                std::cout << "FN " << g.corpus << " " << g.id << " province " << p << " "
                          << (unit ? unit->unit.name : std::string("?")) << "  (" << g.title << ")\n";
            }
    }
    const double precision = tp + fp ? double(tp) / double(tp + fp) : 1.0;
    const double recall = tp + fn ? double(tp) / double(tp + fn) : 1.0;
    const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
    std::printf("%zu articles (%zu missing), %zu pairs found, %zu wrong, %zu missed: precision %.3f recall %.3f F1 %.3f\n",
                golds.size(), missing, tp + fp, fp, fn, precision, recall, f1);
    if (missing) {
        std::cout << "FAIL: gold articles not found in the corpus\n";
        return 1;
    }
    if (precision < min_p || recall < min_r) {
        std::printf("FAIL: below --min-precision %.2f / --min-recall %.2f\n", min_p, min_r);
        return 1;
    }
    return 0;
}
