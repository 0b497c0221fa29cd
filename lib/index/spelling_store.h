// Internal: the spelling statistics "did you mean" reads — how often each syllable, and each
// pair of adjacent syllables, is written with which marks (and capitals) in the indexed text,
// and which spelled third syllables followed each pair (by fingerprint, in the pair's value).
// Kept in the database's metadata, one key per folded syllable or pair, maintained on add,
// replace and delete, summed by the parallel builder and by compaction, and read over every
// shard of a search. The layout is in docs/term-scheme.md ("Spelling statistics").
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vnsearch/analysis.h"

namespace vnsearch::detail {

/// How a syllable was written where it was counted.
enum class SeenCase : std::uint8_t {
    lower,    ///< all lowercase
    capital,  ///< "Lăng": a capital first letter, away from the start of a sentence or title
    unknown,  ///< at the start of a sentence or title, all capitals, or mixed
};

/// How a numeral (a number, date, time or code without letters: "2006", "12,7", "21-4",
/// "10:30") stands in the statistics: one class for all, written "0", so "5 năm" and
/// "thứ 3" are pairs and triples like any other ("0 nam", "thu 0"), and a numeral gives its
/// neighbours context instead of breaking their run.
constexpr std::string_view kNumeral = "0";
/// Whether `t` is counted as kNumeral (the indexer and the query's decoder both ask this).
bool is_numeral(const Token& t) noexcept;

/// One spelling of a folded syllable or pair and how often it was seen.
struct Spelling {
    std::vector<std::string> exact;  ///< per syllable: lowercase, with its marks ("lăng")
    std::vector<SeenCase> cases;     ///< per syllable
    std::uint64_t count = 0;
};

/// The statistics of one batch of documents, written at commit. Counting a document with
/// sign -1 takes it away (a delete, or the old version of a replaced document). Spellings are
/// interned (one id per folded syllable and code), so counting a word costs one small hash
/// lookup and an integer increment, and a pair one probe of a flat table.
class SpellingCollector {
  public:
    /// Counts the words of one analysed text (title and body of a document as build_document
    /// read them: `tokens` from the analyzer, offsets into `text`). Only syllables (and
    /// abbreviations, "NLĐ", typed "nld" in a query) are counted: words of at most 7 letters,
    /// each a Vietnamese letter (with any marks) or an ASCII letter; numerals are counted as
    /// kNumeral; codes with letters and other words break the pairs.
    /// Three adjacent syllables are counted as a triple of their exact forms, under their
    /// first two's folded pair. A sentence, paragraph or text typed without marks, or whose
    /// tone marks were lost (at least 8 syllables, under one in 5 with a tone mark), is not
    /// counted: it is no evidence of spelling.
    void count(const std::vector<Token>& tokens, std::string_view text, std::int64_t sign = 1);
    /// Adds the counts of `other` and empties it.
    void merge(SpellingCollector&& other);
    /// Adds the counts to the database's metadata (within the writer's transaction) and
    /// forgets them. `fresh`: the database holds no statistics yet (nothing is read back).
    void flush(Xapian::WritableDatabase& db, bool fresh = false);
    void clear();
    bool empty() const { return spellings_.empty(); }

  private:
    struct Interned {
        std::uint32_t folded;  ///< index in folded_
        std::string code;      ///< the spelling's code (spelling_store.cpp)
        std::string exact;     ///< the lowercase exact form (what a triple's fingerprint reads)
    };
    /// Three spellings seen in a row and how often (a == kNoId: a free slot); 16 bytes.
    struct Triple {
        std::uint32_t a = kNoId, b = kNoId, c = kNoId;
        std::int32_t n = 0;
    };
    /// A word seen before: its exact form and how it was written decide its spelling. The
    /// exact form and case byte sit in the slot when they fit (most syllables), so a word
    /// seen before costs one cache line.
    /// It also holds the word's count since the counts were last settled into counts_.
    struct alignas(32) Word {
        static constexpr std::size_t kInline = 16;
        static constexpr std::uint32_t kInlineFlag = 0x80000000u;
        std::uint32_t hash = 0;
        std::uint32_t id = kNoId;   ///< its spelling (kNoId: not counted)
        /// kNoId: a free slot; kInlineFlag | size: `bytes` holds the word (exact form, then
        /// its case byte); otherwise its index in words_.
        std::uint32_t key = kNoId;
        std::int32_t count = 0;
        char bytes[kInline] = {};
    };
    static constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

    std::uint32_t intern(std::string_view folded, const std::string& code, std::string_view exact);
    /// The spelling id of kNumeral (interned on first use).
    std::uint32_t numeral_id();
    /// The slot of a word written with case `c` (its id is kNoId when the word is not a
    /// syllable this codec holds), valid until the next call; nullptr for a token that is
    /// not a word or an abbreviation.
    Word* word_of(const Token& t, SeenCase c);
    /// Adds the counts held in the word table to counts_.
    void settle_counts();
    /// Room for `pairs` distinct pairs with the table at most half full.
    void reserve_pairs(std::size_t pairs);
    void add_pair(std::uint64_t key, std::int64_t n);  ///< with room for it
    /// Room for `triples` distinct triples with the table at most half full.
    void reserve_triples(std::size_t triples);
    void add_triple(const Triple& t);  ///< with room for it

