#include "search/candidates.h"

#include <algorithm>
#include <memory>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>

namespace vnsearch::detail {

namespace {

/// The candidates of every shard, as each shard numbers them.
struct ShardDocids {
    std::vector<std::string> uuids;                 ///< per shard
    std::vector<std::vector<Xapian::docid>> local;  ///< per shard, sorted
};

/// A posting list of given documents (a Xapian::PostingSource), to filter a query to them.
/// Xapian gives each shard its own clone, initialised with that shard alone; the clone
/// finds its documents by the shard's uuid.
class DocidSource : public Xapian::PostingSource {
  public:
    explicit DocidSource(std::shared_ptr<const ShardDocids> docs) : docs_(std::move(docs)) {}

    Xapian::doccount get_termfreq_min() const override { return size(); }
    Xapian::doccount get_termfreq_est() const override { return size(); }
    Xapian::doccount get_termfreq_max() const override { return size(); }
    Xapian::docid get_docid() const override { return (*ids_)[pos_]; }
    bool at_end() const override { return started_ && pos_ >= ids_->size(); }
    void next(double) override {
        if (started_) ++pos_;
        started_ = true;
    }
    void skip_to(Xapian::docid did, double) override {
        if (!started_) started_ = true;
        pos_ = static_cast<std::size_t>(std::lower_bound(ids_->begin() + static_cast<std::ptrdiff_t>(pos_), ids_->end(), did) -
                                        ids_->begin());
    }
    Xapian::PostingSource* clone() const override { return new DocidSource(docs_); }
    void init(const Xapian::Database& db) override {
        static const std::vector<Xapian::docid> none;
        ids_ = &none;
        const std::string uuid = db.get_uuid();
        for (std::size_t i = 0; i < docs_->uuids.size(); ++i)
            if (docs_->uuids[i] == uuid) ids_ = &docs_->local[i];
        pos_ = 0;
        started_ = false;
    }

