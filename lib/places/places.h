// Internal: place recognition on tokens the Analyzer already made (see docs/places.md).
#pragma once

#include <string_view>
#include <vector>

#include "vnsearch/analysis.h"
#include "vnsearch/places.h"

namespace vnsearch::places {

/// The places named in `text`, given the Analyzer's tokens of that same text (any
/// AnalyzerOptions; with emit_parts, hyphenated names such as "Bà Rịa-Vũng Tàu" match too).
/// What recognize_places returns, without analyzing twice: the document builder calls this.
/// Linear in the number of tokens. Thread-safe.
std::vector<PlaceMention> recognize(const std::vector<Token>& tokens, std::string_view text,
                                    const PlaceOptions& options);

/// Number of units in the compiled-in table (both geographies).
std::size_t unit_count() noexcept;

}  // namespace vnsearch::places