    std::unordered_map<std::string, std::uint32_t> ids_;         ///< folded '\0' code -> index in spellings_
    std::vector<Interned> spellings_;
    std::vector<std::int64_t> counts_;  ///< by spelling id: as a single syllable
    std::unordered_map<std::string, std::uint32_t> folded_ids_;  ///< folded syllable -> index in folded_
    std::vector<std::string> folded_;
    /// Pairs: open addressing, key (first id + 1) << 32 | (second id + 1), 0 = free.
    std::vector<std::pair<std::uint64_t, std::int64_t>> pairs_;
    std::size_t pair_count_ = 0;
    /// Words: open addressing over (exact form, case) -> spelling, in front of intern(), so
    /// a word seen before costs one hash of its exact form and one probe.
    std::vector<Word> word_slots_;
    std::size_t word_count_ = 0;
    std::vector<std::string> words_;  ///< exact form + case byte, by Word::key, when not inline
    std::vector<std::uint64_t> doc_pairs_;  ///< scratch: the pairs of one count() call
    /// Triples: open addressing over the three spelling ids, at most half full.
    std::vector<Triple> triples_;
    std::size_t triple_count_ = 0;
    std::vector<Triple> doc_triples_;  ///< scratch: the triples of one count() call
    /// Scratch of one count() call: each token's sentence and paragraph, and their
    /// (syllables, syllables with a tone mark).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> span_of_;
    std::vector<std::pair<std::size_t, std::size_t>> sentences_, paragraphs_;
    /// Counts set aside when a triple's count would pass 2^31 in one batch (flush adds them).
    std::vector<Triple> triple_spill_;
    std::uint32_t numeral_id_ = kNoId;  ///< kNumeral's spelling, once interned
    std::string code_;  // scratch
};

/// Marks `db` as one whose statistics cover every document it holds (a new database).
void mark_spelling_complete(Xapian::WritableDatabase& db);

/// The value several databases store under one spelling key, as one (counts added): how the
/// parallel builder and compaction merge them. nullopt for a key that is not a spelling key.
std::optional<std::string> merge_spelling(std::string_view key, const std::string values[], std::size_t n);

/// The spellings of one folded syllable or pair, most frequent first.
using Spellings = std::vector<Spelling>;

/// A spelled triple that followed a pair: the fingerprint of its three exact forms and how
/// often it was seen (8 bytes: a reader keeps many).
struct Continuation {
    std::uint32_t fingerprint = 0;
    std::uint32_t count = 0;
};
/// The triples whose first two syllables fold to one pair, in fingerprint order.
using Continuations = std::vector<Continuation>;

/// The fingerprint of three adjacent syllables' lowercase exact forms ("chi", "lăng", "và"):
/// kFingerprintBits of FNV-1a over "chi lăng và". A probe finds another triple of the pair
/// with a chance of about (triples of the pair) / 2^24.
constexpr unsigned kFingerprintBits = 24;
std::uint32_t triple_fingerprint(std::string_view a, std::string_view b, std::string_view c);
/// How often the triple with `fingerprint` followed (0 when it is not in `list`).
std::uint64_t continuation_count(const Continuations& list, std::uint32_t fingerprint);

/// Spellings read on one revision of a reader's shards, kept across its searches: the
/// syllables and pairs of a language repeat from query to query, and a stored value costs
/// a B-tree read (a block from the page cache) and a decoding each time. Like the term
/// frequencies a reader keeps, it is forgotten when the reader moves to another revision,
/// and emptied when it holds kMaxSpellings spellings (a few MiB; eight of a pair's
/// continuations count as one spelling). Not thread-safe: it belongs to one reader handle,
/// which one thread uses at a time.
class SpellingCache {
  public:
    static constexpr std::size_t kMaxSpellings = 1 << 16;
    void clear() {
        known_.clear();
        spellings_ = 0;
        totals_.reset();
    }

  private:
    friend class SpellingStats;
    struct Entry {
        Spellings spellings;
        Continuations following;  ///< a pair's continuations
    };
    std::unordered_map<std::string, std::shared_ptr<const Entry>> known_;  ///< by metadata key
    std::size_t spellings_ = 0;  ///< spellings and continuations held in known_
    struct Totals {
        bool available = false;
        double total = 0;
    };
    std::optional<Totals> totals_;
};

/// The statistics of the shards of a search, read key by key (a combined Database reads
/// metadata from its first shard only, so each shard is asked and the counts are summed).
/// Remote shards are read the same way, one round trip per key and shard. With a cache,
/// a key read before on the same revision is not read again.
class SpellingStats {
  public:
    /// `cache` (may be null) must be for these shards at their current revision, and
    /// outlive this object.
    explicit SpellingStats(const std::vector<Xapian::Database>& shards, SpellingCache* cache = nullptr);
    /// Whether every shard keeps statistics covering all its documents (a database made
    /// before they existed does not: "did you mean" then samples documents instead).
    bool available() const { return available_; }
    /// The spellings of a folded syllable ("lang") or pair ("chi lang"), most frequent
    /// first; valid as long as this object.
    const Spellings& lookup(std::string_view folded) const { return entry(folded).spellings; }
    /// The triples that followed a folded pair ("chi lang"), by fingerprint; read with the
    /// pair's spellings (one value). Empty for an index written before they were counted.
    const Continuations& following(std::string_view folded_pair) const { return entry(folded_pair).following; }
    /// Syllables counted in all (the denominator of a syllable's frequency).
    double total() const { return total_; }

  private:
    using Entry = SpellingCache::Entry;
    const Entry& entry(std::string_view folded) const;
    Entry read(const std::string& key, std::string_view folded) const;
    const std::vector<Xapian::Database>& shards_;
    SpellingCache* cache_;
    /// Every entry handed out, by key, kept alive while this object is (the cache may drop
    /// them).
    mutable std::unordered_map<std::string, std::shared_ptr<const Entry>> held_;
    bool available_ = true;
    double total_ = 0;
};

}  // namespace vnsearch::detail
