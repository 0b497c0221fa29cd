// Internal: the parsed query (query.h) as a Xapian query, through the shared term scheme.
#pragma once

#include <xapian.h>

#include <functional>
#include <string>
#include <vector>

#include "index/abbreviation_store.h"
#include "search/query.h"

namespace vnsearch::detail {

/// Every ranking parameter in one place, with how it was chosen (bench/run_relevance.sh,
/// docs/relevance.md).
struct RankingParameters {
    /// BM25 (Xapian::BM25Weight). k1 = 1.2 is the textbook saturation; b = 0.5 normalizes
    /// length half way, chosen on the known-item benchmark (news bodies vary 10× in length,
    /// full normalization buried long articles); k2 = 0, k3 = 1 (no query-length terms),
    /// min_normlen = 0.5 (Xapian's default).
    double bm25_k1 = 1.2;
    double bm25_b = 0.5;
    double bm25_min_normlen = 0.5;
    /// A syllable typed with marks: its exact term, scaled so that a document with the exact
    /// spelling (which holds the folded term too) weighs what the exact term weighs — one
    /// vote, not two ...
    double exact = 1.0;
    /// ... and its folded term, which alone is what another spelling gets: 0.35 so that
    /// "lạng" ranks Lạng Sơn above Chi Lăng on the seed corpus while Lăng still matches.
    double folded_accented = 0.35;
    /// A syllable typed without marks: its folded term (every spelling alike).
    double folded = 1.0;
    /// Two adjacent query syllables found adjacent (their bigram term): 3.0, from 1.5 / 3.0
    /// / 5.0 on the known-item benchmark (headline and summary spans).
    double adjacency = 3.0;
    /// An abbreviation's expansion (and an expansion's abbreviation), relative to one literal
    /// term: 0.25 keeps literal matches first (tests/test_abbreviations.cpp).
    double abbreviation = 0.25;
    /// A word of ranked text is an anchor when at most this share of the documents hold it
    /// (its folded form, marks typed or not) or at most anchor_ratio times as many as hold
    /// the text's rarest word; the others are common ("là", "có", "như", "thế", "nào" on
    /// news). A pair of two common syllables ("là ai", "thế nào") counts only in documents
    /// that hold an anchor (Builder::anchored_query): "Ronaldo là ai" ranks Ronaldo's
    /// articles, and a summary sentence keeps the phrases it shares with its article.
    /// Chosen on 50k VietNews (docs/relevance.md, "Questions around a name"): 0.02 against
    /// 0.01 / 0.05, ratio 2 against 1 / 3 / 4 (without it a well-known name in 3 % of the
    /// documents is common), folded against exact frequencies (exact ones let accented
    /// question words anchor).
    double common_fraction = 0.02;
    double anchor_ratio = 2.0;
    /// A pair of two common words is an anchor itself when at most 1 / phrase_anchor_ratio
    /// as many documents hold it as hold the text's rarest word: "chó cắn" in "chó cắn như
    /// thế nào" (its rarest word "nào" in 30 % of law and health articles, the pair in
    /// 0.9 %), while the phrases of a question ("là ai", "như thế") stay common beside a
    /// name. Chosen on 50k VietNews (docs/relevance.md, "A question's rare phrase"): 10
    /// against 2 (the pairs of "thông tin mới nhất về Obama là gì" anchor, names in
    /// question frames fell from 0.948 to 0.703 MRR@10). 0 turns it off.
    double phrase_anchor_ratio = 10.0;
    /// A run of query words naming an administrative unit also looks up the unit's place
    /// term (documents naming it or a unit inside it), weighted as one word: 1.0 ranks the
    /// documents that name the unit first (their words and pair match too) and the ones
    /// about its districts and communes next, above those that share one of its syllables
    /// (tests/test_places_search.cpp). 0 turns the expansion off.
    double place = 1.0;
    /// Candidates (BuiltQuery::candidates): a term held by more than this share of the
    /// documents, and by more than prune_min_documents, finds no candidates of its own in a
    /// ranked free-text search (a folded "cua", "la", "nam"; a pair such as "cua cac"); it
    /// still weighs in the final scores of the candidates the other terms find. Shorter
    /// posting lists cost little to read, so on a small index nothing is common. 0 turns
    /// candidate generation off (every search exhaustive). Chosen on 50k VietNews
    /// (docs/relevance.md, "Candidates"; docs/performance.md): MRR@10 / Recall@10 of the
    /// summary spans, accented, against 0.560 / 0.775 ranking every match, and long-query p50:
    ///   0.05: 0.556 / 0.765, 0.21x the exhaustive search's time
    ///   0.10: 0.560 / 0.773, 0.24x
    ///   0.20: 0.560 / 0.776, 0.32x
    double prune_fraction = 0.10;
    double prune_min_documents = 1000;
    /// Candidates are scored with the whole query in blocks of this many (the best 50 by the
    /// candidate query, then the next 50, ...): 50 gave the same top 10 as ranking every
    /// match for 98 % of 200 long queries at 5 % (20: 95 %, 100: 99 %); at 10 %, 100 gained
    /// 0.002 of Recall@10 on long questions and summary spans for 4-18 % more time.
    unsigned candidates = 50;
};

/// The index statistics the builder weighs adjacency with (a Xapian database's own).
class TermStats {
  public:
    virtual ~TermStats() = default;
    virtual double documents() const = 0;
    virtual double termfreq(const std::string& term) const = 0;
};

struct BuiltQuery {
    Xapian::Query query;
    bool empty = true;  ///< nothing to search for
    /// Abbreviation expansions the query also looks for (lowercase text): snippets show them
    /// below the literal words.
    std::vector<std::string> expansions;
    /// The same query without its common terms (RankingParameters::prune_fraction): it finds
    /// the candidates, which `query` then scores. Empty when the query has no such split
    /// (only common words, required words, phrases alone, groups, no statistics).
    Xapian::Query candidates;
};

/// The query of one weighted term, its weight times `scale` (what Xapian::Query(scale, q)
/// scores). By default the plain term (scaled so); a searcher over local databases passes
/// Bm25Terms (bm25_postings.h): the same BM25 scores, with the documents' lengths read from
/// memory instead of from the index for every match, and the scale inside the term's own
/// scores, so that the least score Xapian's matcher asks of it is in its own units (its
/// block bounds then step over the postings that cannot reach it). An empty query leaves
/// the term plain (the builder then scales it with OP_SCALE_WEIGHT).
using TermQuery = std::function<Xapian::Query(const std::string& term, double scale)>;

/// `abbreviations`: when given, free text is expanded with known abbreviations both ways.
/// `stats`: when given, each adjacent pair's boost is scaled by how much its syllables weigh
/// (RankingParameters::adjacency). `term_query`: makes every weighted term's query (boolean
/// filter terms stay plain).
BuiltQuery build_query(const ParsedQuery& parsed, const Analyzer& analyzer, const RankingParameters& params = {},
                       const AbbreviationLookup* abbreviations = nullptr, const TermStats* stats = nullptr,
                       const TermQuery* term_query = nullptr);

}  // namespace vnsearch::detail
