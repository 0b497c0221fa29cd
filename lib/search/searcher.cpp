#include "vnsearch/search.h"

#include <xapian.h>

#include <algorithm>
#include <map>
#include <optional>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <filesystem>

#include "analysis/abbreviations.h"
#include "analysis/typing.h"
#include "index/abbreviation_store.h"
#include "index/database.h"
#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "index/xapian_errors.h"
#include "search/query_builder.h"
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

}  // namespace

/// A Telex/VNI reading is offered when it matches this many times more documents than the
/// literal one (both counted up to kTypingCheck).
constexpr std::size_t kTypingRatio = 4;
constexpr std::size_t kTypingCheck = 1000;

/// How long a remote shard may take to connect or to answer (milliseconds).
constexpr unsigned kRemoteTimeoutMs = 10000;

struct Searcher::Impl {
    std::vector<std::string> locations;
    std::string path;  ///< the locations, for messages
    Xapian::Database db;                  ///< all shards as one
    std::vector<Xapian::Database> shards;  ///< each on its own (for per-shard metadata)
    /// Abbreviations (shipped + stored), read at the first search after opening or reopen().
    std::optional<detail::AbbreviationLookup> abbreviations;
    Analyzer analyzer;
    detail::QueryWeights weights;

    /// One shard: a local directory or "tcp://HOST:PORT" (a database served by
    /// xapian-tcpsrv). Its term-scheme version is checked on its own.
    Xapian::Database open_shard(const std::string& location) {
        Xapian::Database shard;
        if (location.rfind("tcp://", 0) == 0) {
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
            try {
                shard = Xapian::Database(location);
            } catch (const Xapian::Error& e) {
                detail::rethrow(e, location);
            }
        }
        try {
            detail::check_scheme(shard, location);
        } catch (const Xapian::Error& e) {
            detail::rethrow(e, location);
        }
        return shard;
    }

    void open() {
        if (locations.empty()) throw DatabaseError("no database given");
        db = Xapian::Database();
        shards.clear();
        for (const auto& location : locations) {
            shards.push_back(open_shard(location));
            db.add_database(shards.back());
        }
    }

    Suggestion suggest(std::string_view query) {
        Suggestion s;
        // Telex/VNI first: offered only when the decoded reading finds much more than the
        // literal one, so ordinary words that happen to decode ("test" -> "tét") stay.
        std::size_t literal = 0;
        bool literal_known = false;
        std::size_t best = 0;
        for (auto [method, name] : {std::pair{analysis::InputMethod::telex, "telex"}, std::pair{analysis::InputMethod::vni, "vni"}}) {
            if (analysis::decodable_words(query, method) == 0) continue;
            auto decoded = analysis::decode_query(query, method);
            if (!decoded) continue;
            if (!literal_known) literal = detail::and_matches(db, query, kTypingCheck), literal_known = true;
            const std::size_t found = detail::and_matches(db, *decoded, kTypingCheck);
            if (found > best && found >= kTypingRatio * literal + 1) {
                best = found;
                s.text = std::move(*decoded);
                s.reason = name;
            }
        }
        if (!s.text.empty()) return s;
        s.text = detail::restore_diacritics(db, query);
        if (!s.text.empty()) s.reason = "diacritics";
        return s;
    }

