// vnsearch — searching an index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/document.h"
#include "vnsearch/export.h"
#include "vnsearch/places.h"

namespace vnsearch {

/// The order of search results. Undated documents come last in both date orders.
enum class SortOrder { relevance, date_desc, date_asc };

/// The name of a sort order as the CLI and Python spell it: "relevance", "date-desc",
/// "date-asc".
VNSEARCH_API std::string_view to_string(SortOrder order) noexcept;
/// Reads a sort order: "relevance", "date-desc" or "date_desc" (also "date": newest first),
/// "date-asc" or "date_asc". std::nullopt for anything else. The same names are accepted by
/// the CLI's --sort and by Python's sort=.
VNSEARCH_API std::optional<SortOrder> parse_sort_order(std::string_view name) noexcept;
/// A structured filter (SearchOptions::filters): the documents whose `field` matches `value`,
/// as `field:"value"` in a query would, but with the value taken whole — spaces, quotes and
/// colons included — and without ranking. A plain value type (like SearchOptions).
struct Filter {
    /// title, source, author, id, year, date, a place ("province": a current province,
    /// "old_province", "old_district": units before 2025; the documents naming the unit or
    /// a unit inside it), or a custom field (Document::fields key: a letter, then letters,
    /// digits or '_'; case does not matter).
    std::string field;
    /// "Báo Lạng Sơn" (source: marks, case and punctuation ignored), "2018..2020" (year,
    /// date), "the thao" (title, author, custom fields: every word, any marks).
    std::string value;
    bool exclude = false;  ///< keep the documents that do not match instead
};

struct SearchOptions {
    std::size_t offset = 0;
    std::size_t limit = 10;
    SortOrder sort = SortOrder::relevance;
    /// Markers put around highlighted words in snippets.
    std::string highlight_start = "<b>";
    std::string highlight_end = "</b>";
    /// Approximate snippet length in characters (0: no snippets).
    std::size_t snippet_chars = 240;
    /// Compute facet counts by year and by source over all matches (Results::years,
    /// Results::sources, and Results::facets["year"], ["source"]).
    bool facets = false;
    /// Facet counts of these fields too, over all matches, in Results::facets: "year",
    /// "source", "province" (current provinces), "old_province" and "old_district" (before
    /// 2025: "Chợ Mới (Bắc Kạn)") — a document naming several places counts in each — or
    /// custom fields (counted by their value as given). Unknown names count nothing.
    std::vector<std::string> facet_fields = {};
    /// Filters, all required (Filter::exclude: excluded). With filters, an empty query
    /// matches every document that passes them. An invalid filter (unknown field name,
    /// empty value, unreadable date) throws Error.
    std::vector<Filter> filters = {};
    /// Also propose a better spelling of the query (Results::suggestion; see Searcher::suggest).
    bool suggest = true;
    /// Rank every document that holds any term of a ranked free-text query. By default (false)
    /// a word or word pair that more than 10 % of the documents hold ("của", "là", "như
    /// thế") finds no documents of its own: a document needs one of the query's rarer terms
    /// to be a candidate, and the candidates, best first by those terms, are scored with the
    /// whole query (common words included) in blocks of 50 and ranked within each block.
    /// Long questions answer many times faster, and the ranking of a page never depends on
    /// the pages asked for before; Results::total counts the candidates. A query whose terms
    /// are all that common, required words (+x, AND), phrases alone, date orders, facets and
    /// remote shards always rank every match.
    bool exhaustive = false;
};

/// Why a spelling was suggested.
enum class SuggestionReason {
    none,        ///< no suggestion
    diacritics,  ///< the marks of unmarked syllables restored
    telex,       ///< a query typed in Telex decoded
    vni,         ///< a query typed in VNI decoded
};
/// "diacritics", "telex", "vni" ("" for none): the spelling in JSON and Python.
VNSEARCH_API std::string_view to_string(SuggestionReason reason) noexcept;
/// Options of Searcher::similar ("more like this").
struct SimilarOptions {
    std::size_t offset = 0;
    std::size_t limit = 10;
    /// Markers put around the shared topic words in snippets.
    std::string highlight_start = "<b>";
    std::string highlight_end = "</b>";
    /// Approximate snippet length in characters (0: no snippets).
    std::size_t snippet_chars = 240;
    /// How many of the document's most telling terms (syllables and syllable pairs) the
    /// neighbours are looked up with (0: the default, 40; at most 1000).
    std::size_t terms = 0;
};

/// A better spelling of a query ("did you mean").
struct Suggestion {
    std::string text;  ///< the suggested query; "" when there is none
    SuggestionReason reason = SuggestionReason::none;
    explicit operator bool() const noexcept { return !text.empty(); }
};

/// A highlighted match in Hit::snippet_text: bytes [start, end) of the UTF-8 text.
struct HighlightSpan {
    std::size_t start = 0;
    std::size_t end = 0;
    bool operator==(const HighlightSpan& o) const noexcept { return start == o.start && end == o.end; }
};

struct Hit {
    std::string id;
    std::string title;
    std::string date;
    std::string source;
    std::string url;
    std::string author;
    std::map<std::string, std::string> fields;
    double score = 0;
    std::size_t rank = 0;  ///< 1-based rank in the whole result list
    std::string snippet;   ///< body excerpt with matched words between the markers
    /// The same excerpt without markers, and where its matches are (byte offsets into it,
    /// in order, never overlapping): for clients that render highlights themselves, safely
    /// even when the text itself contains the markers.
    std::string snippet_text;
    std::vector<HighlightSpan> highlights;
    /// The administrative units the article names (title and body), each once, in order,
    /// with their old district and province and their current provinces (docs/guide.md,
    /// "Places").
    std::vector<Place> places;
};

struct FacetCount {
    std::string value;
    std::size_t count = 0;
};

struct Results {
    std::string query;
    /// Number of matching documents: exact when total_exact, else Xapian's estimate (the
    /// count is exact with facets, with limit 0, and whenever the whole match was seen).
    /// It counts what the pages list: by default the candidates (SearchOptions::exhaustive),
    /// with limit 0 too; with facets, every match.
    std::size_t total = 0;
    bool total_exact = false;
    std::vector<Hit> hits;
    std::vector<FacetCount> years;    ///< when SearchOptions::facets
    std::vector<FacetCount> sources;  ///< when SearchOptions::facets
    /// Facet counts by field name (lowercase): SearchOptions::facet_fields, and "year" and
    /// "source" with SearchOptions::facets. Years newest first; other fields most frequent
    /// first (at most 100 values).
    std::map<std::string, std::vector<FacetCount>> facets;
    std::vector<std::string> warnings;  ///< how a malformed query was understood
    std::string suggestion;  ///< a better spelling of the query, "" if none (SearchOptions::suggest)
    SuggestionReason suggestion_reason = SuggestionReason::none;

