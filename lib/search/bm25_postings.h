// Internal: BM25 scoring of posting lists with the documents' lengths held in memory.
//
// Xapian's matcher reads a matching document's length from the index for every term that
// scores it (a skip along one more posting list, in blocks read from disk). For an OR of a
// few dozen terms that match some 15,000 documents at 235k — similar()'s candidate step —
// those reads are over a third of the match (3.2 ms against 2.2 ms without them, measured in
// docs/performance.md). A posting source (Xapian::PostingSource) per term that takes the
// length from a table read once per revision gives the same scores without them. Every
// weighted term of a search over local shards goes through it too (query_builder.h,
// TermQuery), and similar() ranks its candidates term after term with top(). Beside the
// lengths, the table keeps the block bounds of the long lists and the postings of the lists
// searches open most (DocumentLengths::kHeldMaxBytes), which the sources then read from
// memory instead of the index (docs/performance.md, "Common postings held in memory").
#pragma once

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "search/term_frequencies.h"

namespace vnsearch::detail {

/// BM25 as Xapian::BM25Weight(k1, 0, 1, b, min_normlen) weighs a term that occurs once in
/// the query: k2 = 0 (no length-only part), k3 = 1 (a query frequency of 1 counts 1). The
/// values are RankingParameters' (query_builder.h), which owns them.
struct Bm25Parameters {
    double k1;
    double b;
    double min_normlen;
};

/// BM25's part of a term's score that depends on the document, `wdf` occurrences in a
/// document of `length` (the score is the term's weight times it), in the order of
/// operations Xapian's BM25Weight uses, so the doubles come out the same.
inline double bm25_ratio(const Bm25Parameters& params, double len_factor, Xapian::termcount wdf, Xapian::termcount length) {
    const double normlen = std::max(length * len_factor, params.min_normlen);
    const double wdf_double = wdf;
    const double denom = params.k1 * (normlen * params.b + (1 - params.b)) + wdf_double;
    return wdf_double / denom;
}

/// Block-max bounds of one term's postings in one shard (Lucene's block-max, Ding & Suel's
/// block-max WAND): for each block of kPostings postings, its last document and the most
/// bm25_ratio any of them reaches. A search that needs a score above what a whole block
/// can give steps over the block without scoring it (Bm25Source).
struct BlockBounds {
    static constexpr std::size_t kPostings = 128;
    std::vector<Xapian::docid> last;
    std::vector<double> max_ratio;
    /// The postings themselves, when held in memory (DocumentLengths::kHeldMaxBytes), block
    /// by block: block b is encoded[offsets[b], offsets[b + 1]), each of its postings the
    /// varint of its document's distance from the one before (for the block's first, from
    /// last[b - 1], or 0) and the varint of its wdf. A common term's postings are about 2
    /// bytes each so (documents a few apart, wdf small). Empty when not held.
    std::vector<std::uint32_t> offsets;
    std::string encoded;
    bool held() const { return !offsets.empty(); }
};

/// The length of every document of each local shard, as Xapian stores it (the sum of its
/// terms' wdf): 4 bytes a document, read in one pass over each shard's length list (about
/// 10 ms at 235k documents). Valid for the revision it was read from. The lengths are
/// immutable; the block bounds built from them and the common postings held with them
/// (bounds()) are kept behind a mutex, and never change once made (a list newly held
/// replaces its entry; searches holding the old one keep it). So one table may be shared
/// between threads.
class DocumentLengths {
  public:
    /// Shards whose document numbers go beyond this are not read (their table would take
    /// over 64 MiB): available() is then false.
    static constexpr Xapian::docid kMaxDocid = 1u << 24;
    /// Terms with fewer postings in a shard than this get no block bounds and are never held:
    /// their lists cost little to read whole (a list of 2,000 about 0.05 ms at 235k
    /// documents). 2,000 rather than 10,000: at 50k documents the common terms (over 10 %
    /// of the documents, RankingParameters::prune_fraction) start at 5,000 postings, and
    /// holding those too made the short queries' p50 6-9 % faster in one process, held
    /// against not (at 235k it changed nothing).
    static constexpr Xapian::doccount kBoundsMinPostings = 2000;
    /// The block bounds kept at most (12 bytes a block of 128 postings): those of every term
    /// of 2,000 postings or more at 235k documents take 12 MB (11,179 terms, 132 million
    /// postings); past the room, the terms searches score first keep theirs.
    static constexpr std::size_t kBoundsMaxBytes = 32u << 20;
    /// The postings of such terms held in memory at most (about 2 bytes a posting), so that a
    /// search reads a common term's list from memory rather than decoding it from the index
    /// block by block, and checks a few candidates against it with a binary search
    /// (match_candidates' rescoring). The terms searches open most often take the room.
    static constexpr std::size_t kHeldMaxBytes = 128u << 20;
    /// A list is held once searches have opened it this many times: reading it whole (about
    /// 1 ms for 100,000 postings) pays when it spares that many skips through the index.
    static constexpr unsigned kHoldAfterOpens = 16;