    Results run(std::string_view query, const SearchOptions& opt) {
        Results r;
        r.query = std::string(query);
        if (opt.suggest) {
            Suggestion s = suggest(query);
            r.suggestion = std::move(s.text);
            r.suggestion_reason = std::move(s.reason);
        }
        if (!abbreviations) abbreviations.emplace(shards);
        detail::BuiltQuery built = detail::build_query(query, analyzer, weights, &*abbreviations);
        r.warnings = built.warnings;
        if (built.empty) {
            if (r.warnings.empty()) r.warnings.push_back("empty query");
            return r;
        }
        Xapian::Enquire enquire(db);
        enquire.set_query(built.query);
        enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.5, 0.5));
        switch (opt.sort) {
            case SortOrder::relevance: break;
            case SortOrder::date_desc: enquire.set_sort_by_value_then_relevance(scheme::kDateSlot, true); break;
            case SortOrder::date_asc: enquire.set_sort_by_value_then_relevance(scheme::kDateSlot, false); break;
        }
        Xapian::ValueCountMatchSpy years(scheme::kYearSlot), sources(scheme::kSourceSlot);
        Xapian::doccount check_at_least = 0;
        // Xapian 1.4 counts a remote shard's matches twice when match spies run over a local
        // and a remote shard together (tests/test_shards.cpp): several shards are counted
        // one by one below instead.
        const bool facets_by_shard = opt.facets && shards.size() > 1;
        if (opt.facets && !facets_by_shard) {
            enquire.add_matchspy(&years);
            enquire.add_matchspy(&sources);
        }
        if (opt.facets) check_at_least = db.get_doccount();  // an exact total next to exact counts
        const auto limit = static_cast<Xapian::doccount>(std::min<std::size_t>(opt.limit, 100000));
        Xapian::MSet mset = enquire.get_mset(static_cast<Xapian::doccount>(opt.offset), limit, check_at_least);
        r.total = mset.get_matches_estimated();
        detail::SnippetOptions sopt{opt.snippet_chars, opt.highlight_start, opt.highlight_end, "…"};
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            Document d = detail::stored_document(it.get_document());
            Hit h;
            h.id = std::move(d.id);
            h.title = std::move(d.title);
            h.date = std::move(d.date);
            h.source = std::move(d.source);
            h.url = std::move(d.url);
            h.author = std::move(d.author);
            h.fields = std::move(d.fields);
            h.score = it.get_weight();
            h.rank = opt.offset + static_cast<std::size_t>(it.get_rank() - mset.get_firstitem()) + 1;
            if (opt.snippet_chars) {
                std::string_view body = d.body;
                if (body.size() > kSnippetScanBytes) {
                    std::string cut(body.substr(0, kSnippetScanBytes));
                    text::truncate_utf8(cut, kSnippetScanBytes);
                    h.snippet = detail::make_snippet(cut, built.highlight, analyzer, sopt);
                } else {
                    h.snippet = detail::make_snippet(body, built.highlight, analyzer, sopt);
                }
            }
            r.hits.push_back(std::move(h));
        }
        if (facets_by_shard) {
            std::map<std::string, std::size_t> by_year, by_source;
            for (const auto& shard : shards) {
                Xapian::Enquire e(shard);
                e.set_query(built.query);
                e.set_weighting_scheme(Xapian::BoolWeight());
                Xapian::ValueCountMatchSpy y(scheme::kYearSlot), s(scheme::kSourceSlot);
                e.add_matchspy(&y);
                e.add_matchspy(&s);
                e.get_mset(0, 0, shard.get_doccount());
                for (const auto& f : facet_counts(y, 1000)) by_year[f.value] += f.count;
                for (const auto& f : facet_counts(s, 100000)) by_source[f.value] += f.count;
            }
            for (const auto& [value, count] : by_year) r.years.push_back({value, count});
            std::sort(r.years.begin(), r.years.end(), [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
            for (const auto& [value, count] : by_source) r.sources.push_back({value, count});
            // As ValueCountMatchSpy::top_values: most frequent first, then by value; at most 100.
            std::sort(r.sources.begin(), r.sources.end(), [](const FacetCount& a, const FacetCount& b) {
                return a.count != b.count ? a.count > b.count : a.value < b.value;
            });
            if (r.sources.size() > 100) r.sources.resize(100);
        } else if (opt.facets) {
            r.years = facet_counts(years, 1000);
            std::sort(r.years.begin(), r.years.end(), [](const FacetCount& a, const FacetCount& b) { return a.value > b.value; });
            r.sources = facet_counts(sources, 100);
        }
        return r;
    }
};

