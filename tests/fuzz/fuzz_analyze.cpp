// libFuzzer target: decoding (with legacy-charset detection) + normalization + folding + tokenization
// and place recognition of untrusted bytes.
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
    // Place recognition on the same bytes, in both modes: mentions are ordered, inside the
    // input, name what they cover, and their units resolve by code.
    for (const bool bare : {false, true}) {
        vnsearch::PlaceOptions po;
        po.bare_names = bare;
        std::size_t prev = 0;
        for (const auto& m : vnsearch::recognize_places(bytes, po)) {
            if (m.start >= m.end || m.end > bytes.size() || m.start < prev) std::abort();
            if (bytes.compare(m.start, m.end - m.start, m.text) != 0) std::abort();
            if (!vnsearch::place_by_code(m.place.unit.code, m.place.unit.geography)) std::abort();
            prev = m.start;
        }
    }
    return 0;
}
