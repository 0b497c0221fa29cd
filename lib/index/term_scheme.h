// Internal: THE term scheme — the one place where the spelling of Xapian terms, values
// and metadata is defined. Both the index writer (lib/index) and the query builder
// (lib/search) use it, so indexing and querying cannot disagree. Specified, with its
// version, in docs/term-scheme.md; bump kVersion on any change.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vnsearch/analysis.h"

namespace vnsearch::scheme {

/// Version stored in the database metadata under kVersionKey.
constexpr int kVersion = 1;
constexpr const char* kVersionKey = "vnsearch.scheme";
constexpr const char* kLastUpdateKey = "vnsearch.last_update";

// Term prefixes.
constexpr std::string_view kFolded = "";         ///< folded body+title terms, positional
constexpr std::string_view kExact = "E";         ///< exact body+title terms (only when != folded)
constexpr std::string_view kTitleFolded = "S";   ///< folded title terms, positional
constexpr std::string_view kTitleExact = "XS";   ///< exact title terms (only when != folded)
constexpr std::string_view kAuthor = "A";        ///< folded author terms
constexpr std::string_view kId = "Q";            ///< boolean: the document id
constexpr std::string_view kSource = "XSRC";     ///< boolean: source_key(source)
constexpr std::string_view kYear = "Y";          ///< boolean: four-digit year

// Value slots.
constexpr unsigned kDateSlot = 0;    ///< "YYYYMMDDhhmmss" (14 digits), sortable
constexpr unsigned kYearSlot = 1;    ///< "YYYY", for year facets
constexpr unsigned kSourceSlot = 2;  ///< the source as given, for source facets

/// Title terms count this many times in the body families (titles weigh more).
constexpr unsigned kTitleWdf = 3;
/// Body positions start this far after the title's last position, so no phrase
/// spans title and body.
constexpr std::uint32_t kBodyPositionGap = 100;

/// Xapian's term length limit (bytes).
constexpr std::size_t kMaxTermBytes = 245;

std::string term(std::string_view prefix, std::string_view text);
inline std::string folded_term(const Token& t) { return term(kFolded, t.folded); }
/// Whether the token has an exact term of its own (it carries marks).
inline bool has_exact(const Token& t) { return t.exact != t.folded; }
inline std::string exact_term(const Token& t) { return term(kExact, t.exact); }
inline std::string title_folded_term(const Token& t) { return term(kTitleFolded, t.folded); }
inline std::string title_exact_term(const Token& t) { return term(kTitleExact, t.exact); }

std::string id_term(std::string_view id);
/// Source filter key: folded, letters and digits only ("Báo Lạng Sơn" -> "baolangson").
std::string source_key(std::string_view source);
inline std::string source_term(std::string_view source) { return term(kSource, source_key(source)); }

/// Parses an ISO 8601 date or date-time prefix ("2019", "2019-02", "2024-07-25",
/// "2018-10-29T08:11:00") to the 14-digit slot value, missing parts as their lowest value.
/// Returns "" when `iso` is not such a date.
std::string date_value(std::string_view iso);
/// The same, but missing parts as their highest value (for the end of a range).
std::string date_value_end(std::string_view iso);

}  // namespace vnsearch::scheme
