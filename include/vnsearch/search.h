// vnsearch — searching an index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vnsearch {

enum class SortOrder { relevance, date_desc, date_asc };

/// A structured filter (SearchOptions::filters): the documents whose `field` matches `value`,
/// as `field:"value"` in a query would, but with the value taken whole — spaces, quotes and
/// colons included — and without ranking. A plain value type (like SearchOptions).
struct Filter {
    /// title, source, author, id, year, date, or a custom field (Document::fields key: a
    /// letter, then letters, digits or '_'; case does not matter).
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
    /// "source" or custom fields (counted by their value as given). Unknown names count nothing.
    std::vector<std::string> facet_fields = {};
    /// Filters, all required (Filter::exclude: excluded). With filters, an empty query
    /// matches every document that passes them. An invalid filter (unknown field name,
    /// empty value, unreadable date) throws Error.
    std::vector<Filter> filters = {};
    /// Also propose a better spelling of the query (Results::suggestion; see Searcher::suggest).
    bool suggest = true;
};

/// A better spelling of a query ("did you mean").
struct Suggestion {
    std::string text;    ///< the suggested query; "" when there is none
    std::string reason;  ///< "diacritics" (marks restored), "telex" or "vni" (decoded typing)
    explicit operator bool() const noexcept { return !text.empty(); }
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
};

struct FacetCount {
    std::string value;
    std::size_t count = 0;
};

struct Results {
    std::string query;
    std::size_t total = 0;  ///< estimated number of matching documents
    std::vector<Hit> hits;
    std::vector<FacetCount> years;    ///< when SearchOptions::facets
    std::vector<FacetCount> sources;  ///< when SearchOptions::facets
    /// Facet counts by field name (lowercase): SearchOptions::facet_fields, and "year" and
    /// "source" with SearchOptions::facets. Years newest first; other fields most frequent
    /// first (at most 100 values).
    std::map<std::string, std::vector<FacetCount>> facets;
    std::vector<std::string> warnings;  ///< how a malformed query was understood
    std::string suggestion;         ///< a better spelling of the query, "" if none (SearchOptions::suggest)
    std::string suggestion_reason;  ///< "diacritics", "telex" or "vni"

    auto begin() const { return hits.begin(); }
    auto end() const { return hits.end(); }
    std::size_t size() const { return hits.size(); }
};

/// An abbreviation the index knows (see Index::add_abbreviation and docs/guide.md).
struct AbbreviationEntry {
    std::string abbreviation;  ///< "HĐND"
    std::string expansion;     ///< "hội đồng nhân dân"
    std::size_t count = 0;     ///< inline definitions seen in the indexed text (learnt), or additions (user)
    std::string origin;        ///< "learned", "user" or "builtin"
};

/// Statistics of an index.
struct IndexInfo {
    std::size_t documents = 0;
    std::size_t terms = 0;
    std::uint64_t size_bytes = 0;
    std::string last_update;  ///< ISO 8601 time of the last commit ("" if unknown)
    int scheme_version = 0;
    std::size_t shards = 1;         ///< databases searched as one
    std::size_t remote_shards = 0;  ///< of which remote (their size is not in size_bytes)
};

/// A read-only view of an index, or of several indexes (shards) searched as one. Opening a
/// database written with another term-scheme version throws SchemeVersionError.
///
/// Thread-safe: one Searcher may be shared by any number of threads, like Lucene's
/// IndexSearcher. Each call borrows a database handle of its own from an internal pool
/// (a Xapian database handle serves one thread at a time), so concurrent search(),
/// suggest(), abbreviations(), size() and info() calls are correct; reopen() is safe while
/// other threads search (calls already running finish on the revision they started with).
/// A read that meets a writer's commit is retried on a fresh view, a bounded number of
/// times, so readers see no error under any commit rate. Moving or destroying a Searcher
/// while another thread uses it is the caller's error, as for any C++ object.
class Searcher {
  public:
    /// `location`: a database directory, or "tcp://HOST:PORT" for a database served by
    /// Xapian's xapian-tcpsrv.
    explicit Searcher(const std::string& location);
    /// Several shards (local directories and tcp:// remotes) searched as one index: ranking
    /// uses the statistics of all of them, so the results equal those of one database
    /// holding the same documents. Document ids should be unique across shards.
    explicit Searcher(const std::vector<std::string>& locations);
    ~Searcher();
    Searcher(Searcher&&) noexcept;
    Searcher& operator=(Searcher&&) noexcept;
    Searcher(const Searcher&) = delete;
    Searcher& operator=(const Searcher&) = delete;

    /// Runs a query (see docs/guide.md for the syntax). Malformed queries never throw:
    /// they are understood as well as possible and Results::warnings says how.
    Results search(std::string_view query, const SearchOptions& options = {}) const;

    /// Proposes a better spelling of the query, learnt from the index's own text: the marks
    /// of unmarked syllables restored ("nghi quyet" -> "nghị quyết", "chi lang" -> "Chi
    /// Lăng"), or a query typed in Telex/VNI decoded when its literal reading finds little
    /// and the decoded one much more ("nghij quyeets" -> "nghị quyết"). Works over remote
    /// shards too. Empty when the query is fine as typed.
    Suggestion suggest(std::string_view query) const;

    /// The abbreviations queries are expanded with: pairs learnt from the indexed text and
    /// added by users (most frequent first), then, with `builtin`, the shipped dictionary.
    std::vector<AbbreviationEntry> abbreviations(bool builtin = false) const;

    /// Picks up changes committed since the searcher was opened.
    void reopen();
    std::size_t size() const;
    IndexInfo info() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vnsearch
