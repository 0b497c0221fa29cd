// vnsearch — text layer: decoding, normalization and folding of Vietnamese text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vnsearch {

/// The encoding a byte string was found (or declared) to be in.
enum class Encoding { utf8, utf16le, utf16be, legacy };

/// Result of decode(): valid UTF-8 text plus what was done to get it.
struct Decoded {
    std::string text;               ///< valid UTF-8 (no BOM)
    Encoding encoding = Encoding::utf8;
    bool had_bom = false;           ///< a byte-order mark was found and dropped
    std::size_t repaired = 0;       ///< invalid sequences replaced by U+FFFD
};

/// Decodes bytes to UTF-8. A UTF-8 BOM is dropped; a UTF-16LE/BE BOM selects UTF-16
/// (converted with ICU); anything else is UTF-8 whose invalid sequences are replaced
/// by U+FFFD and counted. Never throws on bad bytes.
Decoded decode(std::string_view bytes);

/// Decodes bytes in a named charset (e.g. "windows-1258", "UTF-16LE", "VISCII") with
/// Boost.Locale. Throws EncodingError for an unknown charset.
Decoded decode(std::string_view bytes, const std::string& charset);

/// Returns `bytes` as valid UTF-8: each invalid sequence becomes U+FFFD.
/// `repaired`, when given, receives the number of replacements.
std::string repair_utf8(std::string_view bytes, std::size_t* repaired = nullptr);

/// True when `bytes` is valid UTF-8.
bool is_valid_utf8(std::string_view bytes) noexcept;

/// Canonical form of Vietnamese text, case kept: NFC (also for NFD and base letter +
/// combining tone input), Ð/ð -> Đ/đ, zero-width characters removed, NBSP and other
/// Unicode spaces -> ' ', and one tone placement for open oa/oe/uy syllables
/// (hòa -> hoà, khỏe -> khoẻ, thủy -> thuỷ; see docs/analysis.md). Idempotent.
std::string normalize(std::string_view text);

/// Vietnamese-aware lowercase of normalize(text) (Đ -> đ, Ỷ -> ỷ, ...).
std::string lower(std::string_view text);

/// Folded form for diacritic-insensitive matching: normalize(), lowercase, every tone
/// and shape mark removed, đ -> d. Idempotent: fold(fold(x)) == fold(x).
std::string fold(std::string_view text);

}  // namespace vnsearch
