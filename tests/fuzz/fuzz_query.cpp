// libFuzzer target: the query language. Every input must give results or an empty result
// with warnings — never an exception — on a real (small) index.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vnsearch/vnsearch.h>

namespace {
std::unique_ptr<vnsearch::Searcher> searcher;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const std::string dir = std::filesystem::temp_directory_path() / ("vnsearch-fuzz-query-" + std::to_string(getpid()));
    {
        vnsearch::Index ix(dir);
        const char* texts[][3] = {{"a", "Công tác xây dựng Đảng ở Chi Lăng", "2024-07-25"},
                                  {"b", "Thạch Thất: Nghị quyết 03-NQ/HU về HĐND", "2018-10-29T08:11:00"},
                                  {"c", "Đảng bộ Lạng Sơn thực hiện Nghị quyết 22", ""}};
        for (auto& t : texts) {
            vnsearch::Document d(t[0]);
            d.title = t[1];
            d.body = std::string(t[1]) + ". Huyện uỷ, huyện ủy, hoà, hòa, 25/07/2024, TCCSĐ.";
            d.date = t[2];
            d.source = t[0];
            ix.add(d);
        }
    }
    searcher = std::make_unique<vnsearch::Searcher>(dir);
    std::atexit([] { std::filesystem::remove_all(std::filesystem::temp_directory_path() / ("vnsearch-fuzz-query-" + std::to_string(getpid()))); });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string query(reinterpret_cast<const char*>(data), size);
    vnsearch::SearchOptions o;
    o.facets = size % 2 == 0;
    o.sort = size % 3 == 0 ? vnsearch::SortOrder::date_desc : vnsearch::SortOrder::relevance;
    try {
        auto r = searcher->search(query, o);
        for (const auto& h : r)
            if (!vnsearch::is_valid_utf8(h.snippet)) std::abort();
    } catch (...) {
        std::abort();  // a query must never throw
    }
    return 0;
}
