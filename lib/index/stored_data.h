// Internal: THE codec of a document's stored data (Xapian's document data), which hits,
// snippets, similar() and the spelling statistics' delete path read back.
//
// Written as a binary record: a format byte, then the fields as LEB128 lengths and bytes
// (term-scheme.md, "Document data"), the body last, compressed with zstd. A reader takes
// the fields it needs and decodes nothing else: a hit shown without a snippet never
// decompresses its body, one shown with a snippet only the part the snippet may use.
// Databases written before hold the body uncompressed (format 1) or a JSON object; both
// are read as before.
#pragma once

#include <limits>
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
/// `body_bytes`: the caller uses only text::utf8_prefix(doc.body, body_bytes), so the body
/// may be cut (anywhere) past that; only as much of it is decompressed.
bool decode_stored(std::string_view data, StoredParts parts, Document& doc, std::vector<std::string>* place_keys,
                   std::size_t body_bytes = std::numeric_limits<std::size_t>::max());

}  // namespace vnsearch::detail
