// Internal: snippets — a window of the original text around the matched words, with the
// spans of the matches (byte offsets into the snippet's own text); marked() puts markers
// around them. What is matched comes from the
// parsed query (query.h): its words with the forms typed, its adjacent pairs and phrases,
// and the abbreviation expansions the query builder added.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "search/query.h"
#include "vnsearch/analysis.h"

namespace vnsearch::detail {

struct SnippetOptions {
    std::size_t chars = 240;  ///< approximate length in characters
    std::string ellipsis = "…";
    /// Stop reading the text once the best window is known (make_snippet); false reads it
    /// whole, which gives the same snippet (the tests compare the two).
    bool stop_early = true;
};

/// A snippet: flattened text (white space runs collapsed, ellipses where the window cuts the
/// text) and its matches as byte spans [first, second) into `text`, in order, disjoint.
struct Snippet {
    std::string text;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
};

/// The snippet's text with `start` and `end` around each span.
std::string marked(const Snippet& snippet, std::string_view start, std::string_view end);

/// What a snippet looks for, derived once per search from the parsed query.
struct SnippetTerms {
    struct Term {
        std::unordered_set<std::string> exact;  ///< exact forms typed with marks
        bool any_form = false;  ///< typed without marks somewhere: every form is literal
        bool expansion = false;  ///< only from an abbreviation's expansion (shown below literal words)
    };
    std::unordered_map<std::string, std::uint32_t> ids;  ///< folded form -> index in terms
    std::vector<Term> terms;
    /// Adjacent query words (free text and phrases): (first id << 32 | second id).
    std::unordered_set<std::uint64_t> pairs;
    /// Each abbreviation expansion's words, as term ids: an expansion matches as a whole
    /// phrase, so its words count and show only where they stand together in that order.
    std::vector<std::vector<std::uint32_t>> expansion_phrases;
    bool empty() const { return terms.empty(); }
};

/// The snippet terms of a parsed query and of the expansions its builder added.
SnippetTerms snippet_terms(const ParsedQuery& query, const std::vector<std::string>& expansions, const Analyzer& analyzer);

/// Builds the snippet of `text`: the window that covers the most distinct query words —
/// literal forms above folded ones, both above abbreviation expansions — and the most
/// adjacent query pairs (phrases). One pass over the text and one over its matches; the
/// pass ends early where the rest of the text cannot change the choice (a window already
/// holds every query word in its best form and every adjacent pair).
/// A word typed with marks highlights its exact form where the text has it and its folded
/// forms only where the text has no exact form; an expansion's words only where its whole
/// phrase stands ("nhân" of "kiểm sát nhân dân" is not shown in "nhân viên"). Falls back
/// to the start of the text.
Snippet make_snippet(std::string_view text, const SnippetTerms& terms, const Analyzer& analyzer,
                     const SnippetOptions& options);

}  // namespace vnsearch::detail