Searcher::Searcher(const std::string& location) : Searcher(std::vector<std::string>{location}) {}

Searcher::Searcher(const std::vector<std::string>& locations) : impl_(std::make_unique<Impl>()) {
    impl_->locations = locations;
    for (const auto& l : locations) impl_->path += (impl_->path.empty() ? "" : ", ") + l;
    impl_->open();
}

Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

namespace {

/// Runs `f` on the searcher's database. A writer may commit while we read: Xapian then
/// throws DatabaseModifiedError, and the answer is to reopen and try again (with a short
/// back-off, as a busy writer can discard several revisions in a row). Other Xapian
/// errors become vnsearch errors. Xapian::Error is not polymorphic, so its class is told
/// by get_type() rather than by the handler's type.
template <class F>
auto with_retry(Xapian::Database& db, const std::string& path, F&& f) -> decltype(f()) {
    constexpr int kAttempts = 20;
    bool stale = false;
    for (int attempt = 1;; ++attempt) {
        try {
            if (stale) db.reopen();
            return f();
        } catch (const Xapian::Error& e) {
            if (e.get_type() != std::string("DatabaseModifiedError")) detail::rethrow(e, path);
            if (attempt >= kAttempts)
                throw DatabaseError("database at " + path + " keeps changing under the reader; try again");
            if (attempt > 2) std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
            stale = true;
        }
    }
}

}  // namespace

Results Searcher::search(std::string_view query, const SearchOptions& options) const {
    return with_retry(impl_->db, impl_->path, [&] { return impl_->run(query, options); });
}

Suggestion Searcher::suggest(std::string_view query) const {
    return with_retry(impl_->db, impl_->path, [&] { return impl_->suggest(query); });
}

std::vector<AbbreviationEntry> Searcher::abbreviations(bool builtin) const {
    auto out = with_retry(impl_->db, impl_->path, [&] {
        std::vector<AbbreviationEntry> v;
        for (const auto& shard : impl_->shards)
            for (auto& p : detail::stored_pairs(shard))
                v.push_back({std::move(p.abbr), std::move(p.expansion), static_cast<std::size_t>(p.count), p.user ? "user" : "learned"});
        return v;
    });
    if (builtin)
        for (const auto& a : analysis::builtin_abbreviations()) out.push_back({a.abbr, a.expansion, 0, "builtin"});
    return out;
}

void Searcher::reopen() {
    with_retry(impl_->db, impl_->path, [&] { impl_->db.reopen(); });
    impl_->abbreviations.reset();
}

std::size_t Searcher::size() const {
    return with_retry(impl_->db, impl_->path, [&] { return static_cast<std::size_t>(impl_->db.get_doccount()); });
}

IndexInfo Searcher::info() const {
    IndexInfo info = with_retry(impl_->db, impl_->path, [&] {
        IndexInfo i;
        i.documents = impl_->db.get_doccount();
        for (auto it = impl_->db.allterms_begin(); it != impl_->db.allterms_end(); ++it) ++i.terms;
        // Metadata of a multi-database comes from its first shard: take the latest of all.
        for (auto& shard : impl_->shards) {
            shard.reopen();
            i.last_update = std::max(i.last_update, shard.get_metadata(scheme::kLastUpdateKey));
        }
        std::string v = impl_->db.get_metadata(scheme::kVersionKey);
        i.scheme_version = v.empty() ? 0 : std::atoi(v.c_str());
        return i;
    });
    info.shards = impl_->locations.size();
    for (const auto& location : impl_->locations) {
        if (location.rfind("tcp://", 0) == 0) {
            ++info.remote_shards;  // its size is the server's to tell
            continue;
        }
        std::error_code ec;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(location, ec))
            if (entry.is_regular_file(ec)) info.size_bytes += entry.file_size(ec);
    }
    return info;
}

}  // namespace vnsearch
