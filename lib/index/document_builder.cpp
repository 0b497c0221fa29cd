#include "index/document_builder.h"

#include <nlohmann/json.hpp>

#include "index/term_scheme.h"
#include "vnsearch/error.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {

void check_document(const Document& doc) {
    if (doc.id.empty()) throw DocumentError("document has an empty id");
    if (!is_valid_utf8(doc.id)) throw DocumentError("document id is not valid UTF-8");
    if (!doc.date.empty() && scheme::date_value(doc.date).empty())
        throw DocumentError("document " + doc.id + ": date is not ISO 8601: " + doc.date);
}

Xapian::Document build_document(const Document& doc, const Analyzer& analyzer) {
    check_document(doc);
    Xapian::Document x;
    x.add_boolean_term(scheme::id_term(doc.id));

    // Title: into the title families and, with extra weight, into the body families.
    // No positions are stored: adjacency lives in the bigram terms (see term_scheme.h).
    scheme::BigramChain title_pairs, body_pairs;
    analyzer.analyze(doc.title, [&](const Token& t) {
        title_pairs.feed(t, [&](const std::string& pair) { x.add_term(pair, scheme::kTitleWdf); });
        x.add_term(scheme::title_folded_term(t));
        x.add_term(scheme::folded_term(t), scheme::kTitleWdf);
        if (scheme::has_exact(t)) {
            x.add_term(scheme::title_exact_term(t));
            x.add_term(scheme::exact_term(t), scheme::kTitleWdf);
        }
    });
    analyzer.analyze(doc.body, [&](const Token& t) {
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
    nlohmann::json data = {{"id", doc.id},         {"title", doc.title}, {"body", doc.body},
                           {"date", doc.date},     {"source", doc.source}, {"url", doc.url},
                           {"author", doc.author}, {"fields", doc.fields}};
    x.set_data(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    return x;
}

Document stored_document(const Xapian::Document& xdoc) {
    Document d;
    auto data = nlohmann::json::parse(xdoc.get_data(), nullptr, false);
    if (data.is_discarded() || !data.is_object()) return d;
    auto get = [&](const char* k) { return data.contains(k) && data[k].is_string() ? data[k].get<std::string>() : std::string(); };
    d.id = get("id");
    d.title = get("title");
    d.body = get("body");
    d.date = get("date");
    d.source = get("source");
    d.url = get("url");
    d.author = get("author");
    if (data.contains("fields") && data["fields"].is_object())
        for (auto& [k, v] : data["fields"].items())
            if (v.is_string()) d.fields[k] = v.get<std::string>();
    return d;
}

}  // namespace vnsearch::detail
