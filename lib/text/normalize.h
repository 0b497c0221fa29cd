// Internal: the normalization primitives the tokenizer builds terms with.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "text/char_table.h"

namespace vnsearch::text {

/// Class of any code point: the table for the Latin blocks, ICU beyond.
Cls classify(char32_t cp) noexcept;

/// True for letters of scripts other than Latin (Cyrillic, Greek, Han, ...).
bool is_foreign_letter(char32_t cp) noexcept;

/// True for letters of scripts written without spaces (Han, kana, Thai, ...): one token each.
bool is_unsegmented_letter(char32_t cp) noexcept;

/// Longest word, in bytes, whose terms the table fast path builds (longer ones take the
/// general path through ICU).
inline constexpr std::size_t kFastTermBytes = 48;

/// The exact and folded terms of a word whose code points are all in the table and are
/// neither marks nor ignorables: `lowered` holds their lowercase forms (CharInfo::lower),
/// n <= kFastTermBytes. Tones are placed in `lowered` in place.
void table_terms(char32_t* lowered, std::size_t n, std::string& exact, std::string& folded);

/// The folded term of such a word (table_terms' `folded`; tone placement changes no folded
/// letter, so `lowered` may be as scanned), written to `out` (room for 3 * n bytes); returns
/// its length in bytes.
std::size_t table_folded(const char32_t* lowered, std::size_t n, char* out) noexcept;

/// Builds the exact term (normalized, lowercased, canonical tone placement) and the folded
/// term of one word slice of the original text. Reuses the strings' capacity.
void word_terms(std::string_view slice, std::string& exact, std::string& folded);

/// True when the folded ASCII letters form a well-shaped Vietnamese syllable
/// (onset + 1-3 vowels + coda), used to tell HĐND (abbreviation) from ĐẢNG (word).
bool is_syllable(std::string_view folded) noexcept;

/// True when the NFC word `word` carries a tone mark (acute, grave, hook, tilde, dot below)
/// on one of its letters: "người", "lá" and "Hà" do, "ngươi", "la" and "đêm" do not.
/// Vietnamese written with its marks has about two syllables in three toned.
bool has_tone_mark(std::string_view word) noexcept;

/// True when `gap`, the text between two words, ends a sentence: it holds `.`, `!`, `?`,
/// `:`, a newline, `"` or a character of U+2000-U+2FFF (typographic quotes, dashes, the
/// ellipsis). A capital letter after such a gap says nothing about a name. THE test: the
/// spelling statistics and the suggestion's sampling read case, and cut sentences, by it.
inline bool ends_sentence(std::string_view gap) noexcept { return gap.find_first_of(".!?:\n\"\xE2") != std::string_view::npos; }

/// Moves the tone of an open oa/oe/uy syllable ending at cps[n-1] onto the second vowel
/// (hòa -> hoà). Case is kept. Returns true when something moved.
bool place_tone(char32_t* cps, std::size_t n) noexcept;

}  // namespace vnsearch::text
