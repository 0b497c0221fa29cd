#include "vnsearch/search.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "analysis/abbreviations.h"
#include "index/abbreviation_store.h"
#include "index/database.h"
#include "index/document_builder.h"
#include "index/shard_set.h"
#include "index/term_scheme.h"
#include "index/xapian_errors.h"
#include "search/candidates.h"
#include "search/query.h"
#include "search/query_builder.h"
#include "search/similar.h"
#include "search/snippet.h"
#include "search/suggest.h"
#include "text/utf8.h"
#include "vnsearch/error.h"

namespace vnsearch {

namespace {

/// Bodies longer than this are only searched for a snippet window in their first part.
constexpr std::size_t kSnippetScanBytes = 256 * 1024;

std::vector<FacetCount> facet_counts(const Xapian::ValueCountMatchSpy& spy, std::size_t max) {
    std::vector<FacetCount> out;
    for (auto it = spy.top_values_begin(max); it != spy.top_values_end(max); ++it)
        out.push_back({*it, static_cast<std::size_t>(it.get_termfreq())});
    return out;
}

/// How long a remote shard may take to connect or to answer (milliseconds).
constexpr unsigned kRemoteTimeoutMs = 10000;

/// Bounded retries of a read that met a concurrent commit (see Impl::with_handle). A busy
/// writer can discard several revisions in a row, and a slow reader (a long query, a loaded
/// machine) needs a pause between two commits to finish: a read is retried for up to
/// kRetrySeconds, with a back-off that grows to kMaxBackoffMs. Errors that may also be
/// real (corruption, short reads) get kAttemptsOther tries.
constexpr double kRetrySeconds = 10.0;
constexpr int kMaxBackoffMs = 50;
constexpr int kAttemptsOther = 8;
/// Tries of a read with the suggestion's full budget before it reads less (Impl::budget).
constexpr int kFullBudgetTries = 2;
/// The default search's suggestion reads this many of its top hits (fetched even when
/// fewer are asked for), the first kSuggestionBytes of each.
constexpr Xapian::doccount kSuggestionHits = 10;
constexpr std::size_t kSuggestionBytes = 16 * 1024;
/// Facet values read from a spy to be merged (shards, place lists): all of them.
constexpr std::size_t kAllValues = 1000000;

/// Sort key of the oldest-first order: the date value, undated documents (an empty value)
/// last, as in the newest-first order (where an empty value sorts last by itself).
class UndatedLast : public Xapian::KeyMaker {
  public:
    std::string operator()(const Xapian::Document& doc) const override {
        std::string v = doc.get_value(scheme::kDateSlot);
        return v.empty() ? std::string(1, '\xFF') : v;
    }
};

/// One open view of every shard. A Xapian::Database may be used by one thread at a time,
/// so the Searcher lends each call a handle of its own from a pool.
struct Handle {
    Xapian::Database db;                   ///< all shards as one
    std::vector<Xapian::Database> shards;  ///< each on its own (for per-shard metadata)
    /// Term frequencies read on this revision, kept across calls (forgotten on reopen).
    detail::TermFrequencies freqs{db};
    /// The local shards' document lengths at this revision, read (or shared with another
    /// handle on the same revision) at the first search or similar().
    std::shared_ptr<const detail::DocumentLengths> lengths;
    /// Scratch scores for similar()'s candidate step (Bm25Terms::top), kept zeroed between calls.
    detail::ScoreAccumulator scores;
    /// Abbreviations (shipped + stored), read at the first search or suggestion after
    /// opening or reopening (abbreviation_lookup()).
    std::optional<detail::AbbreviationLookup> abbreviations;
    const detail::AbbreviationLookup& abbreviation_lookup() {
        if (!abbreviations) abbreviations.emplace(shards);
        return *abbreviations;
    }
    /// "Did you mean"'s spelling statistics read on this revision (forgotten on reopen).
    detail::SpellingCache spellings;
    std::uint64_t generation = 0;  ///< Searcher::reopen() calls seen
    bool remote = false;           ///< some shard is served by xapian-tcpsrv
};

/// A read may fail because a writer committed under it: Xapian says DatabaseModifiedError,
/// or — when a reader raced a commit that recycled the blocks it was reading — reports
/// corruption, a short read, or a document the match had just returned as not found (seen
/// once under ASan in "one Searcher shared by 8 threads…"). All are retried on a fresh
/// view; real corruption persists and is reported after the retries. (vnsearch's own
/// NotFoundError for an unknown id is not a Xapian error and is never retried.)
bool transient(const Xapian::Error& e) {
    const std::string type = e.get_type();
    return type == "DatabaseModifiedError" || type == "DatabaseCorruptError" || type == "DatabaseError" ||
           type == "DatabaseOpeningError" || type == "DocNotFoundError";
}

/// The statistics the query builder weighs terms with, read through the handle's frequencies.
class DatabaseStats : public detail::TermStats {
  public:
    explicit DatabaseStats(detail::TermFrequencies& freqs)
        : freqs_(freqs), n_(static_cast<double>(freqs.database().get_doccount())) {}
    double documents() const override { return n_; }
    double termfreq(const std::string& term) const override { return static_cast<double>(freqs_.get(term).documents); }

