// A writer commits batches while readers search continuously, as threads and as separate
// processes: no error reaches a reader, and the document count never goes backwards.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

constexpr int kBatches = 60;
constexpr int kPerBatch = 20;

vnsearch::Document make_doc(int batch, int i) {
    vnsearch::Document d("b" + std::to_string(batch) + "-" + std::to_string(i));
    d.title = "Hội nghị xây dựng Đảng lần " + std::to_string(batch);
    d.body = "Đảng bộ huyện Chi Lăng tổ chức hội nghị. Nghị quyết số " + std::to_string(i) +
             " về công tác cán bộ, đảng viên ở Lạng Sơn.";
    return d;
}

void write_batches(const std::string& db) {
    vnsearch::Index ix(db);
    for (int b = 0; b < kBatches; ++b) {
        for (int i = 0; i < kPerBatch; ++i) ix.add(make_doc(b, i));
        ix.commit();
    }
}

/// Searches until `stop` (and at least once); returns the number of problems seen (errors,
/// a count going back, or no search done at all).
int read_until(const std::string& db, const std::atomic<bool>& stop) {
    int problems = 0, searches = 0;
    std::size_t last = 0;
    try {
        vnsearch::Searcher s(db);
        while (!stop.load() || searches == 0) {
            ++searches;
            s.reopen();
            auto r = s.search("hội nghị Chi Lăng", {.limit = 5, .snippet_chars = 60});
            std::size_t n = s.size();
            if (n < last) ++problems, std::fprintf(stderr, "count went back %zu -> %zu\n", last, n);
            last = n;
            if (n > 0 && r.hits.empty()) ++problems, std::fprintf(stderr, "no hits with %zu docs\n", n);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "reader error: %s\n", e.what());
        ++problems;
    }
    return problems;
}

}  // namespace

TEST_CASE("readers in threads never see errors while a writer commits", "[concurrency]") {
    TempDir dir;
    const std::string db = dir.str("db");
    { vnsearch::Index init(db); }  // create it empty
    std::atomic<bool> stop{false};
    std::vector<int> problems(4, 0);
    std::vector<std::thread> readers;
    for (int k = 0; k < 4; ++k) readers.emplace_back([&, k] { problems[static_cast<std::size_t>(k)] = read_until(db, stop); });
    write_batches(db);
    stop = true;
    for (auto& t : readers) t.join();
    for (int p : problems) CHECK(p == 0);
    vnsearch::Searcher s(db);
    CHECK(s.size() == static_cast<std::size_t>(kBatches * kPerBatch));
}

TEST_CASE("readers in separate processes never see errors while a writer commits", "[concurrency]") {
    TempDir dir;
    const std::string db = dir.str("db");
    { vnsearch::Index init(db); }
    const std::string stop_file = dir.str("stop");
    std::vector<pid_t> pids;
    for (int k = 0; k < 4; ++k) {
        pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            std::atomic<bool> stop{false};
            std::thread watcher([&] {
                while (access(stop_file.c_str(), F_OK) != 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                stop = true;
            });
            int p = read_until(db, stop);
            watcher.join();
            _exit(p == 0 ? 0 : 1);
        }
        pids.push_back(pid);
    }
    write_batches(db);
    FILE* f = std::fopen(stop_file.c_str(), "w");
    std::fclose(f);
    for (pid_t pid : pids) {
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }
}

namespace {

struct Answer {
    std::vector<std::string> ids;
    std::vector<double> scores;
    std::string suggestion;
    bool operator==(const Answer& o) const { return ids == o.ids && scores == o.scores && suggestion == o.suggestion; }
};

Answer answer(const vnsearch::Searcher& s, const std::string& q) {
    Answer a;
    auto r = s.search(q, {.limit = 10, .snippet_chars = 80});
    for (const auto& h : r) a.ids.push_back(h.id), a.scores.push_back(h.score);
    a.suggestion = r.suggestion;
    return a;
}

const std::vector<std::string> kQueries = {"hội nghị Chi Lăng", "chi lang", "\"nghị quyết\" -lạng", "dang vien lang son",
                                           "cán bộ OR đảng viên", "nghij quyeets"};

}  // namespace

TEST_CASE("one Searcher shared by 8 threads while a writer commits and reopen() runs", "[concurrency][threads]") {
    TempDir dir;
    const std::string db = dir.str("db");
    { vnsearch::Index init(db); }
    const vnsearch::Searcher shared(db);
    vnsearch::Searcher& reopener = const_cast<vnsearch::Searcher&>(shared);
    std::atomic<bool> stop{false};
    std::atomic<int> errors{0}, searches{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < 8; ++k)
        threads.emplace_back([&, k] {
            try {
                for (std::size_t i = 0; !stop.load() || i < kQueries.size(); ++i) {
                    answer(shared, kQueries[(i + static_cast<std::size_t>(k)) % kQueries.size()]);
                    (void)shared.size();
                    if (k == 0 && i % 5 == 0) reopener.reopen();  // while the others search
                    ++searches;
                }
            } catch (const std::exception& e) {
                std::fprintf(stderr, "shared searcher error: %s\n", e.what());
                ++errors;
            }
        });
    write_batches(db);
    stop = true;
    for (auto& t : threads) t.join();
    CHECK(errors == 0);
    CHECK(searches > 0);
    // Afterwards, every thread's answers equal those of a single thread on a fresh Searcher.
    reopener.reopen();
    const vnsearch::Searcher single(db);
    std::vector<Answer> expected;
    for (const auto& q : kQueries) expected.push_back(answer(single, q));
    std::vector<int> mismatches(8, 0);
    threads.clear();
    for (int k = 0; k < 8; ++k)
        threads.emplace_back([&, k] {
            for (int round = 0; round < 3; ++round)
                for (std::size_t i = 0; i < kQueries.size(); ++i)
                    if (!(answer(shared, kQueries[i]) == expected[i])) ++mismatches[static_cast<std::size_t>(k)];
        });
    for (auto& t : threads) t.join();
    for (int m : mismatches) CHECK(m == 0);
    CHECK(shared.size() == static_cast<std::size_t>(kBatches * kPerBatch));
}

TEST_CASE("readers see no error during a commit storm (a commit after every document)", "[concurrency][storm]") {
    TempDir dir;
    const std::string db = dir.str("db");
    { vnsearch::Index init(db); }
    std::atomic<bool> stop{false};
    std::atomic<int> errors{0};
    std::vector<std::thread> readers;
    for (int k = 0; k < 4; ++k)
        readers.emplace_back([&] {
            try {
                // Each opens its own Searcher while the writer commits (the constructor retries too).
                vnsearch::Searcher s(db);
                for (std::size_t i = 0; !stop.load() || i < 2; ++i) {
                    s.search(kQueries[i % kQueries.size()], {.limit = 5, .snippet_chars = 60});
                    s.suggest("chi lang hoi nghi");
                    if (i % 3 == 0) s.reopen();
                }
            } catch (const std::exception& e) {
                std::fprintf(stderr, "storm reader error: %s\n", e.what());
                ++errors;
            }
        });
    {
        vnsearch::Index ix(db);
        for (int i = 0; i < 300; ++i) {
            ix.add(make_doc(i / 20, i % 20 + 100 * (i / 20)));
            ix.commit();
        }
    }
    stop = true;
    for (auto& t : readers) t.join();
    CHECK(errors == 0);
    CHECK(vnsearch::Searcher(db).size() == 300);
}
