// The `vnsearch` CLI as a real process: JSON contracts, exit codes, error lines.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

struct Run {
    int status = -1;
    std::string out, err;
};

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

/// Runs the CLI with `args` (already shell-quoted), capturing stdout and stderr.
Run run(const std::string& args, const std::string& stdin_text = "", const std::string& env = "") {
    TempDir tmp("vnsearch-cli");
    std::string in = tmp.str("in"), err = tmp.str("err");
    std::ofstream(in) << stdin_text;
    std::string cmd = env + (env.empty() ? "" : " ") + std::string(VNSEARCH_CLI) + " " + args + " <" + quote(in) + " 2>" + quote(err);
    Run r;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    std::ifstream e(err);
    r.err.assign(std::istreambuf_iterator<char>(e), std::istreambuf_iterator<char>());
    return r;
}

int count_lines(const std::string& s) {
    int n = 0;
    for (char c : s) n += c == '\n';
    return n;
}

}  // namespace

TEST_CASE("vnsearch analyze --json follows the token contract", "[cli]") {
    auto r = run("analyze --json " + quote("Huyện uỷ 03-NQ/HU ngày 25/07/2024 có 3.337 đảng viên"));
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["tokens"].is_array());
    const auto& t0 = j["tokens"][0];
    for (const char* key : {"text", "exact", "folded", "start", "end", "position", "kind"}) CHECK(t0.contains(key));
    CHECK(t0["text"] == "Huyện");
    CHECK(t0["exact"] == "huyện");
    CHECK(t0["folded"] == "huyen");
    CHECK(t0["start"] == 0);
    CHECK(t0["end"] == 7);
    CHECK(t0["kind"] == "word");
    std::vector<std::string> kinds;
    for (const auto& t : j["tokens"]) kinds.push_back(t["kind"]);
    CHECK(std::find(kinds.begin(), kinds.end(), "code") != kinds.end());
    CHECK(std::find(kinds.begin(), kinds.end(), "date") != kinds.end());
    CHECK(std::find(kinds.begin(), kinds.end(), "number") != kinds.end());
    auto from_stdin = run("analyze --json -", "Chi Lăng");
    REQUIRE(from_stdin.status == 0);
    CHECK(nlohmann::json::parse(from_stdin.out)["tokens"][1]["folded"] == "lang");
}

TEST_CASE("vnsearch index and search: the JSON contract", "[cli]") {
    TempDir dir;
    const std::string db = dir.str("db");
    auto ix = run("index --db " + quote(db) + " " + quote(VNSEARCH_CORPUS_DIR));
    INFO(ix.err);
    REQUIRE(ix.status == 0);
    CHECK(ix.err.find("5 added") != std::string::npos);
    for (std::string q : {"chi lang", "Chi Lăng"}) {
        auto s = run("search --db " + quote(db) + " --limit 3 --json " + quote(q));
        REQUIRE(s.status == 0);
        auto j = nlohmann::json::parse(s.out);
        CHECK(j["query"] == q);
        CHECK(j["total"].get<int>() >= 1);
        REQUIRE(j["hits"].size() <= 3);
        const auto& h = j["hits"][0];
        CHECK(h["id"] == "000_36fbaf0990d157c1");
        CHECK(h["title"] == "Công tác xây dựng Đảng ở Chi Lăng");
        CHECK(h["date"] == "2024-07-25");
        CHECK(h["score"].is_number());
        CHECK(h["snippet"].get<std::string>().find("<b>") != std::string::npos);
    }
    // Re-indexing replaces by id.
    auto again = run("index --db " + quote(db) + " " + quote(VNSEARCH_CORPUS_DIR));
    CHECK(again.err.find("5 replaced") != std::string::npos);
    auto stats = run("stats --json --db " + quote(db));
    REQUIRE(stats.status == 0);
    CHECK(nlohmann::json::parse(stats.out)["documents"] == 5);
    // Piped output is plain: no escape codes.
    auto plain = run("search --db " + quote(db) + " " + quote("chi lang"));
    REQUIRE(plain.status == 0);
    CHECK(plain.out.find('\x1b') == std::string::npos);
    CHECK(plain.out.find("Chi Lăng") != std::string::npos);
    auto del = run("delete --db " + quote(db) + " 000_36fbaf0990d157c1");
    CHECK(del.status == 0);
    auto after = run("search --db " + quote(db) + " --json " + quote("\"Chi Lăng\""));
    CHECK(nlohmann::json::parse(after.out)["total"] == 0);
}

TEST_CASE("vnsearch errors: one clear line on stderr and a non-zero exit", "[cli]") {
    TempDir dir;
    auto missing = run("search --db " + quote(dir.str("nope")) + " chi");
    CHECK(missing.status == 1);
    CHECK(count_lines(missing.err) == 1);
    CHECK(missing.err.find("no database") != std::string::npos);
    CHECK(missing.out.empty());

    auto unreadable = run("index --db " + quote(dir.str("db")) + " " + quote(dir.str("no-such-file.txt")));
    CHECK(unreadable.status != 0);
    CHECK(unreadable.err.find("no-such-file.txt") != std::string::npos);

    auto usage = run("search");
    CHECK(usage.status == 2);
    auto bad_sort = run("search --sort sideways chi");
    CHECK(bad_sort.status == 2);
}

TEST_CASE("vnsearch errors: a database it may not read or lock says so, not 'no database' or 'locked'", "[cli]") {
    // Root reads and writes anything: the check runs as another user then.
    std::string as;
    if (geteuid() == 0) {
        if (std::system("command -v setpriv >/dev/null 2>&1") != 0) {
            WARN("setpriv not found: permission errors not checked as root");
            return;
        }
        as = "setpriv --reuid=nobody --regid=nogroup --clear-groups";
    }
    TempDir dir("vnsearch-perm");
    ::chmod(dir.path().c_str(), 0755);
    const std::string db = dir.str("db");
    REQUIRE(run("index -q --db " + quote(db) + " " + quote(std::string(VNSEARCH_CORPUS_DIR))).status == 0);
    for (const auto& f : std::filesystem::directory_iterator(db)) ::chmod(f.path().c_str(), 0444);
    ::chmod(db.c_str(), 0555);
    // Files it may read but not write: searching works, writing says why it cannot lock.
    CHECK(run("search --db " + quote(db) + " chi", "", as).status == 0);
    const Run w = run("remove --db " + quote(db) + " 000_36fbaf0990d157c1", "", as);
    CHECK(w.status == 1);
    CHECK(w.err.find("locked by another writer") == std::string::npos);
    CHECK(w.err.find("Permission denied") != std::string::npos);
    // A folder it may not enter: not "no database".
    ::chmod(db.c_str(), 0);
    const Run r = run("search --db " + quote(db) + " chi", "", as);
    CHECK(r.status == 1);
    CHECK(r.err.find("no database") == std::string::npos);
    CHECK(r.err.find("Permission denied") != std::string::npos);
    ::chmod(db.c_str(), 0755);
    for (const auto& f : std::filesystem::directory_iterator(db)) ::chmod(f.path().c_str(), 0644);
}

