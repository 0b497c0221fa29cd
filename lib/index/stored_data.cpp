#include "index/stored_data.h"

#include <nlohmann/json.hpp>

#include "index/varint.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {

namespace {

/// The record's first byte. JSON text never starts with it (a JSON object starts with '{',
/// after optional white space), so the two forms cannot be mistaken for each other; a
/// later layout takes the next value.
constexpr char kRecordV1 = '\x01';

void append_text(std::string& out, const std::string& s) {
    if (is_valid_utf8(s)) {
        append_varint(out, s.size());
        out += s;
    } else {
        const std::string valid = repair_utf8(s);
        append_varint(out, valid.size());
        out += valid;
    }
}

/// Reads the record's fields, advancing `p`.
class Reader {
  public:
    Reader(const char* p, const char* end) : p_(p), end_(end) {}
    /// The next field's bytes; false at a malformed or truncated field.
    bool view(std::string_view& out) {
        std::uint64_t n = 0;
        if (!read_varint(p_, end_, n) || n > static_cast<std::uint64_t>(end_ - p_)) return false;
        out = std::string_view(p_, static_cast<std::size_t>(n));
        p_ += n;
        return true;
    }
    bool text(std::string& out) {
        std::string_view v;
        if (!view(v)) return false;
        out.assign(v.data(), v.size());
        return true;
    }
    bool count(std::uint64_t& n) { return read_varint(p_, end_, n); }
    bool at_end() const { return p_ == end_; }

  private:
    const char* p_;
    const char* end_;
};

bool decode_record(std::string_view data, StoredParts parts, Document& doc, std::vector<std::string>* place_keys) {
    Reader r(data.data() + 1, data.data() + data.size());
    if (!r.text(doc.id) || !r.text(doc.title) || !r.text(doc.date) || !r.text(doc.source) || !r.text(doc.url) ||
        !r.text(doc.author))
        return false;
    std::uint64_t n = 0;
    if (!r.count(n)) return false;
    for (std::uint64_t k = 0; k < n; ++k) {
        std::string key, value;
        if (!r.text(key) || !r.text(value)) return false;
        doc.fields[std::move(key)] = std::move(value);
    }
    if (!r.count(n)) return false;
    for (std::uint64_t k = 0; k < n; ++k) {
        std::string_view key;
        if (!r.view(key)) return false;
        if (place_keys) place_keys->emplace_back(key);
    }
    std::string_view body;
    if (!r.view(body) || !r.at_end()) return false;
    if (parts == StoredParts::all) doc.body.assign(body.data(), body.size());
    return true;
}

/// The JSON object of databases written before the record (term-scheme.md).
bool decode_json(std::string_view data, StoredParts parts, Document& doc, std::vector<std::string>* place_keys) {
    const nlohmann::json j = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    auto get = [&](const char* k) {
        const auto it = j.find(k);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    doc.id = get("id");
    doc.title = get("title");
    if (parts == StoredParts::all) doc.body = get("body");
    doc.date = get("date");
    doc.source = get("source");
    doc.url = get("url");
    doc.author = get("author");
    if (const auto f = j.find("fields"); f != j.end() && f->is_object())
        for (const auto& [k, v] : f->items())
            if (v.is_string()) doc.fields[k] = v.get<std::string>();
    if (const auto p = j.find("places"); place_keys && p != j.end() && p->is_array())
        for (const auto& k : *p)
            if (k.is_string()) place_keys->push_back(k.get<std::string>());
    return true;
}

}  // namespace

std::string encode_stored(const Document& doc, const std::vector<std::string>& place_keys) {
    std::string out;
    out.reserve(doc.body.size() + doc.title.size() + doc.id.size() + doc.url.size() + 64);
    out.push_back(kRecordV1);
    for (const std::string* s : {&doc.id, &doc.title, &doc.date, &doc.source, &doc.url, &doc.author}) append_text(out, *s);
    append_varint(out, doc.fields.size());
    for (const auto& [k, v] : doc.fields) {
        append_text(out, k);
        append_text(out, v);
    }
    append_varint(out, place_keys.size());
    for (const std::string& k : place_keys) append_text(out, k);
    append_text(out, doc.body);
    return out;
}

bool decode_stored(std::string_view data, StoredParts parts, Document& doc, std::vector<std::string>* place_keys) {
    const std::size_t places_before = place_keys ? place_keys->size() : 0;
    const bool ok = !data.empty() && data[0] == kRecordV1 ? decode_record(data, parts, doc, place_keys)
                                                          : decode_json(data, parts, doc, place_keys);
    if (!ok) {
        doc = Document();
        if (place_keys) place_keys->resize(places_before);
    }
    return ok;
}

}  // namespace vnsearch::detail
