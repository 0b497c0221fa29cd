// Internal: the Vietnamese legacy 8-bit charsets — decoding, and conservative detection.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vnsearch::text {

/// The legacy charsets Vietnamese text is still found in.
enum class Legacy { windows1258, tcvn3, viscii };

/// "windows-1258", "TCVN3" or "VISCII".
const char* legacy_name(Legacy cs) noexcept;

/// The charset a (lower-case) name stands for: windows-1258/cp1258, tcvn3/tcvn/tcvn5712-1/
/// tcvn-5712, viscii. nullopt for any other name.
std::optional<Legacy> legacy_by_name(std::string_view lowered) noexcept;

/// `bytes` in `cs` as UTF-8, NFC (windows-1258 and TCVN3 write tones as combining marks).
std::string decode_legacy(std::string_view bytes, Legacy cs);

/// What detect_legacy() measured of one candidate.
struct LegacyScore {
    std::size_t syllables = 0;  ///< words with a non-ASCII letter that are Vietnamese syllables
    std::size_t bad = 0;        ///< other words with a non-ASCII letter, and stray symbols
    double rate() const noexcept { return syllables + bad ? double(syllables) / double(syllables + bad) : 0.0; }
};

/// Scores decoded text: its words holding non-ASCII letters that are well-formed Vietnamese
/// syllables (onset, vowels, coda, at most one tone, on a vowel, and sắc/nặng before
/// p/t/c/ch) against those that are not, plus symbols a text would not hold (C1 controls,
/// Latin-1 signs).
LegacyScore score_vietnamese(std::string_view utf8);

/// The legacy charset `bytes` are in, or nullopt. Conservative: never for valid UTF-8 or
/// text that is mostly UTF-8, and only when one charset decodes the first 256 KB into
/// at least kMinSyllables non-ASCII Vietnamese syllables at a rate of at least kMinRate
/// while every other candidate stays kMargin below it.
std::optional<Legacy> detect_legacy(std::string_view bytes);

inline constexpr std::size_t kMinSyllables = 8;
inline constexpr double kMinRate = 0.9;
inline constexpr double kMargin = 0.15;

}  // namespace vnsearch::text