TEST_CASE("docs/cli.md contains the real --help of every subcommand", "[cli][docs]") {
    std::ifstream in(std::string(VNSEARCH_SOURCE_DIR) + "/docs/cli.md");
    REQUIRE(in);
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::string sub : {"", "analyze", "index", "search", "similar", "suggest", "stats", "get", "remove", "abbrev",
                            "abbrev list", "abbrev add"}) {
        auto r = run(sub + (sub.empty() ? "" : " ") + "--help");
        INFO("vnsearch " << sub << " --help (regenerate docs/cli.md with examples/cli/gen_cli_md.sh)");
        REQUIRE(r.status == 0);
        CHECK(doc.find("```\n" + r.out + "```") != std::string::npos);
    }
}

TEST_CASE("without --db the CLI uses $VNSEARCH_DB", "[cli]") {
    TempDir dir;
    const std::string env = "VNSEARCH_DB=" + quote(dir.str("envdb"));
    auto ix = run("index -q " + quote(std::string(VNSEARCH_CORPUS_DIR) + "/002_e8d5dcae7cb99294.txt"), "", env);
    REQUIRE(ix.status == 0);
    CHECK(std::filesystem::exists(dir.path() / "envdb"));
    auto s = run("search --json " + quote("nghị quyết 22"), "", env);
    REQUIRE(s.status == 0);
    CHECK(nlohmann::json::parse(s.out)["hits"][0]["id"] == "002_e8d5dcae7cb99294");
}

