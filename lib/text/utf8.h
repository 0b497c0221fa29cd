// Internal: UTF-8 primitives shared by every stage.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vnsearch::text {

constexpr char32_t kReplacement = 0xFFFD;

/// Decodes the code point at p[0..n) (n >= 1). Sets `len` to the bytes consumed. An invalid
/// or truncated sequence (overlong, surrogate, > U+10FFFF) yields kReplacement with len 1
/// and invalid = true, so a caller resynchronises on the next byte.
inline char32_t decode_utf8(const unsigned char* p, std::size_t n, std::size_t& len, bool& invalid) noexcept {
    unsigned char c = p[0];
    invalid = false;
    if (c < 0x80) {
        len = 1;
        return c;
    }
    std::size_t need;
    char32_t cp;
    char32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        len = 1;
        invalid = true;
        return kReplacement;
    }
    if (n < need + 1) {
        len = 1;
        invalid = true;
        return kReplacement;
    }
    for (std::size_t k = 1; k <= need; ++k) {
        if ((p[k] & 0xC0) != 0x80) {
            len = 1;
            invalid = true;
            return kReplacement;
        }
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        len = 1;
        invalid = true;
        return kReplacement;
    }
    len = need + 1;
    return cp;
}

inline void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

/// Code points of `s`, invalid bytes as U+FFFD (counted in `invalid` when given).
std::u32string to_u32(std::string_view s, std::size_t* invalid = nullptr);
std::string to_utf8(std::u32string_view s);

/// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence.
void truncate_utf8(std::string& s, std::size_t max);

}  // namespace vnsearch::text
