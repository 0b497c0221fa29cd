// Crash safety: the indexer is killed with SIGKILL at random points of a multi-batch
// ingestion, many times. After each kill the database opens and holds exactly the
// documents of a commit (a prefix of the input ending at a batch boundary); re-running
// the same ingestion converges to the full set, without duplicates.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <thread>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

constexpr int kDocs = 2500;
constexpr double kBatchMb = 0.125;

std::string doc_body(int i) {
    static const char* words[] = {"công tác", "xây dựng", "Đảng", "huyện", "Chi Lăng", "Thạch Thất", "nghị quyết",
                                  "đảng viên", "chi bộ", "cơ sở", "nâng cao", "chất lượng", "Huyện uỷ", "năm"};
    std::string b;
    std::mt19937 rng(static_cast<unsigned>(i));
    for (int k = 0; k < 60 + i % 40; ++k) b += std::string(words[rng() % 14]) + (k % 9 == 8 ? ". " : " ");
    return b;
}

/// The document counts at which the indexer commits, by the library's rule: after an add,
/// commit when the bytes (title + body) since the last commit reach the batch size.
std::set<int> commit_points(const std::vector<std::pair<std::string, std::string>>& docs) {
    std::set<int> points = {0};
    const auto limit = static_cast<std::size_t>(kBatchMb * 1024 * 1024);
    std::size_t pending = 0;
    for (int i = 0; i < static_cast<int>(docs.size()); ++i) {
        pending += docs[static_cast<std::size_t>(i)].first.size() + docs[static_cast<std::size_t>(i)].second.size();
        if (pending >= limit) {
            points.insert(i + 1);
            pending = 0;
        }
    }
    points.insert(static_cast<int>(docs.size()));
    return points;
}

int run_indexer(const std::string& db, const std::string& input, int kill_after_ms) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl(VNSEARCH_CLI, "vnsearch", "index", "-q", "--batch-mb", "0.125", "--db", db.c_str(), input.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    if (kill_after_ms >= 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
        kill(pid, SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

}  // namespace

TEST_CASE("SIGKILL during ingestion leaves the last commit, and re-running converges", "[crash]") {
    TempDir dir;
    const std::string input = dir.str("docs.jsonl"), db = dir.str("db");
    std::vector<std::pair<std::string, std::string>> docs;
    {
        std::ofstream out(input);
        for (int i = 0; i < kDocs; ++i) {
            std::string title = "Bài số " + std::to_string(i) + " về công tác Đảng";
            std::string body = doc_body(i);
            out << R"({"id": "doc-)" << i << R"(", "title": ")" << title << R"(", "text": ")" << body << "\"}\n";
            docs.emplace_back(title, body);
        }
    }
    const std::set<int> points = commit_points(docs);
    REQUIRE(points.size() > 10);  // really multi-batch

    // How long a whole run takes here, so kills can land inside one (no wall-clock
    // assertion: only the kill points scale with it).
    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(WIFEXITED(run_indexer(dir.str("timing-db"), input, -1)));
    const auto full_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    std::mt19937 rng(7);
    int killed_mid_run = 0, partial = 0;
    for (int round = 0; round < 12; ++round) {
        const auto delay = static_cast<int>(full_ms / 20 + static_cast<long>(rng() % 1000) * full_ms * 8 / 10 / 1000);
        int status = run_indexer(db, input, delay);
        if (WIFSIGNALED(status)) ++killed_mid_run;
        if (!std::filesystem::exists(db)) continue;  // killed before the database existed
        vnsearch::Searcher s(db);                   // opens after every kill
        const int n = static_cast<int>(s.size());
        partial += n > 0 && n < kDocs;
        INFO("round " << round << ": " << n << " documents");
        // A committed prefix: the count is a commit point and the last document of it is there.
        CHECK(points.count(n) == 1);
        if (n > 0) CHECK(s.search("id:doc-" + std::to_string(n - 1)).size() == 1);
        if (n < kDocs) CHECK(s.search("id:doc-" + std::to_string(n)).size() == 0);
    }
    CHECK(killed_mid_run > 0);
    CHECK(partial > 0);  // some kills landed between commits
    // The same ingestion, run to the end, converges to the full set with no duplicates.
    int status = run_indexer(db, input, -1);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    vnsearch::Searcher s(db);
    CHECK(s.size() == static_cast<std::size_t>(kDocs));
    for (int i = 0; i < kDocs; i += 97) CHECK(s.search("id:doc-" + std::to_string(i)).size() == 1);
    CHECK(s.search("\"bài số 1234\"").size() == 1);
}

TEST_CASE("a second writer gets a clear lock error: C++ and the CLI", "[lock]") {
    TempDir dir;
    const std::string db = dir.str("db");
    vnsearch::Index holder(db);
    CHECK_THROWS_AS(vnsearch::Index(db), vnsearch::LockError);
    const std::string err = dir.str("err");
    const std::string cmd = std::string(VNSEARCH_CLI) + " index --db '" + db + "' '" + VNSEARCH_CORPUS_DIR + "' 2>'" + err + "'";
    int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 1);
    std::ifstream in(err);
    std::string line;
    std::getline(in, line);
    CHECK(line == "vnsearch: error: database is locked by another writer: " + db);
    // Readers are never blocked by the writer.
    CHECK_NOTHROW(vnsearch::Searcher(db));
}
