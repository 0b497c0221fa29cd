#include "search/bm25_postings.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "index/varint.h"

namespace vnsearch::detail {

namespace {

/// BM25's part for `wdf` occurrences in a document of `length`, in the order of operations
/// Xapian's BM25Weight uses, so the doubles come out the same.
double bm25_part(double termweight, const Bm25Parameters& params, double len_factor, Xapian::termcount wdf,
                 Xapian::termcount length) {
    return termweight * bm25_ratio(params, len_factor, wdf, length);
}

/// One term's postings scored with BM25. Xapian gives each shard its own clone, initialised
/// with that shard alone; the clone finds the shard's lengths by its uuid (and, should a
/// document lie beyond the table, asks the posting list for its length).
class Bm25Source : public Xapian::PostingSource {
  public:
    Bm25Source(std::string term, double termweight, double scale, double group_scale, const Bm25Parameters& params,
               double len_factor, std::shared_ptr<const DocumentLengths> lengths, Xapian::doccount documents,
               Xapian::doccount termfreq, Xapian::termcount wdf_max, std::shared_ptr<int> hold_reads)
        : term_(std::move(term)),
          termweight_(termweight),
          scale_(scale),
          group_scale_(group_scale),
          params_(params),
          len_factor_(len_factor),
          lengths_(std::move(lengths)),
          documents_(documents),
          all_termfreq_(termfreq),
          all_wdf_max_(wdf_max),
          hold_reads_(std::move(hold_reads)) {}

    Xapian::doccount get_termfreq_min() const override { return termfreq_; }
    Xapian::doccount get_termfreq_est() const override { return termfreq_; }
    Xapian::doccount get_termfreq_max() const override { return termfreq_; }

    void init(const Xapian::Database& db) override {
        shard_lengths_ = lengths_ ? lengths_->of(db.get_uuid()) : nullptr;
        shard_ = db;
        block_ = 0;
        at_ = count_ = 0;
        // A shard holding every document (the only one) has the whole database's frequency.
        // (Both are read again only for one of several shards: every enquiry initialises
        // its own copy of the source, and the whole database's are known already.)
        const bool whole = db.get_doccount() == documents_;
        termfreq_ = whole ? all_termfreq_ : db.get_termfreq(term_);
        started_ = false;
        // A long list searches have opened before is read from memory (DocumentLengths::
        // kHeldMaxBytes); others from the index.
        bool read = false;
        const auto need = hold_reads_ && *hold_reads_ > 0 ? DocumentLengths::Need::open : DocumentLengths::Need::open_cached;
        bounds_ = shard_lengths_ ? lengths_->bounds(shard_, *shard_lengths_, term_, termfreq_, params_, len_factor_, need, &read)
                                 : nullptr;
        if (read && hold_reads_) --*hold_reads_;
        bounds_tried_ = bounds_ != nullptr;
        held_ = bounds_ && bounds_->held() ? bounds_.get() : nullptr;
        if (!held_) {
            postings_ = db.postlist_begin(term_);
            end_ = db.postlist_end(term_);
        }
        // Xapian's bound for BM25: the most frequent the term is in a document, in the
        // shortest document that can hold it that often.
        const Xapian::termcount wdf_max = whole ? all_wdf_max_ : db.get_wdf_upper_bound(term_);
        set_maxweight(wdf_max == 0 ? 0.0 : part(wdf_max, std::max(wdf_max, db.get_doclength_lower_bound())));
    }
    void next(double min_wt) override {
        if (held_) {
            if (!started_) load(0);
            else if (++at_ == count_) load(block_ + 1);
        } else if (started_) {
            ++postings_;
        }
        started_ = true;
        skip_weak_blocks(min_wt);
    }
    void skip_to(Xapian::docid did, double min_wt) override {
        if (held_) {
            if (!started_) load(0);
            skip_held(did);
        } else {
            postings_.skip_to(did);
        }
        started_ = true;
        skip_weak_blocks(min_wt);
    }
    bool at_end() const override { return held_ ? at_ >= count_ : postings_ == end_; }
    Xapian::docid get_docid() const override { return held_ ? docids_[at_] : *postings_; }
    double get_weight() const override {
        if (held_) return part(wdfs_[at_], (*shard_lengths_)[docids_[at_]]);
        const Xapian::docid did = *postings_;
        const Xapian::termcount length = shard_lengths_ && did < shard_lengths_->size() ? (*shard_lengths_)[did] : postings_.get_doclength();
        return part(postings_.get_wdf(), length);
    }
    ~Bm25Source() override {
        if (skipped_ && lengths_) lengths_->count_skipped(skipped_);
    }
    Xapian::PostingSource* clone() const override {
        return new Bm25Source(term_, termweight_, scale_, group_scale_, params_, len_factor_, lengths_, documents_, all_termfreq_,
                              all_wdf_max_, hold_reads_);
    }