    /// Why bounds() is asked: a search needs a score from the term (`score`: its bounds are
    /// read), or a search opens the term's postings (`open`: the bounds and postings are read
    /// once searches have opened the term `hold_after_opens` times, kHoldAfterOpens by
    /// default, and the postings held while there is room; `open_cached`: the same, but
    /// nothing is read, what is held already is returned).
    enum class Need { score, open, open_cached };

    explicit DocumentLengths(const std::vector<Xapian::Database>& shards,
                             Xapian::doccount bounds_min_postings = kBoundsMinPostings,
                             unsigned hold_after_opens = kHoldAfterOpens);
    DocumentLengths(const DocumentLengths&) = delete;
    DocumentLengths& operator=(const DocumentLengths&) = delete;

    /// The block bounds of `term` in `shard` (one of the shards read, by its lengths
    /// `shard_lengths`, as of()), with these parameters and 1 / the average length; read
    /// once per table and kept (one pass over the term's postings, the first time). Nothing
    /// for a term of fewer than the minimum postings, or once the cache is full.
    /// Thread-safe.
    std::shared_ptr<const BlockBounds> bounds(const Xapian::Database& shard, const std::vector<Xapian::termcount>& shard_lengths,
                                              const std::string& term, Xapian::doccount postings, const Bm25Parameters& params,
                                              double len_factor, Need need = Need::score, bool* read = nullptr) const;
    /// (bounds(): `*read` is set when the call read the list.)
    /// Bytes of postings held in memory (for tests and measurements). Thread-safe.
    std::size_t held_bytes() const {
        std::lock_guard lock(bounds_mutex_);
        return held_bytes_;
    }
    /// Blocks of postings searches stepped over with these bounds, and tables read (for
    /// tests and measurements). Thread-safe.
    std::uint64_t blocks_skipped() const { return blocks_skipped_.load(std::memory_order_relaxed); }
    std::size_t bounds_read() const {
        std::lock_guard lock(bounds_mutex_);
        std::size_t n = 0;
        for (const auto& entry : entries_) n += entry.second.bounds != nullptr;
        return n;
    }
    void count_skipped(std::uint64_t blocks) const { blocks_skipped_.fetch_add(blocks, std::memory_order_relaxed); }

    bool available() const { return available_; }
    /// Whether this table was read from these shards, each at the revision it is at now (so
    /// database handles on the same revisions can share it). False when a shard's revision
    /// cannot be told (not a local glass database).
    bool read_from(const std::vector<Xapian::Database>& shards) const;
    /// The lengths of the shard with this uuid, indexed by its document numbers; nullptr
    /// when no shard has that uuid.
    const std::vector<Xapian::termcount>* of(const std::string& uuid) const;
    /// The length of document `docid` as the shards searched as one number it (Xapian
    /// interleaves them: shard (docid - 1) mod n, its document (docid - 1) div n + 1), when
    /// the table holds it.
    bool length(Xapian::docid docid, Xapian::termcount& length) const {
        const Xapian::termcount* at = locate(docid);
        if (at) length = *at;
        return at != nullptr;
    }
    /// Whether the table holds the length of `docid` (numbered as for length()).
    bool has(Xapian::docid docid) const { return locate(docid) != nullptr; }
    /// Asks the processor to bring that length into its cache (for a lookup soon after).
    void prefetch(Xapian::docid docid) const {
        if (const Xapian::termcount* at = locate(docid)) __builtin_prefetch(at);
    }
    /// Whether these are the lengths of `db`'s shards, in its order (its uuid is theirs,
    /// joined with ':').
    bool covers(const Xapian::Database& db) const { return available_ && !shards_.empty() && db.get_uuid() == uuid_; }

  private:
    const Xapian::termcount* locate(Xapian::docid docid) const {
        const std::size_t n = shards_.size();
        if (n == 0 || docid == 0) return nullptr;
        const auto& lengths = shards_[n == 1 ? 0 : (docid - 1) % n].second;
        const std::size_t local = n == 1 ? docid : (docid - 1) / n + 1;
        return local < lengths.size() ? &lengths[local] : nullptr;
    }

    std::vector<std::pair<std::string, std::vector<Xapian::termcount>>> shards_;
    std::string uuid_;  ///< the shards' uuids joined with ':', as Xapian names a database of them
    std::vector<std::pair<std::string, Xapian::rev>> read_;  ///< each shard's uuid and revision, when known
    bool available_ = true;
    Xapian::doccount bounds_min_postings_;
    unsigned hold_after_opens_;
    mutable std::mutex bounds_mutex_;
    /// A term of at least the minimum postings: its bounds, once read, and how often searches
    /// opened it (Need::open, Need::open_cached).
    struct Entry {
        std::shared_ptr<const BlockBounds> bounds;
        unsigned opens = 0;
    };
    /// By the lengths' address, the parameters and the term.
    mutable std::unordered_map<std::string, Entry> entries_;
    mutable std::size_t bounds_bytes_ = 0;
    mutable std::size_t held_bytes_ = 0;
    mutable std::atomic<std::uint64_t> blocks_skipped_{0};
};

/// Scratch memory for Bm25Terms::top: a score per document number (8 bytes), kept between
/// calls so that a call costs the documents it touches, not the index's size (left zeroed
/// after each call). One thread at a time, like the database handle that owns it.
class ScoreAccumulator {
  public:
    /// Databases numbering documents past this are ranked by Xapian's matcher instead (the
    /// table would pass 32 MiB a handle).
    static constexpr Xapian::docid kMaxDocid = 1u << 22;