    auto begin() const { return hits.begin(); }
    auto end() const { return hits.end(); }
    std::size_t size() const { return hits.size(); }
    /// No hits on this page (total may still be > 0 past the last page, or with limit 0).
    bool empty() const { return hits.empty(); }
    /// The i-th hit of this page (unchecked, like std::vector).
    const Hit& operator[](std::size_t i) const { return hits[i]; }
};

/// Where an abbreviation comes from.
enum class AbbreviationOrigin {
    learned,  ///< defined inline in the indexed text ("Hội đồng nhân dân (HĐND)")
    user,     ///< added with Index::add_abbreviation
    builtin,  ///< the shipped dictionary
};
/// "learned", "user", "builtin": the spelling in JSON and Python.
VNSEARCH_API std::string_view to_string(AbbreviationOrigin origin) noexcept;

/// An abbreviation the index knows (see Index::add_abbreviation and docs/guide.md).
struct AbbreviationEntry {
    std::string abbreviation;  ///< "HĐND"
    std::string expansion;     ///< "hội đồng nhân dân"
    std::size_t count = 0;     ///< inline definitions seen in the indexed text (learnt), or additions (user)
    AbbreviationOrigin origin = AbbreviationOrigin::learned;
};

/// Statistics of an index.
struct IndexInfo {
    std::size_t documents = 0;
    std::size_t terms = 0;
    std::uint64_t size_bytes = 0;
    std::string last_update;  ///< ISO 8601 time of the last commit ("" if unknown)
    int scheme_version = 0;
    std::size_t shards = 1;         ///< databases searched as one (a shard set counts its shards)
    std::size_t remote_shards = 0;  ///< of which remote (their size is not in size_bytes)
};

/// A read-only view of an index, or of several indexes (shards) searched as one. Opening a
/// database written with another term-scheme version throws SchemeVersionError.
///
/// Thread-safe: one Searcher may be shared by any number of threads, like Lucene's
/// IndexSearcher. Each call borrows a database handle of its own from an internal pool
/// (a Xapian database handle serves one thread at a time), so concurrent search(), similar(),
/// suggest(), abbreviations(), size() and info() calls are correct; reopen() is safe while
/// other threads search (calls already running finish on the revision they started with).
/// A read that meets a writer's commit is retried on a fresh view, a bounded number of
/// times, so readers see no error under any commit rate. Moving or destroying a Searcher
/// while another thread uses it is the caller's error, as for any C++ object.
class VNSEARCH_API Searcher {
  public:
    /// `location`: a database directory, a shard-set directory (IndexOptions::shards: its
    /// shards are searched as one), or "tcp://HOST:PORT" for a database served by Xapian's
    /// xapian-tcpsrv.
    explicit Searcher(const std::string& location);
    /// Several shards (local directories, shard sets and tcp:// remotes) searched as one index: ranking
    /// uses the statistics of all of them, so the results equal those of one database
    /// holding the same documents. Document ids should be unique across shards.
    explicit Searcher(const std::vector<std::string>& locations);
    /// The same, so that `Searcher({"a", "b"})` reads as several shards.
    Searcher(std::initializer_list<std::string> locations);
    ~Searcher();
    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// Runs a query (see docs/guide.md for the syntax). Malformed queries never throw:
    /// they are understood as well as possible and Results::warnings says how.
    Results search(std::string_view query, const SearchOptions& options = {}) const;

