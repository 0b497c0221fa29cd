// Internal: turns a vnsearch::Document into a Xapian::Document following the term scheme.
#pragma once

#include <xapian.h>

#include <vector>

#include "vnsearch/analysis.h"
#include "vnsearch/document.h"
#include "vnsearch/places.h"

namespace vnsearch::detail {

/// Throws DocumentError for an empty or invalid id or a date that is not ISO 8601.
void check_document(const Document& doc);

/// Builds the Xapian document (terms, values, stored data). Throws DocumentError for an
/// empty id or a date that is not ISO 8601.
Xapian::Document build_document(const Document& doc, const Analyzer& analyzer);

/// The stored data of a document (JSON), as written by build_document; with `places`, also
/// the places build_document found in it (each unit named once, in order).
Document stored_document(const Xapian::Document& xdoc, std::vector<Place>* places = nullptr);

}  // namespace vnsearch::detail
