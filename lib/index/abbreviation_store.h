// Internal: abbreviation pairs kept in the database's metadata — learnt from the indexed text
// ("Hội đồng nhân dân (HĐND)") or added by users — and looked up, with the shipped
// dictionary, when a query is built.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace vnsearch::detail {

struct AbbreviationPair {
    std::string abbr;       ///< as written ("HĐND")
    std::string expansion;  ///< lowercase NFC ("hội đồng nhân dân")
    std::uint64_t count = 0;
    bool user = false;      ///< added by a user (else learnt from the text)
};

/// Pairs found in the documents of one batch, written at commit.
class PairCollector {
  public:
    /// Looks for inline definitions in `text`.
    void learn(std::string_view text);
    /// A pair given by a user.
    void add_user(std::string_view abbr, std::string_view expansion);
    /// Adds the pairs of `other` (counts add up) and empties it.
    void merge(PairCollector&& other);
    /// Merges the pairs into the metadata (within the writer's transaction) and forgets them.
    void flush(Xapian::WritableDatabase& db);
    void clear() { pairs_.clear(); }
    bool empty() const { return pairs_.empty(); }

  private:
    // (abbr, expansion) -> (count, user)
    std::map<std::pair<std::string, std::string>, std::pair<std::uint64_t, bool>> pairs_;
};

/// Looks abbreviations up in the shipped dictionary and in the metadata of every shard. The
/// stored pairs are read once, when it is made (make a new one after a reopen).
class AbbreviationLookup {
  public:
    explicit AbbreviationLookup(const std::vector<Xapian::Database>& shards);
    /// Expansions (lowercase NFC) of the abbreviation whose key is `key` ("hdnd").
    std::vector<std::string> expansions(const std::string& key) const;
    /// Abbreviation keys ("hdnd") of the expansion whose key is `key` ("hoi dong nhan dan").
    std::vector<std::string> abbreviations(const std::string& key) const;
    /// How the abbreviations whose key is `key` ("hdnd") are written ("HĐND"; NFC).
    const std::vector<std::string>& written(const std::string& key) const;

  private:
    std::unordered_map<std::string, std::vector<std::string>> by_abbr_, by_expansion_, written_;
};

/// The values several databases store under one abbreviation metadata key, as one (counts
/// added, "user" kept): how the parallel builder and compaction merge them. nullopt for a key
/// that is not the abbreviations'.
std::optional<std::string> merge_metadata(std::string_view key, const std::string values[], std::size_t n);

/// Every pair stored in the database (learnt and user), most frequent first.
std::vector<AbbreviationPair> stored_pairs(const Xapian::Database& db);
/// The same over several shards, read one by one (a combined Database reads metadata from
/// its first shard only): a pair stored in several counts their sum.
std::vector<AbbreviationPair> stored_pairs(const std::vector<Xapian::Database>& shards);

}  // namespace vnsearch::detail
