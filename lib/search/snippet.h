// Internal: snippets — a window of the original text around the matched words, with the
// matches (folded matches too) between markers at their original byte offsets.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

#include "vnsearch/analysis.h"

namespace vnsearch::detail {

struct SnippetOptions {
    std::size_t chars = 240;  ///< approximate length in characters
    std::string start = "<b>";
    std::string end = "</b>";
    std::string ellipsis = "…";
};

/// Builds the snippet of `text` for the folded terms in `terms`. Falls back to the start
/// of the text when nothing matches.
std::string make_snippet(std::string_view text, const std::unordered_set<std::string>& terms,
                         const Analyzer& analyzer, const SnippetOptions& options);

}  // namespace vnsearch::detail
