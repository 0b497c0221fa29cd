// Related articles ("more like this") on VNTC, whose 10 topic labels are the judgment:
// vnsearch's Searcher::similar, plain Xapian's ESet over TermGenerator terms, and random
// neighbours, on the same documents and the same sampled articles, in one run.
//   vnsearch-bench-similar [--docs 0] [--samples 1000] [--seed 42] [--terms 40] [--work DIR] [--json FILE]
// Method: index N VNTC documents (0: all 84,132; else every k-th) in both engines; sample articles
// (seeded); for each, take 10 neighbours — never the article itself nor an exact duplicate
// of it (same title and body) — and count those with the article's label: precision@10
// (missing neighbours count as wrong). Plain Xapian: TermGenerator (no stemmer) over title
// then body, an RSet of the one article, Enquire::get_eset(terms) of its terms, then the OR
// of those terms ranked with BM25: the same RSet-of-one approach with the same term count.
// Latency: wall time of each Searcher::similar call (10 hits, snippets), one thread.
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <unordered_map>
#include <vnsearch/vnsearch.h>

#include "corpus_reader.h"

namespace {

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

struct Engine {
    std::string name;
    double index_seconds = 0;
    /// Up to 10 neighbours (document indexes) of document `i`.
    std::function<std::vector<std::size_t>(std::size_t)> neighbours;
    double precision = 0;
    std::size_t leaked = 0;  ///< the article itself or a duplicate among the neighbours
    std::vector<double> ms;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

/// Plain Xapian's expansion: every term but the boolean id term.
class NotId : public Xapian::ExpandDecider {
  public:
    bool operator()(const std::string& term) const override { return term.empty() || term[0] != 'Q'; }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Related articles on VNTC: vnsearch vs plain Xapian's ESet vs random"};
    std::size_t n_docs = 0, n_samples = 1000, n_terms = 40;
    unsigned seed = 42, threads = 0;
    std::string shared = VNSEARCH_BENCH_SHARED, work = "bench-similar-work", out_json;
    bool reuse = false;
    app.add_option("--docs", n_docs, "Documents: N of VNTC spread over the file (0: all)")->capture_default_str();
    app.add_option("--samples", n_samples, "Articles to sample")->capture_default_str();
    app.add_option("--seed", seed, "Random seed")->capture_default_str();
    app.add_option("--terms", n_terms, "Expansion terms, for both engines")->capture_default_str();
    app.add_option("--threads", threads, "vnsearch build threads (0: all cores)")->capture_default_str();
    app.add_option("--shared", shared, "The shared data directory")->capture_default_str();
    app.add_option("--work", work, "Directory for the indexes")->capture_default_str();
    app.add_option("--json", out_json, "Also write the results as JSON to this file");
    app.add_flag("--reuse", reuse, "Reuse the indexes in --work when built for the same documents (tuning runs)");
    CLI11_PARSE(app, argc, argv);

    auto docs = vnsearch_bench::read_vntc(shared, static_cast<std::size_t>(-1));
    if (docs.empty()) {
        std::printf("shared corpus absent (%s/corpus/vntc.jsonl.zst): similar benchmark skipped\n", shared.c_str());
        return 0;
    }
    // VNTC is ordered by split and label: a smaller run takes every k-th document, so that
    // all labels keep their share.
    if (n_docs && n_docs < docs.size()) {
        std::vector<vnsearch_bench::BenchDoc> spread;
        spread.reserve(n_docs);
        for (std::size_t k = 0; k < n_docs; ++k) spread.push_back(std::move(docs[k * docs.size() / n_docs]));
        docs = std::move(spread);
    }
    // Exact duplicates (same title and body) form one group; neither engine may return them.
    std::vector<std::size_t> group(docs.size());
    {
        std::unordered_map<std::string, std::size_t> first;
        for (std::size_t i = 0; i < docs.size(); ++i)
            group[i] = first.emplace(docs[i].title + "\x1f" + docs[i].body, i).first->second;
    }
    std::mt19937 rng(seed);
    std::vector<std::size_t> samples;
    for (std::size_t k = 0; k < n_samples && k < docs.size(); ++k) samples.push_back(rng() % docs.size());

