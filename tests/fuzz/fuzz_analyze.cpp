// libFuzzer target: decoding (with legacy-charset detection) + normalization + folding + tokenization of untrusted bytes.
// Beyond "no crash, no leak, no UB" it checks the analyzer's invariants.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vnsearch/vnsearch.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const vnsearch::Decoded d = vnsearch::decode(bytes);
    if (!vnsearch::is_valid_utf8(d.text)) std::abort();
    if (!vnsearch::is_valid_utf8(vnsearch::decode_detect(bytes).text)) std::abort();  // legacy detection too
    const std::string n = vnsearch::normalize(d.text), f = vnsearch::fold(d.text);
    if (vnsearch::normalize(n) != n || vnsearch::fold(f) != f) std::abort();
    vnsearch::Analyzer analyzer;
    std::uint32_t last = 0;
    analyzer.analyze(bytes, [&](const vnsearch::Token& t) {
        if (t.start >= t.end || t.end > bytes.size()) std::abort();
        if (bytes.compare(t.start, t.end - t.start, t.text) != 0) std::abort();
        if (t.position < last) std::abort();
        if (t.exact.size() > analyzer.options().max_term_bytes || !vnsearch::is_valid_utf8(t.exact)) std::abort();
        last = t.position;
    });
    return 0;
}
