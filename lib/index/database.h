// Internal: database-level helpers shared by the writer and the searcher.
#pragma once

#include <xapian.h>

#include <string>

namespace vnsearch::detail {

/// Throws SchemeVersionError unless `db` is empty or was written with this term scheme.
void check_scheme(const Xapian::Database& db, const std::string& path);

/// The current UTC time as ISO 8601 ("2026-11-22T22:31:29Z").
std::string now_iso();

}  // namespace vnsearch::detail
