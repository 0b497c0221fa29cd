// Internal: THE term scheme — the one place where the spelling of Xapian terms, values
// and metadata is defined. Both the index writer (lib/index) and the query builder
// (lib/search) use it, so indexing and querying cannot disagree. Specified, with its
// version, in docs/term-scheme.md; bump kVersion on any change.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vnsearch/analysis.h"
#include "vnsearch/places.h"

namespace vnsearch::scheme {

/// Version stored in the database metadata under kVersionKey.
constexpr int kVersion = 2;
constexpr const char* kVersionKey = "vnsearch.scheme";
constexpr const char* kLastUpdateKey = "vnsearch.last_update";
/// Abbreviations learnt from the text or added by users (lib/index/abbreviation_store.h):
/// one key per pair, kAbbreviationPrefix + "ABBR\texpansion" -> "count\tlearned|user", so a
/// commit writes only its own pairs. kAbbreviationsKey is the older layout (all pairs in one
/// value, "ABBR\texpansion\tcount\tlearned|user\n"...), still read and moved to the
/// per-pair keys at the next commit that stores a pair.
constexpr std::string_view kAbbreviationPrefix = "vnsearch.abbr:";
constexpr std::string_view kAbbreviationsKey = "vnsearch.abbreviations";
/// Spelling statistics for "did you mean" (lib/index/spelling_store.h): one key per folded
/// syllable or pair of adjacent syllables, kSpellingPrefix + "chi lang", valued with the
/// spellings seen and their counts. kSpellingKey holds the number of syllables counted; a
/// database has it when its statistics cover every document it holds.
constexpr std::string_view kSpellingPrefix = "~s";
constexpr std::string_view kSpellingKey = "vnsearch.spelling";
/// Xapian's limit on a metadata key (bytes).
constexpr std::size_t kMaxMetadataKeyBytes = 240;

// Term prefixes.
constexpr std::string_view kFolded = "";         ///< folded body+title terms
constexpr std::string_view kExact = "E";         ///< exact body+title terms (only when != folded)
constexpr std::string_view kTitleFolded = "S";   ///< folded title terms
constexpr std::string_view kTitleExact = "XS";   ///< exact title terms (only when != folded)
constexpr std::string_view kAuthor = "A";        ///< folded author terms
constexpr std::string_view kId = "Q";            ///< boolean: the document id
constexpr std::string_view kSource = "XSRC";     ///< boolean: source_key(source)
constexpr std::string_view kYear = "Y";          ///< boolean: four-digit year
constexpr std::string_view kBigram = "B";        ///< folded syllable bigrams "a b" (title+body)
constexpr std::string_view kField = "XF";        ///< custom fields: "XF" name ":" folded or exact form
constexpr std::string_view kPlaceOld = "XPO";    ///< places: a unit before 2025 (GSO code), ancestors included
constexpr std::string_view kPlaceNow = "XPN";    ///< places: a current unit (GSO code of the 2025 map)

// Value slots.
constexpr unsigned kDateSlot = 0;    ///< "YYYYMMDDhhmmss" (14 digits), sortable
constexpr unsigned kYearSlot = 1;    ///< "YYYY", for year facets
constexpr unsigned kSourceSlot = 2;  ///< the source as given, for source facets
/// Places (lib/places): the document's units as a sorted list of GSO codes joined by ',',
/// for facets (a list per document: see place_facet_slot).
constexpr unsigned kProvinceSlot = 3;     ///< current provinces
constexpr unsigned kOldProvinceSlot = 4;  ///< provinces before 2025
constexpr unsigned kOldDistrictSlot = 5;  ///< districts before 2025
/// Custom fields' values as given, for facets: slot kFieldSlotBase + a hash of the name.
constexpr unsigned kFieldSlotBase = 16;

/// Title terms count this many times in the body families (titles weigh more).
constexpr unsigned kTitleWdf = 3;

/// Xapian's term length limit (bytes).
constexpr std::size_t kMaxTermBytes = 245;

std::string term(std::string_view prefix, std::string_view text);
inline std::string folded_term(const Token& t) { return term(kFolded, t.folded); }
/// Whether the token has an exact term of its own (it carries marks).
inline bool has_exact(const Token& t) { return t.exact != t.folded; }
inline std::string exact_term(const Token& t) { return term(kExact, t.exact); }
inline std::string title_folded_term(const Token& t) { return term(kTitleFolded, t.folded); }
inline std::string title_exact_term(const Token& t) { return term(kTitleExact, t.exact); }
inline std::string author_term(const Token& t) { return term(kAuthor, t.folded); }
/// The bigram term of two adjacent folded syllables: "B" + "chi lang".
inline std::string bigram_term(std::string_view first, std::string_view second) {
    std::string pair;
    pair.reserve(first.size() + 1 + second.size());
    pair.append(first).push_back(' ');
    pair.append(second);
    return term(kBigram, pair);
}
/// The two folded syllables of a bigram term (empty views for another term).
inline std::pair<std::string_view, std::string_view> bigram_parts(std::string_view bigram) {
    if (bigram.substr(0, kBigram.size()) != kBigram) return {};
    bigram.remove_prefix(kBigram.size());
    const std::size_t space = bigram.find(' ');
    if (space == std::string_view::npos) return {};
    return {bigram.substr(0, space), bigram.substr(space + 1)};
}

/// Whether `term` belongs to the families "more like this" expands over (Searcher::similar):
/// folded title+body terms (no prefix; prefixes are upper-case ASCII, terms lower-case) and
/// bigrams. Exact, title-only, author, id, source and year terms are left out.
inline bool is_topic_term(std::string_view term) {
    if (term.empty()) return false;
    if (term[0] >= 'A' && term[0] <= 'Z') return term.substr(0, kBigram.size()) == kBigram;
    return true;
}

/// Adjacent-syllable pairs, fed token by token in analyzer order (parts included). Indexing
/// and querying both use it, so the pairs a query looks for are spelled exactly as indexed.
/// A pair is emitted when a token stands right after the last token at the position
/// before it: "chi lăng" -> "B chi lang"; "quyết 03-NQ/HU" -> "quyet 03-nq/hu" and
/// "quyet 03", then "03 nq", "nq hu".
class BigramChain {
  public:
    template <class Emit>
    void feed(const Token& t, Emit&& emit) {
        if (have_cur_ && t.position == cur_pos_ + 1) {  // the next position
            emit(bigram_term(cur_, t.folded));
            last_ = cur_, last_pos_ = cur_pos_, have_last_ = true;
            cur_ = t.folded, cur_pos_ = t.position;
        } else if (have_cur_ && t.position == cur_pos_) {  // a part at its compound's position
            if (have_last_ && last_pos_ + 1 == t.position) emit(bigram_term(last_, t.folded));
            cur_ = t.folded;
        } else {  // the first token, or a gap (title/body)
            last_ = cur_, last_pos_ = cur_pos_, have_last_ = have_cur_;
            cur_ = t.folded, cur_pos_ = t.position, have_cur_ = true;
        }
    }