    const std::string marker = work + "/built-for", wanted = std::to_string(docs.size());
    bool built = false;
    if (reuse) {
        std::ifstream in(marker);
        std::string have;
        std::getline(in, have);
        built = have == wanted;
    }
    if (!built) {
        std::filesystem::remove_all(work);
        std::filesystem::create_directories(work);
    }
    std::vector<Engine> engines;
    {  // vnsearch, built as `vnsearch index` builds a new index
        auto t0 = clock_type::now();
        if (!built) {
            vnsearch::BuildOptions o;
            o.threads = threads;
            vnsearch::IndexBuilder b(work + "/vnsearch", o);
            for (std::size_t i = 0; i < docs.size(); ++i) {
                vnsearch::Document d(std::to_string(i));
                d.title = docs[i].title;
                d.body = docs[i].body;
                b.add(std::move(d));
            }
            b.finish();
        }
        Engine e{"vnsearch `similar`", since(t0), {}, 0, 0, {}};
        auto searcher = std::make_shared<vnsearch::Searcher>(work + "/vnsearch");
        e.neighbours = [searcher, n_terms](std::size_t i) {
            vnsearch::SimilarOptions o;
            o.limit = 10;
            o.terms = n_terms;
            std::vector<std::size_t> out;
            for (const auto& h : searcher->similar(std::to_string(i), o)) out.push_back(std::stoul(h.id));
            return out;
        };
        engines.push_back(std::move(e));
    }
    {  // plain Xapian: TermGenerator terms, RSet of one, ESet, OR of its terms
        auto t0 = clock_type::now();
        if (!built) {
            Xapian::WritableDatabase db(work + "/xapian", Xapian::DB_CREATE_OR_OVERWRITE);
            Xapian::TermGenerator tg;
            for (std::size_t i = 0; i < docs.size(); ++i) {
                Xapian::Document doc;
                tg.set_document(doc);
                tg.index_text(docs[i].title);
                tg.increase_termpos();
                tg.index_text(docs[i].body);
                doc.add_boolean_term("Q" + std::to_string(i));
                db.add_document(doc);  // docid i + 1
            }
            db.commit();
        }
        Engine e{"plain Xapian (TermGenerator, ESet of an RSet of one)", since(t0), {}, 0, 0, {}};
        auto db = std::make_shared<Xapian::Database>(work + "/xapian");
        e.neighbours = [db, n_terms, &group](std::size_t i) {
            Xapian::Enquire enq(*db);
            Xapian::RSet rset;
            rset.add_document(static_cast<Xapian::docid>(i + 1));
            const NotId decider;
            const Xapian::ESet eset = enq.get_eset(static_cast<Xapian::termcount>(n_terms), rset, &decider);
            std::vector<Xapian::Query> terms;
            for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
            enq.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
            std::vector<std::size_t> out;
            // Skip the article and its duplicates, as vnsearch does (they rank first).
            const Xapian::MSet mset = enq.get_mset(0, 40);
            for (auto it = mset.begin(); it != mset.end() && out.size() < 10; ++it) {
                const std::size_t j = *it - 1;
                if (group[j] != group[i]) out.push_back(j);
            }
            return out;
        };
        engines.push_back(std::move(e));
    }
    {  // random neighbours
        auto r = std::make_shared<std::mt19937>(seed + 1);
        const std::size_t n = docs.size();
        Engine e{"random", 0, {}, 0, 0, {}};
        e.neighbours = [r, n, &group](std::size_t i) {
            std::vector<std::size_t> out;
            while (out.size() < 10 && n > 10) {
                const std::size_t j = (*r)() % n;
                if (group[j] != group[i] && std::find(out.begin(), out.end(), j) == out.end()) out.push_back(j);
            }
            return out;
        };
        engines.push_back(std::move(e));
    }
    if (!built) std::ofstream(marker) << wanted << '\n';

    for (auto& e : engines) {
        double sum = 0;
        for (const std::size_t i : samples) {
            auto t0 = clock_type::now();
            const auto nb = e.neighbours(i);
            e.ms.push_back(since(t0) * 1000);
            std::size_t same = 0;
            for (const std::size_t j : nb) {
                same += docs[j].label == docs[i].label;
                e.leaked += group[j] == group[i];
            }
            sum += static_cast<double>(same) / 10.0;
        }
        e.precision = samples.empty() ? 0 : sum / static_cast<double>(samples.size());
    }

    std::size_t duplicates = 0;
    for (std::size_t i = 0; i < docs.size(); ++i) duplicates += group[i] != i;
    std::printf("## Related articles on VNTC: %zu documents (%zu exact duplicates), %zu sampled articles, seed %u, %zu expansion terms\n\n",
                docs.size(), duplicates, samples.size(), seed, n_terms);
    std::printf("| engine | precision@10 (same label) | self/duplicates returned | p50 ms | p99 ms | index s |\n|---|---|---|---|---|---|\n");
    nlohmann::json j = {{"documents", docs.size()}, {"duplicates", duplicates}, {"samples", samples.size()},
                        {"seed", seed},             {"terms", n_terms},         {"engines", nlohmann::json::array()}};
    for (const auto& e : engines) {
        std::printf("| %s | %.3f | %zu | %.2f | %.2f | %.1f |\n", e.name.c_str(), e.precision, e.leaked, percentile(e.ms, 0.5),
                    percentile(e.ms, 0.99), e.index_seconds);
        j["engines"].push_back({{"name", e.name},
                                {"precision_at_10", e.precision},
                                {"leaked", e.leaked},
                                {"p50_ms", percentile(e.ms, 0.5)},
                                {"p99_ms", percentile(e.ms, 0.99)},
                                {"index_seconds", e.index_seconds}});
    }
    std::printf("\nbuilt: %s; %u hardware threads\n", built ? "reused" : "this run", std::thread::hardware_concurrency());
    if (!out_json.empty()) std::ofstream(out_json) << j.dump(2) << '\n';
    return 0;
}
