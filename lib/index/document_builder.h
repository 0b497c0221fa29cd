// Internal: turns a vnsearch::Document into a Xapian::Document following the term scheme.
#pragma once

#include <xapian.h>

#include <vector>

#include "index/spelling_store.h"
#include "index/stored_data.h"
#include "vnsearch/analysis.h"
#include "vnsearch/document.h"
#include "vnsearch/places.h"

namespace vnsearch::detail {

/// Throws DocumentError for an empty or invalid id or a date that is not ISO 8601.
void check_document(const Document& doc);

/// Builds the Xapian document (terms, values, stored data). Throws DocumentError for an
/// empty id or a date that is not ISO 8601. With `spelling`, also counts the document's
/// spellings there (from the same analysis).
Xapian::Document build_document(const Document& doc, const Analyzer& analyzer, SpellingCollector* spelling = nullptr);

/// Counts the spellings of a document as build_document does (sign -1: takes them away, for
/// a document being deleted or replaced, read back with stored_document).
void count_spellings(const Document& doc, const Analyzer& analyzer, SpellingCollector& spelling, std::int64_t sign);

/// The stored data of a document (stored_data.h), as written by build_document; with
/// `places`, also the places build_document found in it (each unit named once, in order).
/// Empty when the data is not vnsearch's. `parts`: what the caller needs (a hit shown
/// without a snippet needs no body; `body_bytes` as decode_stored's).
Document stored_document(const Xapian::Document& xdoc, std::vector<Place>* places = nullptr, StoredParts parts = StoredParts::all,
                         std::size_t body_bytes = std::numeric_limits<std::size_t>::max());

}  // namespace vnsearch::detail
