// vnsearch — analysis: the syllable tokenizer shared by indexing and querying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/export.h"

namespace vnsearch {

/// What a token is. See docs/analysis.md for the rules.
enum class TokenKind : std::uint8_t {
    word,          ///< a syllable (Latin letters, Vietnamese or not)
    number,        ///< 2009, 3.337 (thousands), 59,2 (decimal comma)
    date,          ///< 25/07/2024, 2/2/2008, 12/2020, 2024-07-25
    time,          ///< 08:11, 08:11:00
    code,          ///< 03-NQ/HU, 28-CT/TW, COVID-19, H5N1 (parts follow as own tokens)
    abbreviation,  ///< all-caps non-syllable: HĐND, UBND, TCCSĐ
    foreign,       ///< a word in another script (Cyrillic, Greek, Han ideograph, ...)
};

/// The lowercase name used in JSON and docs: "word", "number", ...
VNSEARCH_API std::string_view kind_name(TokenKind kind) noexcept;

/// One token. `start`/`end` are byte offsets into the text given to the analyzer.
struct Token {
    std::string text;        ///< the original slice text[start, end)
    std::string exact;       ///< normalized, lowercased, canonical tone placement
    std::string folded;      ///< exact without any mark, đ -> d
    std::size_t start = 0;   ///< byte offset of the first byte in the original input
    std::size_t end = 0;     ///< byte offset one past the last byte
    std::uint32_t position = 0;  ///< term position (parts of a compound share the run)
    TokenKind kind = TokenKind::word;
    bool part = false;       ///< a part of the preceding date/code token (03, NQ, HU)
};

struct AnalyzerOptions {
    /// Exact/folded terms are cut (at a character boundary) to at most this many bytes;
    /// the token's text/start/end still cover the whole run. Xapian's limit is 245.
    std::size_t max_term_bytes = 64;
    /// Emit the parts of dates and codes as tokens of their own after the whole.
    bool emit_parts = true;
    /// First position given to a token.
    std::uint32_t first_position = 0;
};

/// Counters of one analyze() call.
struct AnalysisStats {
    std::size_t tokens = 0;
    std::size_t invalid_bytes = 0;  ///< bytes of invalid UTF-8 (treated as separators)
};

/// Splits Vietnamese text into syllable tokens. Cheap to copy; thread-safe (const).
class VNSEARCH_API Analyzer {
  public:
    explicit Analyzer(AnalyzerOptions options = {});

    /// Calls `sink` for each token, in order. The Token reference is only valid during
    /// the call (the analyzer reuses its buffers). Invalid UTF-8 never throws.
    AnalysisStats analyze(std::string_view text, const std::function<void(const Token&)>& sink) const;

    /// As analyze(), but stops after the token for which `sink` returns false: the tokens
    /// already sent are exactly those analyze() sends first, so a caller that has seen enough
    /// of a long text (a snippet's best window) reads no further. The counters cover the
    /// tokens sent.
    AnalysisStats analyze_while(std::string_view text, const std::function<bool(const Token&)>& sink) const;

    /// Convenience: all tokens of `text`.
    std::vector<Token> analyze(std::string_view text) const;

    const AnalyzerOptions& options() const noexcept { return options_; }

  private:
    AnalyzerOptions options_;
};

}  // namespace vnsearch
