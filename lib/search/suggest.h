// Internal: "did you mean" — restoring the diacritics of a query's free text from the
// index's own text, and recognising words typed in Telex or VNI. Works on the parsed query
// (query.h): only free-text, phrase and title: words are respelled, every other byte of the
// query is kept.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "index/abbreviation_store.h"
#include "index/spelling_store.h"
#include "search/query.h"
#include "vnsearch/search.h"

namespace vnsearch::detail {

struct RestoreOptions {
    /// Documents read per pair of adjacent query syllables (from the pair's bigram term); long
    /// queries get less, so that all their pairs share max_docs.
    std::size_t docs_per_pair = 100;
    /// Documents read per syllable that no pair covers (from its folded term).
    std::size_t docs_per_syllable = 48;
    /// At most this many documents in all.
    std::size_t max_docs = 1000;
    /// Only the first bytes of each document's text are read.
    std::size_t bytes_per_doc = 32 * 1024;

    /// The budget of the suggestion every search makes by default (Results::suggestion): a
    /// quarter of the documents, so the default path stays cheap; an explicit
    /// Searcher::suggest() reads the full budget (bench/run_restore.sh measures both).
    /// What the default search samples beyond its own hits: the pairs they do not show.
    static RestoreOptions gaps() {
        RestoreOptions o;
        o.docs_per_pair = 8;
        o.docs_per_syllable = 8;
        o.max_docs = 96;
        o.bytes_per_doc = 16 * 1024;
        return o;
    }

    static RestoreOptions quick() {
        RestoreOptions o;
        o.docs_per_pair = 25;
        o.docs_per_syllable = 12;
        o.max_docs = 250;
        o.bytes_per_doc = 16 * 1024;
        return o;
    }
};


struct SuggestionResult {
    std::string text;  ///< the whole query respelled; "" when nothing would change
    SuggestionReason kind = SuggestionReason::none;
};

/// Whether a suggestion could change anything: some free-text syllable typed without marks,
/// or a free-text word that reads as Telex/VNI. A query typed fully with marks does no work.
bool may_suggest(const ParsedQuery& query);

/// The suggestion for the query from the index's spelling statistics (stats.available()):
/// the query with its unmarked syllables given their most likely marks under a bigram model
/// of the stored counts, a plain ASCII word also read as Telex/VNI when that reading is
/// kTypingRatio times likelier than the word as typed. One statistics lookup per syllable,
/// per reading and per adjacent pair of them, and one collection frequency per code that
/// reads as VNI; no document is read. `db`: the collection frequencies. `abbreviations`:
/// when given, a word typed without marks that is no syllable ("nld", "hdnd") may also be
/// a known abbreviation with its marks ("NLĐ", counted as seen once when the statistics
/// never saw it), and an abbreviation restored is written as the abbreviation is ("HĐND").
SuggestionResult suggest(const Xapian::Database& db, const SpellingStats& stats, const ParsedQuery& query,
                         const AbbreviationLookup* abbreviations = nullptr);
/// The edits of that restoration alone.
std::vector<TextEdit> restore_diacritics(const SpellingStats& stats, const ParsedQuery& query,
                                         const AbbreviationLookup* abbreviations = nullptr);

/// The suggestion for the query, sampling documents (a database without statistics): a Telex/VNI reading when it finds much more than the
/// literal one, else the query with its unmarked syllables given their most likely marks.
SuggestionResult suggest(const Xapian::Database& db, const ParsedQuery& query, const RestoreOptions& options = {});

/// The same from texts the caller already holds — the default search passes its own top
/// hits (title + head of body, see suggestion_text), so no document is read twice: the
/// documents that rank first for the folded query are the ones that hold its syllables
/// together, which is what the sample of the other overload looks for. Pairs of adjacent
/// syllables those texts do not show (and syllables they barely show) are sampled within
/// `gaps`.
SuggestionResult suggest(const Xapian::Database& db, const ParsedQuery& query, const std::vector<std::string>& texts,
                         const RestoreOptions& gaps = RestoreOptions::gaps());

/// The text a document gives the statistics: its title, a newline, and the head of its body,
/// at most `bytes` bytes in all, cut at a character boundary.
std::string suggestion_text(std::string_view title, std::string_view body, std::size_t bytes);

/// The edits that restore the diacritics of the query's unmarked free-text syllables (empty
/// when nothing would change).
///
/// The statistics are the index's own, read when asked (so they follow every add and
/// delete): the documents that hold the query's adjacent syllable pairs (its bigram terms)
/// are read, every run of the query's folded syllables found in them is counted with the
/// marks it has there, and the spelling with the best score under an interpolated 4-gram
/// model of those counts wins. Syllables typed with marks are kept and constrain their
/// neighbours. Case: as typed; an all-lowercase syllable takes the capitalisation the
/// documents mostly give that spelling ("chi lang" -> "Chi Lăng").
std::vector<TextEdit> restore_diacritics(const Xapian::Database& db, const ParsedQuery& query,
                                         const RestoreOptions& options = {});
/// The same over texts the caller holds, sampling within `gaps` what they leave uncovered.
std::vector<TextEdit> restore_diacritics(const Xapian::Database& db, const ParsedQuery& query,
                                         const std::vector<std::string>& texts, const RestoreOptions& gaps);

}  // namespace vnsearch::detail
