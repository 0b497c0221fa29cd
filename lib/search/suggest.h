// Internal: "did you mean" — restoring the diacritics of a query from the index's own text,
// and recognising queries typed in Telex or VNI.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "vnsearch/analysis.h"

namespace vnsearch::detail {

struct RestoreOptions {
    /// Documents read per pair of adjacent query syllables (from the pair's bigram term); long
    /// queries get less, so that all their pairs share max_docs.
    std::size_t docs_per_pair = 100;
    /// Documents read per syllable that no pair covers (from its folded term).
    std::size_t docs_per_syllable = 48;
    /// At most this many documents in all.
    std::size_t max_docs = 1000;
    /// Only the first bytes of each document's text are read.
    std::size_t bytes_per_doc = 32 * 1024;
};

/// The query with its unmarked syllables given their most likely marks, everything else
/// kept byte for byte; "" when nothing would change.
///
/// The statistics are the index's own, read when asked (so they follow every add and
/// delete): the documents that hold the query's adjacent syllable pairs (its bigram terms)
/// are read, every run of the query's folded syllables found in them is counted with the
/// marks it has there, and the spelling with the best score under a 4-gram model of those
/// counts (stupid backoff) wins. Syllables typed with marks are kept and constrain their
/// neighbours. Case: as typed; an all-lowercase syllable takes the capitalisation the
/// documents mostly give that spelling ("chi lang" -> "Chi Lăng").
std::string restore_diacritics(const Xapian::Database& db, std::string_view query, const RestoreOptions& options = {});

/// Matching documents of the query's syllables ANDed (folded; at least `check` counted).
std::size_t and_matches(const Xapian::Database& db, std::string_view query, std::size_t check);

}  // namespace vnsearch::detail
