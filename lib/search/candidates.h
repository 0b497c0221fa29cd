// Internal: ranking in two steps. A query's candidate form (BuiltQuery::candidates, without
// the terms a large share of the documents hold) finds the best few documents cheaply; the
// whole query then scores only those, so a long question does not walk the posting lists of
// "của", "là" and "các" over the whole index (docs/performance.md, "Query latency").
#pragma once

#include <xapian.h>

#include <functional>
#include <optional>
#include <vector>

#include "search/bm25_postings.h"

namespace vnsearch::detail {

/// A ranked document and its score.
struct RankedDocument {
    Xapian::Document document;
    double weight = 0;
    Xapian::docid docid = 0;  ///< as the database searched numbers it
};

struct CandidateMatches {
    std::vector<RankedDocument> hits;  ///< ranks [offset, offset + count)
    Xapian::doccount total = 0;        ///< documents the candidate query matches (estimated)
    bool total_exact = false;
};

/// The ranking an MSet holds, in match_candidates' form (when every match was ranked).
CandidateMatches all_matches(const Xapian::MSet& mset);

/// How match_candidates scores a block of candidates.
enum class CandidateScoring {
    rescore,  ///< `query` scores each candidate anew
    /// `query` holds only terms the candidate query lacks: a candidate's score is its score
    /// for the candidate query plus its score for `query` (nothing when `query` does not
    /// match it). For a query of the candidate terms OP_AND_MAYBE further terms this is the
    /// score of the whole (BM25 sums its terms), read from the further terms' posting lists only.
    add,
};

/// CandidateScoring::add without an enquiry: adds to `scores[k]` the further terms' score
/// for document `docids[k]` (ascending, numbered as in the database searched).
using AddScores = std::function<void(const std::vector<Xapian::docid>& docids, std::vector<double>& scores)>;

/// The candidate step without an enquiry: the best `wanted` documents of `candidates` with
/// their scores, in an enquiry's order, and how many it matches (Bm25Terms::top).
using RankCandidates = std::function<TopDocuments(Xapian::doccount wanted)>;

/// `candidates` finds documents in blocks of `block` (its best `block`, the next `block`, and
/// so on); `query` then scores and ranks each block on its own, with `weight`: the same
/// score `query` gives a document over the whole database. The ranking is the blocks one
/// after the other, so a page never depends on which other pages were asked for. `offset`
/// and `count` as for Enquire::get_mset. `shards`: the local databases `db` is made of, in
/// order, all local (a remote shard cannot run the candidate filter). Nothing when the
/// candidate query matches nothing, or when the shards cannot be told apart (copies of one
/// database): the caller then runs `query` over everything. `add_scores`: with
/// CandidateScoring::add, scores `query`'s terms in place of an enquiry of `query` (it must
/// give the same scores). `rank`: ranks the candidates in place of an enquiry of `candidates`
/// (it must give the same ranking). Like Xapian::Database, not to be shared between threads.
std::optional<CandidateMatches> match_candidates(const Xapian::Database& db, const std::vector<Xapian::Database>& shards,
                                                 const Xapian::Query& candidates, const Xapian::Query& query,
                                                 const Xapian::Weight& weight, Xapian::doccount offset,
                                                 Xapian::doccount count, Xapian::doccount block,
                                                 CandidateScoring scoring = CandidateScoring::rescore,
                                                 const AddScores* add_scores = nullptr,
                                                 const RankCandidates* rank = nullptr);

}  // namespace vnsearch::detail
