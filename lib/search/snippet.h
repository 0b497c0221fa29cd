// Internal: snippets — a window of the original text around the matched words, with the
// matches (folded matches too) between markers at their original byte offsets.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "vnsearch/analysis.h"

namespace vnsearch::detail {

struct SnippetOptions {
    std::size_t chars = 240;  ///< approximate length in characters
    std::string start = "<b>";
    std::string end = "</b>";
    std::string ellipsis = "…";
};

/// folded term -> exact forms wanted ("" among them: any form).
using HighlightTerms = std::unordered_map<std::string, std::unordered_set<std::string>>;

/// Builds the snippet of `text` for `terms`. A word typed with marks highlights its exact
/// form where the text has it and its folded form only where the text has no exact form.
/// Falls back to the start of the text when nothing matches.
std::string make_snippet(std::string_view text, const HighlightTerms& terms,
                         const Analyzer& analyzer, const SnippetOptions& options);

}  // namespace vnsearch::detail
