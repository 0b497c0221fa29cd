#include "search/bm25_postings.h"

#include <algorithm>
#include <cmath>

namespace vnsearch::detail {

namespace {

/// BM25's part for `wdf` occurrences in a document of `length`, in the order of operations
/// Xapian's BM25Weight uses, so the doubles come out the same.
double bm25_part(double termweight, const Bm25Parameters& params, double len_factor, Xapian::termcount wdf,
                 Xapian::termcount length) {
    const double normlen = std::max(length * len_factor, params.min_normlen);
    const double wdf_double = wdf;
    const double denom = params.k1 * (normlen * params.b + (1 - params.b)) + wdf_double;
    return termweight * (wdf_double / denom);
}

/// One term's postings scored with BM25. Xapian gives each shard its own clone, initialised
/// with that shard alone; the clone finds the shard's lengths by its uuid (and, should a
/// document lie beyond the table, asks the posting list for its length).
class Bm25Source : public Xapian::PostingSource {
  public:
    Bm25Source(std::string term, double termweight, const Bm25Parameters& params, double len_factor,
               std::shared_ptr<const DocumentLengths> lengths, Xapian::doccount documents, Xapian::doccount termfreq)
        : term_(std::move(term)),
          termweight_(termweight),
          params_(params),
          len_factor_(len_factor),
          lengths_(std::move(lengths)),
          documents_(documents),
          all_termfreq_(termfreq) {}

    Xapian::doccount get_termfreq_min() const override { return termfreq_; }
    Xapian::doccount get_termfreq_est() const override { return termfreq_; }
    Xapian::doccount get_termfreq_max() const override { return termfreq_; }

    void init(const Xapian::Database& db) override {
        shard_lengths_ = lengths_ ? lengths_->of(db.get_uuid()) : nullptr;
        postings_ = db.postlist_begin(term_);
        end_ = db.postlist_end(term_);
        // A shard holding every document (the only one) has the whole database's frequency.
        termfreq_ = db.get_doccount() == documents_ ? all_termfreq_ : db.get_termfreq(term_);
        started_ = false;
        // Xapian's bound for BM25: the most frequent the term is in a document, in the
        // shortest document that can hold it that often.
        const Xapian::termcount wdf_max = db.get_wdf_upper_bound(term_);
        set_maxweight(wdf_max == 0 ? 0.0 : part(wdf_max, std::max(wdf_max, db.get_doclength_lower_bound())));
    }
    void next(double) override {
        if (started_) ++postings_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override {
        started_ = true;
        postings_.skip_to(did);
    }
    bool at_end() const override { return postings_ == end_; }
    Xapian::docid get_docid() const override { return *postings_; }
    double get_weight() const override {
        const Xapian::docid did = *postings_;
        const Xapian::termcount length = shard_lengths_ && did < shard_lengths_->size() ? (*shard_lengths_)[did] : postings_.get_doclength();
        return part(postings_.get_wdf(), length);
    }
    Xapian::PostingSource* clone() const override {
        return new Bm25Source(term_, termweight_, params_, len_factor_, lengths_, documents_, all_termfreq_);
    }

  private:
    double part(Xapian::termcount wdf, Xapian::termcount length) const {
        return bm25_part(termweight_, params_, len_factor_, wdf, length);
    }

    std::string term_;
    double termweight_;
    Bm25Parameters params_;
    double len_factor_;
    std::shared_ptr<const DocumentLengths> lengths_;
    Xapian::doccount documents_;     ///< in the whole database
    Xapian::doccount all_termfreq_;  ///< the term's, in the whole database
    const std::vector<Xapian::termcount>* shard_lengths_ = nullptr;
    Xapian::PostingIterator postings_, end_;
    Xapian::doccount termfreq_ = 0;
    bool started_ = false;
};

}  // namespace

DocumentLengths::DocumentLengths(const std::vector<Xapian::Database>& shards) {
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

bool DocumentLengths::length(Xapian::docid docid, Xapian::termcount& length) const {
    if (shards_.empty() || docid == 0) return false;
    const auto& [uuid, lengths] = shards_[(docid - 1) % shards_.size()];
    const std::size_t local = (docid - 1) / shards_.size() + 1;
    if (local >= lengths.size()) return false;
    length = lengths[local];
    return true;
}

const std::vector<Xapian::termcount>* DocumentLengths::of(const std::string& uuid) const {
    for (const auto& [id, lengths] : shards_)
        if (id == uuid) return &lengths;
    return nullptr;
}

Bm25Terms::Bm25Terms(TermFrequencies& freqs, const Bm25Parameters& params, std::shared_ptr<const DocumentLengths> lengths)
    : freqs_(freqs), params_(params), lengths_(std::move(lengths)) {
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

Xapian::Query Bm25Terms::operator()(const std::string& term) const {
    const Xapian::doccount all_termfreq = freqs_.get(term).documents;
    const double termweight = this->termweight(term);
    // Owned by the query (release()), so it lives as long as the enquiries that use it.
    return Xapian::Query((new Bm25Source(term, termweight, params_, len_factor_, lengths_,
                                         static_cast<Xapian::doccount>(documents_), all_termfreq))->release());
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

}  // namespace vnsearch::detail