    /// Room for documents 1..last (grows; never shrinks).
    void reserve(Xapian::docid last) {
        if (scores_.size() <= last) scores_.resize(static_cast<std::size_t>(last) + 1, 0.0);
    }

  private:
    friend class Bm25Terms;
    std::vector<double> scores_;
    std::vector<Xapian::docid> touched_;
};

/// Documents ranked by Bm25Terms::top: the best first, and how many matched in all.
struct TopDocuments {
    std::vector<std::pair<Xapian::docid, double>> ranked;  ///< (document, score), falling score then rising number
    Xapian::doccount matched = 0;                           ///< documents any term matched (`exclude` not counted)
};

/// Builds the query of one term scored as Xapian's BM25Weight (Bm25Parameters) scores that
/// term in a query over `freqs`' database, with the lengths from `lengths`: the same score
/// for every document, up to the last bits of a double. The statistics (document count,
/// average length, the term's frequency) are the whole database's, so over several shards
/// the scores are those of one database holding them all. Local shards only: a remote
/// database cannot run a posting source.
class Bm25Terms {
  public:
    /// The lists the queries made here read whole to hold them (DocumentLengths::
    /// kHoldAfterOpens), at most: one, so that a search pays for at most one list while a
    /// fresh table fills (make one Bm25Terms a search). The others are read by later searches.
    static constexpr int kHoldReadsPerSearch = 1;

    /// `hold_reads`: kHoldReadsPerSearch unless a test asks for more.
    Bm25Terms(TermFrequencies& freqs, const Bm25Parameters& params, std::shared_ptr<const DocumentLengths> lengths,
              int hold_reads = kHoldReadsPerSearch);
    /// The term's query, its scores times `scale` (as Xapian::Query(scale, q) scores them,
    /// to the last bit): inside the posting source, so that the least score the matcher asks
    /// of it is in its own units and its block bounds can step over postings (Xapian 1.4
    /// passes that least score through OP_SCALE_WEIGHT unscaled). A scale of 0 stays an
    /// OP_SCALE_WEIGHT (Xapian then treats the term as a filter).
    Xapian::Query operator()(const std::string& term, double scale = 1.0) const;
    /// The largest factor a query scales a group of these terms by (OP_SCALE_WEIGHT over an
    /// OR of them): the block bounds allow for it. 1 unless set (RankingParameters' place
    /// and abbreviation weights, which are at most 1 by default).
    void set_group_scale(double bound) { group_scale_ = std::max(1.0, bound); }

    /// Adds the term's score in each of `docids` (ascending, numbered as in the database
    /// searched; `lengths` must then be of its shards, in order) to `scores` at the same
    /// index, reading only the term's posting list: what a query of the term alone would
    /// score them, without a match.
    void add_scores(const std::string& term, const std::vector<Xapian::docid>& docids, std::vector<double>& scores) const;
    /// Whether top() can run: the lengths are those of the database's shards, in order, and
    /// it numbers at most ScoreAccumulator::kMaxDocid documents.
    bool can_rank() const { return lengths_in_order_ && freqs_.database().get_lastdocid() <= ScoreAccumulator::kMaxDocid; }
    /// The `count` best documents for the OR of `terms` (each scored as operator() scores
    /// it; a document's score is the sum over the terms it holds), without document
    /// `exclude`: what an enquiry of that OR AND_NOT the document returns, in its order
    /// (falling score, then rising document number), scores equal up to the last bits of a
    /// double. Reads each term's posting list once, term after term, and never a document
    /// length from the index: for the few dozen rarer terms of similar() about half the
    /// time of Xapian's matcher, which walks the lists side by side through a tree of ORs.
    /// Requires can_rank(). Time: linear in the postings read, plus n log count to rank.
    TopDocuments top(const std::vector<std::string>& terms, Xapian::docid exclude, Xapian::doccount count,
                     ScoreAccumulator& scratch) const;

  private:
    double termweight(const std::string& term) const;

    TermFrequencies& freqs_;
    Bm25Parameters params_;
    std::shared_ptr<const DocumentLengths> lengths_;
    double documents_;
    double len_factor_;        ///< 1 / the average document length (0 for an empty database)
    bool lengths_in_order_;    ///< `lengths_` covers the database searched (add_scores, top)
    double group_scale_ = 1.0;
    std::shared_ptr<int> hold_reads_;  ///< lists left for this search to read whole
};

}  // namespace vnsearch::detail
