#include "index/document_builder.h"

#include <algorithm>
#include <map>

#include "index/stored_data.h"
#include "index/term_scheme.h"
#include "places/places.h"
#include "vnsearch/error.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {

namespace {

/// The places named in the text (lib/places) as terms, facet values and the stored list:
/// each unit named, with its old district and province and its current provinces, is a
/// term whose wdf counts the mentions (so a query can rank by them); the facets list the
/// codes; the stored list keeps each unit named once, in order ("o:187", "n:19").
std::vector<std::string> add_places(Xapian::Document& x, const std::vector<Token>& tokens, std::string_view text) {
    const std::vector<PlaceMention> mentions = places::recognize(tokens, text, {});
    if (mentions.empty()) return {};
    std::map<std::string, Xapian::termcount> wdf;
    std::vector<std::string> provinces, old_provinces, old_districts, named;
    for (const PlaceMention& m : mentions) {
        for (const std::string& t : scheme::place_terms(m.place)) ++wdf[t];
        for (const PlaceUnit& p : m.place.provinces) provinces.push_back(p.code);
        if (m.place.old_province) old_provinces.push_back(m.place.old_province->code);
        if (m.place.old_district) old_districts.push_back(m.place.old_district->code);
        std::string key = scheme::place_key(m.place.unit);
        if (std::find(named.begin(), named.end(), key) == named.end()) named.push_back(std::move(key));
    }
    for (const auto& [term, n] : wdf) x.add_term(term, n);
    if (!provinces.empty()) x.add_value(scheme::kProvinceSlot, scheme::place_list_value(std::move(provinces)));
    if (!old_provinces.empty()) x.add_value(scheme::kOldProvinceSlot, scheme::place_list_value(std::move(old_provinces)));
    if (!old_districts.empty()) x.add_value(scheme::kOldDistrictSlot, scheme::place_list_value(std::move(old_districts)));
    return named;
}

/// Title and body as one text, as the tokens of analyze_title_body point into it.
std::string title_body_text(const Document& doc) { return doc.title + "\n\n" + doc.body; }

/// The tokens of the title, then those of the body, with offsets into title_body_text and
/// positions that leave a gap between the two (no pair spans them); each is also handed to
/// `on_title` or `on_body` as the analyzer gives it.
template <class OnTitle, class OnBody>
std::vector<Token> analyze_title_body(const Document& doc, const Analyzer& analyzer, OnTitle&& on_title, OnBody&& on_body) {
    std::vector<Token> tokens;
    analyzer.analyze(doc.title, [&](const Token& t) {
        tokens.push_back(t);
        on_title(t);
    });
    const std::size_t body_offset = doc.title.size() + 2;
    const std::uint32_t body_position = tokens.empty() ? 0 : tokens.back().position + 2;
    analyzer.analyze(doc.body, [&](const Token& t) {
        tokens.push_back(t);
        tokens.back().start += body_offset, tokens.back().end += body_offset, tokens.back().position += body_position;
        on_body(t);
    });
    return tokens;
}

}  // namespace

void count_spellings(const Document& doc, const Analyzer& analyzer, SpellingCollector& spelling, std::int64_t sign) {
    const auto ignore = [](const Token&) {};
    spelling.count(analyze_title_body(doc, analyzer, ignore, ignore), title_body_text(doc), sign);
}

void check_document(const Document& doc) {
    if (doc.id.empty()) throw DocumentError("document has an empty id");
    if (!is_valid_utf8(doc.id)) throw DocumentError("document id is not valid UTF-8");
    if (!doc.date.empty() && scheme::date_value(doc.date).empty())
        throw DocumentError("document " + doc.id + ": date is not ISO 8601: " + doc.date);
}

Xapian::Document build_document(const Document& doc, const Analyzer& analyzer, SpellingCollector* spelling) {
    check_document(doc);
    Xapian::Document x;
    x.add_boolean_term(scheme::id_term(doc.id));

    // Title: into the title families and, with extra weight, into the body families.
    // No positions are stored: adjacency lives in the bigram terms (see term_scheme.h).
    scheme::BigramChain title_pairs, body_pairs;
    // The tokens are kept for place recognition and the spelling statistics (title and body
    // read as one text, so each part's places help read the other's).
    const std::vector<Token> tokens = analyze_title_body(
        doc, analyzer,
        [&](const Token& t) {
            title_pairs.feed(t, [&](const std::string& pair) { x.add_term(pair, scheme::kTitleWdf); });
            x.add_term(scheme::title_folded_term(t));
            x.add_term(scheme::folded_term(t), scheme::kTitleWdf);
            if (scheme::has_exact(t)) {
                x.add_term(scheme::title_exact_term(t));
                x.add_term(scheme::exact_term(t), scheme::kTitleWdf);
            }
        },
        [&](const Token& t) {
            body_pairs.feed(t, [&](const std::string& pair) { x.add_term(pair); });
            x.add_term(scheme::folded_term(t));
            if (scheme::has_exact(t)) x.add_term(scheme::exact_term(t));
        });
    if (!doc.author.empty()) {
        analyzer.analyze(doc.author, [&](const Token& t) { x.add_term(scheme::author_term(t)); });
    }
    if (!doc.source.empty()) {
        x.add_boolean_term(scheme::source_term(doc.source));
        x.add_value(scheme::kSourceSlot, doc.source);
    }
    for (const auto& [key, value] : doc.fields) {
        // Searchable custom fields: their words, folded and exact, and the value for facets.
        const std::string name = scheme::field_name(key);
        if (name.empty() || value.empty()) continue;
        analyzer.analyze(value, [&](const Token& t) {
            x.add_term(scheme::field_term(name, t.folded));
            if (scheme::has_exact(t)) x.add_term(scheme::field_term(name, t.exact));
        });
        x.add_value(scheme::field_slot(name), value);
    }
    if (!doc.date.empty()) {
        std::string v = scheme::date_value(doc.date);
        if (v.empty()) throw DocumentError("document " + doc.id + ": date is not ISO 8601: " + doc.date);
        x.add_value(scheme::kDateSlot, v);
        x.add_value(scheme::kYearSlot, v.substr(0, 4));
        x.add_boolean_term(scheme::term(scheme::kYear, v.substr(0, 4)));
    }
    const std::string text = title_body_text(doc);
    const std::vector<std::string> places = add_places(x, tokens, text);
    if (spelling) spelling->count(tokens, text);
    x.set_data(encode_stored(doc, places));
    return x;
}

Document stored_document(const Xapian::Document& xdoc, std::vector<Place>* places, StoredParts parts,
                         std::size_t body_bytes) {
    Document d;
    std::vector<std::string> keys;
    decode_stored(xdoc.get_data(), parts, d, places ? &keys : nullptr, body_bytes);
    for (const std::string& k : keys)
        if (auto p = scheme::place_from_key(k)) places->push_back(std::move(*p));
    return d;
}

}  // namespace vnsearch::detail
