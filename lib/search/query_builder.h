// Internal: the query language, parsed by our own parser over the shared Analyzer (never
// Xapian's QueryParser, whose word splitting would differ from indexing) and built with
// the shared term scheme.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "index/abbreviation_store.h"
#include "vnsearch/analysis.h"

namespace vnsearch::detail {

/// Weights of the query building blocks (see docs/guide.md, "Matching semantics").
struct QueryWeights {
    double exact = 1.0;          ///< exact term of a syllable typed with marks
    double folded_accented = 0.35;  ///< its folded term (marks typed but other marks in text)
    double folded = 1.0;         ///< folded term of a syllable typed without marks
    double adjacency = 3.0;      ///< phrase boost for two adjacent query syllables (bench/run_relevance.sh)
    double abbreviation = 0.25;  ///< scale of an abbreviation's expansion (and of an expansion's abbreviation)
};

struct BuiltQuery {
    Xapian::Query query;
    bool empty = true;                         ///< nothing to search for
    std::vector<std::string> warnings;         ///< how a malformed query was understood
    /// Words to highlight in snippets: folded term -> the exact forms typed (empty: the
    /// syllable was typed without marks, so every form of it is a match).
    std::unordered_map<std::string, std::unordered_set<std::string>> highlight;
};

/// `abbreviations`: when given, free text is expanded with known abbreviations both ways.
BuiltQuery build_query(std::string_view text, const Analyzer& analyzer, const QueryWeights& weights = {},
                       const AbbreviationLookup* abbreviations = nullptr);

}  // namespace vnsearch::detail
