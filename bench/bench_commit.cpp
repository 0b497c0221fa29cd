// Commit cost as the stored abbreviation pairs grow (issue 14, requirement 2): an index holds
// N pairs (added with Index::add_abbreviation), then a one-document batch that defines an
// abbreviation inline ("Ban quản lý khu (BQLK)") is committed, R times; the median and the
// slowest commit are reported for each N. With one metadata key per pair a commit writes only
// its own pairs, so the figures stay flat as N grows. With --index DIR (repeatable), the same
// batches are committed to existing indexes instead (50k, 235k, 1M documents: does a commit
// grow with the index?), and removed again afterwards. It measures and reports; it asserts nothing.
//   vnsearch-bench-commit [--pairs 0,1000,10000,100000] [--commits 21] [--work DIR] [--index DIR ...]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vnsearch/vnsearch.h>

namespace {

/// A distinct all-caps word for pair i ("ZZA", "ZZB", ... "ZZBA", ...).
std::string letters(std::size_t i) {
    std::string s;
    do {
        s.insert(s.begin(), static_cast<char>('A' + i % 26));
        i /= 26;
    } while (i);
    return s;
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{"vnsearch commit cost as the stored abbreviation pairs grow"};
    std::vector<std::size_t> sizes{0, 1000, 10000, 100000};
    std::size_t commits = 21;
    std::string work = "bench-commit-work";
    app.add_option("--pairs", sizes, "Stored pairs before the timed commits")->delimiter(',');
    app.add_option("--commits", commits, "Timed commits per size")->capture_default_str()->check(CLI::Range(1, 10000));
    app.add_option("--work", work, "Scratch directory (removed afterwards)")->capture_default_str();
    std::vector<std::string> indexes;
    app.add_option("--index", indexes,
                   "Time the commits on this existing index instead (repeatable); the batches are removed afterwards");
    CLI11_PARSE(app, argc, argv);

    // One batch: a document that defines an abbreviation inline; its commit is timed.
    auto timed_commit = [](vnsearch::Index& ix, std::size_t c) {
        vnsearch::Document d;
        d.id = "bench-commit-" + std::to_string(c);
        d.title = "Họp ban quản lý";
        d.body = "Ban quản lý khu (BQLK) họp phiên thứ " + std::to_string(c) + " để bàn kế hoạch năm.";
        ix.add(d);
        const auto t0 = std::chrono::steady_clock::now();
        ix.commit();
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    };
    if (!indexes.empty()) {
        std::printf("Commit of a one-document batch that defines an abbreviation, by documents in the index (%zu commits each)\n\n",
                    commits);
        std::printf("| index | documents | median commit ms | slowest commit ms | stored pairs |\n|---|---|---|---|---|\n");
        for (const std::string& db : indexes) {
            std::vector<double> ms;
            const std::size_t docs = vnsearch::Searcher(db).size();
            {
                vnsearch::Index ix(db);
                for (std::size_t c = 0; c < commits; ++c) ms.push_back(timed_commit(ix, c));
                for (std::size_t c = 0; c < commits; ++c) ix.remove("bench-commit-" + std::to_string(c));
                ix.commit();
            }
            std::sort(ms.begin(), ms.end());
            std::printf("| %s | %zu | %.2f | %.2f | %zu |\n", db.c_str(), docs, ms[ms.size() / 2], ms.back(),
                        vnsearch::Searcher(db).abbreviations().size());
            std::fflush(stdout);
        }
        return 0;
    }

    std::filesystem::create_directories(work);
    std::printf("Commit of a one-document batch that defines an abbreviation, by stored pairs (%zu commits each)\n\n", commits);
    std::printf("| stored pairs | median commit ms | slowest commit ms | pairs after |\n|---|---|---|---|\n");
    for (std::size_t n : sizes) {
        const std::string db = work + "/db-" + std::to_string(n);
        std::filesystem::remove_all(db);
        std::vector<double> ms;
        {
            vnsearch::Index ix(db);
            for (std::size_t i = 0; i < n; ++i) ix.add_abbreviation("ZZ" + letters(i), "mục " + letters(i) + " của bảng");
            ix.commit();
            for (std::size_t c = 0; c < commits; ++c) ms.push_back(timed_commit(ix, c));
        }
        std::sort(ms.begin(), ms.end());
        const std::size_t after = vnsearch::Searcher(db).abbreviations().size();
        std::printf("| %zu | %.2f | %.2f | %zu |\n", n, ms[ms.size() / 2], ms.back(), after);
        std::fflush(stdout);
        std::filesystem::remove_all(db);
    }
    std::filesystem::remove_all(work);
    return 0;
}

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "vnsearch-bench-commit: %s\n", e.what());
        return 1;
    }
}