  private:
    Xapian::doccount size() const { return ids_ ? static_cast<Xapian::doccount>(ids_->size()) : 0; }
    std::shared_ptr<const ShardDocids> docs_;
    const std::vector<Xapian::docid>* ids_ = nullptr;
    std::size_t pos_ = 0;
    bool started_ = false;
};

}  // namespace

CandidateMatches all_matches(const Xapian::MSet& mset) {
    CandidateMatches out;
    out.total = mset.get_matches_estimated();
    out.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    for (auto it = mset.begin(); it != mset.end(); ++it) out.hits.push_back({it.get_document(), it.get_weight(), *it});
    return out;
}

std::optional<CandidateMatches> match_candidates(const Xapian::Database& db, const std::vector<Xapian::Database>& shards,
                                                 const Xapian::Query& candidates, const Xapian::Query& query,
                                                 const Xapian::Weight& weight, Xapian::doccount offset,
                                                 Xapian::doccount count, Xapian::doccount block,
                                                 CandidateScoring scoring, const AddScores* add_scores,
                                                 const RankCandidates* rank) {
    std::vector<std::string> uuids;
    for (const Xapian::Database& shard : shards) {
        std::string uuid = shard.get_uuid();
        if (uuid.empty() || std::find(uuids.begin(), uuids.end(), uuid) != uuids.end()) return std::nullopt;
        uuids.push_back(std::move(uuid));
    }
    if (uuids.empty() || block == 0) return std::nullopt;
    const std::uint64_t end = static_cast<std::uint64_t>(offset) + count;
    const std::uint64_t first_block = offset / block, blocks = (end + block - 1) / block;
    const std::uint64_t wanted = std::min<std::uint64_t>(blocks * block, std::numeric_limits<Xapian::doccount>::max());

    // The candidates' ranking: from `rank` when given, else from an enquiry.
    TopDocuments found;
    CandidateMatches out;
    if (rank) {
        found = (*rank)(static_cast<Xapian::doccount>(wanted));
        out.total = found.matched;
        out.total_exact = true;
    } else {
        Xapian::Enquire first(db);
        first.set_query(candidates);
        first.set_weighting_scheme(weight);
        const Xapian::MSet mset = first.get_mset(0, static_cast<Xapian::doccount>(wanted));
        out.total = mset.get_matches_estimated();
        out.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
        for (auto it = mset.begin(); it != mset.end(); ++it) found.ranked.emplace_back(*it, it.get_weight());
    }
    if (found.ranked.empty()) return std::nullopt;
    const std::size_t size = found.ranked.size();
    // Xapian interleaves the shards' documents: global id g is shard (g-1) mod n, local
    // id (g-1) div n + 1.
    const auto n = static_cast<Xapian::docid>(uuids.size());
    for (std::uint64_t b = first_block; b < blocks && b * block < size; ++b) {
        const auto from = static_cast<Xapian::doccount>(b * block);
        const auto to = static_cast<Xapian::doccount>(std::min<std::uint64_t>((b + 1) * block, size));
        std::vector<RankedDocument> block_hits;
        // The further terms' scores, by document: from `add_scores` when given, else from an
        // enquiry of `query` filtered to the block. Adding nothing (an empty `query`) leaves
        // the candidate ranking as it is.
        std::unordered_map<Xapian::docid, double> more;
        if (scoring == CandidateScoring::add && add_scores) {
            std::vector<Xapian::docid> ids;
            for (Xapian::doccount i = from; i < to; ++i) ids.push_back(found.ranked[i].first);
            std::sort(ids.begin(), ids.end());
            std::vector<double> scores(ids.size(), 0.0);
            (*add_scores)(ids, scores);
            for (std::size_t k = 0; k < ids.size(); ++k)
                if (scores[k] != 0) more.emplace(ids[k], scores[k]);
        } else if (scoring == CandidateScoring::rescore || !query.empty()) {
            auto docs = std::make_shared<ShardDocids>();
            docs->uuids = uuids;
            docs->local.resize(n);
            for (Xapian::doccount i = from; i < to; ++i) {
                const Xapian::docid g = found.ranked[i].first;
                docs->local[(g - 1) % n].push_back((g - 1) / n + 1);
            }
            for (auto& ids : docs->local) std::sort(ids.begin(), ids.end());
            // Owned by the query (release()), so it lives as long as the enquiry that uses it.
            Xapian::PostingSource* source = (new DocidSource(docs))->release();
            Xapian::Enquire second(db);
            second.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(source)));
            second.set_weighting_scheme(weight);
            const Xapian::MSet ranked = second.get_mset(0, to - from);
            if (scoring == CandidateScoring::rescore) block_hits = all_matches(ranked).hits;
            else
                for (auto it = ranked.begin(); it != ranked.end(); ++it) more.emplace(*it, it.get_weight());
        }
        if (scoring == CandidateScoring::add) {
            for (Xapian::doccount i = from; i < to; ++i) {
                const auto [did, score] = found.ranked[i];
                const auto plus = more.find(did);
                block_hits.push_back({Xapian::Document(), score + (plus == more.end() ? 0.0 : plus->second), did});
            }
            // Xapian's order: the score, then the document number.
            std::sort(block_hits.begin(), block_hits.end(), [](const RankedDocument& x, const RankedDocument& y) {
                return x.weight != y.weight ? x.weight > y.weight : x.docid < y.docid;
            });
        }
        for (std::size_t k = 0; k < block_hits.size(); ++k) {
            const std::uint64_t at = from + k;
            if (at < offset || at >= end) continue;
            // Only the hits returned are opened (the rescored ones come with theirs).
            if (scoring == CandidateScoring::add)
                block_hits[k].document = db.get_document(block_hits[k].docid, Xapian::DOC_ASSUME_VALID);
            out.hits.push_back(std::move(block_hits[k]));
        }
    }
    return out;
}

}  // namespace vnsearch::detail