  private:
    detail::TermFrequencies& freqs_;
    double n_;
};

}  // namespace

struct VNSEARCH_LOCAL Searcher::Impl {
    std::vector<std::string> locations;
    std::string path;  ///< the locations, for messages
    Analyzer analyzer;
    detail::RankingParameters params;

    std::mutex mutex;                  ///< guards pool and generation
    std::vector<std::unique_ptr<Handle>> pool;  ///< idle handles
    std::uint64_t generation = 0;
    /// The document lengths read last, shared by every handle on the same revisions (so a
    /// pool of handles holds one table, not one each); held by the handles, not by this.
    mutable std::mutex lengths_mutex;
    mutable std::weak_ptr<const detail::DocumentLengths> last_lengths;

    /// One shard: a local directory or "tcp://HOST:PORT" (a database served by
    /// xapian-tcpsrv). Its term-scheme version is checked on its own.
    Xapian::Database open_shard(const std::string& location) const {
        Xapian::Database shard;
        if (detail::is_remote_location(location)) {
            const std::string hostport = location.substr(6);
            const auto colon = hostport.rfind(':');
            char* end = nullptr;
            const long port = colon == std::string::npos ? 0 : std::strtol(hostport.c_str() + colon + 1, &end, 10);
            if (colon == std::string::npos || colon == 0 || port <= 0 || port > 65535 || (end && *end))
                throw DatabaseError("remote shard must be tcp://HOST:PORT: " + location);
            try {
                shard = Xapian::Remote::open(hostport.substr(0, colon), static_cast<unsigned>(port), kRemoteTimeoutMs,
                                             kRemoteTimeoutMs);
            } catch (const Xapian::Error& e) {
                throw DatabaseError("cannot reach remote shard " + location + " (" + e.get_msg() + ")");
            }
        } else {
            std::error_code ec;
            if (!std::filesystem::exists(location, ec)) throw DatabaseError("no database at " + location);
            if (!std::filesystem::is_directory(location, ec))
                throw DatabaseError("database path is not a directory: " + location);
            shard = Xapian::Database(location);  // Xapian errors: with_retry's to handle
        }
        detail::check_scheme(shard, location);
        return shard;
    }

    /// A new view of every shard (retried by the caller when a commit races the opening).
    std::unique_ptr<Handle> open_handle(std::uint64_t gen) const {
        if (locations.empty()) throw DatabaseError("no database given");
        auto h = std::make_unique<Handle>();
        for (const auto& location : locations) {
            h->shards.push_back(open_shard(location));
            h->remote = h->remote || detail::is_remote_location(location);
            h->db.add_database(h->shards.back());
        }
        h->generation = gen;
        return h;
    }

    /// Runs f(handle) on a handle of the pool (made when none is idle). A read that meets a
    /// concurrent commit is retried on a reopened handle, then on a freshly opened one, with
    /// a short back-off: a bounded number of times. Other errors become vnsearch errors.
    template <class F>
    auto with_handle(F&& f) -> decltype(f(std::declval<Handle&>())) {
        std::unique_ptr<Handle> h;
        std::uint64_t gen = 0;
        {
            std::lock_guard<std::mutex> lock(mutex);
            gen = generation;
            if (!pool.empty()) {
                h = std::move(pool.back());
                pool.pop_back();
            }
        }
        const auto started = std::chrono::steady_clock::now();
        for (int attempt = 1;; ++attempt) {
            try {
                if (!h) h = open_handle(gen);
                if (h->generation != gen) {
                    h->db.reopen();
                    for (auto& shard : h->shards) shard.reopen();
                    h->abbreviations.reset();
                    h->freqs.clear();
                    h->spellings.clear();
                    h->lengths.reset();
                    h->generation = gen;
                }
                auto result = f(*h);
                std::lock_guard<std::mutex> lock(mutex);
                pool.push_back(std::move(h));
                return result;
            } catch (const Xapian::Error& e) {
                const bool modified = e.get_type() == std::string("DatabaseModifiedError");
                const bool out_of_time =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > kRetrySeconds;
                if (!transient(e) || (modified ? out_of_time : attempt >= kAttemptsOther)) {
                    if (e.get_type() == std::string("DatabaseModifiedError"))
                        throw DatabaseError("database at " + path + " keeps changing under the reader; try again");
                    detail::rethrow(e, path);
                }
                // Reopen in place first (cheap); after that open a fresh view, which also
                // drops whatever state a half-read revision left behind.
                if (attempt > 1 || !modified) h.reset();
                else if (h) h->generation = ~gen;  // forces a reopen
                if (attempt > 2) std::this_thread::sleep_for(std::chrono::milliseconds(std::min(1 << std::min(attempt - 2, 6), kMaxBackoffMs)));
            }
        }
    }

