// Internal: term frequencies remembered across the calls made on one revision of a database.
// Each lookup is a B-tree descent (about 5 µs at 235k documents, mostly the read of a leaf
// block); similar() weighs some 400 terms per article, and the terms of one article are
// largely those of the next (the syllables and pairs common in news), so a Searcher keeps the
// frequencies it has read, per handle, until that handle moves to another revision.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <unordered_map>

namespace vnsearch::detail {

/// The frequencies of terms in one revision of `db`, each read once. Forgets everything when
/// it holds kMaxTerms terms (so its memory stays bounded: a few MiB) and when told to, which
/// the owner does whenever `db` is reopened. Like Xapian::Database, one thread at a time.
class TermFrequencies {
  public:
    static constexpr std::size_t kMaxTerms = 1 << 16;

    struct Frequencies {
        Xapian::doccount documents = 0;      ///< documents holding the term
        Xapian::termcount occurrences = 0;   ///< its wdf summed over them (collection frequency)
    };

    explicit TermFrequencies(const Xapian::Database& db) : db_(db) {}
    TermFrequencies(const TermFrequencies&) = delete;
    TermFrequencies& operator=(const TermFrequencies&) = delete;

    const Xapian::Database& database() const { return db_; }

    Frequencies get(const std::string& term) {
        if (const auto it = known_.find(term); it != known_.end()) return it->second.frequencies;
        if (known_.size() >= kMaxTerms) known_.clear();
        // The second read finds the block the first one left in the cursor.
        const Frequencies f{db_.get_termfreq(term), db_.get_collection_freq(term)};
        known_.emplace(term, Known{f, std::nullopt});
        return f;
    }

    /// Xapian's upper bound on the term's wdf in one document (read when first asked: the
    /// ranking's posting sources bound their scores with it, at every enquiry).
    Xapian::termcount wdf_upper_bound(const std::string& term) {
        auto it = known_.find(term);
        if (it == known_.end()) {
            get(term);
            it = known_.find(term);
        }
        if (!it->second.wdf_max) it->second.wdf_max = db_.get_wdf_upper_bound(term);
        return *it->second.wdf_max;
    }

    /// Forgets every frequency (the database moved to another revision).
    void clear() { known_.clear(); }

  private:
    const Xapian::Database& db_;
    struct Known {
        Frequencies frequencies;
        std::optional<Xapian::termcount> wdf_max;
    };
    std::unordered_map<std::string, Known> known_;
};

}  // namespace vnsearch::detail
