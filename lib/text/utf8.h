// Internal: UTF-8 primitives shared by every stage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace vnsearch::text {

constexpr char32_t kReplacement = 0xFFFD;

/// True for a continuation byte (10xxxxxx): one that starts no character.
inline bool is_continuation(unsigned char b) noexcept { return (b & 0xC0) == 0x80; }

/// Decodes the code point at p[0..n) (n >= 1). Sets `len` to the bytes consumed. An invalid
/// sequence (overlong, surrogate, > U+10FFFF, truncated, stray continuation byte) yields
/// kReplacement with invalid = true; `len` is then the length of its maximal subpart (the
/// longest prefix that could start a valid sequence, at least 1), as Unicode recommends for
/// U+FFFD substitution, so a caller resynchronises right after it.
inline char32_t decode_utf8(const unsigned char* p, std::size_t n, std::size_t& len, bool& invalid) noexcept {
    const unsigned char c = p[0];
    invalid = false;
    if (c < 0x80) {
        len = 1;
        return c;
    }
    std::size_t need;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    char32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, cp = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;  // no overlongs
        if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, cp = c & 0x07;
        if (c == 0xF0) lo = 0x90;  // no overlongs
        if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        len = 1;
        invalid = true;
        return kReplacement;
    }
    for (std::size_t k = 1; k <= need; ++k) {
        const unsigned char b = k < n ? p[k] : 0;
        const bool ok = k < n && (k == 1 ? (b >= lo && b <= hi) : is_continuation(b));
        if (!ok) {
            len = k;
            invalid = true;
            return kReplacement;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    len = need + 1;
    return cp;
}

/// THE UTF-8 encoder: writes `cp` at `o` (room for 4 bytes) and returns the end.
inline char* encode_utf8(char* o, char32_t cp) noexcept {
    if (cp < 0x80) {
        *o++ = static_cast<char>(cp);
    } else if (cp < 0x800) {
        *o++ = static_cast<char>(0xC0 | (cp >> 6));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *o++ = static_cast<char>(0xE0 | (cp >> 12));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *o++ = static_cast<char>(0xF0 | (cp >> 18));
        *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return o;
}

inline void append_utf8(std::string& out, char32_t cp) {
    char buf[4];
    out.append(buf, static_cast<std::size_t>(encode_utf8(buf, cp) - buf));
}

/// Code points of `s`, invalid bytes as U+FFFD (counted in `invalid` when given).
std::u32string to_u32(std::string_view s, std::size_t* invalid = nullptr);
std::string to_utf8(std::u32string_view s);

/// The characters of `s` as a snippet counts them: its bytes that are not continuation
/// bytes (an invalid byte counts as one). Eight bytes at a time.
inline std::size_t count_chars(std::string_view s) noexcept {
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    std::size_t chars = 0, i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t x;
        std::memcpy(&x, s.data() + i, 8);
        // Bit 7 of each continuation byte: bit 7 set and bit 6 (moved up to 7) clear.
        const std::uint64_t continuation = x & ~(x << 1) & kHigh;
        // Their count: one bit a byte, summed into the top byte by the multiplication.
        chars += 8 - static_cast<std::size_t>(((continuation >> 7) * 0x0101010101010101ull) >> 56);
    }
    for (; i < s.size(); ++i) chars += !is_continuation(static_cast<unsigned char>(s[i]));
    return chars;
}

/// The longest prefix of `s` of at most `max` bytes that splits no UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, std::size_t max);
/// Cuts `s` to utf8_prefix(s, max).
void truncate_utf8(std::string& s, std::size_t max);

}  // namespace vnsearch::text