    /// A lookup by id that found nothing is believed only on the newest revision. A reader
    /// whose revision a writer has since committed past can miss a key that sits in a block
    /// the writer recycled (Xapian 1.4 glass; a `similar()` racing commits under ASan, CI
    /// 2026-12-03). On an older revision the miss is retried as a read that met a commit.
    static void confirm_missing(Handle& h) {
        if (h.db.reopen()) throw Xapian::DatabaseModifiedError("an id looked up on a revision since committed past");
    }

    static void set_suggestion(Results& r, detail::SuggestionResult s) {
        r.suggestion_reason = s.text.empty() ? SuggestionReason::none : s.kind;
        r.suggestion = std::move(s.text);
    }

    Suggestion suggest(Handle& h, const detail::ParsedQuery& parsed, const detail::RestoreOptions& budget = {}) const {
        Suggestion s;
        if (!detail::may_suggest(parsed)) return s;
        const detail::SpellingStats stats(h.shards, &h.spellings);
        detail::SuggestionResult r =
            stats.available() ? detail::suggest(h.db, stats, parsed, &h.abbreviation_lookup()) : detail::suggest(h.db, parsed, budget);
        s.text = std::move(r.text);
        s.reason = s.text.empty() ? SuggestionReason::none : r.kind;
        return s;
    }

    /// The suggestion's budget on the `attempt`-th try of a read: a writer that commits faster
    /// than a reader reads forces retries, and each retry reads less so that it fits between
    /// two commits.
    static detail::RestoreOptions budget(detail::RestoreOptions full, int attempt) {
        if (attempt <= kFullBudgetTries) return full;
        detail::RestoreOptions small = detail::RestoreOptions::quick();
        small.docs_per_pair = 4;
        small.docs_per_syllable = 4;
        small.max_docs = 24;
        return attempt <= 2 * kFullBudgetTries ? detail::RestoreOptions::quick() : small;
    }

    /// SearchOptions::filters as filter nodes (Error for an invalid one).
    std::vector<detail::QueryNode> filter_nodes(const SearchOptions& opt) const {
        std::vector<detail::QueryNode> nodes;
        for (const Filter& f : opt.filters) {
            std::string error;
            auto n = detail::filter_node(f.field, f.value, analyzer, error);
            if (!n) throw Error("bad filter: " + error);
            if (f.exclude) n->role = detail::Role::filter_not;
            nodes.push_back(std::move(*n));
        }
        return nodes;
    }

    /// The facets asked for: name (lowercase), value slot and most values kept; a name that
    /// is neither built-in nor a custom field name gets no slot (and no counts).
    struct FacetSpec {
        std::string name;
        std::optional<unsigned> slot;
        std::size_t max = 100;
        bool places = false;  ///< the slot holds lists of place codes (place_facet)
    };
    static std::vector<FacetSpec> facet_specs(const SearchOptions& opt) {
        std::vector<FacetSpec> specs;
        auto add = [&](std::string name) {
            for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            for (const auto& s : specs)
                if (s.name == name) return;
            FacetSpec f{name, std::nullopt, 100};
            if (name == "year") f = {name, scheme::kYearSlot, 1000};
            else if (name == "source") f.slot = scheme::kSourceSlot;
            else if (const unsigned slot = scheme::place_facet_slot(name)) f.slot = slot, f.places = true;
            else if (const std::string field = scheme::field_name(name); !field.empty()) f.slot = scheme::field_slot(field);
            specs.push_back(std::move(f));
        };
        if (opt.facets) add("year"), add("source");
        for (const auto& name : opt.facet_fields) add(name);
        return specs;
    }