TEST_CASE("on a terminal: colour in search, a progress bar in index", "[cli][tty]") {
    if (std::system("command -v script >/dev/null 2>&1") != 0) {
        WARN("util-linux `script` not found: TTY behaviour not checked");
        return;
    }
    TempDir dir;
    const std::string db = dir.str("db"), log = dir.str("tty.log");
    // `script` runs the command on a pseudo-terminal and records what it printed.
    auto on_tty = [&](const std::string& args) {
        std::string cmd = "script -qec " + quote(std::string(VNSEARCH_CLI) + " " + args) + " " + quote(log) +
                          " >/dev/null 2>&1 </dev/null";
        REQUIRE(std::system(cmd.c_str()) == 0);
        std::ifstream in(log, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    };
    const std::string index_out = on_tty("index --db " + quote(db) + " " + quote(VNSEARCH_CORPUS_DIR));
    CHECK(index_out.find("docs/s") != std::string::npos);
    CHECK(index_out.find("ETA") != std::string::npos);
    CHECK(index_out.find("5 added") != std::string::npos);
    const std::string search_out = on_tty("search --db " + quote(db) + " " + quote("chi lang"));
    CHECK(search_out.find("\x1b[1;33mChi\x1b[0m") != std::string::npos);  // highlighted in colour
}

TEST_CASE("paging: a 64-bit --offset finds nothing instead of wrapping", "[cli][numeric]") {
    TempDir dir;
    const std::string db = dir.str("db");
    REQUIRE(run("index -q --db " + quote(db) + " " + quote(VNSEARCH_CORPUS_DIR)).status == 0);
    auto page2 = run("search --json --offset 1 --db " + quote(db) + " " + quote("chi lang"));
    REQUIRE(page2.status == 0);
    REQUIRE(!nlohmann::json::parse(page2.out)["hits"].empty());
    CHECK(nlohmann::json::parse(page2.out)["hits"][0]["rank"] == 2);
    for (std::string offset : {"4294967295", "4294967296", "4294967297", "18446744073709551615"}) {
        for (std::string limit : {"10", "18446744073709551615"}) {
            INFO("--offset " << offset << " --limit " << limit);
            auto r = run("search --json --offset " + offset + " --limit " + limit + " --db " + quote(db) + " " + quote("chi lang"));
            REQUIRE(r.status == 0);
            auto j = nlohmann::json::parse(r.out);
            CHECK(j["total"].get<int>() >= 1);
            CHECK(j["hits"].empty());
        }
        auto plain = run("search --offset " + offset + " --db " + quote(db) + " " + quote("chi lang"));
        CHECK(plain.status == 0);
        CHECK(plain.out.find("Chi Lăng\n") == std::string::npos);  // no hit printed
    }
    // Near the 32-bit edge, offset + limit must not wrap either.
    auto edge = run("search --json --offset 4294967290 --limit 100 --db " + quote(db) + " " + quote("chi lang"));
    REQUIRE(edge.status == 0);
    CHECK(nlohmann::json::parse(edge.out)["hits"].empty());
}

TEST_CASE("numeric options: negative, overflowing or garbage values are usage errors", "[cli][numeric]") {
    TempDir dir;
    const std::string db = dir.str("db");
    const std::vector<std::pair<std::string, std::string>> search_bad = {
        {"--limit", "-1"},  {"--offset", "-5"},   {"-n", "-1"},    {"--limit", "abc"},
        {"--limit", "99999999999999999999"},      {"--offset", "18446744073709551616"},
        {"--offset", "0x10"}, {"--limit", "+3"},  {"--limit", " 3"}, {"--offset", "1e3"},
        {"--limit", "3.5"}, {"--offset", ""},
        {"--snippet-chars", "-1"}, {"--snippet-chars", "18446744073709551616"}, {"--snippet-chars", "1000001"},
        {"--snippet-chars", "ten"},
    };
    for (const auto& [opt, value] : search_bad) {
        INFO(opt << " " << value);
        auto r = run("search --db " + quote(db) + " " + opt + " " + quote(value) + " chi");
        CHECK(r.status == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find(opt == "-n" ? "--limit" : opt) != std::string::npos);  // names the option
    }
    const std::vector<std::pair<std::string, std::string>> index_bad = {
        {"--threads", "-1"},   {"--threads", "4294967296"}, {"--threads", "5000"}, {"--threads", "two"},
        {"--batch-mb", "-1"},  {"--batch-mb", "0"},         {"--batch-mb", "nan"}, {"--batch-mb", "inf"},
        {"--batch-mb", "1e400"}, {"--batch-mb", "65537"},   {"--batch-mb", "4MB"},
    };
    for (const auto& [opt, value] : index_bad) {
        INFO(opt << " " << value);
        auto r = run("index -q --db " + quote(db) + " " + opt + " " + quote(value) + " " + quote(VNSEARCH_CORPUS_DIR));
        CHECK(r.status == 2);
        CHECK(r.err.find(opt) != std::string::npos);
        CHECK_FALSE(std::filesystem::exists(db));  // refused before anything was written
    }
    // The edges that are allowed.
    CHECK(run("index -q --threads 2 --batch-mb 0.5 --db " + quote(db) + " " + quote(VNSEARCH_CORPUS_DIR)).status == 0);
    CHECK(run("search -n 0 --offset 0 --db " + quote(db) + " chi").status == 0);
}

TEST_CASE("escape sequences in indexed text never reach the terminal raw", "[cli][tty][escapes]") {
    TempDir dir;
    const std::string db = dir.str("db"), input = dir.str("evil.jsonl");
    // A window-title OSC, clear-screen CSI, 8-bit CSI (C1), NEL and a bidi override.
    std::ofstream(input) << R"({"id": "evil\u001b[2J-1", "title": "Chi Lăng \u001b]0;pwned\u0007 tiêu đề \u009b31m đỏ", )"
                         << R"("body": "Thân bài \u001b[2J xoá màn hình ở Chi Lăng \u202e đảo \u0085 chiều", "source": "nld\u001b[5m"})"
                         << '\n';
    // An empty file whose name holds an escape: the skip message names it, made visible.
    std::ofstream(dir.str("bad\x1b[2Jname.txt")).close();
    auto ix = run("index --db " + quote(db) + " " + quote(input) + " " + quote(dir.str("bad\x1b[2Jname.txt")));
    CHECK(ix.status == 3);
    CHECK(ix.err.find("bad\\x1b[2Jname.txt: empty file") != std::string::npos);
    CHECK(ix.err.find("\x1b[2J") == std::string::npos);

    auto raw_controls = [](const std::string& out) {
        std::vector<std::string> found;
        for (const char* bad : {"\x1b]", "\x1b[2J", "\x1b[5m", "\x07", "\xc2\x9b", "\xc2\x85", "\xe2\x80\xae"})
            if (out.find(bad) != std::string::npos) found.push_back(bad);
        return found;
    };
    SECTION("plain output (piped)") {
        auto r = run("search --db " + quote(db) + " " + quote("chi lang"));
        REQUIRE(r.status == 0);
        CHECK(raw_controls(r.out).empty());
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(r.out.find("Chi Lăng \\x1b]0;pwned\\x07 tiêu đề \\u009b31m đỏ") != std::string::npos);  // title
        CHECK(r.out.find("evil\\x1b[2J-1") != std::string::npos);                                     // id
        CHECK(r.out.find("nld\\x1b[5m") != std::string::npos);                                        // source
        CHECK(r.out.find("Thân bài \\x1b[2J xoá") != std::string::npos);                              // snippet
        CHECK(r.out.find("\\u202e đảo \\u0085 chiều") != std::string::npos);
    }
    SECTION("JSON: escaped by the encoder, the same strings once parsed") {
        auto r = run("search --json --db " + quote(db) + " " + quote("chi lang"));
        REQUIRE(r.status == 0);
        CHECK(raw_controls(r.out).empty());
        CHECK(r.out.find('\x1b') == std::string::npos);
        auto j = nlohmann::json::parse(r.out);
        CHECK(j["hits"][0]["title"] == "Chi Lăng \x1b]0;pwned\x07 tiêu đề \xc2\x9b" "31m đỏ");
        CHECK(j["hits"][0]["id"] == "evil\x1b[2J-1");
    }
    SECTION("on a terminal") {
        if (std::system("command -v script >/dev/null 2>&1") != 0) {
            WARN("util-linux `script` not found: TTY behaviour not checked");
            return;
        }
        const std::string log = dir.str("tty.log");
        std::string cmd = "script -qec " + quote(std::string(VNSEARCH_CLI) + " search --db " + quote(db) + " " + quote("chi lang")) +
                          " " + quote(log) + " >/dev/null 2>&1 </dev/null";
        REQUIRE(std::system(cmd.c_str()) == 0);
        std::ifstream in(log, std::ios::binary);
        const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(raw_controls(out).empty());
        CHECK(out.find("\\x1b]0;pwned\\x07") != std::string::npos);
        CHECK(out.find("\x1b[1;33mChi\x1b[0m") != std::string::npos);  // our own colour still works
    }
}

TEST_CASE("database paths: a trailing slash, '.' and a symlink work, remote databases are refused for writing", "[cli][db-path]") {
    namespace fs = std::filesystem;
    const std::string corpus = quote(VNSEARCH_CORPUS_DIR);
    auto documents = [](const std::string& db) {
        auto s = run("stats --json --db " + quote(db));
        return s.status == 0 ? nlohmann::json::parse(s.out)["documents"].get<int>() : -1;
    };
    // --threads 1: one writer (Index); --threads 2: the parallel builder, which builds beside
    // the target and moves the result into it.
    for (std::string threads : {"1", "2"}) {
        DYNAMIC_SECTION("--threads " << threads) {
            TempDir dir;
            SECTION("a trailing slash") {
                auto r = run("index -q --threads " + threads + " --db " + quote(dir.str("newdb") + "/") + " " + corpus);
                INFO(r.err);
                CHECK(r.status == 0);
                CHECK(documents(dir.str("newdb")) == 5);
                CHECK_FALSE(fs::exists(dir.str("newdb/.vnsearch-build")));
                CHECK_FALSE(fs::exists(dir.str("newdb.vnsearch-build")));
            }
            SECTION("'.', an empty current directory") {
                fs::create_directories(dir.path() / "here");
                auto r = run("index -q --threads " + threads + " --db . " + corpus, "", "cd " + quote(dir.str("here")) + " &&");
                INFO(r.err);
                CHECK(r.status == 0);
                CHECK(documents(dir.str("here")) == 5);
                // The directory is the same one (a shell standing in it still sees the index).
                auto again = run("search --json --db . " + quote("chi lang"), "", "cd " + quote(dir.str("here")) + " &&");
                CHECK(again.status == 0);
            }
            SECTION("a symlink to an empty directory stays a symlink; the data lands in its target") {
                fs::create_directories(dir.path() / "real");
                fs::create_directory_symlink("real", dir.path() / "link");
                auto r = run("index -q --threads " + threads + " --db " + quote(dir.str("link")) + " " + corpus);
                INFO(r.err);
                CHECK(r.status == 0);
                CHECK(fs::is_symlink(dir.path() / "link"));
                CHECK(fs::read_symlink(dir.path() / "link") == "real");
                CHECK(fs::exists(dir.path() / "real" / "iamglass"));
                CHECK(documents(dir.str("real")) == 5);
                CHECK(documents(dir.str("link")) == 5);
                CHECK_FALSE(fs::exists(dir.str("real.vnsearch-build")));
                CHECK_FALSE(fs::exists(dir.str("link.vnsearch-build")));
            }
        }
    }
    SECTION("tcp:// is read-only: index, delete and abbrev add refuse it (exit 2)") {
        TempDir dir;
        const std::string cd = "cd " + quote(dir.str()) + " &&";
        for (std::string args : {"index --db tcp://127.0.0.1:1 " + corpus, std::string("delete --db tcp://127.0.0.1:1 some-id"),
                                 std::string("abbrev add --db tcp://127.0.0.1:1 HTCT 'hệ thống chính trị'")}) {
            INFO(args);
            auto r = run(args, "", cd);
            CHECK(r.status == 2);
            CHECK(r.err.find("remote databases are read-only: tcp://127.0.0.1:1") != std::string::npos);
            CHECK(count_lines(r.err) == 1);
        }
        CHECK(fs::is_empty(dir.path()));  // no "tcp:" directory made
        auto env = run("index -q " + corpus, "", cd + " VNSEARCH_DB=tcp://127.0.0.1:1");
        CHECK(env.status == 2);
    }
}

TEST_CASE("an unreadable subdirectory is skipped with one message naming it, and good files are indexed", "[cli][permissions]") {
    namespace fs = std::filesystem;
    // Root reads any directory, so as root the CLI runs as nobody (65534) through setpriv.
    std::string as_user;
    if (geteuid() == 0) {
        if (std::system("setpriv --reuid=65534 --regid=65534 --clear-groups true >/dev/null 2>&1") != 0) {
            WARN("SKIPPED: running as root and cannot drop to an unprivileged user with setpriv");
            return;
        }
        as_user = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    }
    // A directory the unprivileged user can reach: /tmp/vnsearch-perm-XXXXXX, mode 755.
    char tmpl[] = "/tmp/vnsearch-perm-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    const fs::path top = tmpl;
    struct Cleanup {
        fs::path top;
        ~Cleanup() {
            std::error_code ec;
            fs::permissions(top / "in" / "locked", fs::perms::owner_all, ec);
            fs::remove_all(top, ec);
        }
    } cleanup{top};
    chmod(top.c_str(), 0755);
    fs::create_directories(top / "in" / "locked");
    fs::create_directories(top / "in" / "z" / "deeper");
    fs::create_directories(top / "out");
    chmod((top / "out").c_str(), 0777);
    const std::string corpus = VNSEARCH_CORPUS_DIR;
    fs::copy_file(corpus + "/000_36fbaf0990d157c1.txt", top / "in" / "a.txt");
    fs::copy_file(corpus + "/001_1d85e84d585870a7.txt", top / "in" / "locked" / "b.txt");
    fs::copy_file(corpus + "/002_e8d5dcae7cb99294.txt", top / "in" / "z" / "deeper" / "c.txt");
    for (const auto& p : fs::recursive_directory_iterator(top)) chmod(p.path().c_str(), p.is_directory() ? 0755 : 0644);
    chmod((top / "out").c_str(), 0777);
    chmod((top / "in" / "locked").c_str(), 0);
    if (std::system((as_user + " ls " + quote((top / "in" / "locked").string()) + " >/dev/null 2>&1").c_str()) == 0) {
        WARN("SKIPPED: this user can read a chmod 000 directory (capabilities?)");
        return;
    }
    for (std::string threads : {"1", "2"}) {
        INFO("--threads " << threads);
        const std::string db = (top / "out" / ("db" + threads)).string();
        auto r = run("index --threads " + threads + " --db " + quote(db) + " " + quote((top / "in").string()), "", as_user);
        INFO(r.err);
        CHECK(r.status == 3);
        CHECK(r.err.find("cannot increment") == std::string::npos);
        // One message, naming the directory.
        int skipped = 0;
        for (std::size_t p = r.err.find("vnsearch: skipped"); p != std::string::npos; p = r.err.find("vnsearch: skipped", p + 1)) ++skipped;
        CHECK(skipped == 1);
        CHECK(r.err.find("vnsearch: skipped " + (top / "in" / "locked").string() + ": cannot read directory: Permission denied") !=
              std::string::npos);
        CHECK(r.err.find("2 added") != std::string::npos);
        auto stats = run("stats --json --db " + quote(db));
        REQUIRE(stats.status == 0);
        CHECK(nlohmann::json::parse(stats.out)["documents"] == 2);  // a.txt and z/deeper/c.txt
    }
}

TEST_CASE("vnsearch search: the no-suggest flag skips the suggestion and the default makes it", "[cli][suggest]") {
    const std::string db = quote(vnsearch_test::seed_db());
    auto with = run("search --db " + db + " --json --limit 1 " + quote("chi lang"));
    REQUIRE(with.status == 0);
    CHECK(nlohmann::json::parse(with.out).value("suggestion", "") == "Chi Lăng");
    auto without = run("search --db " + db + " --json --no-suggest --limit 1 " + quote("chi lang"));
    REQUIRE(without.status == 0);
    const auto j = nlohmann::json::parse(without.out);
    CHECK(!j.contains("suggestion"));
    CHECK(j["hits"].size() == 1);
}

TEST_CASE("vnsearch search: --exhaustive also ranks the documents holding only common words", "[cli][candidates]") {
    // "của" in all 1,503 documents (common: over 10 % and 1,000 of them), "lăng" in 15.
    vnsearch_test::TempDir dir("vnsearch-cli-exhaustive");
    std::string jsonl;
    for (int i = 0; i < 1500; ++i)
        jsonl += "{\"id\": \"d" + std::to_string(i) + "\", \"body\": \"của " + (i % 100 ? "thành " : "lăng ") + std::to_string(i) + "\"}\n";
    for (int i = 0; i < 3; ++i) jsonl += "{\"id\": \"only" + std::to_string(i) + "\", \"body\": \"của của\"}\n";
    const std::string db = quote(dir.str("db"));
    REQUIRE(run("index -q --db " + db + " -", jsonl).status == 0);
    auto count = [&](const std::string& flags) {
        auto r = run("search --json --no-suggest --limit 2000 " + flags + "--db " + db + " " + quote("lăng của"));
        REQUIRE(r.status == 0);
        return nlohmann::json::parse(r.out)["hits"].size();
    };
    CHECK(count("") == 15);
    CHECK(count("--exhaustive ") == 1503);
}

namespace {

/// JSONL of `n` documents: "xanh" in every second, "đỏ" in every third, dated except every
/// fifth, lengths varying (so that an AND of the two can only be estimated from one page).
std::string generated_jsonl(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
        nlohmann::json j = {{"id", "g" + std::to_string(i)},
                            {"title", "Tin số " + std::to_string(i)},
                            {"body", std::string("hội nghị") + (i % 2 == 0 ? " xanh" : "") + (i % 3 == 0 ? " đỏ" : "") +
                                         std::string(static_cast<std::size_t>(i % 7), '.') + " thêm chữ"}};
        if (i % 5 != 0) j["date"] = std::to_string(2000 + i % 20) + "-01-01";
        out += j.dump() + "\n";
    }
    return out;
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace

TEST_CASE("vnsearch index - reads JSONL from standard input", "[cli][stdin]") {
    TempDir dir;
    const std::string db = dir.str("db");
    const std::string jsonl = "{\"id\": \"a\", \"title\": \"Chi Lăng\", \"body\": \"Huyện Chi Lăng\"}\n"
                              "not json\n"
                              "{\"id\": \"b\", \"title\": \"Lạng Sơn\", \"body\": \"Tỉnh Lạng Sơn\"}\n";
    auto ix = run("index --db " + quote(db) + " -", jsonl);
    INFO(ix.err);
    CHECK(ix.status == 3);  // one bad line
    CHECK(ix.err.find("<stdin>:2: not a JSON object") != std::string::npos);
    CHECK(ix.err.find("2 added") != std::string::npos);
    auto s = run("search --json --db " + quote(db) + " " + quote("chi lang"));
    REQUIRE(s.status == 0);
    CHECK(nlohmann::json::parse(s.out)["hits"][0]["id"] == "a");
    // Through a real pipe, and next to a path.
    if (std::system("command -v gzip >/dev/null 2>&1") == 0) {
        std::ofstream(dir.str("x.jsonl")) << "{\"id\": \"c\", \"title\": \"Quế Phong\", \"body\": \"Nghệ An\"}\n";
        REQUIRE(std::system(("gzip -k " + quote(dir.str("x.jsonl"))).c_str()) == 0);
        const std::string cmd = "gzip -dc " + quote(dir.str("x.jsonl.gz")) + " | " + VNSEARCH_CLI + " index -q --db " +
                                quote(dir.str("db2")) + " - " + quote(VNSEARCH_CORPUS_DIR) + " 2>/dev/null";
        CHECK(std::system(cmd.c_str()) == 0);
        auto st = run("stats --json --db " + quote(dir.str("db2")));
        CHECK(nlohmann::json::parse(st.out)["documents"] == 6);
    }
}

TEST_CASE("vnsearch search: exact and estimated totals, --limit 0 counts exactly", "[cli][total]") {
    TempDir dir;
    const std::string db = quote(dir.str("db"));
    REQUIRE(run("index -q --db " + db + " -", generated_jsonl(3000)).status == 0);
    // "xanh" AND "đỏ": one page cannot tell how many, so the total is an estimate.
    auto est = run("search --json --no-suggest --limit 5 --db " + db + " " + quote("+xanh +đỏ"));
    REQUIRE(est.status == 0);
    auto ej = nlohmann::json::parse(est.out);
    CHECK(ej["total_exact"] == false);
    auto est_plain = run("search --no-suggest --limit 5 --db " + db + " " + quote("+xanh +đỏ"));
    CHECK(first_line(est_plain.out).rfind("about ", 0) == 0);
    CHECK(first_line(est_plain.out).find(" results for ") != std::string::npos);
    // --limit 0: no hits, the exact count.
    auto count = run("search --json --no-suggest --limit 0 --db " + db + " " + quote("+xanh +đỏ"));
    auto cj = nlohmann::json::parse(count.out);
    CHECK(cj["total_exact"] == true);
    CHECK(cj["total"] == 500);
    CHECK(cj["hits"].empty());
    auto count_plain = run("search --no-suggest --limit 0 --db " + db + " " + quote("+xanh +đỏ"));
    CHECK(first_line(count_plain.out) == "500 results for \"+xanh +đỏ\"");
    // Thousands are grouped.
    auto all = run("search --no-suggest --limit 0 --db " + db + " " + quote("hội nghị"));
    CHECK(first_line(all.out) == "3,000 results for \"hội nghị\"");
    auto one = run("search --no-suggest --json --db " + db + " " + quote("id:g7"));
    CHECK(nlohmann::json::parse(one.out)["total"] == 1);
    CHECK(nlohmann::json::parse(one.out)["total_exact"] == true);
    CHECK(first_line(run("search --no-suggest --db " + db + " " + quote("id:g7")).out) == "1 result for \"id:g7\"");
}

TEST_CASE("vnsearch search: the header shows the query once, without doubled quotes", "[cli][header]") {
    const std::string db = quote(vnsearch_test::seed_db());
    auto phrase = run("search --no-suggest --db " + db + " " + quote("\"Chi Lăng\""));
    REQUIRE(phrase.status == 0);
    const std::string header = first_line(phrase.out);
    CHECK(header.find("for '\"Chi Lăng\"'") != std::string::npos);
    CHECK(header.find("\"\"") == std::string::npos);
    auto plain = run("search --no-suggest --db " + db + " " + quote("chi lang"));
    const std::string h2 = first_line(plain.out);
    CHECK(h2.find("for \"chi lang\"") != std::string::npos);
    CHECK(h2.find("chi lang") == h2.rfind("chi lang"));  // once
}

TEST_CASE("vnsearch search --json: highlight spans into the unmarked snippet", "[cli][highlights]") {
    TempDir dir;
    const std::string db = quote(dir.str("db"));
    // The body itself contains "<b>": a client must not take it for a highlight.
    const std::string jsonl = "{\"id\": \"m\", \"title\": \"t\", \"body\": \"Mã <b>giả</b> ở huyện Chi Lăng, tỉnh Hà Nội.\"}\n";
    REQUIRE(run("index -q --db " + db + " -", jsonl).status == 0);
    auto r = run("search --json --db " + db + " " + quote("chi lang"));
    REQUIRE(r.status == 0);
    const auto hit = nlohmann::json::parse(r.out)["hits"][0];
    const std::string text = hit["snippet_text"];
    CHECK(text.find("<b>giả</b>") != std::string::npos);
    REQUIRE(hit["highlights"].size() == 2);
    std::vector<std::string> words;
    std::vector<std::size_t> lengths;
    for (const auto& span : hit["highlights"]) {
        const std::size_t start = span["start"], end = span["end"];
        words.push_back(text.substr(start, end - start));
        // char_start/char_end count code points: "Mã" has 2 characters and 3 bytes.
        std::size_t chars = 0;
        for (std::size_t i = 0; i < start; ++i) chars += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
        CHECK(span["char_start"] == chars);
        lengths.push_back(span["char_end"].get<std::size_t>() - span["char_start"].get<std::size_t>());
    }
    CHECK(words == std::vector<std::string>{"Chi", "Lăng"});
    CHECK(lengths == std::vector<std::size_t>{3, 4});  // characters, where "Lăng" has 5 bytes
    CHECK(hit["snippet"] == "Mã <b>giả</b> ở huyện <b>Chi</b> <b>Lăng</b>, tỉnh Hà Nội.");
}

TEST_CASE("vnsearch search: --color, --snippet-chars and --sort", "[cli][color][sort]") {
    TempDir dir;
    const std::string db = quote(dir.str("db"));
    REQUIRE(run("index -q --db " + db + " -", generated_jsonl(30)).status == 0);
    const std::string q = quote("xanh");
    SECTION("colour: always, never, auto") {
        auto always = run("search --color=always --db " + db + " " + q);
        REQUIRE(always.status == 0);
        CHECK(always.out.find("\x1b[1;33mxanh\x1b[0m") != std::string::npos);  // into a pipe too (| less -R)
        CHECK(run("search --color always --db " + db + " " + q).out == always.out);
        CHECK(run("search --color=always --db " + db + " " + q, "", "NO_COLOR=1").out == always.out);
        for (std::string when : {"never", "auto"}) {
            auto r = run("search --color=" + when + " --db " + db + " " + q);
            REQUIRE(r.status == 0);
            CHECK(r.out.find('\x1b') == std::string::npos);
        }
        CHECK(run("search --color=sometimes --db " + db + " " + q).status == 2);
        CHECK(run("search --json --color=always --db " + db + " " + q).out.find('\x1b') == std::string::npos);
    }
    SECTION("snippet length") {
        auto snippet = [&](const std::string& n) {
            auto r = run("search --json --limit 1 --snippet-chars " + n + " --db " + db + " " + q);
            REQUIRE(r.status == 0);
            return nlohmann::json::parse(r.out)["hits"][0]["snippet_text"].get<std::string>();
        };
        CHECK(snippet("0").empty());
        const std::string s10 = snippet("10"), s200 = snippet("200");
        CHECK(!s10.empty());
        CHECK(s10.size() < s200.size());
    }
    SECTION("sort: both spellings, undated documents last in both orders") {
        auto dates = [&](const std::string& sort) {
            auto r = run("search --json --no-suggest --limit 100 --sort " + sort + " --db " + db + " " + quote("hội nghị"));
            REQUIRE(r.status == 0);
            const auto j = nlohmann::json::parse(r.out);
            std::vector<std::string> v;
            for (const auto& h : j["hits"]) v.push_back(h["date"]);
            return v;
        };
        const auto asc = dates("date-asc"), desc = dates("date-desc");
        REQUIRE(asc.size() == 30);
        CHECK(dates("date_asc") == asc);
        CHECK(dates("date_desc") == desc);
        CHECK(dates("date") == desc);
        // 6 of 30 are undated (every fifth): the last six in both orders.
        for (const auto* v : {&asc, &desc}) {
            CHECK(std::all_of(v->begin(), v->begin() + 24, [](const std::string& d) { return !d.empty(); }));
            CHECK(std::all_of(v->begin() + 24, v->end(), [](const std::string& d) { return d.empty(); }));
        }
        CHECK(std::is_sorted(asc.begin(), asc.begin() + 24));
        CHECK(std::is_sorted(desc.begin(), desc.begin() + 24, std::greater<>()));
    }
}

TEST_CASE("vnsearch stats, abbrev list, get and remove", "[cli][small]") {
    TempDir dir;
    const std::string db = quote(dir.str("db"));
    REQUIRE(run("index -q --db " + db + " " + quote(std::string(VNSEARCH_CORPUS_DIR) + "/000_36fbaf0990d157c1.txt")).status == 0);
    SECTION("stats prints a human size") {
        auto r = run("stats --db " + db);
        REQUIRE(r.status == 0);
        const auto at = r.out.find("size on disk: ");
        REQUIRE(at != std::string::npos);
        const std::string line = r.out.substr(at, r.out.find('\n', at) - at);
        CHECK((line.find(" KiB (") != std::string::npos || line.find(" MiB (") != std::string::npos));
        CHECK(line.find(" bytes)") != std::string::npos);
        CHECK(line.find(',') != std::string::npos);  // the exact count, grouped
    }
    SECTION("abbrev list on an index without abbreviations says so") {
        auto r = run("abbrev list --db " + db);
        CHECK(r.status == 0);
        CHECK(r.out.empty());
        CHECK(r.err.find("no abbreviations") != std::string::npos);
        auto j = run("abbrev list --json --db " + db);
        CHECK(j.out == "[]\n");
        REQUIRE(run("abbrev add --db " + db + " HTCT " + quote("hệ thống chính trị")).status == 0);
        auto after = run("abbrev list --db " + db);
        CHECK(after.out == "HTCT\thệ thống chính trị\tuser 1\n");
        CHECK(after.err.empty());
    }
    SECTION("get prints a stored document, remove (alias delete) removes it") {
        auto g = run("get --json --db " + db + " 000_36fbaf0990d157c1");
        REQUIRE(g.status == 0);
        const auto j = nlohmann::json::parse(g.out);
        CHECK(j["title"] == "Công tác xây dựng Đảng ở Chi Lăng");
        CHECK(j["date"] == "2024-07-25");
        CHECK(j["body"].get<std::string>().find("Chi Lăng") != std::string::npos);
        auto plain = run("get --db " + db + " 000_36fbaf0990d157c1");
        CHECK(plain.out.find("title:  Công tác xây dựng Đảng ở Chi Lăng\n") != std::string::npos);
        auto missing = run("get --db " + db + " nope");
        CHECK(missing.status == 1);
        CHECK(missing.err == "vnsearch: error: no document with id nope\n");
        auto rm = run("remove --db " + db + " 000_36fbaf0990d157c1 nope");
        CHECK(rm.status == 3);
        CHECK(rm.err.find("removed 1 document(s)") != std::string::npos);
        CHECK(run("get --db " + db + " 000_36fbaf0990d157c1").status == 1);
        CHECK(run("delete --db " + db + " nope").status == 3);  // the old name still works
    }
}

TEST_CASE("vnsearch index --shards: a shard set searched, listed and written like one database", "[cli][shard-set]") {
    TempDir dir;
    const std::string one = dir.str("one"), set = dir.str("set"), added = dir.str("added");
    const std::string corpus = quote(VNSEARCH_CORPUS_DIR);
    REQUIRE(run("index -q --db " + quote(one) + " " + corpus).status == 0);
    auto built = run("index --shards 3 --db " + quote(set) + " " + corpus);  // a new set: built in parallel
    INFO(built.err);
    REQUIRE(built.status == 0);
    CHECK(built.err.find("5 added") != std::string::npos);
    CHECK(built.err.find("(5 documents in the index") != std::string::npos);
    // Adding to the set one by one (--threads 1) routes the same way.
    REQUIRE(run("index -q --threads 1 --shards 3 --db " + quote(added) + " " + corpus).status == 0);
    auto again = run("index --db " + quote(set) + " " + corpus);  // the manifest gives the count
    CHECK(again.status == 0);
    CHECK(again.err.find("5 replaced") != std::string::npos);

    const auto stats = nlohmann::json::parse(run("stats --json --db " + quote(set)).out);
    CHECK(stats["shards"] == 3);
    CHECK(stats["documents"] == 5);
    CHECK(run("stats --db " + quote(set)).out.find("shards:       3") != std::string::npos);
    for (std::string q : {"chi lang", "\"nghị quyết\"", "HĐND"}) {
        CAPTURE(q);
        auto a = nlohmann::json::parse(run("search --json --limit 50 --db " + quote(one) + " " + quote(q)).out);
        // The set's directory, a set written one by one, and the shards given as repeated --db.
        const std::string each = quote(set + "/shard-000") + " --db " + quote(set + "/shard-001") + " --db " +
                                 quote(set + "/shard-002");
        for (const std::string& dbs : {quote(set), quote(added), each}) {
            auto b = nlohmann::json::parse(run("search --json --limit 50 --db " + dbs + " " + quote(q)).out);
            CHECK(a["total"] == b["total"]);
            REQUIRE(a["hits"].size() == b["hits"].size());
            for (std::size_t i = 0; i < a["hits"].size(); ++i) {
                CHECK(a["hits"][i]["id"] == b["hits"][i]["id"]);
                CHECK(a["hits"][i]["score"].get<double>() == Approx(b["hits"][i]["score"].get<double>()).epsilon(1e-9));
            }
        }
    }
    CHECK(run("get --db " + quote(set) + " 000_36fbaf0990d157c1").status == 0);
    CHECK(run("remove --db " + quote(set) + " 000_36fbaf0990d157c1").status == 0);
    CHECK(run("get --db " + quote(set) + " 000_36fbaf0990d157c1").status == 1);
    CHECK(nlohmann::json::parse(run("stats --json --db " + quote(set)).out)["documents"] == 4);

    auto wrong = run("index --shards 2 --db " + quote(set) + " " + corpus);
    CHECK(wrong.status == 1);
    CHECK(wrong.err.find("is a shard set of 3 shards, not 2") != std::string::npos);
    CHECK(count_lines(wrong.err) == 1);
    auto single = run("index --shards 2 --db " + quote(one) + " " + corpus);
    CHECK(single.status == 1);
    CHECK(single.err.find("is a single database, not a shard set") != std::string::npos);
}

TEST_CASE("on a terminal: the merge of a new build has its own bar, the bars end full and NO_COLOR is honoured", "[cli][tty][progress]") {
    if (std::system("command -v script >/dev/null 2>&1") != 0) {
        WARN("util-linux `script` not found: TTY behaviour not checked");
        return;
    }
    TempDir dir;
    const std::string log = dir.str("tty.log"), input = dir.str("in.jsonl");
    std::ofstream(input) << generated_jsonl(500);
    const std::string cmd = "script -qec " +
                            quote(std::string(VNSEARCH_CLI) + " index --threads 2 --db " + quote(dir.str("db")) + " - <" + quote(input)) +
                            " " + quote(log) + " >/dev/null 2>&1 </dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::ifstream in(log, std::ios::binary);
    const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(out);
    // Standard input has no known size: the reading bar still ends full.
    CHECK(out.find("[##############################] 100% 500 docs") != std::string::npos);
    CHECK(out.find("merging [") != std::string::npos);
    CHECK(out.find("merging [##############################] 100%") != std::string::npos);
    CHECK(out.find("500 added") != std::string::npos);

    // On a terminal --color=auto colours, unless NO_COLOR is set; never is never.
    auto search_on_tty = [&](const std::string& env, const std::string& color) {
        const std::string c = "script -qec " +
                              quote(env + " " + VNSEARCH_CLI + " search --no-suggest --color=" + color + " --db " +
                                    quote(dir.str("db")) + " xanh") +
                              " " + quote(log) + " >/dev/null 2>&1 </dev/null";
        REQUIRE(std::system(c.c_str()) == 0);
        std::ifstream f(log, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    };
    CHECK(search_on_tty("env", "auto").find("\x1b[1;33mxanh\x1b[0m") != std::string::npos);
    CHECK(search_on_tty("env NO_COLOR=1", "auto").find('\x1b') == std::string::npos);
    CHECK(search_on_tty("env", "never").find('\x1b') == std::string::npos);
    CHECK(search_on_tty("env NO_COLOR=1", "always").find("\x1b[1;33mxanh\x1b[0m") != std::string::npos);
}

TEST_CASE("vnsearch similar: related articles as JSON and text, exit 4 for an unknown id", "[cli][similar]") {
    TempDir dir;
    const std::string db = dir.str("db");
    REQUIRE(run("index --db " + quote(db) + " " + quote(VNSEARCH_CORPUS_DIR)).status == 0);
    const std::string chi_lang = "000_36fbaf0990d157c1";
    auto s = run("similar --db " + quote(db) + " --json -n 3 " + chi_lang);
    INFO(s.err);
    REQUIRE(s.status == 0);
    auto j = nlohmann::json::parse(s.out);
    CHECK(j["id"] == chi_lang);
    REQUIRE(j["hits"].is_array());
    REQUIRE(j["hits"].size() == 3);
    for (const auto& h : j["hits"]) {
        CHECK(h["id"] != chi_lang);
        for (const char* key : {"id", "title", "date", "score", "snippet", "rank", "source", "url"}) CHECK(h.contains(key));
    }
    CHECK(j["hits"][0]["rank"] == 1);
    auto text = run("similar --db " + quote(db) + " " + chi_lang);
    REQUIRE(text.status == 0);
    CHECK(text.out.find("articles like " + chi_lang) != std::string::npos);
    CHECK(text.out.find("1. ") != std::string::npos);
    CHECK(text.out.find('\x1b') == std::string::npos);

    auto unknown = run("similar --db " + quote(db) + " no-such-article");
    CHECK(unknown.status == 4);
    CHECK(count_lines(unknown.err) == 1);
    CHECK(unknown.err.find("no document with id \"no-such-article\"") != std::string::npos);
    CHECK(unknown.out.empty());
    CHECK(run("similar --db " + quote(db)).status == 2);  // the id is required
}

TEST_CASE("vnsearch search: structured --filter with spaces, repeatable --facet, author/url/fields in --json", "[cli][fields]") {
    TempDir dir;
    const std::string db = dir.str("db");
    {
        std::ofstream f(dir.str("news.jsonl"));
        f << R"({"id": "1", "title": "Bóng đá Lạng Sơn", "text": "Trận bóng đá.", "source": "Báo Lạng Sơn", "label": "The thao", "author": "La Nam", "url": "http://a/1"})" << '\n'
          << R"({"id": "2", "title": "Bóng chuyền", "text": "Trận bóng chuyền.", "source": "Báo Lạng Sơn", "label": "Kinh doanh"})" << '\n'
          << R"({"id": "3", "title": "Bóng rổ", "text": "Trận bóng rổ.", "source": "Tuổi Trẻ", "label": "Thể thao"})" << '\n';
    }
    REQUIRE(run("index -q --db " + quote(db) + " " + quote(dir.str("news.jsonl"))).status == 0);
    const std::string base = "search --no-suggest --json --db " + quote(db) + " ";
    // The issue's bug: a source with spaces pasted into the query text found nothing.
    auto r = run(base + "--filter " + quote("source:Báo Lạng Sơn") + " bóng");
    INFO(r.err);
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["total"] == 2);
    r = run(base + "--filter " + quote("source:Báo Lạng Sơn") + " --filter " + quote("label:the thao") + " bóng");
    j = nlohmann::json::parse(r.out);
    REQUIRE(j["hits"].size() == 1);
    const auto& h = j["hits"][0];
    CHECK(h["id"] == "1");
    CHECK(h["url"] == "http://a/1");
    CHECK(h["author"] == "La Nam");
    CHECK(h["fields"]["label"] == "The thao");
    // Excluding filter, and an empty query with filters.
    r = run(base + "--filter " + quote("-label:the thao") + " " + quote(""));
    j = nlohmann::json::parse(r.out);
    REQUIRE(j["hits"].size() == 1);
    CHECK(j["hits"][0]["id"] == "2");
    // label:"the thao" in the query, any marks.
    r = run(base + quote("label:\"thể thao\""));
    CHECK(nlohmann::json::parse(r.out)["total"] == 2);
    // --facet is repeatable; the facets object has one key per field.
    r = run(base + "--facet label --facet source bóng");
    j = nlohmann::json::parse(r.out);
    REQUIRE(j.contains("facets"));
    CHECK(j["facets"]["label"]["Kinh doanh"] == 1);
    CHECK(j["facets"]["label"]["Thể thao"] == 1);
    CHECK(j["facets"]["source"]["Báo Lạng Sơn"] == 2);
    CHECK_FALSE(j["facets"].contains("year"));
    r = run(base + "--facets --facet label bóng");
    j = nlohmann::json::parse(r.out);
    for (const char* key : {"year", "source", "label"}) CHECK(j["facets"].contains(key));
    // Human output lists each facet.
    r = run("search --no-suggest --db " + quote(db) + " --facet label bóng");
    CHECK(r.out.find("by label: ") != std::string::npos);
    // Malformed filters are usage errors; an unreadable date is an error, never 0 results.
    CHECK(run(base + "--filter nocolon x").status == 2);
    CHECK(run(base + "--filter " + quote("bad name:x") + " x").status == 2);
    CHECK(run(base + "--filter " + quote("label: ") + " x").status == 2);
    auto bad_date = run(base + "--filter date:yesterday x");
    CHECK(bad_date.status == 1);
    CHECK(bad_date.err.find("bad filter") != std::string::npos);
}

TEST_CASE("vnsearch places shows units with offsets, search carries places, facets and filters", "[cli][places]") {
    const std::string text = "Huyện uỷ Chợ Mới (Bắc Kạn) học tập tư tưởng, đạo đức, phong cách Hồ Chí Minh";
    auto r = run("places --json " + quote(text));
    INFO(r.err);
    REQUIRE(r.status == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["places"].is_array());
    bool cho_moi = false;
    for (const auto& m : j["places"]) {
        const std::size_t start = m["start"], end = m["end"];
        CHECK(text.substr(start, end - start) == m["text"].get<std::string>());
        CHECK(m["unit"]["name"] != "Hồ Chí Minh");  // the person, not the city
        if (m["unit"]["name"] == "Chợ Mới") {
            cho_moi = true;
            CHECK(m["unit"]["level"] == "district");
            CHECK(m["old_province"]["name"] == "Bắc Kạn");
            CHECK(m["provinces"][0]["name"] == "Thái Nguyên");
            CHECK(m["geography"] == "before_2025");
        }
    }
    CHECK(cho_moi);
    // From standard input, and for people.
    auto plain = run("places -", "Mưa lớn ở tỉnh Lạng Sơn");
    REQUIRE(plain.status == 0);
    CHECK_THAT(plain.out, Catch::Contains("Lạng Sơn"));
    CHECK(run("places --json " + quote("hòa bình và hợp tác")).out.find("\"places\":[]") != std::string::npos);

    TempDir dir;
    const std::string db = dir.str("db");
    REQUIRE(run("index -q --db " + quote(db) + " " + quote(VNSEARCH_CORPUS_DIR)).status == 0);
    const std::string base = "search --no-suggest --json --db " + quote(db) + " ";
    r = run(base + "--facet province --facet old_province " + quote("đảng"));
    REQUIRE(r.status == 0);
    j = nlohmann::json::parse(r.out);
    CHECK(j["facets"]["province"]["Lạng Sơn"] == 2);
    CHECK(j["facets"]["province"]["Thái Nguyên"] == 1);
    CHECK(j["facets"]["old_province"]["Bắc Kạn"] == 1);
    bool any_places = false;
    for (const auto& h : j["hits"]) any_places = any_places || !h["places"].empty();
    CHECK(any_places);
    r = run(base + "--filter " + quote("province:Thái Nguyên") + " ''");
    j = nlohmann::json::parse(r.out);
    REQUIRE(j["hits"].size() == 1);
    CHECK(j["hits"][0]["id"] == "004_90e289986aa2fce7");
    // An old province in province: is an error that says what to use.
    r = run(base + "--filter " + quote("province:Bắc Kạn") + " ''");
    CHECK(r.status != 0);
    CHECK_THAT(r.err, Catch::Contains("old_province"));
}