  private:
    /// The score: what Xapian::Query(scale, plain term) gives, its factor times BM25's part.
    double part(Xapian::termcount wdf, Xapian::termcount length) const {
        return scale_ * bm25_part(termweight_, params_, len_factor_, wdf, length);
    }

    /// Held postings: decodes block `b` (BlockBounds::encoded) and stands at its first
    /// posting; past the last block, at the end.
    void load(std::size_t b) {
        block_ = b;
        at_ = count_ = 0;
        if (b + 1 >= held_->offsets.size()) return;
        const char* p = held_->encoded.data() + held_->offsets[b];
        const char* const end = held_->encoded.data() + held_->offsets[b + 1];
        Xapian::docid did = b == 0 ? 0 : held_->last[b - 1];
        std::uint64_t gap = 0, wdf = 0;
        while (p != end && count_ < BlockBounds::kPostings && read_varint(p, end, gap) && read_varint(p, end, wdf)) {
            did += static_cast<Xapian::docid>(gap);
            docids_[count_] = did;
            wdfs_[count_] = static_cast<Xapian::termcount>(wdf);
            ++count_;
        }
    }
    /// Held postings: to the first document at or after `did`. The block is found in the
    /// bounds' last documents (a few KB, galloping from the current block, so a skip costs
    /// the log of its distance) and decoded; then the posting inside it.
    void skip_held(Xapian::docid did) {
        if (at_ >= count_ || docids_[at_] >= did) return;
        const std::vector<Xapian::docid>& last = held_->last;
        if (last[block_] < did) {
            std::size_t lo = block_, step = 1, hi = block_ + 1;  // last[lo] < did
            while (hi < last.size() && last[hi] < did) {
                lo = hi;
                step *= 2;
                hi = lo + step;
            }
            hi = std::min(hi, last.size());
            load(static_cast<std::size_t>(std::lower_bound(last.begin() + static_cast<std::ptrdiff_t>(lo) + 1,
                                                           last.begin() + static_cast<std::ptrdiff_t>(hi), did) -
                                          last.begin()));
        }
        while (at_ < count_ && docids_[at_] < did) ++at_;
    }