    /// The articles closest in topic to the document with id `id` ("more like this"), best
    /// first: its most telling folded syllables and syllable pairs (titles count three times)
    /// are picked by relevance feedback (Bo1, the terms Xapian's RSet/ESet would give) and
    /// searched for with BM25.
    /// The document itself and its exact duplicates (the same stored title and body) are
    /// never among the hits. Results::query is the id; snippets highlight the shared words.
    /// Throws NotFoundError when no document has that id. Thread-safe like search().
    Results similar(std::string_view id, const SimilarOptions& options = {}) const;

    /// Proposes a better spelling of the query, learnt from the index's own text: the marks
    /// of unmarked syllables restored ("nghi quyet" -> "nghị quyết", "chi lang" -> "Chi
    /// Lăng"), or a query typed in Telex/VNI decoded when that reading is much more likely
    /// than the letters as typed ("nghij quyeets" -> "nghị quyết"). Works over remote
    /// shards too. Empty when the query is fine as typed.
    Suggestion suggest(std::string_view query) const;

    /// The abbreviations queries are expanded with: pairs learnt from the indexed text and
    /// added by users (most frequent first), then, with `builtin`, the shipped dictionary.
    std::vector<AbbreviationEntry> abbreviations(bool builtin = false) const;

    /// The stored document with this id (body included), std::nullopt when there is none.
    /// With several shards, the first shard holding the id answers.
    std::optional<Document> document(std::string_view id) const;

    /// Picks up changes committed since the searcher was opened.
    void reopen();
    std::size_t size() const;
    IndexInfo info() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vnsearch
