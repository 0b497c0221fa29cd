// libFuzzer target: article ingestion (decoding, boilerplate removal, metadata extraction).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vnsearch/vnsearch.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    vnsearch::Document d = vnsearch::parse_article(bytes, "fuzz");
    if (!vnsearch::is_valid_utf8(d.title) || !vnsearch::is_valid_utf8(d.body) || !vnsearch::is_valid_utf8(d.author))
        std::abort();
    // A date, when found, is ISO 8601 that the index accepts.
    if (!d.date.empty() && (d.date.size() < 10 || d.date[4] != '-' || d.date[7] != '-')) std::abort();
    return 0;
}