    /// Steps over the blocks of postings none of which can score `min_wt` (the least a
    /// document needs from this term to enter the results, as the matcher tells it): the
    /// bound is the same product get_weight() computes for the block's best posting, so no
    /// posting that could reach `min_wt` is ever stepped over. The bounds are read the first
    /// time a search needs a score from this term (a search that only filters, or ranks a
    /// few given documents, asks for none).
    void skip_weak_blocks(double min_wt) {
        if (min_wt <= 0 || at_end()) return;
        if (!bounds_tried_) {
            bounds_tried_ = true;
            if (shard_lengths_)
                bounds_ = lengths_->bounds(shard_, *shard_lengths_, term_, termfreq_, params_, len_factor_);
        }
        if (!bounds_) return;
        // A group's scale above this term may multiply its scores: the least score asked is
        // then a share of `min_wt` (taken a hair lower, against the division's rounding).
        const double least = group_scale_ == 1.0 ? min_wt : min_wt / group_scale_ * (1 - 1e-12);
        const std::vector<Xapian::docid>& last = bounds_->last;
        const std::vector<double>& max_ratio = bounds_->max_ratio;
        const auto weak = [&](std::size_t b) { return scale_ * (termweight_ * max_ratio[b]) < least; };
        // Every weak block in a row at once, from the weak block `block_`: the first strong
        // block after them (or the end), counted as skipped.
        const auto past_weak = [&] {
            std::size_t strong = block_ + 1;
            while (strong < last.size() && weak(strong)) ++strong;
            skipped_ += strong - block_;
            return strong;
        };
        if (held_) {
            // The held blocks are the bounds' blocks.
            while (at_ < count_ && weak(block_)) load(past_weak());
            return;
        }
        while (postings_ != end_) {
            const Xapian::docid did = *postings_;
            while (block_ < last.size() && last[block_] < did) ++block_;
            if (block_ == last.size() || !weak(block_)) return;
            // One skip, which passes over whole chunks of the list without decoding them,
            // rather than one skip (and decoding) a block.
            const std::size_t strong = past_weak();
            postings_.skip_to(last[strong - 1] + 1);
            block_ = strong;
        }
    }

    std::string term_;
    double termweight_;
    double scale_;        ///< the query's factor for this term (Bm25Terms::operator())
    double group_scale_;  ///< Bm25Terms::set_group_scale
    Bm25Parameters params_;
    double len_factor_;
    std::shared_ptr<const DocumentLengths> lengths_;
    Xapian::doccount documents_;     ///< in the whole database
    Xapian::doccount all_termfreq_;  ///< the term's, in the whole database
    Xapian::termcount all_wdf_max_;  ///< the term's wdf upper bound, in the whole database
    const std::vector<Xapian::termcount>* shard_lengths_ = nullptr;
    Xapian::PostingIterator postings_, end_;
    Xapian::doccount termfreq_ = 0;
    bool started_ = false;
    Xapian::Database shard_;  ///< the shard init() was given (for reading the bounds)
    std::shared_ptr<const BlockBounds> bounds_;
    const BlockBounds* held_ = nullptr;  ///< bounds_ when it holds the postings: read from there
    /// The held block `block_`, decoded, and the current posting in it.
    Xapian::docid docids_[BlockBounds::kPostings];
    Xapian::termcount wdfs_[BlockBounds::kPostings];
    std::size_t at_ = 0, count_ = 0;
    bool bounds_tried_ = false;
    std::size_t block_ = 0;  ///< the block of the current posting (documents only rise)
    std::uint64_t skipped_ = 0;  ///< blocks stepped over (told to the lengths' counter at the end)
    std::shared_ptr<int> hold_reads_;  ///< Bm25Terms::kHoldReadsPerSearch, shared by its sources
};

}  // namespace

namespace {

/// A shard's revision; nothing when Xapian cannot tell it (a remote or in-memory database).
std::optional<Xapian::rev> revision_of(const Xapian::Database& shard) {
    try {
        return shard.get_revision();
    } catch (const Xapian::Error&) {
        return std::nullopt;
    }
}

}  // namespace

bool DocumentLengths::read_from(const std::vector<Xapian::Database>& shards) const {
    if (read_.size() != shards.size() || shards.empty()) return false;
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const std::optional<Xapian::rev> rev = revision_of(shards[i]);
        if (!rev || *rev != read_[i].second || shards[i].get_uuid() != read_[i].first) return false;
    }
    return true;
}

