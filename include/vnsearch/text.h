// vnsearch — text layer: decoding, normalization and folding of Vietnamese text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "vnsearch/export.h"

namespace vnsearch {

/// The encoding a byte string was found (or declared) to be in.
enum class Encoding { utf8, utf16le, utf16be, legacy };

/// Result of decode(): valid UTF-8 text plus what was done to get it.
struct Decoded {
    std::string text;               ///< valid UTF-8 (no BOM)
    Encoding encoding = Encoding::utf8;
    bool had_bom = false;           ///< a byte-order mark was found and dropped
    std::size_t repaired = 0;       ///< invalid sequences replaced by U+FFFD
    std::string charset;            ///< for Encoding::legacy: "windows-1258", "TCVN3", "VISCII"...
};

/// Decodes bytes to UTF-8. A UTF-8 BOM is dropped; a UTF-16LE/BE BOM selects UTF-16
/// (converted with ICU); anything else is UTF-8 whose invalid sequences are replaced
/// by U+FFFD and counted. Never throws on bad bytes.
VNSEARCH_API Decoded decode(std::string_view bytes);

/// Decodes bytes in a named charset (e.g. "windows-1258", "UTF-16LE", "VISCII", "TCVN3"):
/// the Vietnamese legacy charsets with vnsearch's own converters (NFC output), others with
/// Boost.Locale. Throws EncodingError for an unknown charset.
VNSEARCH_API Decoded decode(std::string_view bytes, const std::string& charset);

/// decode(bytes), plus detection of the Vietnamese legacy charsets windows-1258 (CP1258),
/// TCVN3 (TCVN 5712) and VISCII for bytes with no BOM that are not UTF-8. Conservative:
/// valid UTF-8 always wins, mostly-UTF-8 text stays UTF-8 (repaired), and a legacy charset
/// is chosen only when it decodes the text into well-formed Vietnamese syllables at a high
/// rate (at least 8 of them, 90 % of the words with non-ASCII letters) and clearly better
/// than the others. Otherwise the result is that of decode(bytes).
VNSEARCH_API Decoded decode_detect(std::string_view bytes);

/// Returns `bytes` as valid UTF-8: each invalid sequence becomes U+FFFD.
/// `repaired`, when given, receives the number of replacements.
VNSEARCH_API std::string repair_utf8(std::string_view bytes, std::size_t* repaired = nullptr);

/// True when `bytes` is valid UTF-8.
VNSEARCH_API bool is_valid_utf8(std::string_view bytes) noexcept;

/// Canonical form of Vietnamese text, case kept: NFC (also for NFD and base letter +
/// combining tone input), Ð/ð -> Đ/đ, zero-width characters removed, NBSP and other
/// Unicode spaces -> ' ', and one tone placement for open oa/oe/uy syllables
/// (hòa -> hoà, khỏe -> khoẻ, thủy -> thuỷ; see docs/analysis.md). Idempotent.
VNSEARCH_API std::string normalize(std::string_view text);

/// Vietnamese-aware lowercase of normalize(text) (Đ -> đ, Ỷ -> ỷ, ...).
VNSEARCH_API std::string lower(std::string_view text);

/// Folded form for diacritic-insensitive matching: normalize(), lowercase, every tone
/// and shape mark removed, đ -> d. Idempotent: fold(fold(x)) == fold(x).
VNSEARCH_API std::string fold(std::string_view text);

}  // namespace vnsearch
