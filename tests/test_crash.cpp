// Crash safety: the indexer is killed with SIGKILL at random points of a multi-batch
// ingestion, many times (the points follow its progress, never the clock). After each kill the database opens and holds exactly the
// documents of a commit (a prefix of the input ending at a batch boundary); re-running
// the same ingestion converges to the full set, without duplicates.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
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

/// `vnsearch index` in a child process; threads "1" is the batch-by-batch writer.
pid_t start_indexer(const std::string& db, const std::string& input, const char* threads = "1") {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl(VNSEARCH_CLI, "vnsearch", "index", "-q", "--batch-mb", "0.125", "--threads", threads, "--db", db.c_str(),
              input.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    return pid;
}

int wait_for(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
}

/// Documents the database holds now (0 when it cannot be read yet).
std::size_t committed(const std::string& db) {
    try {
        return vnsearch::Searcher(db).size();
    } catch (const vnsearch::Error&) {
        return 0;
    }
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

    // Kill points follow progress, not the clock: each round picks a commit point above what
    // the database already holds (and below the end), waits until the running indexer has
    // committed past it, then kills it at once — somewhere inside a later batch.
    std::mt19937 rng(7);
    int rounds = 0;
    for (; rounds < 12; ++rounds) {
        const std::size_t have = committed(db);
        std::vector<int> ahead;
        for (int p : points)
            if (p > static_cast<int>(have) && p < kDocs) ahead.push_back(p);
        if (ahead.empty()) break;
        const int target = ahead[rng() % std::min<std::size_t>(ahead.size(), 4)];
        pid_t pid = start_indexer(db, input);
        int status = 0;
        bool exited = false;
        while (committed(db) < static_cast<std::size_t>(target)) {
            if (waitpid(pid, &status, WNOHANG) == pid) {
                exited = true;
                break;
            }
        }
        if (!exited) {
            kill(pid, SIGKILL);
            status = wait_for(pid);
        }
        INFO("round " << rounds << ": target " << target);
        CHECK(WIFSIGNALED(status));  // killed mid-run, never finished first
        vnsearch::Searcher s(db);   // opens after every kill
        const int n = static_cast<int>(s.size());
        INFO(n << " documents after the kill");
        // Exactly a committed prefix: the count is a commit point, its last document is there
        // and the next one is not.
        CHECK(points.count(n) == 1);
        CHECK(n >= target);
        CHECK(n < kDocs);
        if (n > 0) CHECK(s.search("id:doc-" + std::to_string(n - 1)).size() == 1);
        CHECK(s.search("id:doc-" + std::to_string(n)).size() == 0);
    }
    CHECK(rounds >= 5);
    // The same ingestion, run to the end, converges to the full set with no duplicates.
    int status = wait_for(start_indexer(db, input));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    vnsearch::Searcher s(db);
    CHECK(s.size() == static_cast<std::size_t>(kDocs));
    for (int i = 0; i < kDocs; i += 97) CHECK(s.search("id:doc-" + std::to_string(i)).size() == 1);
    CHECK(s.search("\"bài số 1234\"").size() == 1);

    // A parallel build of a new index is all or nothing: killed while its shards are being
    // written, it leaves no documents at the path; the next run cleans up and builds it whole,
    // the same as the batch-by-batch writer did.
    const std::string built = dir.str("built");
    pid_t pid = start_indexer(built, input, "2");
    bool exited = false;
    while (!std::filesystem::exists(built + ".vnsearch-build/chunk-00000000/iamglass")) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
    }
    if (!exited) {
        kill(pid, SIGKILL);
        status = wait_for(pid);
        CHECK(WIFSIGNALED(status));
        CHECK(committed(built) == 0);
        CHECK(std::filesystem::exists(built + ".vnsearch-build"));  // left behind by the kill
    }
    status = wait_for(start_indexer(built, input, "2"));
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_FALSE(std::filesystem::exists(built + ".vnsearch-build"));
    vnsearch::Searcher b(built);
    CHECK(b.size() == static_cast<std::size_t>(kDocs));
    for (const char* q : {"\"bài số 1234\"", "cong tac dang", "id:doc-7"}) {
        const auto x = s.search(q), y = b.search(q);
        REQUIRE(x.size() == y.size());
        for (std::size_t i = 0; i < x.size(); ++i) CHECK(x.hits[i].id == y.hits[i].id);
    }
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