DocumentLengths::DocumentLengths(const std::vector<Xapian::Database>& shards, Xapian::doccount bounds_min_postings,
                                 unsigned hold_after_opens)
    : bounds_min_postings_(bounds_min_postings), hold_after_opens_(std::max(1u, hold_after_opens)) {
    bool revisions_known = true;
    for (const Xapian::Database& shard : shards) {
        const std::optional<Xapian::rev> rev = revision_of(shard);
        revisions_known = revisions_known && rev;
        if (rev) read_.emplace_back(shard.get_uuid(), *rev);
    }
    if (!revisions_known) read_.clear();
    for (const Xapian::Database& shard : shards) {
        const Xapian::docid last = shard.get_lastdocid();
        if (last >= kMaxDocid) {
            available_ = false;
            shards_.clear();
            uuid_.clear();
            return;
        }
        std::vector<Xapian::termcount> lengths(static_cast<std::size_t>(last) + 1, 0);
        for (auto it = shard.postlist_begin(""); it != shard.postlist_end(""); ++it) lengths[*it] = it.get_doclength();
        shards_.emplace_back(shard.get_uuid(), std::move(lengths));
        uuid_ += (uuid_.empty() ? "" : ":") + shards_.back().first;
    }
}

std::shared_ptr<const BlockBounds> DocumentLengths::bounds(const Xapian::Database& shard,
                                                           const std::vector<Xapian::termcount>& shard_lengths,
                                                           const std::string& term, Xapian::doccount postings,
                                                           const Bm25Parameters& params, double len_factor, Need need, bool* read) const {
    if (postings < bounds_min_postings_) return nullptr;
    std::string key(reinterpret_cast<const char*>(&shard_lengths), sizeof(void*));
    for (const double v : {params.k1, params.b, params.min_normlen, len_factor}) key.append(reinterpret_cast<const char*>(&v), sizeof v);
    key += term;
    // The room a held list is counted at before it is read (a common term's postings come to
    // about 2 bytes each), settled at its size after.
    constexpr std::size_t kHeldPostingGuess = 3;
    std::size_t reserved = 0;
    {
        std::lock_guard lock(bounds_mutex_);
        auto it = entries_.find(key);
        const bool opening = need == Need::open || need == Need::open_cached;
        if (opening && it == entries_.end()) it = entries_.try_emplace(key).first;
        const unsigned opens = opening ? ++it->second.opens : 0;
        const bool hold = need == Need::open && opens >= hold_after_opens_;
        const std::shared_ptr<const BlockBounds> known = it != entries_.end() ? it->second.bounds : nullptr;
        if (known && (known->held() || !hold)) return known;
        if (!known && opening && !hold) return nullptr;
        const std::size_t want = static_cast<std::size_t>(postings) * kHeldPostingGuess;
        const bool room = held_bytes_ + want <= kHeldMaxBytes;
        if (known && !room) return known;  // bounds without postings
        if (!known && bounds_bytes_ >= kBoundsMaxBytes) return nullptr;
        if (hold && room) held_bytes_ += reserved = want;
    }
    // Read outside the lock: two threads may read the same list once each, neither waits.
    if (read) *read = true;
    auto b = std::make_shared<BlockBounds>();
    try {
        b->last.reserve(postings / BlockBounds::kPostings + 1);
        b->max_ratio.reserve(postings / BlockBounds::kPostings + 1);
        bool hold = reserved > 0;
        if (hold) {
            b->offsets.reserve(postings / BlockBounds::kPostings + 2);
            b->encoded.reserve(static_cast<std::size_t>(postings) * 2);
        }
        std::size_t in_block = 0;
        Xapian::docid previous = 0;
        for (auto it = shard.postlist_begin(term), end = shard.postlist_end(term); it != end; ++it) {
            const Xapian::docid did = *it;
            const Xapian::termcount wdf = it.get_wdf();
            // A document past the table (none at the table's revision) leaves the list unheld:
            // the source would have no length for it.
            hold = hold && did < shard_lengths.size();
            const Xapian::termcount length = did < shard_lengths.size() ? shard_lengths[did] : it.get_doclength();
            const double r = bm25_ratio(params, len_factor, wdf, length);
            if (in_block == 0) {
                if (hold) b->offsets.push_back(static_cast<std::uint32_t>(b->encoded.size()));
                b->last.push_back(did);
                b->max_ratio.push_back(r);
            } else {
                b->last.back() = did;
                b->max_ratio.back() = std::max(b->max_ratio.back(), r);
            }
            if (hold) {
                append_varint(b->encoded, did - previous);
                append_varint(b->encoded, wdf);
                // Offsets are 32-bit: far beyond the room a list may take.
                hold = b->encoded.size() <= kHeldMaxBytes;
            }
            previous = did;
            if (++in_block == BlockBounds::kPostings) in_block = 0;
        }
        if (hold) b->offsets.push_back(static_cast<std::uint32_t>(b->encoded.size()));
        if (!hold || b->last.empty()) {
            std::vector<std::uint32_t>().swap(b->offsets);
            std::string().swap(b->encoded);
        } else {
            b->encoded.shrink_to_fit();
        }
    } catch (...) {
        std::lock_guard lock(bounds_mutex_);
        held_bytes_ -= reserved;
        throw;
    }
    const std::size_t bytes = b->last.size() * (sizeof(Xapian::docid) + sizeof(double)) + key.size();
    std::lock_guard lock(bounds_mutex_);
    held_bytes_ -= reserved;
    std::size_t held = b->held() ? b->encoded.capacity() + b->offsets.capacity() * sizeof(std::uint32_t) : 0;
    if (b->held() && held_bytes_ + held > kHeldMaxBytes) {  // larger than counted, and no room left
        auto unheld = std::make_shared<BlockBounds>();
        unheld->last = std::move(b->last);
        unheld->max_ratio = std::move(b->max_ratio);
        b = std::move(unheld);
        held = 0;
    }
    std::shared_ptr<const BlockBounds>& entry = entries_.try_emplace(std::move(key)).first->second.bounds;
    if (!entry) {
        bounds_bytes_ += bytes;
        entry = std::move(b);
    } else if (!entry->held() && b->held()) {
        entry = std::move(b);  // the same bounds, now with the postings
    } else {
        return entry;  // another thread's read came first
    }
    held_bytes_ += held;
    return entry;
}

