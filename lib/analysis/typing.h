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

}  // namespace vnsearch::analysis
