// Internal: database-level helpers shared by the writer and the searcher.
#pragma once

#include <xapian.h>

#include <string>

#include "vnsearch/index.h"

namespace vnsearch::detail {

/// Throws SchemeVersionError unless `db` is empty or was written with this term scheme.
void check_scheme(const Xapian::Database& db, const std::string& path);

/// The current UTC time as ISO 8601 ("2026-11-22T22:31:29Z").
std::string now_iso();

/// Adds a shard's counters to a shard set's.
inline void accumulate(IndexStats& into, const IndexStats& part) {
    into.added += part.added;
    into.replaced += part.replaced;
    into.removed += part.removed;
    into.bytes += part.bytes;
}

}  // namespace vnsearch::detail