const std::vector<Xapian::termcount>* DocumentLengths::of(const std::string& uuid) const {
    for (const auto& [id, lengths] : shards_)
        if (id == uuid) return &lengths;
    return nullptr;
}

Bm25Terms::Bm25Terms(TermFrequencies& freqs, const Bm25Parameters& params, std::shared_ptr<const DocumentLengths> lengths,
                     int hold_reads)
    : freqs_(freqs), params_(params), lengths_(std::move(lengths)), hold_reads_(std::make_shared<int>(hold_reads)) {
    const Xapian::Database& db = freqs.database();
    documents_ = static_cast<double>(db.get_doccount());
    // Xapian's average length: the total over the documents (0 for no documents).
    len_factor_ = documents_ == 0 ? 0.0 : static_cast<double>(db.get_total_length()) / documents_;
    if (len_factor_ != 0) len_factor_ = 1 / len_factor_;
    lengths_in_order_ = lengths_ && lengths_->covers(db);
}

double Bm25Terms::termweight(const std::string& term) const {
    // The inverse document frequency as BM25Weight has it without relevance information,
    // raised where it would fall below log 2 (a term in over a third of the documents)
    // rather than let it reach zero or go negative; times k1 + 1. (k3 = 1 and a query
    // frequency of 1 multiply it by exactly 1.)
    const double termfreq = freqs_.get(term).documents;
    double tw = (documents_ - termfreq + 0.5) / (termfreq + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    return std::log(tw) * (params_.k1 + 1);
}

Xapian::Query Bm25Terms::operator()(const std::string& term, double scale) const {
    if (scale == 0) return Xapian::Query(0.0, (*this)(term));
    const Xapian::doccount termfreq = freqs_.get(term).documents;
    const Xapian::termcount wdf_max = freqs_.wdf_upper_bound(term);
    const double termweight = this->termweight(term);
    // Owned by the query (release()), so it lives as long as the enquiries that use it.
    return Xapian::Query((new Bm25Source(term, termweight, scale, group_scale_, params_, len_factor_, lengths_,
                                         static_cast<Xapian::doccount>(documents_), termfreq, wdf_max, hold_reads_))->release());
}

void Bm25Terms::add_scores(const std::string& term, const std::vector<Xapian::docid>& docids, std::vector<double>& scores) const {
    const double weight = termweight(term);
    const Xapian::Database& db = freqs_.database();
    Xapian::PostingIterator postings = db.postlist_begin(term);
    const Xapian::PostingIterator end = db.postlist_end(term);
    for (std::size_t k = 0; k < docids.size() && postings != end; ++k) {
        postings.skip_to(docids[k]);
        if (postings == end) break;
        if (*postings != docids[k]) continue;
        Xapian::termcount length = 0;
        if (!lengths_in_order_ || !lengths_->length(docids[k], length)) length = postings.get_doclength();
        scores[k] += bm25_part(weight, params_, len_factor_, postings.get_wdf(), length);
    }
}

TopDocuments Bm25Terms::top(const std::vector<std::string>& terms, Xapian::docid exclude, Xapian::doccount count,
                            ScoreAccumulator& scratch) const {
    TopDocuments out;
    if (!can_rank()) return out;
    const Xapian::Database& db = freqs_.database();
    scratch.reserve(db.get_lastdocid());
    std::vector<double>& acc = scratch.scores_;
    std::vector<Xapian::docid>& touched = scratch.touched_;
    touched.clear();
    // The scratch is left zeroed however the call ends (a read error mid-way included).
    struct Clear {
        ScoreAccumulator& s;
        ~Clear() {
            for (const Xapian::docid did : s.touched_) s.scores_[did] = 0.0;
            s.touched_.clear();
        }
    } clear{scratch};
    // A document is touched once its score is not +0.0: a first part of exactly 0 (a posting
    // of wdf 0, which Xapian still counts as a match) is stored as -0.0.
    auto add = [&](Xapian::docid did, double part) {
        double& a = acc[did];
        if (a == 0.0 && !std::signbit(a)) {
            touched.push_back(did);
            a = part == 0.0 ? -0.0 : part;
        } else if (part != 0.0) {
            a += part;
        }
    };
    // Each list is decoded first, then scored: the documents' lengths and scores lie far
    // apart in memory, and knowing the next documents lets their cache lines be fetched ahead.
    constexpr std::size_t kAhead = 8;
    std::vector<std::pair<Xapian::docid, Xapian::termcount>> postings;  // (document, wdf)
    std::vector<Xapian::termcount> lengths;
    for (const std::string& term : terms) {
        const double weight = termweight(term);
        postings.clear();
        lengths.clear();
        for (auto it = db.postlist_begin(term), end = db.postlist_end(term); it != end; ++it) {
            const Xapian::docid did = *it;
            if (did >= acc.size()) continue;  // beyond the revision the scratch was sized for
            Xapian::termcount length = 0;
            if (!lengths_->has(did)) length = it.get_doclength();
            postings.emplace_back(did, it.get_wdf());
            lengths.push_back(length);
        }
        for (std::size_t k = 0; k < postings.size(); ++k) {
            if (k + kAhead < postings.size()) {
                const Xapian::docid ahead = postings[k + kAhead].first;
                __builtin_prefetch(&acc[ahead], 1);
                lengths_->prefetch(ahead);
            }
            const auto [did, wdf] = postings[k];
            Xapian::termcount length = lengths[k];
            if (length == 0) lengths_->length(did, length);
            add(did, bm25_part(weight, params_, len_factor_, wdf, length));
        }
    }
    out.ranked.reserve(touched.size());
    for (const Xapian::docid did : touched)
        if (did != exclude) out.ranked.emplace_back(did, acc[did] + 0.0);  // -0.0 reads as 0
    out.matched = static_cast<Xapian::doccount>(out.ranked.size());
    const auto better = [](const std::pair<Xapian::docid, double>& a, const std::pair<Xapian::docid, double>& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    };
    const std::size_t keep = std::min<std::size_t>(count, out.ranked.size());
    std::partial_sort(out.ranked.begin(), out.ranked.begin() + static_cast<std::ptrdiff_t>(keep), out.ranked.end(), better);
    out.ranked.resize(keep);
    return out;
}

}  // namespace vnsearch::detail
