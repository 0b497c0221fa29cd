// Internal: analysing a text to find a few words in it (a snippet's query words).
//
// Analyzer::analyze builds every token's exact and folded terms and copies its text. A
// caller that looks for a handful of folded forms in a long text (make_snippet, over each
// hit's body) needs the terms of those words only; for the others it needs where they are
// and their positions. analyze_looking_for sends the same tokens at the same offsets and
// positions but the plain words whose folded form is not one looked for: a plain word's
// folded form is read from the character table as the word is scanned, before any term is
// built, and a word not looked for costs no call (its bounds are kept when asked).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "vnsearch/analysis.h"

namespace vnsearch::detail {

/// The folded forms a scan looks for. Holds views: the strings must outlive the set.
/// contains() rules most words out with one bit test (a 4,096-bit signature of the
/// length and first and last bytes), then compares bytes. Thread-safe once built (const).
class FoldedSet {
  public:
    void insert(std::string_view folded);
    bool contains(std::string_view folded) const noexcept {
        const unsigned s = signature(folded);
        if (!(bits_[s >> 6] >> (s & 63) & 1)) return false;
        for (const std::string_view f : forms_)
            if (f == folded) return true;
        return false;
    }

  private:
    static unsigned signature(std::string_view s) noexcept {
        if (s.empty()) return 0;
        const auto first = static_cast<unsigned char>(s.front()), last = static_cast<unsigned char>(s.back());
        return (first * 131u + last * 31u + static_cast<unsigned>(s.size()) * 7u) & 4095u;
    }
    std::array<std::uint64_t, 64> bits_{};
    std::vector<std::string_view> forms_;
};

/// What analyze_looking_for looks for, and where it may stop. One scan's: a scan writes
/// `bounds` and its sink may change `stop_at` (not shared between threads while it runs).
struct LookingFor {
    explicit LookingFor(const FoldedSet& wanted_forms) : wanted(wanted_forms) {}
    const FoldedSet& wanted;
    /// When given: every token that is not a part, sent or not, as [start, end), in order.
    std::vector<std::pair<std::size_t, std::size_t>>* bounds = nullptr;
    /// The scan ends before the first token that starts at or past this byte offset (the
    /// parts of a compound that starts before still come). The sink may lower it while the
    /// scan runs (a snippet that knows how far it needs to read).
    std::size_t stop_at = static_cast<std::size_t>(-1);
};

/// Analyzer::analyze_while for a caller that only reads the words in `looking.wanted`: a
/// plain word (letters of the character table, up to text::kFastTermBytes bytes) whose
/// folded form is not wanted is not sent (nor its terms built: its folded form is read from
/// the character table as it is scanned); it still takes its position, so the next token's
/// position tells the gap, and its bounds go to `looking.bounds`. Every other token is sent
/// as analyze_while sends it, in the same order, with the same offsets, position and terms.
/// The sink's stop rule as analyze_while's, and `looking.stop_at`. `tokens` counts the tokens
/// read, sent or not. Linear in the text's length.
AnalysisStats analyze_looking_for(const Analyzer& analyzer, std::string_view text, LookingFor& looking,
                                  const std::function<bool(const Token&)>& sink);

}  // namespace vnsearch::detail
