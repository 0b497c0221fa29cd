// Internal: reading queries typed in Telex or VNI without an input method
// ("nghij quyeets", "nghi5 quye6t1" -> "nghị quyết").
//
// These functions only decode. Whether a decoding is offered is decided by the suggestion
// from the index's statistics (how likely each reading is in its context against the word
// as typed), because plenty of ordinary words decode too ("test" -> "tét", "as" -> "á").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vnsearch::analysis {

enum class InputMethod { telex, vni };

/// Decodes one word of ASCII letters (and, for VNI, digits). nullopt when the word uses no
/// key of the method, or when the result is not a well-formed Vietnamese syllable (onset,
/// vowels, coda; syllables ending in p/t/c/ch need the acute or dot-below tone).
/// Case: ALL CAPS stays all caps, a capital first letter stays. Output is NFC in vnsearch's
/// tone placement.
std::optional<std::string> decode_word(std::string_view word, InputMethod method);

/// The keys that type a word with `method` and no input method: "Quyết" -> "Quyeets"
/// (Telex) or "Quye6t1" (VNI); the tone key goes last, each vowel's own key right after it
/// ("uw", "ow": "người" -> "nguwowif"). A word without marks comes back as it is; nullopt for
/// a word with a letter outside Vietnamese's Latin alphabet. For every syllable s of
/// Vietnamese, decode_word(encode_word(s)) is s (tests/test_typing.cpp): benchmarks type
/// held-out text with it.
std::optional<std::string> encode_word(std::string_view word, InputMethod method);

}  // namespace vnsearch::analysis