    Results run(Handle& h, const detail::ParsedQuery& parsed, const std::vector<detail::QueryNode>& filters,
                std::string_view query, const SearchOptions& opt, int attempt = 1) const {
        Results r;
        r.query = std::string(query);
        r.warnings = parsed.warnings;
        // "Did you mean", earned per query: only a query with unmarked free-text syllables
        // (or Telex/VNI-looking words) does any work, and when the hits are the top of the
        // ranking, the statistics come from the hits this search reads anyway.
        const bool retries_left = attempt <= 2 * kFullBudgetTries;
        // The statistics the index keeps answer with one lookup per syllable and pair; a
        // database made before they existed samples documents instead: the hits this search
        // reads anyway when they are the top of the ranking, else a small sample.
        const bool want_suggestion = opt.suggest && retries_left && detail::may_suggest(parsed);
        const std::optional<detail::SpellingStats> spelling =
            want_suggestion ? std::optional<detail::SpellingStats>(std::in_place, h.shards, &h.spellings) : std::nullopt;
        const bool from_stats = spelling && spelling->available();
        const bool suggest_from_hits = want_suggestion && !from_stats && opt.sort == SortOrder::relevance && opt.offset == 0;
        if (opt.suggest && !retries_left)
            r.warnings.push_back("no spelling suggestion: the index kept changing during the search");
        if (from_stats) set_suggestion(r, detail::suggest(h.db, *spelling, parsed, &h.abbreviation_lookup()));
        else if (want_suggestion && !suggest_from_hits)
            set_suggestion(r, detail::suggest(h.db, parsed, budget(detail::RestoreOptions::quick(), attempt)));
        const DatabaseStats stats(h.freqs);
        // Over local shards each weighted term scores with the documents' lengths from memory.
        // The lengths are read at the first weighted term: a query of filters alone (id:,
        // source:) scores nothing and reads none.
        std::optional<std::optional<detail::Bm25Terms>> scored;
        const detail::TermQuery term_query = [&](const std::string& term, double scale) {
            if (!scored) scored.emplace(scored_terms(h));
            return *scored ? (**scored)(term, scale) : Xapian::Query();  // empty: the builder's plain term
        };
        const detail::BuiltQuery built =
            detail::build_query(parsed, analyzer, params, &h.abbreviation_lookup(), &stats, h.remote ? nullptr : &term_query);
        Xapian::Query query_all = built.query;
        // The candidate query (match_candidates) passes the same filters.
        Xapian::Query candidates_all = built.candidates;
        if (!filters.empty()) {
            // Structured filters are Xapian filters built from the list, never query text:
            // FILTER(MatchAll, AND(filters)) on their own, so an empty query lists them all.
            detail::ParsedQuery only_filters;
            only_filters.nodes = filters;
            const Xapian::Query f = detail::build_query(only_filters, analyzer, params).query;
            query_all = built.empty ? f : Xapian::Query(Xapian::Query::OP_FILTER, built.query, f);
            if (!candidates_all.empty()) candidates_all = Xapian::Query(Xapian::Query::OP_FILTER, candidates_all, f);
        } else if (built.empty) {
            if (r.warnings.empty()) r.warnings.push_back("empty query");
            return r;
        }
        const Xapian::BM25Weight weight(params.bm25_k1, 0, 1, params.bm25_b, params.bm25_min_normlen);
        Xapian::Enquire enquire(h.db);
        enquire.set_query(query_all);
        enquire.set_weighting_scheme(weight);
        UndatedLast oldest_first;
        switch (opt.sort) {
            case SortOrder::relevance: break;
            case SortOrder::date_desc: enquire.set_sort_by_value_then_relevance(scheme::kDateSlot, true); break;
            case SortOrder::date_asc: enquire.set_sort_by_key_then_relevance(&oldest_first, false); break;
        }
        const std::vector<FacetSpec> specs = facet_specs(opt);
        const bool any_facets = !specs.empty();
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        Xapian::doccount check_at_least = 0;
        // Xapian 1.4 counts a remote shard's matches twice when match spies run over a local
        // and a remote shard together (tests/test_shards.cpp): several shards are counted
        // one by one below instead.
        const bool facets_by_shard = any_facets && h.shards.size() > 1;
        if (!facets_by_shard)
            for (const FacetSpec& f : specs) {
                spies.push_back(f.slot ? std::make_unique<Xapian::ValueCountMatchSpy>(*f.slot) : nullptr);
                if (spies.back()) enquire.add_matchspy(spies.back().get());
            }
        // An exact total next to exact facet counts, and when only the count is asked for.
        if (any_facets || opt.limit == 0) check_at_least = h.db.get_doccount();
        // Xapian counts documents in 32 bits: an offset past that is past every result.
        constexpr std::size_t kMaxDocs = std::numeric_limits<Xapian::doccount>::max();
        const bool past_end = opt.offset >= kMaxDocs;
        const auto offset = static_cast<Xapian::doccount>(std::min(opt.offset, kMaxDocs));
        const auto limit = past_end ? Xapian::doccount{0}
                                    : static_cast<Xapian::doccount>(std::min<std::size_t>({opt.limit, 100000, kMaxDocs - opt.offset}));
        const Xapian::doccount fetched = suggest_from_hits ? std::max(limit, kSuggestionHits) : limit;
        // The default ranked search scores only the candidates its rarer terms find, in
        // blocks (match_candidates); facets, date orders, exhaustive searches and remote
        // shards look at every match.
        std::optional<detail::CandidateMatches> ranked;
        // (A remote shard would have to run the candidate filter itself: Xapian's remote
        // protocol carries only registered, serialisable posting sources.)
        const bool by_candidates =
            !candidates_all.empty() && !h.remote && !opt.exhaustive && opt.sort == SortOrder::relevance && !any_facets && !past_end;
        if (by_candidates && fetched > 0)
            ranked = detail::match_candidates(h.db, h.shards, candidates_all, query_all, weight, offset, fetched, params.candidates);
        if (by_candidates && opt.limit == 0) {
            // Only the count (the hits fetched, if any, are the suggestion's sample): of the
            // documents the pages would list, i.e. the candidates, exactly (every match when
            // no candidate is found, as match_candidates falls back).
            Xapian::Enquire count(h.db);
            count.set_query(candidates_all);
            count.set_weighting_scheme(Xapian::BoolWeight());
            const Xapian::MSet counted = count.get_mset(0, 0, h.db.get_doccount());
            if (counted.get_matches_estimated() > 0) {
                if (!ranked) ranked.emplace();
                ranked->total = counted.get_matches_estimated();
                ranked->total_exact = true;
            }
        }
        if (!ranked) ranked = detail::all_matches(enquire.get_mset(offset, fetched, check_at_least));
        r.total = ranked->total;
        r.total_exact = ranked->total_exact;
        const detail::SnippetTerms snippet_terms =
            opt.snippet_chars ? detail::snippet_terms(parsed, built.expansions, analyzer) : detail::SnippetTerms{};
        const detail::SnippetOptions sopt{opt.snippet_chars, "…"};
        std::vector<std::string> suggestion_texts;
        // A hit's body is read only for its snippet or the suggestion's sample, and only as
        // far as they read.
        const std::size_t body_bytes = std::max(opt.snippet_chars ? kSnippetScanBytes : 0, suggest_from_hits ? kSuggestionBytes : 0);
        const auto parts = body_bytes ? detail::StoredParts::all : detail::StoredParts::without_body;
        for (std::size_t index = 0; index < ranked->hits.size(); ++index) {
            std::vector<Place> places;
            Document d = detail::stored_document(ranked->hits[index].document, &places, parts, body_bytes);
            if (suggest_from_hits && index < kSuggestionHits)
                suggestion_texts.push_back(detail::suggestion_text(d.title, d.body, kSuggestionBytes));
            if (index >= limit) continue;
            Hit hit = make_hit(std::move(d), snippet_terms, sopt, opt.highlight_start, opt.highlight_end);
            hit.places = std::move(places);
            hit.score = ranked->hits[index].weight;
            hit.rank = opt.offset + index + 1;
            r.hits.push_back(std::move(hit));
        }
        if (suggest_from_hits) set_suggestion(r, detail::suggest(h.db, parsed, suggestion_texts));
        // Years newest first; other fields as ValueCountMatchSpy::top_values: most frequent
        // first, then by value.
        auto order = [](const std::string& name, std::vector<FacetCount>& v, std::size_t max) {
            if (name == "year")
                std::sort(v.begin(), v.end(), [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
            else
                std::sort(v.begin(), v.end(), [](const FacetCount& a, const FacetCount& b) {
                    return a.count != b.count ? a.count > b.count : a.value < b.value;
                });
            if (v.size() > max) v.resize(max);
        };
        if (facets_by_shard) {
            std::vector<std::map<std::string, std::size_t>> counts(specs.size());
            for (const auto& shard : h.shards) {
                Xapian::Enquire e(shard);
                e.set_query(query_all);
                e.set_weighting_scheme(Xapian::BoolWeight());
                std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> shard_spies;
                for (const FacetSpec& f : specs) {
                    shard_spies.push_back(f.slot ? std::make_unique<Xapian::ValueCountMatchSpy>(*f.slot) : nullptr);
                    if (shard_spies.back()) e.add_matchspy(shard_spies.back().get());
                }
                e.get_mset(0, 0, shard.get_doccount());
                for (std::size_t k = 0; k < specs.size(); ++k)
                    if (shard_spies[k])
                        for (const auto& f : facet_counts(*shard_spies[k], kAllValues)) counts[k][f.value] += f.count;
            }
            for (std::size_t k = 0; k < specs.size(); ++k) {
                std::vector<FacetCount>& v = r.facets[specs[k].name];
                for (const auto& [value, count] : counts[k]) v.push_back({value, count});
                if (specs[k].places) v = place_facet(specs[k], v);
                order(specs[k].name, v, specs[k].max);
            }
        } else {
            for (std::size_t k = 0; k < specs.size(); ++k) {
                std::vector<FacetCount>& v = r.facets[specs[k].name];
                if (spies[k]) v = specs[k].places ? place_facet(specs[k], facet_counts(*spies[k], kAllValues))
                                                  : facet_counts(*spies[k], specs[k].max);
                order(specs[k].name, v, specs[k].max);
            }
        }
        if (opt.facets) {
            r.years = r.facets["year"];
            r.sources = r.facets["source"];
        }
        return r;
    }

    /// A place facet from the counts of its slot's values, which are lists of codes ("19,20"):
    /// each code counts the documents whose list holds it, shown by name (place_facet_label).
    /// A document naming two provinces counts once in each, as a multi-valued facet does.
    static std::vector<FacetCount> place_facet(const FacetSpec& spec, const std::vector<FacetCount>& lists) {
        const Geography geo = spec.slot == scheme::kProvinceSlot ? Geography::current : Geography::before_2025;
        std::map<std::string, std::size_t> by_code;
        for (const FacetCount& f : lists)
            for (const std::string& code : scheme::place_list_codes(f.value)) by_code[code] += f.count;
        std::map<std::string, std::size_t> by_label;
        for (const auto& [code, count] : by_code) {
            const auto place = place_by_code(code, geo);
            by_label[place ? scheme::place_facet_label(place->unit) : code] += count;
        }
        std::vector<FacetCount> out;
        for (const auto& [label, count] : by_label) out.push_back({label, count});
        return out;
    }

    /// A hit of `d` (stored) with its snippet.
    Hit make_hit(Document&& d, const detail::SnippetTerms& snippet_terms, const detail::SnippetOptions& sopt,
                 const std::string& highlight_start, const std::string& highlight_end) const {
        Hit hit;
        hit.id = std::move(d.id);
        hit.title = std::move(d.title);
        hit.date = std::move(d.date);
        hit.source = std::move(d.source);
        hit.url = std::move(d.url);
        hit.author = std::move(d.author);
        hit.fields = std::move(d.fields);
        if (sopt.chars) {
            const std::string_view body = text::utf8_prefix(d.body, kSnippetScanBytes);
            detail::Snippet snippet = detail::make_snippet(body, snippet_terms, analyzer, sopt);
            hit.snippet = detail::marked(snippet, highlight_start, highlight_end);
            hit.snippet_text = std::move(snippet.text);
            for (const auto& [start, end] : snippet.spans) hit.highlights.push_back({start, end});
        }
        return hit;
    }

    /// The lengths of `shards` at their revisions: the table another handle read, when it
    /// was read from the same revisions, else read now (outside the lock: two handles may
    /// both read one revision's, and the later is kept).
    std::shared_ptr<const detail::DocumentLengths> shared_lengths(const std::vector<Xapian::Database>& shards) const {
        {
            std::lock_guard<std::mutex> lock(lengths_mutex);
            if (auto known = last_lengths.lock(); known && known->read_from(shards)) return known;
        }
        auto lengths = std::make_shared<const detail::DocumentLengths>(shards);
        std::lock_guard<std::mutex> lock(lengths_mutex);
        last_lengths = lengths;
        return lengths;
    }

    /// BM25 as `params` has it, with the local shards' document lengths held in memory
    /// (bm25_postings.h): read at the handle's first search or similar() on a revision (5-10
    /// ms and 4 bytes a document at 235,000 documents). Nothing over a remote shard, or
    /// over shards numbering past DocumentLengths::kMaxDocid (Xapian then reads the lengths).
    std::optional<detail::Bm25Terms> scored_terms(Handle& h) const {
        if (h.remote) return std::nullopt;
        if (!h.lengths) h.lengths = shared_lengths(h.shards);
        if (!h.lengths->available()) return std::nullopt;
        std::optional<detail::Bm25Terms> terms(std::in_place, h.freqs,
                                               detail::Bm25Parameters{params.bm25_k1, params.bm25_b, params.bm25_min_normlen}, h.lengths);
        // The query builder scales groups of terms by these (query_builder.cpp).
        terms->set_group_scale(std::max(params.place, params.abbreviation));
        return terms;
    }

    /// "More like this": the document's Bo1 expansion terms (similar.h), searched with BM25.
    /// The document is excluded by the query; its exact duplicates (same length, then the
    /// same stored title and body) are skipped as the ranked list is read. They rank first
    /// (their terms are the document's own), so the first page almost always holds them all.
    Results similar(Handle& h, std::string_view id, const SimilarOptions& opt) const {
        detail::SimilarParameters sp = similar_params;
        if (opt.terms) sp.terms = static_cast<unsigned>(std::min<std::size_t>(opt.terms, 1000));
        // Over local shards the candidate step scores with the documents' lengths from
        // memory (bm25_postings.h), the same BM25 scores without reading them per match.
        const std::optional<detail::Bm25Terms> scored = scored_terms(h);
        const detail::SimilarQuery sq = detail::similar_query(h.db, id, sp, &h.freqs, scored ? &*scored : nullptr);
        // The common terms' scores for the candidates, read from their posting lists alone.
        const detail::AddScores add_common = [&](const std::vector<Xapian::docid>& docids, std::vector<double>& scores) {
            for (const std::string& term : sq.common_terms) scored->add_scores(term, docids, scores);
        };
        // ... and the candidates ranked from the rarer terms' posting lists, one list at a time.
        const detail::RankCandidates rank_candidates = [&](Xapian::doccount wanted) {
            return scored->top(sq.candidate_terms, sq.docid, wanted, h.scores);
        };
        const bool rank_in_memory = scored && scored->can_rank() && !sq.candidate_terms.empty();
        Results r;
        r.query = std::string(id);
        if (sq.terms.empty()) {
            r.warnings.push_back("the document has no words to compare");
            return r;
        }
        const Xapian::BM25Weight weight(params.bm25_k1, 0, 1, params.bm25_b, params.bm25_min_normlen);
        Xapian::Enquire enquire(h.db);
        enquire.set_query(sq.query);
        enquire.set_weighting_scheme(weight);
        constexpr std::size_t kMaxDocs = std::numeric_limits<Xapian::doccount>::max();
        const std::size_t offset = std::min(opt.offset, kMaxDocs);
        const std::size_t limit = std::min<std::size_t>({opt.limit, 100000, kMaxDocs - offset});
        const detail::SnippetTerms snippet_terms =
            opt.snippet_chars ? detail::similar_snippet_terms(sq.terms) : detail::SnippetTerms{};
        const detail::SnippetOptions sopt{opt.snippet_chars, "…"};
        // Read pages of the ranked list until `limit` hits past `offset` are kept: ranked in
        // candidate blocks when the query has terms that only add to the score (a remote
        // shard cannot run the candidate filter), else by Xapian over every match.
        std::size_t kept = 0, duplicates = 0, first = 0, estimated = 0;
        const std::size_t page = std::min<std::size_t>(offset + limit + 16, kMaxDocs - 1);
        std::optional<Document> article;  // the document's own text, read for the first hit of its length
        const bool lengths_known = scored && h.lengths->covers(h.db);  // a hit's length from memory
        while (r.hits.size() < limit && first < kMaxDocs) {
            const auto from = static_cast<Xapian::doccount>(first), count = static_cast<Xapian::doccount>(std::min(page, kMaxDocs - first));
            std::optional<detail::CandidateMatches> ranked;
            if (!sq.candidates.empty() && !h.remote)
                ranked = detail::match_candidates(h.db, h.shards, sq.candidates, sq.common, weight, from, count, sp.candidates,
                                                  detail::CandidateScoring::add, scored ? &add_common : nullptr,
                                                  rank_in_memory ? &rank_candidates : nullptr);
            if (!ranked) ranked = detail::all_matches(enquire.get_mset(from, count));
            estimated = ranked->total;
            for (const detail::RankedDocument& found : ranked->hits) {
                if (r.hits.size() >= limit) break;
                std::optional<Document> stored;  // each document's data is parsed once, when needed
                std::vector<Place> places;
                Xapian::termcount length = 0;
                if (!lengths_known || !h.lengths->length(found.docid, length))
                    length = h.db.get_doclength(found.docid);
                if (length == sq.doclength) {
                    if (!article) article = detail::stored_document(h.db.get_document(sq.docid));
                    stored = detail::stored_document(found.document, &places);
                    if (stored->title == article->title && stored->body == article->body) {
                        ++duplicates;
                        continue;
                    }
                }
                if (kept++ < offset) continue;
                if (!stored) stored = detail::stored_document(found.document, &places);
                Hit hit = make_hit(std::move(*stored), snippet_terms, sopt, opt.highlight_start, opt.highlight_end);
                hit.places = std::move(places);
                hit.score = found.weight;
                hit.rank = kept;
                r.hits.push_back(std::move(hit));
            }
            if (ranked->hits.size() < count) break;
            first += count;
        }
        r.total = estimated > duplicates ? estimated - duplicates : 0;
        return r;
    }

    detail::SimilarParameters similar_params;
};

Searcher::Searcher(const std::string& location) : Searcher(std::vector<std::string>{location}) {}

Searcher::Searcher(const std::vector<std::string>& locations) : impl_(std::make_unique<Impl>()) {
    impl_->locations = detail::expand_shard_sets(locations);  // a shard-set directory: its shards
    for (const auto& l : locations) impl_->path += (impl_->path.empty() ? "" : ", ") + l;
    impl_->with_handle([](Handle&) { return 0; });  // opens (and checks) every shard now
}

Searcher::Searcher(std::initializer_list<std::string> locations) : Searcher(std::vector<std::string>(locations)) {}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

/// `name:` in a query is a custom field when the index holds terms of that field.
static detail::FieldLookup custom_fields(const Xapian::Database& db) {
    return [&db](const std::string& name) {
        const std::string prefix = scheme::field_term(name, "");
        return db.allterms_begin(prefix) != db.allterms_end(prefix);
    };
}

Results Searcher::search(std::string_view query, const SearchOptions& options) const {
    const std::vector<detail::QueryNode> filters = impl_->filter_nodes(options);  // Error before any reading
    int attempt = 0;
    return impl_->with_handle([&](Handle& h) {
        const detail::ParsedQuery parsed = detail::parse_query(query, impl_->analyzer, custom_fields(h.db));
        return impl_->run(h, parsed, filters, query, options, ++attempt);
    });
}

Results Searcher::similar(std::string_view id, const SimilarOptions& options) const {
    // An unknown id is thrown after the handle went back to the pool (with_handle drops a
    // handle that an exception passes through).
    std::optional<std::string> missing;
    Results r = impl_->with_handle([&](Handle& h) {
        missing.reset();
        try {
            return impl_->similar(h, id, options);
        } catch (const NotFoundError& e) {
            Impl::confirm_missing(h);
            missing = e.what();
            return Results{};
        }
    });
    if (missing) throw NotFoundError(*missing);
    return r;
}

Suggestion Searcher::suggest(std::string_view query) const {
    int attempt = 0;
    return impl_->with_handle([&](Handle& h) {
        const detail::ParsedQuery parsed = detail::parse_query(query, impl_->analyzer, custom_fields(h.db));
        return impl_->suggest(h, parsed, Impl::budget({}, ++attempt));
    });
}

std::vector<AbbreviationEntry> Searcher::abbreviations(bool builtin) const {
    auto out = impl_->with_handle([&](Handle& h) {
        std::vector<AbbreviationEntry> v;
        for (auto& p : detail::stored_pairs(h.shards))  // one entry per pair, counted over all shards
            v.push_back({std::move(p.abbr), std::move(p.expansion), static_cast<std::size_t>(p.count), p.user ? AbbreviationOrigin::user : AbbreviationOrigin::learned});
        return v;
    });
    if (builtin)
        for (const auto& a : analysis::builtin_abbreviations()) out.push_back({a.abbr, a.expansion, 0, AbbreviationOrigin::builtin});
    return out;
}

std::optional<Document> Searcher::document(std::string_view id) const {
    const std::string term = scheme::id_term(id);
    return impl_->with_handle([&](Handle& h) -> std::optional<Document> {
        Xapian::PostingIterator it = h.db.postlist_begin(term);
        if (it == h.db.postlist_end(term)) {
            Impl::confirm_missing(h);
            return std::nullopt;
        }
        return detail::stored_document(h.db.get_document(*it));
    });
}

std::string_view to_string(SortOrder order) noexcept {
    switch (order) {
        case SortOrder::relevance: return "relevance";
        case SortOrder::date_desc: return "date-desc";
        case SortOrder::date_asc: return "date-asc";
    }
    return "relevance";
}

std::optional<SortOrder> parse_sort_order(std::string_view name) noexcept {
    if (name == "relevance") return SortOrder::relevance;
    if (name == "date" || name == "date-desc" || name == "date_desc") return SortOrder::date_desc;
    if (name == "date-asc" || name == "date_asc") return SortOrder::date_asc;
    return std::nullopt;
}

std::string_view to_string(SuggestionReason reason) noexcept {
    switch (reason) {
        case SuggestionReason::diacritics: return "diacritics";
        case SuggestionReason::telex: return "telex";
        case SuggestionReason::vni: return "vni";
        case SuggestionReason::none: break;
    }
    return "";
}

std::string_view to_string(AbbreviationOrigin origin) noexcept {
    switch (origin) {
        case AbbreviationOrigin::learned: return "learned";
        case AbbreviationOrigin::user: return "user";
        case AbbreviationOrigin::builtin: return "builtin";
    }
    return "";
}

void Searcher::reopen() {
    {
        std::lock_guard<std::mutex> lock(impl_->mutex);
        ++impl_->generation;
        // Idle handles are reopened when next lent; remote ones are opened anew, so that a
        // restarted server is reached again.
        impl_->pool.clear();
    }
    impl_->with_handle([](Handle&) { return 0; });
}

std::size_t Searcher::size() const {
    return impl_->with_handle([](Handle& h) { return static_cast<std::size_t>(h.db.get_doccount()); });
}

IndexInfo Searcher::info() const {
    IndexInfo info = impl_->with_handle([](Handle& h) {
        IndexInfo i;
        i.documents = h.db.get_doccount();
        for (auto it = h.db.allterms_begin(); it != h.db.allterms_end(); ++it) ++i.terms;
        // Metadata of a multi-database comes from its first shard: take the latest of all.
        for (auto& shard : h.shards) i.last_update = std::max(i.last_update, shard.get_metadata(scheme::kLastUpdateKey));
        std::string v = h.db.get_metadata(scheme::kVersionKey);
        i.scheme_version = v.empty() ? 0 : std::atoi(v.c_str());
        return i;
    });
    info.shards = impl_->locations.size();
    for (const auto& location : impl_->locations) {
        if (detail::is_remote_location(location)) {
            ++info.remote_shards;  // its size is the server's to tell
            continue;
        }
        std::error_code ec;
        for (auto it = std::filesystem::recursive_directory_iterator(location, ec);
             !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
            if (it->is_regular_file(ec)) info.size_bytes += it->file_size(ec);
    }
    return info;
}

}  // namespace vnsearch
