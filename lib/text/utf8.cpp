#include "text/utf8.h"

#include "vnsearch/text.h"

namespace vnsearch {
namespace text {

std::u32string to_u32(std::string_view s, std::size_t* invalid) {
    std::u32string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0, bad = 0;
    while (i < s.size()) {
        std::size_t len;
        bool inv;
        out.push_back(decode_utf8(p + i, s.size() - i, len, inv));
        bad += inv;
        i += len;
    }
    if (invalid) *invalid = bad;
    return out;
}

std::string to_utf8(std::u32string_view s) {
    std::string out;
    out.reserve(s.size() * 2);
    for (char32_t c : s) append_utf8(out, c);
    return out;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t cut = max;
    while (cut > 0 && is_continuation(static_cast<unsigned char>(s[cut]))) --cut;
    return s.substr(0, cut);
}

void truncate_utf8(std::string& s, std::size_t max) { s.resize(utf8_prefix(s, max).size()); }

}  // namespace text

std::string repair_utf8(std::string_view bytes, std::size_t* repaired) {
    std::string out;
    out.reserve(bytes.size());
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t i = 0, bad = 0;
    while (i < bytes.size()) {
        std::size_t len;
        bool inv;
        char32_t cp = text::decode_utf8(p + i, bytes.size() - i, len, inv);
        if (inv) {
            ++bad;
            text::append_utf8(out, cp);
        } else {
            out.append(bytes.data() + i, len);
        }
        i += len;
    }
    if (repaired) *repaired = bad;
    return out;
}

bool is_valid_utf8(std::string_view bytes) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    std::size_t i = 0;
    while (i < bytes.size()) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        bool inv;
        text::decode_utf8(p + i, bytes.size() - i, len, inv);
        if (inv) return false;
        i += len;
    }
    return true;
}

}  // namespace vnsearch
