// Commit cost as the stored abbreviation pairs grow (issue 14, requirement 2): an index holds
// N pairs (added with Index::add_abbreviation), then a one-document batch that defines an
// abbreviation inline ("Ban quản lý khu (BQLK)") is committed, R times; the median and the
// slowest commit are reported for each N. With one metadata key per pair a commit writes only
// its own pairs, so the figures stay flat as N grows. It measures and reports; it asserts nothing.
//   vnsearch-bench-commit [--pairs 0,1000,10000,100000] [--commits 21] [--work DIR]
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
    CLI11_PARSE(app, argc, argv);

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
            for (std::size_t c = 0; c < commits; ++c) {
                vnsearch::Document d;
                d.id = "doc-" + std::to_string(c);
                d.title = "Họp ban quản lý";
                d.body = "Ban quản lý khu (BQLK) họp phiên thứ " + std::to_string(c) + " để bàn kế hoạch năm.";
                ix.add(d);
                const auto t0 = std::chrono::steady_clock::now();
                ix.commit();
                ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
            }
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
