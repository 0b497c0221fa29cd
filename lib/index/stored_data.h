// Internal: THE codec of a document's stored data (Xapian's document data), which hits,
// snippets, similar() and the spelling statistics' delete path read back.
//
// Written as a binary record: a format byte, then the fields as LEB128 lengths and bytes
// (term-scheme.md, "Document data"), the body last. A reader takes the fields it needs and
// copies nothing else: a hit shown without a snippet never copies its body. Databases
// written before this record existed hold a JSON object instead; it is read as before.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/document.h"

namespace vnsearch::detail {

/// What a reader needs of the stored data.
enum class StoredParts {
    all,
    without_body,  ///< everything but Document::body (left empty)
};

/// The stored data of `doc`, with the places build_document found in it (their keys, each
/// unit once, in order: scheme::place_key). Text that is not valid UTF-8 is stored with
/// each invalid sequence replaced by U+FFFD, as it has always been, so a hit's fields are
/// always valid UTF-8.
std::string encode_stored(const Document& doc, const std::vector<std::string>& place_keys);

/// Reads stored data (either form) into `doc` and, when given, the place keys into
/// `place_keys`. False, with `doc` and `place_keys` left empty, when the data is neither
/// form (a document not written by vnsearch, or damaged). Linear in the data's size.
bool decode_stored(std::string_view data, StoredParts parts, Document& doc, std::vector<std::string>* place_keys);

}  // namespace vnsearch::detail
