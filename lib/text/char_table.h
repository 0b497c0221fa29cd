// Internal: the generated fast-path character table (see gen_tables.py).
#pragma once

#include <cstdint>

namespace vnsearch::text {

/// Character classes used by the tokenizer and the normalizer.
enum Cls : std::uint8_t { kOther = 0, kLetter = 1, kDigit = 2, kMark = 3, kSpace = 4, kIgnorable = 5 };

/// Tone marks as stored in the table.
enum Tone : std::uint8_t { kNoTone = 0, kGrave = 1, kAcute = 2, kTilde = 3, kHook = 4, kDot = 5 };

struct CharInfo {
    std::uint8_t cls;     ///< Cls
    std::uint8_t tone;    ///< Tone carried by the letter
    char fold;            ///< folded ASCII letter or digit, 0 when none
    std::uint8_t upper;   ///< 1 for an upper-case letter
    std::uint16_t lower;  ///< lowercase code point (Ð/ð -> đ)
    std::uint16_t notone; ///< the letter without its tone mark, case kept (Ð -> Đ)
};

#include "text/char_table.inc"

/// The table entry of `cp`, or nullptr outside the two tabulated blocks.
inline const CharInfo* char_info(char32_t cp) noexcept {
    if (cp < 0x250) return &kLatinTable[cp];
    if (cp >= 0x1E00 && cp < 0x1F00) return &kVietTable[cp - 0x1E00];
    return nullptr;
}

}  // namespace vnsearch::text
