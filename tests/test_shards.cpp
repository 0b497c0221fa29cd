// Sharded and remote search: one Searcher over a local shard and a shard served by Xapian's
// own xapian-tcpsrv gives the same results as one database holding all the documents.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

/// A free TCP port on 127.0.0.1 (bound to port 0, then released).
int free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    ::close(s);
    return ntohs(a.sin_port);
}

/// xapian-tcpsrv serving one database on 127.0.0.1, stopped when the object dies.
class TcpServer {
  public:
    TcpServer(const std::string& db, int port) {
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            // Its own process group: on SIGTERM the server signals its whole group (its
            // per-connection children), which must not include the test runner.
            ::setpgid(0, 0);
            const std::string p = std::to_string(port);
            ::execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", p.c_str(), "--quiet",
                     db.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
    }
    ~TcpServer() {
        ::kill(-pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    bool running() const {
        int status = 0;
        return ::waitpid(pid_, &status, WNOHANG) == 0;
    }

  private:
    pid_t pid_ = -1;
};

/// Opens the shards, retrying while the server starts listening.
vnsearch::Searcher open_when_ready(const std::vector<std::string>& shards, const TcpServer& server) {
    for (int attempt = 0;; ++attempt) {
        try {
            return vnsearch::Searcher(shards);
        } catch (const vnsearch::DatabaseError&) {
            REQUIRE(server.running());
            if (attempt > 100) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
}

}  // namespace

TEST_CASE("a local and a remote shard give the results of one database", "[shards]") {
    const auto docs = vnsearch_test::seed_paragraph_docs();
    REQUIRE(docs.size() > 40);
    TempDir dir("vnsearch-shards");
    {
        vnsearch::Index whole(dir.str("whole")), local(dir.str("local")), remote(dir.str("remote"));
        for (std::size_t i = 0; i < docs.size(); ++i) {
            whole.add(docs[i]);
            (i % 2 ? remote : local).add(docs[i]);
        }
    }
    const int port = free_port();
    TcpServer server(dir.str("remote"), port);
    const std::string remote_url = "tcp://127.0.0.1:" + std::to_string(port);
    vnsearch::Searcher sharded = open_when_ready({dir.str("local"), remote_url}, server);
    vnsearch::Searcher one(dir.str("whole"));

    CHECK(sharded.size() == docs.size());
    const auto info = sharded.info();
    CHECK(info.shards == 2);
    CHECK(info.remote_shards == 1);
    CHECK(info.scheme_version == 2);

    const char* queries[] = {"chi lang",     "Chi Lăng",         "thach that", "\"nghị quyết\"", "đảng bộ -lạng",
                             "chi bo OR hdnd", "lạng sơn",      "ủy ban",     "xã",            "nghi quyet 22"};
    std::size_t compared = 0;
    for (const char* q : queries) {
        for (auto sort : {vnsearch::SortOrder::relevance, vnsearch::SortOrder::date_desc}) {
            CAPTURE(q);
            vnsearch::SearchOptions opt;
            opt.limit = 10;
            opt.sort = sort;
            opt.facets = true;
            const auto a = one.search(q, opt);
            const auto b = sharded.search(q, opt);
            CHECK(a.total == b.total);
            REQUIRE(a.size() == b.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                CHECK(a.hits[i].id == b.hits[i].id);
                CHECK(a.hits[i].score == Approx(b.hits[i].score).epsilon(1e-9));
                CHECK(a.hits[i].snippet == b.hits[i].snippet);
                ++compared;
            }
            REQUIRE(a.sources.size() == b.sources.size());
            for (std::size_t i = 0; i < a.sources.size(); ++i) {
                CHECK(a.sources[i].value == b.sources[i].value);
                CHECK(a.sources[i].count == b.sources[i].count);
            }
            // The facet counts are those of all matches, not only of the page shown.
            vnsearch::SearchOptions all = opt;
            all.limit = 10000;
            std::map<std::string, std::size_t> by_source;
            for (const auto& h : one.search(q, all)) if (!h.source.empty()) ++by_source[h.source];
            for (const auto& f : a.sources) CHECK(by_source[f.value] == f.count);
            for (const auto& f : b.sources) CHECK(by_source[f.value] == f.count);
        }
    }
    CHECK(compared > 50);  // the queries do find things
    // Related articles: the expansion reads the term list and frequencies over both shards
    // (a remote one ranks every match, the local database its candidates): the same hits.
    std::size_t neighbours = 0;
    for (std::size_t i = 0; i < docs.size(); i += 7) {
        CAPTURE(docs[i].id);
        const auto a = one.similar(docs[i].id), b = sharded.similar(docs[i].id);
        REQUIRE(a.size() == b.size());
        for (std::size_t k = 0; k < a.size(); ++k) {
            CHECK(a.hits[k].id == b.hits[k].id);
            CHECK(a.hits[k].score == Approx(b.hits[k].score).epsilon(1e-9));
            ++neighbours;
        }
    }
    CHECK(neighbours > 20);
    // Suggestions read postings and documents through the same shards.
    CHECK(sharded.suggest("thach that").text == one.suggest("thach that").text);
    CHECK(sharded.suggest("thach that").text == "Thạch Thất");
    CHECK(sharded.suggest("nghij quyeets").reason == vnsearch::SuggestionReason::telex);
}

TEST_CASE("an unreachable or malformed remote shard is a clear DatabaseError", "[shards]") {
    const int port = free_port();  // nothing listens there
    try {
        vnsearch::Searcher s(std::vector<std::string>{vnsearch_test::seed_db(), "tcp://127.0.0.1:" + std::to_string(port)});
        FAIL("opened a shard nobody serves");
    } catch (const vnsearch::DatabaseError& e) {
        CHECK_THAT(e.what(), Catch::Contains("cannot reach remote shard tcp://127.0.0.1:"));
    }
    for (const char* bad : {"tcp://127.0.0.1", "tcp://:80", "tcp://host:99999", "tcp://host:12x"}) {
        CAPTURE(bad);
        CHECK_THROWS_WITH(vnsearch::Searcher(std::vector<std::string>{bad}), Catch::Contains("tcp://HOST:PORT"));
    }
    CHECK_THROWS_AS(vnsearch::Searcher(std::vector<std::string>{}), vnsearch::DatabaseError);
}


TEST_CASE("reopen() reconnects to a remote shard whose server restarted", "[shards][remote]") {
    TempDir dir("vnsearch-restart");
    {
        vnsearch::Index ix(dir.str("remote"));
        for (const auto& d : vnsearch_test::seed_paragraph_docs()) ix.add(d);
    }
    const int port = free_port();
    const std::string url = "tcp://127.0.0.1:" + std::to_string(port);
    auto server = std::make_unique<TcpServer>(dir.str("remote"), port);
    vnsearch::Searcher s = open_when_ready({url}, *server);
    const std::size_t before = s.search("Chi Lăng").total;
    REQUIRE(before > 0);
    server.reset();  // the server goes away and comes back on the same port
    server = std::make_unique<TcpServer>(dir.str("remote"), port);
    bool reconnected = false;
    for (int attempt = 0; attempt < 100 && !reconnected; ++attempt) {
        try {
            s.reopen();
            reconnected = true;
        } catch (const vnsearch::DatabaseError&) {
            REQUIRE(server->running());
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    REQUIRE(reconnected);
    CHECK(s.search("Chi Lăng").total == before);
}
