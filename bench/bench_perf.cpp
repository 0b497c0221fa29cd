// Indexing and query performance: vnsearch, plain Xapian (TermGenerator) and SQLite FTS5
// (unicode61 remove_diacritics 2) on the same documents and queries, in one run.
//   vnsearch-bench-perf [--docs 10000] [--queries 1000] [--warmup 1000] [--seed 42] [--json FILE]
// Each engine indexes in a child process that streams the corpus itself, so its peak RSS
// (getrusage via wait4) is its own; wall time includes reading and decompressing the corpus,
// which the "read only" row measures alone. Sizes: on disk after indexing, and after
// compaction (xapian-compact's Database::compact; FTS5 'optimize' + VACUUM).
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>
#include <vnsearch/vnsearch.h>

#include "bench_stats.h"
#include "corpus_reader.h"

namespace {

using vnsearch_bench::percentile;

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
    double cpu_seconds = 0;  // user + system, all threads
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
    b.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    b.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return b;
}


}  // namespace

/// The files of the indexes the queries read, mapped and locked in memory for the timing
/// (--hold): the kernel may then not page them out, as a machine that reclaims file pages it
/// sees idle (DAMON reclaim) otherwise does between one engine's reads and the next, so the
/// timings are those of indexes in memory, for every engine alike.
class HeldFiles {
  public:
    explicit HeldFiles(const std::vector<std::string>& paths) {
        for (const std::string& p : paths) {
            if (fs::is_regular_file(p)) hold(p);
            else if (fs::is_directory(p))
                for (const auto& e : fs::directory_iterator(p))
                    if (e.is_regular_file()) hold(e.path().string());
        }
    }
    HeldFiles(const HeldFiles&) = delete;
    HeldFiles& operator=(const HeldFiles&) = delete;
    ~HeldFiles() {
        for (const auto& [addr, size] : maps_) munmap(addr, size);
    }
    std::uint64_t bytes() const { return bytes_; }
    const std::string& failure() const { return failure_; }

  private:
    void hold(const std::string& path) {
        const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        struct stat st {};
        if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
            if (fd >= 0) close(fd);
            return;
        }
        const auto size = static_cast<std::size_t>(st.st_size);
        void* addr = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
        close(fd);
        if (addr == MAP_FAILED) {
            failure_ = path + ": mmap failed";
            return;
        }
        if (mlock(addr, size) != 0) {  // e.g. over RLIMIT_MEMLOCK without CAP_IPC_LOCK
            failure_ = path + ": mlock failed (" + std::strerror(errno) + ")";
            munmap(addr, size);
            return;
        }
        maps_.emplace_back(addr, size);
        bytes_ += size;
    }
    std::vector<std::pair<void*, std::size_t>> maps_;
    std::uint64_t bytes_ = 0;
    std::string failure_;
};

