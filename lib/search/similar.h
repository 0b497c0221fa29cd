// Internal: "more like this" (Searcher::similar) — the neighbours of a stored document found
// by relevance feedback (Bo1 expansion, as Xapian's ESet) over the term scheme's topic families.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <vector>

#include "search/bm25_postings.h"
#include "search/snippet.h"
#include "search/term_frequencies.h"

namespace vnsearch::detail {

/// How neighbours are looked up. Chosen on VNTC's topic labels with bench/bench_similar.cpp
/// (first 10,000 documents, 300 sampled articles, precision@10; docs/relevance.md):
///   Xapian's default "trad" expansion, min 2 documents, 40 terms  0.803
///   trad, min 5, 40 terms                                          0.823
///   "bo1", min 2, 40 terms                                         0.834
///   bo1, min 5, 40 terms (these defaults)                          0.841
///   bo1, min 10, 40 / min 5, 25 / min 5, 60 terms                  0.844 / 0.831 / 0.851
///   terms scaled by their ESet weight (bo1 / trad, min 5, 40)      0.815 / 0.820
/// All 84,132 documents, 1,000 articles (plain Xapian's ESet at the same term count alongside):
///   bo1, min 5: 40 / 60 / 100 terms    0.824 / 0.836 / 0.848 (Xapian 0.822 / 0.826 / 0.817)
///   bo1, min 20, 40 terms              0.828
/// More terms rank better but cost time (p50 13 / 15 / 33 ms on a loaded machine); 40 is kept
/// as the default and SimilarOptions::terms lets a caller trade time for precision.
struct SimilarParameters {
    /// Expansion terms taken from the ESet (SimilarOptions::terms = 0).
    unsigned terms = 40;
    /// Terms in fewer documents than this are not expanded with: with one relevant document
    /// the ESet prefers the rarest terms, and a term only the document itself (or a few
    /// others) holds finds little. In a small index a topic's words are in few documents:
    /// the bound is one per `docs_per_min_termfreq` documents, at least 2.
    Xapian::doccount min_termfreq = 5;
    Xapian::doccount docs_per_min_termfreq = 1000;
    /// Expansion terms in more than this fraction of the documents only add to the score of
    /// documents that share a rarer one (0: all terms alike). Same neighbours in practice, at
    /// a third less time at 233,589 documents (docs/relevance.md, "Related articles"):
    ///   VNTC 20,000 documents, 500 articles, precision@10, seed 42 / seed 7:
    ///     0 (plain OR) 0.770 / 0.784   0.01 0.770 / 0.783   0.005 0.770 / 0.781   0.002 0.754
    ///   similar_latency.py, 233,589 documents, 150 articles, p50 / p99 ms:
    ///     0 14.8 / 39.8   0.02 11.1 / 21.6   0.01 9.7 / 15.7   0.005 8.2 / 13.0   0.002 6.9 / 10.4
    double boost_fraction = 0.01;
    /// When some terms only add to the score (boost_fraction), the rarer terms alone pick the
    /// neighbours in blocks of this many, to whose scores the common terms' are then added
    /// (match_candidates, CandidateScoring::add); 0: every match ranked at once.
    ///   VNTC all 84,132 documents, 1,000 articles, precision@10 (plain Xapian 0.822):
    ///     0 (every match) 0.824   100 0.822   200 0.823   400 0.824
    ///   similar_latency-style run, 235,000 documents, 150 articles, p50 ms, one session:
    ///     0 13.2   100 8.5   200 8.8   400 9.4
    Xapian::doccount candidates = 400;
};

/// The lookup of one document's neighbours.
struct SimilarQuery {
    Xapian::docid docid = 0;          ///< the document, in the (multi-)database asked
    Xapian::termcount doclength = 0;  ///< its length (a duplicate has the same)
    std::vector<std::string> terms;   ///< the expansion terms, best first
    Xapian::Query query;              ///< the terms (boost_fraction), the document itself excluded
    Xapian::Query candidates;         ///< the rarer terms alone, when `query` has common ones
    Xapian::Query common;             ///< then the common ones alone (CandidateScoring::add)
    std::vector<std::string> candidate_terms;  ///< the terms of `candidates` (Bm25Terms::top ranks their OR)
    std::vector<std::string> common_terms;     ///< the terms of `common`
};

/// A term of a document's expansion and its Bo1 weight.
struct ExpansionTerm {
    double weight = 0;
    std::string term;
    Xapian::doccount termfreq = 0;  ///< documents holding it
};

/// The `count` topic terms of document `docid` with the highest Bo1 weight, best first (equal
/// weights: the lexically smaller term first). Bo1 is the Bose-Einstein model of divergence
/// from randomness, weighed as Xapian's Enquire::get_eset does with the "bo1" scheme for an
/// RSet of that one document, and these are the terms it returns (up to the order of equal
/// weights). Only the topic families enter (scheme::is_topic_term): exact forms would count
/// each marked syllable twice, and boolean, title-only and author terms say nothing about the
/// topic that the body families do not. Terms in fewer than `min_termfreq` documents are left
/// out: with one relevant document Bo1 ranks the rarest terms first, and a term only this
/// document holds (a name, most of its bigrams) finds no neighbour at all.
/// `freqs`: frequencies of `db` read before (a Searcher's, kept across calls); by default the
/// call reads its own.
std::vector<ExpansionTerm> expansion_terms(const Xapian::Database& db, Xapian::docid docid, std::size_t count,
                                           Xapian::doccount min_termfreq, TermFrequencies* freqs = nullptr);

/// Builds the lookup of the document with id `id`. Throws NotFoundError when there is none.
/// An empty `terms` (a document without words) gives an empty query.
/// `scored`: when given (local databases only), `candidates` scores its terms through it
/// (bm25_postings.h: the lengths read from memory), and the caller adds the common terms'
/// scores with its add_scores; `query` and `common` always hold plain terms.
SimilarQuery similar_query(const Xapian::Database& db, std::string_view id, const SimilarParameters& params,
                           TermFrequencies* freqs = nullptr, const Bm25Terms* scored = nullptr);

/// What snippets highlight: the folded syllables and the pairs among the expansion terms.
SnippetTerms similar_snippet_terms(const std::vector<std::string>& terms);

}  // namespace vnsearch::detail
