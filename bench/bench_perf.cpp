// Indexing and query performance: vnsearch, plain Xapian (TermGenerator) and SQLite FTS5
// (unicode61 remove_diacritics 2) on the same documents and queries, in one run.
//   vnsearch-bench-perf [--docs 10000] [--queries 1000] [--seed 42] [--json FILE]
// Each engine indexes in a child process that streams the corpus itself, so its peak RSS
// (getrusage via wait4) is its own; wall time includes reading and decompressing the corpus,
// which the "read only" row measures alone. Sizes: on disk after indexing, and after
// compaction (xapian-compact's Database::compact; FTS5 'optimize' + VACUUM).
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <vnsearch/vnsearch.h>

#include "corpus_reader.h"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

std::uintmax_t dir_size(const fs::path& p) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return fs::file_size(p, ec);
    std::uintmax_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(p, ec))
        if (e.is_regular_file(ec)) n += e.file_size(ec);
    return n;
}

struct Build {
    double seconds = 0;
    long peak_rss_kb = 0;
    bool ok = false;
};

/// Runs `index` in a child process; returns its wall time and peak RSS.
Build run_child(const std::function<void()>& index) {
    auto t0 = clock_type::now();
    pid_t pid = fork();
    if (pid == 0) {
        try {
            index();
        } catch (const std::exception& e) {
            std::fprintf(stderr, "indexing failed: %s\n", e.what());
            _exit(1);
        }
        _exit(0);
    }
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    Build b;
    b.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    b.peak_rss_kb = ru.ru_maxrss;
    b.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return b;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Indexing and query performance: vnsearch vs plain Xapian vs SQLite FTS5"};
    std::size_t n_docs = 10000, n_queries = 1000;
    unsigned seed = 42;
    std::string shared = VNSEARCH_BENCH_SHARED, work = "bench-perf-work", out_json;
    app.add_option("--docs", n_docs, "Documents: VietNews first, then VNTC (~235k in all), then copies with fresh ids")
        ->capture_default_str();
    app.add_option("--queries", n_queries, "Queries")->capture_default_str();
    app.add_option("--seed", seed, "Random seed")->capture_default_str();
    app.add_option("--shared", shared, "The shared data directory")->capture_default_str();
    app.add_option("--work", work, "Directory for the indexes")->capture_default_str();
    app.add_option("--json", out_json, "Also write the results as JSON to this file");
    unsigned threads = 0;
    app.add_option("--threads", threads, "vnsearch's indexing threads (0: all cores)")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    if (!fs::exists(shared + "/corpus/vietnews.jsonl.zst")) {
        std::printf("shared corpus absent: performance benchmark skipped\n");
        return 0;
    }
    fs::remove_all(work);
    fs::create_directories(work);
    // VietNews, then VNTC (about 235k in all), then copies with fresh ids.
    // Streamed, one document at a time, so that each engine's peak RSS is its own.
    auto each = [&](const std::function<void(vnsearch_bench::BenchDoc&&)>& f) { vnsearch_bench::for_each_mixed(shared, n_docs, f); };

    struct Row {
        std::string engine;
        Build build;
        std::uintmax_t size = 0, compact_size = 0;
        double p50 = 0, p95 = 0, p99 = 0;
    };
    std::vector<Row> rows;
    std::uintmax_t text_bytes = 0;
    std::size_t docs_read = 0;
    rows.push_back({"read only (zstd + JSON)", run_child([&] { each([](vnsearch_bench::BenchDoc&&) {}); }), 0, 0, 0, 0, 0});
    // vnsearch as the CLI indexes a new index: IndexBuilder on all cores (merged, compacted).
    rows.push_back({"vnsearch (" + std::to_string(threads ? threads : std::max(1u, std::thread::hardware_concurrency())) +
                        " threads, as `vnsearch index`)",
                    run_child([&] {
                        vnsearch::BuildOptions o;
                        o.threads = threads;
                        vnsearch::IndexBuilder b(work + "/vnsearch", o);
                        each([&](vnsearch_bench::BenchDoc&& x) {
                            vnsearch::Document d(std::move(x.id));
                            d.title = std::move(x.title);
                            d.body = std::move(x.body);
                            b.add(std::move(d));
                        });
                        b.finish();
                    }),
                    0, 0, 0, 0, 0});
    rows.push_back({"plain Xapian (TermGenerator)", run_child([&] {
                        Xapian::WritableDatabase db(work + "/xapian", Xapian::DB_CREATE_OR_OVERWRITE);
                        Xapian::TermGenerator tg;
                        each([&](vnsearch_bench::BenchDoc&& d) {
                            Xapian::Document doc;
                            tg.set_document(doc);
                            tg.index_text(d.title);
                            tg.increase_termpos();
                            tg.index_text(d.body);
                            doc.add_boolean_term("Q" + d.id);
                            doc.set_data(d.title + "\n" + d.body);  // stored, as FTS5 and vnsearch store it
                            db.replace_document("Q" + d.id, doc);
                        });
                        db.commit();
                    }),
                    0, 0, 0, 0, 0});
    rows.push_back({"SQLite FTS5 (unicode61 remove_diacritics 2)", run_child([&] {
                        sqlite3* sq = nullptr;
                        sqlite3_open((work + "/fts5.db").c_str(), &sq);
                        sqlite3_exec(sq, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                                         "tokenize='unicode61 remove_diacritics 2'); BEGIN;", nullptr, nullptr, nullptr);
                        sqlite3_stmt* ins = nullptr;
                        sqlite3_prepare_v2(sq, "INSERT INTO docs(id, title, body) VALUES(?, ?, ?)", -1, &ins, nullptr);
                        each([&](vnsearch_bench::BenchDoc&& d) {
                            sqlite3_bind_text(ins, 1, d.id.c_str(), -1, SQLITE_STATIC);
                            sqlite3_bind_text(ins, 2, d.title.c_str(), -1, SQLITE_STATIC);
                            sqlite3_bind_text(ins, 3, d.body.c_str(), -1, SQLITE_STATIC);
                            sqlite3_step(ins);
                            sqlite3_reset(ins);
                        });
                        sqlite3_finalize(ins);
                        sqlite3_exec(sq, "COMMIT;", nullptr, nullptr, nullptr);
                        sqlite3_close(sq);
                    }),
                    0, 0, 0, 0, 0});
    // For reference: one writer adding batch by batch (Index; `vnsearch index --threads 1`).
    rows.push_back({"vnsearch (1 writer, Index / --threads 1)", run_child([&] {
                        vnsearch::Index ix(work + "/vnsearch-1");
                        each([&](vnsearch_bench::BenchDoc&& x) {
                            vnsearch::Document d(std::move(x.id));
                            d.title = std::move(x.title);
                            d.body = std::move(x.body);
                            ix.add(d);
                        });
                        ix.commit();
                    }),
                    0, 0, 0, 0, 0});
    // A floor for any scheme that stores both families in Xapian: only the folded term of each
    // syllable and the exact one where marks differ, no positions, no bigrams, no title
    // families, stored text, one thread (docs/performance.md, "Where the time goes").
    rows.push_back({"Xapian floor: folded + exact terms only, 1 thread", run_child([&] {
                        Xapian::WritableDatabase db(work + "/floor", Xapian::DB_CREATE_OR_OVERWRITE);
                        const vnsearch::Analyzer an;
                        std::size_t pending = 0;
                        each([&](vnsearch_bench::BenchDoc&& d) {
                            Xapian::Document x;
                            std::string all = d.title + "\n" + d.body;
                            an.analyze(all, [&](const vnsearch::Token& t) {
                                x.add_term(t.folded);
                                if (t.exact != t.folded) x.add_term("E" + t.exact);
                            });
                            x.add_boolean_term("Q" + d.id);
                            x.set_data(all);
                            db.add_document(x);
                            pending += all.size();
                            if (pending >= (4u << 20)) {
                                db.commit();
                                pending = 0;
                            }
                        });
                        db.commit();
                    }),
                    0, 0, 0, 0, 0});
    // Counted only now: reading in this process grows its heap, and a forked child's peak
    // RSS would include those pages.
    each([&](vnsearch_bench::BenchDoc&& d) {
        ++docs_read;
        text_bytes += d.title.size() + d.body.size();
    });
    // Sizes, before and after compaction.
    rows[1].size = dir_size(work + "/vnsearch");
    rows[2].size = dir_size(work + "/xapian");
    rows[3].size = dir_size(work + "/fts5.db");
    rows[4].size = dir_size(work + "/vnsearch-1");
    rows[5].size = dir_size(work + "/floor");
    Xapian::Database(work + "/vnsearch").compact(work + "/vnsearch-compact");
    Xapian::Database(work + "/xapian").compact(work + "/xapian-compact");
    Xapian::Database(work + "/vnsearch-1").compact(work + "/vnsearch-1-compact");
    rows[1].compact_size = dir_size(work + "/vnsearch-compact");
    rows[2].compact_size = dir_size(work + "/xapian-compact");
    rows[4].compact_size = dir_size(work + "/vnsearch-1-compact");
    {
        sqlite3* sq = nullptr;
        sqlite3_open((work + "/fts5.db").c_str(), &sq);
        sqlite3_exec(sq, "INSERT INTO docs(docs) VALUES('optimize'); VACUUM;", nullptr, nullptr, nullptr);
        sqlite3_close(sq);
        rows[3].compact_size = dir_size(work + "/fts5.db");
    }

    // Queries: 1-5 consecutive syllables of sampled headlines, half unaccented, 1 in 5 a
    // quoted phrase (FTS5 gets its own phrase syntax; plain Xapian's QueryParser too).
    std::vector<std::string> queries;
    {
        std::vector<std::string> titles;
        each([&](vnsearch_bench::BenchDoc&& d) { titles.push_back(std::move(d.title)); });
        std::mt19937 rng(seed);
        vnsearch::Analyzer an;
        while (queries.size() < n_queries) {
            const auto& title = titles[rng() % titles.size()];
            std::vector<std::string> w;
            for (const auto& t : an.analyze(title))
                if (!t.part && t.kind == vnsearch::TokenKind::word) w.push_back(t.text);
            if (w.empty()) continue;
            std::size_t len = std::min<std::size_t>(1 + rng() % 5, w.size()), st = rng() % (w.size() - len + 1);
            std::string q;
            for (std::size_t k = st; k < st + len; ++k) q += (k > st ? " " : "") + w[k];
            if (rng() % 2) q = vnsearch::fold(q);
            if (len >= 2 && rng() % 5 == 0) q = "\"" + q + "\"";
            queries.push_back(q);
        }
    }
    auto time_queries = [&](Row& row, const std::function<std::size_t(const std::string&)>& run) {
        std::vector<double> ms;
        std::size_t hits = 0;
        for (const auto& q : queries) {
            auto t0 = clock_type::now();
            hits += run(q);
            ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
        }
        row.p50 = percentile(ms, 0.50), row.p95 = percentile(ms, 0.95), row.p99 = percentile(ms, 0.99);
        if (hits == 0) std::fprintf(stderr, "%s found nothing\n", row.engine.c_str());
    };
    {
        // Without snippets, like the other engines; then with them, as its own row.
        vnsearch::Searcher s(work + "/vnsearch");
        vnsearch::SearchOptions o;
        o.limit = 10;
        o.snippet_chars = 0;
        o.suggest = false;  // "did you mean" is timed as its own row below
        time_queries(rows[1], [&](const std::string& q) { return s.search(q, o).size(); });
        Row with{"vnsearch, with snippets for the 10 hits", {}, 0, 0, 0, 0, 0};
        with.build.ok = true;
        o.snippet_chars = 240;
        time_queries(with, [&](const std::string& q) { return s.search(q, o).size(); });
        rows.push_back(with);
        Row suggest{"vnsearch, with snippets and \"did you mean\"", {}, 0, 0, 0, 0, 0};
        suggest.build.ok = true;
        o.suggest = true;
        time_queries(suggest, [&](const std::string& q) { return s.search(q, o).size(); });
        rows.push_back(suggest);
    }
    {
        Xapian::Database db(work + "/xapian");
        Xapian::QueryParser qp;
        qp.set_database(db);
        time_queries(rows[2], [&](const std::string& q) {
            Xapian::Enquire e(db);
            e.set_query(qp.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT));
            return static_cast<std::size_t>(e.get_mset(0, 10).size());
        });
    }
    {
        sqlite3* sq = nullptr;
        sqlite3_open((work + "/fts5.db").c_str(), &sq);
        time_queries(rows[3], [&](const std::string& q) {
            std::string match;
            if (q.front() == '"') {
                match = q;
            } else {
                std::size_t i = 0;
                while (i < q.size()) {
                    std::size_t j = q.find(' ', i);
                    if (j == std::string::npos) j = q.size();
                    match += (match.empty() ? "\"" : " \"") + q.substr(i, j - i) + "\"";
                    i = j + 1;
                }
            }
            sqlite3_stmt* st = nullptr;
            sqlite3_prepare_v2(sq, "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", -1, &st, nullptr);
            sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
            std::size_t n = 0;
            while (sqlite3_step(st) == SQLITE_ROW) ++n;
            sqlite3_finalize(st);
            return n;
        });
        sqlite3_close(sq);
    }

    const double mb = static_cast<double>(text_bytes) / 1e6;
    std::printf("VietNews (+ VNTC, + copies beyond), %zu documents (%.1f MB of text); %zu queries (1-5 syllables, half unaccented, "
                "1 in 5 quoted); seed %u\n\n", docs_read, mb, queries.size(), seed);
    std::printf("| engine | index s | docs/s | MB/s | peak RSS MiB | size MB | compacted MB | p50 ms | p95 ms | p99 ms |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& r : rows) {
        const double secs = r.build.seconds;
        if (secs > 0)
            std::printf("| %s | %.2f | %.0f | %.1f | %.0f | %.1f | %.1f |", r.engine.c_str(), secs,
                        static_cast<double>(docs_read) / secs, mb / secs, static_cast<double>(r.build.peak_rss_kb) / 1024.0,
                        static_cast<double>(r.size) / 1e6, static_cast<double>(r.compact_size) / 1e6);
        else
            std::printf("| %s | | | | | | |", r.engine.c_str());
        if (r.p50 > 0)
            std::printf(" %.2f | %.2f | %.2f |%s\n", r.p50, r.p95, r.p99, r.build.ok ? "" : " (FAILED)");
        else
            std::printf(" | | |%s\n", r.build.ok ? "" : " (FAILED)");
        out.push_back({{"engine", r.engine}, {"index_seconds", secs}, {"peak_rss_mib", static_cast<double>(r.build.peak_rss_kb) / 1024.0},
                       {"size_bytes", r.size}, {"compacted_bytes", r.compact_size}, {"p50_ms", r.p50}, {"p95_ms", r.p95},
                       {"p99_ms", r.p99}, {"ok", r.build.ok}});
    }
    // The targets of issue 5, as ratios within this one run.
    nlohmann::ordered_json ratios;
    if (rows[1].build.seconds > 0 && rows[3].build.seconds > 0 && rows[2].compact_size > 0 && rows[1].p50 > 0) {
        ratios = {{"indexing_vs_fts5", rows[3].build.seconds / rows[1].build.seconds},
                  {"size_vs_compacted_xapian", static_cast<double>(rows[1].size) / static_cast<double>(rows[2].compact_size)},
                  {"p50_speedup_vs_fts5", rows[3].p50 / rows[1].p50},
                  {"p99_speedup_vs_fts5", rows[3].p99 / rows[1].p99},
                  {"peak_rss_mib", static_cast<double>(rows[1].build.peak_rss_kb) / 1024.0}};
        std::printf("\nvnsearch indexing speed = %.2fx FTS5 (target >= 1.0); index size = %.2fx compacted plain Xapian "
                    "(target <= 1.1); query latency %.1fx (p50) / %.1fx (p99) faster than FTS5 (target >= 10); "
                    "peak RSS %.0f MiB (target <= 256)\n",
                    ratios["indexing_vs_fts5"].get<double>(), ratios["size_vs_compacted_xapian"].get<double>(),
                    ratios["p50_speedup_vs_fts5"].get<double>(), ratios["p99_speedup_vs_fts5"].get<double>(),
                    ratios["peak_rss_mib"].get<double>());
    }
    if (!out_json.empty()) {
        nlohmann::ordered_json j = {{"corpus", "vietnews"}, {"documents", docs_read}, {"text_mb", mb},
                                    {"queries", queries.size()}, {"seed", seed}, {"results", out}, {"ratios", ratios}};
        if (std::FILE* f = std::fopen(out_json.c_str(), "w")) {
            std::fputs(j.dump(2).c_str(), f);
            std::fclose(f);
        }
    }
    fs::remove_all(work);
    return 0;
}