int run(int argc, char** argv) {
    CLI::App app{"Indexing and query performance: vnsearch vs plain Xapian vs SQLite FTS5"};
    std::size_t n_docs = 10000, n_queries = 1000, n_long_queries = 1000;
    unsigned seed = 42;
    std::string shared = VNSEARCH_BENCH_SHARED, work = "bench-perf-work", out_json;
    app.add_option("--docs", n_docs, "Documents: VietNews first, then VNTC (~235k in all), then copies with fresh ids")
        ->capture_default_str();
    app.add_option("--queries", n_queries, "Short queries (1-5 syllables of headlines)")->capture_default_str();
    app.add_option("--long-queries", n_long_queries, "Long queries (12-20 syllables of summaries and bodies)")->capture_default_str();
    bool reuse = false, keep = false;
    app.add_flag("--reuse", reuse,
                 "Reuse the indexes (and their build rows) a --keep run left in --work for the same --docs; "
                 "builds them when absent. Implies --keep");
    app.add_flag("--keep", keep, "Keep the indexes in --work for a later --reuse");
    bool no_reference = false;
    app.add_flag("--no-reference-builds", no_reference,
                 "Skip the two reference builds (one writer; the Xapian floor): ~9 of a 235k run's ~17 minutes of building");
    app.add_option("--seed", seed, "Random seed")->capture_default_str();
    app.add_option("--shared", shared, "The shared data directory")->capture_default_str();
    app.add_option("--work", work, "Directory for the indexes")->capture_default_str();
    app.add_option("--json", out_json, "Also write the results as JSON to this file");
    std::string queries_out;
    app.add_option("--write-queries", queries_out,
                   "Write the two query sets to DIR/short.txt and DIR/long.txt, one a line, and time nothing "
                   "(for a profiler's driver to replay them); the indexes are built or reused as usual");
    bool hold = false;
    app.add_flag("--hold", hold,
                 "Lock the queried indexes' files in memory (mmap + mlock) while timing, so the kernel cannot page "
                 "them out between reads; needs RAM for all three indexes and CAP_IPC_LOCK or a large enough "
                 "RLIMIT_MEMLOCK (else timed as they are, with a warning)");
    std::size_t n_warmup = 1000;
    app.add_option("--warmup", n_warmup,
                   "Short queries of other headlines (another seed) that every engine answers, untimed, before the "
                   "timing: the figures are those of a process that has served queries (vnsearch then holds the "
                   "postings of the common terms searches open most in memory); 0 times handles that have answered "
                   "nothing")
        ->capture_default_str();
    unsigned threads = 0;
    app.add_option("--threads", threads, "vnsearch's indexing threads (0: all cores)")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    if (!fs::exists(shared + "/corpus/vietnews.jsonl.zst")) {
        std::printf("shared corpus absent: performance benchmark skipped\n");
        return 0;
    }
    if (reuse) keep = true;
    // Reused only when a complete run with the same documents left them (builds.json is
    // written last, after compaction).
    nlohmann::json saved;
    if (reuse) {
        if (std::FILE* f = std::fopen((work + "/builds.json").c_str(), "r")) {
            try {
                saved = nlohmann::json::parse(f);
            } catch (const std::exception&) {
                saved = nullptr;
            }
            std::fclose(f);
            if (!saved.is_object() || saved.value("docs_requested", std::size_t{0}) != n_docs) saved = nullptr;
            // An index removed since is built again, with the others.
            for (const char* index : {"vnsearch", "xapian", "fts5.db"})
                if (!fs::exists(work + "/" + index)) saved = nullptr;
        }
    }
    const bool reused = saved.is_object();
    if (!reused) {
        fs::remove_all(work);
        fs::create_directories(work);
    }
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
    std::string built_at;
    if (reused) {
        for (const auto& r : saved["rows"]) {
            Row row{r["engine"].get<std::string>(), {}, r["size"].get<std::uintmax_t>(), r["compact_size"].get<std::uintmax_t>(), 0, 0, 0};
            row.build.seconds = r["seconds"].get<double>();
            row.build.peak_rss_kb = r["peak_rss_kb"].get<long>();
            row.build.cpu_seconds = r.value("cpu_seconds", 0.0);
            row.build.ok = r["ok"].get<bool>();
            rows.push_back(row);
        }
        docs_read = saved["docs_read"].get<std::size_t>();
        text_bytes = saved["text_bytes"].get<std::uintmax_t>();
        built_at = saved["built_at"].get<std::string>();
    } else {
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
                        // The merge (one thread) starts with the first progress call, once
                        // every worker has written its last shard.
                        clock_type::time_point merge_start{};
                        b.finish([&](double) {
                            if (merge_start == clock_type::time_point{}) merge_start = clock_type::now();
                        });
                        if (std::FILE* f = std::fopen((work + "/merge-seconds").c_str(), "w")) {
                            std::fprintf(f, "%.3f\n", std::chrono::duration<double>(clock_type::now() - merge_start).count());
                            std::fclose(f);
                        }
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
    // Skipped reference rows stay in the table, empty and marked.
    auto reference = [&](const std::function<void()>& index) {
        Build b;
        b.ok = true;
        return no_reference ? b : run_child(index);
    };
    const std::string skipped = no_reference ? " — skipped (--no-reference-builds)" : "";
    rows.push_back({"vnsearch (1 writer, Index / --threads 1)" + skipped, reference([&] {
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
    rows.push_back({"Xapian floor: folded + exact terms only, 1 thread" + skipped, reference([&] {
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
    if (!no_reference) Xapian::Database(work + "/vnsearch-1").compact(work + "/vnsearch-1-compact");
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
    {
        char when[64];
        std::time_t now = std::time(nullptr);
        std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
        built_at = when;
    }
    if (keep) {
        nlohmann::json b = {{"docs_requested", n_docs}, {"docs_read", docs_read}, {"text_bytes", text_bytes}, {"built_at", built_at},
                            {"rows", nlohmann::json::array()}};
        for (const auto& r : rows)
            b["rows"].push_back({{"engine", r.engine}, {"seconds", r.build.seconds}, {"cpu_seconds", r.build.cpu_seconds},
                                 {"peak_rss_kb", r.build.peak_rss_kb},
                                 {"ok", r.build.ok}, {"size", r.size}, {"compact_size", r.compact_size}});
        if (std::FILE* f = std::fopen((work + "/builds.json").c_str(), "w")) {
            std::fputs(b.dump(2).c_str(), f);
            std::fclose(f);
        }
    }
    }  // built (not reused)

    // Two query sets, both from sampled documents (same seed, same queries for every engine):
    // SHORT: 1-5 consecutive syllables of a headline, half unaccented, 1 in 5 a quoted phrase
    //   (FTS5 gets its own phrase syntax; plain Xapian's QueryParser too);
    // LONG: 12-20 consecutive syllables of a summary or body, half unaccented, never quoted.
    std::vector<std::string> queries, long_queries, warmup;
    {
        std::mt19937 rng(seed);
        vnsearch::Analyzer an;
        auto words = [&](const std::string& text) {
            std::vector<std::string> w;
            for (const auto& t : an.analyze(text))
                if (!t.part && t.kind == vnsearch::TokenKind::word) w.push_back(t.text);
            return w;
        };
        std::vector<std::string> titles;
        each([&](vnsearch_bench::BenchDoc&& d) { titles.push_back(std::move(d.title)); });
        // The warm-up set is drawn the same way with its own generator, so the timed sets stay
        // the same whatever its size.
        std::mt19937 warmup_rng(seed ^ 0x9e3779b9u);
        for (auto [set, n, r] : {std::tuple{&queries, n_queries, &rng}, std::tuple{&warmup, n_warmup, &warmup_rng}})
            while (set->size() < n) {
                const auto& title = titles[(*r)() % titles.size()];
                std::vector<std::string> w = words(title);
                if (w.empty()) continue;
                std::size_t len = std::min<std::size_t>(1 + (*r)() % 5, w.size()), st = (*r)() % (w.size() - len + 1);
                std::string q;
                for (std::size_t k = st; k < st + len; ++k) q += (k > st ? " " : "") + w[k];
                if ((*r)() % 2) q = vnsearch::fold(q);
                if (len >= 2 && (*r)() % 5 == 0) q = "\"" + q + "\"";
                set->push_back(q);
            }
        titles = {};
        // Long: documents drawn first (a few spare for too-short texts), then read in one pass.
        std::vector<std::size_t> picks;
        for (std::size_t k = 0; k < n_long_queries * 2; ++k) picks.push_back(rng() % std::max<std::size_t>(1, docs_read));
        std::sort(picks.begin(), picks.end());
        std::vector<std::string> bodies;
        std::size_t at = 0, pi = 0;
        each([&](vnsearch_bench::BenchDoc&& d) {
            while (pi < picks.size() && picks[pi] == at) {
                bodies.push_back(d.body);
                ++pi;
            }
            ++at;
        });
        std::shuffle(bodies.begin(), bodies.end(), rng);
        for (const auto& body : bodies) {
            if (long_queries.size() >= n_long_queries) break;
            std::vector<std::string> w = words(body);
            std::size_t len = 12 + rng() % 9;
            if (w.size() < len) continue;
            std::size_t st = rng() % (w.size() - len + 1);
            std::string q;
            for (std::size_t k = st; k < st + len; ++k) q += (k > st ? " " : "") + w[k];
            if (rng() % 2) q = vnsearch::fold(q);
            long_queries.push_back(q);
        }
    }
    if (!queries_out.empty()) {
        fs::create_directories(queries_out);
        for (const auto& [name, set] : {std::pair{"short.txt", &queries}, std::pair{"long.txt", &long_queries}}) {
            std::ofstream f(fs::path(queries_out) / name);
            for (const auto& q : *set) f << q << '\n';
        }
        std::printf("query sets written to %s\n", queries_out.c_str());
        return 0;
    }

    // Timing: every engine of a set answers query 1, then every engine query 2, ..., the
    // engines' order shuffled from query to query (seeded), so that a noisy neighbour on this
    // shared machine, and the colder caches of whoever runs a query first, fall on all of
    // them alike. (A rotation did not: the rows that are not vnsearch's candidate path (FTS5,
    // Xapian, exhaustive) do not read its block bounds, so the row after them in the cycle,
    // the default path, ran first among the three candidate-path rows for 5 queries in 7
    // and read each query's bounds for the other two.)
    struct Engine {
        std::string name;
        std::function<std::size_t(const std::string&)> run;
        std::vector<double> ms;
        std::size_t answered = 0;  // queries with at least one hit
        double p50 = 0, p95 = 0, p99 = 0;
        Engine(std::string n, std::function<std::size_t(const std::string&)> r) : name(std::move(n)), run(std::move(r)) {}
    };
    auto time_set = [&](std::vector<Engine>& engines, const std::vector<std::string>& qs) {
        std::mt19937 order_rng(seed);
        std::vector<std::size_t> order(engines.size());
        for (std::size_t i = 0; i < qs.size(); ++i) {
            for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
            std::shuffle(order.begin(), order.end(), order_rng);
            for (const std::size_t k : order) {
                auto& e = engines[k];
                auto t0 = clock_type::now();
                std::size_t n = e.run(qs[i]);
                e.ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - t0).count());
                if (n > 0) ++e.answered;
            }
        }
        for (auto& e : engines) {
            e.p50 = percentile(e.ms, 0.50), e.p95 = percentile(e.ms, 0.95), e.p99 = percentile(e.ms, 0.99);
            if (e.answered == 0) std::fprintf(stderr, "%s found nothing\n", e.name.c_str());
        }
    };

    std::optional<HeldFiles> held;
    if (hold) {
        held.emplace(std::vector<std::string>{work + "/vnsearch", work + "/xapian", work + "/fts5.db"});
        if (!held->failure().empty()) std::fprintf(stderr, "--hold: %s; the rest is timed as it is\n", held->failure().c_str());
    }
    vnsearch::Searcher vs(work + "/vnsearch");
    vnsearch::SearchOptions no_suggest, bare;
    no_suggest.suggest = false;  // snippets on (240 characters), as by default
    bare.suggest = false;
    bare.snippet_chars = 0;
    vnsearch::SearchOptions exhaustive = bare;  // every match ranked (no candidate step)
    exhaustive.exhaustive = true;
    Xapian::Database xdb(work + "/xapian");
    Xapian::QueryParser qp;
    qp.set_database(xdb);
    qp.set_default_op(Xapian::Query::OP_OR);  // QueryParser's own default, stated
    auto xapian = [&](const std::string& q) {
        Xapian::Enquire e(xdb);
        e.set_query(qp.parse_query(q, Xapian::QueryParser::FLAG_DEFAULT));
        return static_cast<std::size_t>(e.get_mset(0, 10).size());
    };
    sqlite3* sq = nullptr;
    sqlite3_open((work + "/fts5.db").c_str(), &sq);
    // FTS5 match expressions: each word quoted (so no word is read as an operator), joined by
    // a space (implicit AND) or OR; a quoted query stays one phrase.
    auto fts5_match = [](const std::string& q, const char* joiner) {
        if (q.front() == '"') return q;
        std::string match;
        std::size_t i = 0;
        while (i < q.size()) {
            std::size_t j = q.find(' ', i);
            if (j == std::string::npos) j = q.size();
            match += (match.empty() ? "\"" : std::string(joiner) + "\"") + q.substr(i, j - i) + "\"";
            i = j + 1;
        }
        return match;
    };
    auto fts5 = [&](const std::string& match, bool with_snippet) {
        // snippet(): title and a ~40-token excerpt of the body around the matches, highlighted,
        // which is the work vnsearch's snippets do (240 characters ≈ 40 syllables).
        const char* sql = with_snippet ? "SELECT id, title, snippet(docs, 2, '<b>', '</b>', '…', 40) FROM docs WHERE docs MATCH ? "
                                         "ORDER BY rank LIMIT 10"
                                       : "SELECT id FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10";
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(sq, sql, -1, &st, nullptr);
        sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
        std::size_t n = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (with_snippet) (void)sqlite3_column_text(st, 2);
            ++n;
        }
        sqlite3_finalize(st);
        return n;
    };
    std::vector<Engine> short_set = {
        {"vnsearch default path: search(q), snippets + \"did you mean\"", [&](const std::string& q) { return vs.search(q).size(); }},
        {"vnsearch, suggest = false (snippets on)", [&](const std::string& q) { return vs.search(q, no_suggest).size(); }},
        {"vnsearch bare (no snippets, no suggestions)", [&](const std::string& q) { return vs.search(q, bare).size(); }},
        {"SQLite FTS5, implicit AND, with snippet()", [&](const std::string& q) { return fts5(fts5_match(q, " "), true); }},
        {"SQLite FTS5, implicit AND, ids only", [&](const std::string& q) { return fts5(fts5_match(q, " "), false); }},
        {"plain Xapian (QueryParser, default op OR)", xapian},
        {"vnsearch bare, exhaustive = true (every match ranked)", [&](const std::string& q) { return vs.search(q, exhaustive).size(); }},
    };
    std::vector<Engine> long_set = {
        {"vnsearch default path: search(q), snippets + \"did you mean\"", [&](const std::string& q) { return vs.search(q).size(); }},
        {"vnsearch, suggest = false (snippets on)", [&](const std::string& q) { return vs.search(q, no_suggest).size(); }},
        {"vnsearch bare (no snippets, no suggestions)", [&](const std::string& q) { return vs.search(q, bare).size(); }},
        {"plain Xapian (QueryParser, default op OR)", xapian},
        {"SQLite FTS5, OR, with snippet()", [&](const std::string& q) { return fts5(fts5_match(q, " OR "), true); }},
        {"SQLite FTS5, implicit AND, with snippet() (note: finds little)",
         [&](const std::string& q) { return fts5(fts5_match(q, " "), true); }},
        {"vnsearch bare, exhaustive = true (every match ranked)", [&](const std::string& q) { return vs.search(q, exhaustive).size(); }},
    };
    // The warm-up: every engine of the short set answers the other queries, untimed.
    for (const std::string& q : warmup)
        for (auto& e : short_set) (void)e.run(q);
    time_set(short_set, queries);
    time_set(long_set, long_queries);
    sqlite3_close(sq);
    // The first table keeps its meaning: bare vnsearch, plain Xapian and FTS5 (ids only) on the
    // short queries, then snippets, then snippets and "did you mean".
    auto copy_p = [](Row& r, const Engine& e) { r.p50 = e.p50, r.p95 = e.p95, r.p99 = e.p99; };
    copy_p(rows[1], short_set[2]);
    copy_p(rows[2], short_set[5]);
    copy_p(rows[3], short_set[4]);
    Row with{"vnsearch, with snippets for the 10 hits", {}, 0, 0, 0, 0, 0};
    with.build.ok = true;
    copy_p(with, short_set[1]);
    rows.push_back(with);
    Row suggest{"vnsearch, with snippets and \"did you mean\"", {}, 0, 0, 0, 0, 0};
    suggest.build.ok = true;
    copy_p(suggest, short_set[0]);
    rows.push_back(suggest);

    const double mb = static_cast<double>(text_bytes) / 1e6;
    std::printf("VietNews (+ VNTC, + copies beyond), %zu documents (%.1f MB of text); %zu queries (1-5 syllables, half unaccented, "
                "1 in 5 quoted); seed %u\n", docs_read, mb, queries.size(), seed);
    std::printf("Indexes %s %s; queries timed now", reused ? "reused (--reuse) from the build of" : "built", built_at.c_str());
    if (!warmup.empty())
        std::printf(", after every engine answered %zu other short queries untimed (--warmup)", warmup.size());
    else
        std::printf(", by handles that had answered nothing before (--warmup 0)");
    if (held)
        std::printf(", their files held in memory (--hold: %.1f MB locked%s)", static_cast<double>(held->bytes()) / 1e6,
                    held->failure().empty() ? "" : "; not all: see the warning");
    std::printf(".\n\n");
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
    // Per-core build throughput against plain Xapian's one thread (issue 14), and where
    // vnsearch's build spends it: the workers, then the one-threaded merge of their shards.
    nlohmann::ordered_json build_cost;
    if (rows[1].build.seconds > 0 && rows[2].build.seconds > 0) {
        const unsigned n_threads = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
        double merge_s = 0;
        if (std::FILE* f = std::fopen((work + "/merge-seconds").c_str(), "r")) {
            if (std::fscanf(f, "%lf", &merge_s) != 1) merge_s = 0;
            std::fclose(f);
        }
        build_cost = {{"threads", n_threads},
                      {"per_core_vs_xapian", rows[2].build.seconds / (rows[1].build.seconds * n_threads)},
                      {"merge_seconds", merge_s},
                      {"vnsearch_cpu_seconds", rows[1].build.cpu_seconds},
                      {"xapian_cpu_seconds", rows[2].build.cpu_seconds}};
        std::printf("\nvnsearch build: %.2f s on %u threads, of which the one-threaded merge %.2f s; CPU %.2f s (plain Xapian "
                    "%.2f s on 1 thread, CPU %.2f s); per-core throughput %.2fx plain Xapian (target >= 0.75)\n",
                    rows[1].build.seconds, n_threads, merge_s, rows[1].build.cpu_seconds, rows[2].build.seconds,
                    rows[2].build.cpu_seconds, build_cost["per_core_vs_xapian"].get<double>());
    }
    // Default path, short and long queries: every row of a set answered the same queries,
    // interleaved (time_set).
    nlohmann::ordered_json sets = nlohmann::ordered_json::object();
    auto print_set = [&](const char* title, const char* key, const std::vector<Engine>& engines, std::size_t nq) {
        std::printf("\n%s — %zu queries\n\n| engine | p50 ms | p95 ms | p99 ms | queries with hits |\n|---|---|---|---|---|\n", title, nq);
        nlohmann::ordered_json a = nlohmann::ordered_json::array();
        for (const auto& e : engines) {
            std::printf("| %s | %.2f | %.2f | %.2f | %.0f %% |\n", e.name.c_str(), e.p50, e.p95, e.p99,
                        nq ? 100.0 * static_cast<double>(e.answered) / static_cast<double>(nq) : 0.0);
            a.push_back({{"engine", e.name}, {"p50_ms", e.p50}, {"p95_ms", e.p95}, {"p99_ms", e.p99}, {"queries_with_hits", e.answered}});
        }
        sets[key] = {{"queries", nq}, {"rows", a}};
    };
    print_set("SHORT: 1-5 consecutive syllables of sampled headlines, half unaccented, 1 in 5 quoted", "short", short_set,
              queries.size());
    print_set("LONG: 12-20 consecutive syllables of sampled summaries and bodies, half unaccented", "long", long_set,
              long_queries.size());
    // The targets of issue 11 (requirement 4), each as measured / target. For "x times faster"
    // targets the measured figure is a speed-up (met when the ratio is >= 1); for ceilings it
    // is a latency or a latency ratio (met when the ratio is <= 1).
    nlohmann::ordered_json targets = nlohmann::ordered_json::array();
    std::printf("\nTargets of issue 11 (measured / target; \"≥\" targets met when the ratio is ≥ 1, \"≤\" targets when it is ≤ 1):\n\n"
                "| target | measured | target | measured / target | met |\n|---|---|---|---|---|\n");
    auto target = [&](const std::string& what, double measured, double goal, bool at_least, const char* unit) {
        const double r = measured / goal;
        const bool met = at_least ? r >= 1.0 : r <= 1.0;
        std::printf("| %s | %.2f%s | %s %.0f%s | %.2f | %s |\n", what.c_str(), measured, unit, at_least ? "≥" : "≤", goal, unit, r,
                    met ? "yes" : "no");
        targets.push_back({{"target", what}, {"measured", measured}, {"goal", goal}, {"at_least", at_least}, {"ratio", r}, {"met", met}});
    };
    const Engine &sd = short_set[0], &sns = short_set[1], &sf = short_set[3];
    const Engine &ld = long_set[0], &lx = long_set[3], &lf = long_set[4];
    const std::string at_n = docs_read >= 235000 ? "" : " (set for 235k; here " + std::to_string(docs_read) + ")";
    target("short, default path ≥ 10× faster than FTS5 (with snippet()), p50", sf.p50 / sd.p50, 10, true, "×");
    target("short, default path ≥ 10× faster than FTS5 (with snippet()), p99", sf.p99 / sd.p99, 10, true, "×");
    target("short, default path p50 ≤ 1 ms" + at_n, sd.p50, 1, false, " ms");
    target("short, default path p99 ≤ 5 ms" + at_n, sd.p99, 5, false, " ms");
    target("long, default path no slower than plain Xapian OR, p50 (default / Xapian)", ld.p50 / lx.p50, 1, false, "×");
    target("long, default path no slower than plain Xapian OR, p99 (default / Xapian)", ld.p99 / lx.p99, 1, false, "×");
    target("long, default path ≥ 10× faster than FTS5 OR, p50", lf.p50 / ld.p50, 10, true, "×");
    target("long, default path ≥ 10× faster than FTS5 OR, p99", lf.p99 / ld.p99, 10, true, "×");
    target("short, suggest = false, p50 ≤ 1 ms" + at_n, sns.p50, 1, false, " ms");
    if (!out_json.empty()) {
        nlohmann::ordered_json j = {{"corpus", "vietnews"}, {"documents", docs_read}, {"text_mb", mb},
                                    {"queries", queries.size()}, {"long_queries", long_queries.size()}, {"warmup_queries", warmup.size()}, {"seed", seed},
                                    {"indexes", reused ? "reused" : "built"}, {"built_at", built_at},
                                    {"results", out}, {"ratios", ratios}, {"build_cost", build_cost}, {"query_sets", sets}, {"targets_issue_11", targets}};
        if (held) j["held_in_memory_bytes"] = held->bytes();
        if (std::FILE* f = std::fopen(out_json.c_str(), "w")) {
            std::fputs(j.dump(2).c_str(), f);
            std::fclose(f);
        }
    }
    if (!keep) fs::remove_all(work);
    return 0;
}

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vnsearch-bench-perf: %s\n", e.what());
        return 1;
    }
}
