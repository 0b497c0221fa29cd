// Internal: THE variable-length unsigned integer of the values vnsearch stores (7 bits a
// byte, least significant first, the high bit set on every byte but the last: LEB128, the
// same as Xapian's pack_uint, so it also reads Xapian's own files).
#pragma once

#include <cstdint>
#include <string>

namespace vnsearch::detail {

inline void append_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

/// Reads one number at `p` (advanced past it). False when the bytes end before it does or
/// it does not fit in 64 bits.
inline bool read_varint(const char*& p, const char* end, std::uint64_t& out) {
    out = 0;
    for (unsigned shift = 0; p != end && shift < 64; shift += 7) {
        const auto byte = static_cast<unsigned char>(*p++);
        out |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
        if (!(byte & 0x80)) return true;
    }
    return false;
}

}  // namespace vnsearch::detail