  private:
    std::string last_, cur_;
    std::uint32_t last_pos_ = 0, cur_pos_ = 0;
    bool have_last_ = false, have_cur_ = false;
};

/// A searchable custom field's name, lowercase: [a-z][a-z0-9_]{0,31} and not one of the
/// built-in fields (title, source, author, id, year, date); "" when `name` is none (such
/// fields are stored, not indexed). "Label" -> "label".
std::string field_name(std::string_view name);
/// The term of one form (folded, or exact when it differs) of a word of custom field `name`
/// (as field_name gives it): "XFlabel:thao", "XFlabel:thể". One prefix serves both forms:
/// an exact form differs from its folded one only by marks, and a folded form has none.
inline std::string field_term(std::string_view name, std::string_view form) {
    std::string prefix(kField);
    prefix.append(name).push_back(':');
    return term(prefix, form);
}
/// The value slot of custom field `name` (as field_name gives it): kFieldSlotBase plus the
/// 32-bit FNV-1a hash of the name, below 2^31 (stable across platforms and runs).
unsigned field_slot(std::string_view name);

/// The place facets and filters: "province" (current), "old_province", "old_district". They
/// are reserved names: field_name() gives "" for them, so a document's own key of that name
/// is stored, not indexed.
bool is_place_field(std::string_view name);
/// The value slot of a place facet name (kProvinceSlot...), or 0 for another name.
unsigned place_facet_slot(std::string_view name);
/// A place term: kPlaceOld + code for a unit before 2025, kPlaceNow + code for a current one.
inline std::string place_term(bool current, std::string_view code) { return term(current ? kPlaceNow : kPlaceOld, code); }
/// The terms of a place named in a document: the unit's own (old or current), its old
/// district's and old province's (XPO), and its current provinces' (XPN). A query for a unit
/// looks up the unit's own term, so it finds the documents naming the unit or any unit in it.
std::vector<std::string> place_terms(const Place& place);
/// The term a query for `unit` looks up: every document naming it or a unit inside it.
inline std::string place_term(const PlaceUnit& unit) { return place_term(unit.geography == Geography::current, unit.code); }
/// How a unit is stored in a document's data: "o:187" (before 2025), "n:19" (current).
std::string place_key(const PlaceUnit& unit);
/// The place of a stored key (std::nullopt when unknown to this build's gazetteer).
std::optional<Place> place_from_key(std::string_view key);
/// The units a place filter means: `province` the current provinces named `value`,
/// `old_province` the provinces before 2025, `old_district` the districts before 2025 (all
/// of that name; "Chợ Mới (Bắc Kạn)", the facet's spelling, names one). Any marks, either
/// tone placement; empty when none (or `field` is not a place field).
std::vector<PlaceUnit> place_filter_units(std::string_view field, std::string_view value);
/// Why place_filter_units found nothing, for the user.
std::string place_filter_error(std::string_view field, std::string_view value);
/// How a place facet shows a unit: its name; an old district with its province,
/// "Chợ Mới (Bắc Kạn)" (place_filter_units reads it back).
std::string place_facet_label(const PlaceUnit& unit);
/// A place slot's list value: the codes, sorted, unique, joined by ','.
std::string place_list_value(std::vector<std::string> codes);
/// The codes of a place slot's list value.
std::vector<std::string> place_list_codes(std::string_view value);

/// 32-bit FNV-1a of the bytes (offset basis 2166136261, prime 16777619): custom-field slots
/// and shard routing. Stable across platforms and runs.
std::uint32_t fnv1a32(std::string_view bytes);

// Shard sets (docs/term-scheme.md, "Shard sets"): a directory holding kShardManifest, which
// lists N databases; a document lives in the one shard_of(id, N) names.
constexpr const char* kShardManifest = "vnsearch-shards.json";
constexpr const char* kShardFormat = "vnsearch-shards";
constexpr int kShardSetVersion = 1;
constexpr const char* kShardHash = "fnv1a-32";
/// The shard (0-based, in the manifest's order) of a document id in a set of `shards`:
/// fnv1a32 of the id's UTF-8 bytes, as given, modulo the shard count.
inline std::size_t shard_of(std::string_view id, std::size_t shards) { return shards ? fnv1a32(id) % shards : 0; }

std::string id_term(std::string_view id);
/// Source filter key: folded, letters and digits only ("Báo Lạng Sơn" -> "baolangson").
std::string source_key(std::string_view source);
inline std::string source_term(std::string_view source) { return term(kSource, source_key(source)); }

/// Parses an ISO 8601 date or date-time prefix ("2019", "2019-02", "2024-07-25",
/// "2018-10-29T08:11:00") to the 14-digit slot value, missing parts as their lowest value.
/// Returns "" when `iso` is not such a date.
std::string date_value(std::string_view iso);
/// The same, but missing parts as their highest value (for the end of a range).
std::string date_value_end(std::string_view iso);

}  // namespace vnsearch::scheme
