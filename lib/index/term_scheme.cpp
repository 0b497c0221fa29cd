#include "index/term_scheme.h"

#include <cctype>
#include <cstdio>
#include <functional>

#include "text/utf8.h"
#include "vnsearch/text.h"

namespace vnsearch::scheme {

std::string term(std::string_view prefix, std::string_view text) {
    std::string t;
    t.reserve(prefix.size() + text.size());
    t.append(prefix).append(text);
    text::truncate_utf8(t, kMaxTermBytes);
    return t;
}

std::string id_term(std::string_view id) {
    // Ids longer than a term allows keep a readable head and a hash of the whole.
    if (kId.size() + id.size() <= kMaxTermBytes) return term(kId, id);
    std::string head(id.substr(0, 200));
    text::truncate_utf8(head, 200);
    return term(kId, head + "#" + std::to_string(std::hash<std::string_view>{}(id)));
}

std::string source_key(std::string_view source) {
    std::string folded = vnsearch::fold(source);
    std::string key;
    for (unsigned char c : folded)
        if (std::isalnum(c) || c >= 0x80) key.push_back(static_cast<char>(c));
    return key;
}

std::string field_name(std::string_view name) {
    static constexpr std::string_view kBuiltin[] = {"title", "source", "author", "id", "year", "date"};
    if (name.empty() || name.size() > 32 || !std::isalpha(static_cast<unsigned char>(name[0]))) return {};
    std::string out;
    for (unsigned char c : name) {
        if (!(std::isalnum(c) || c == '_') || c >= 0x80) return {};
        out.push_back(static_cast<char>(std::tolower(c)));
    }
    for (std::string_view b : kBuiltin)
        if (out == b) return {};
    return out;
}

std::uint32_t fnv1a32(std::string_view bytes) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : bytes) h = (h ^ c) * 16777619u;
    return h;
}

unsigned field_slot(std::string_view name) { return kFieldSlotBase + (fnv1a32(name) & 0x7FFFFFFFu); }

namespace {

// Parses up to six numeric fields of an ISO 8601 date/time prefix.
// Returns the number of fields read (0 when the text is not such a date).
int parse_iso(std::string_view s, int f[6]) {
    static constexpr int widths[6] = {4, 2, 2, 2, 2, 2};
    static constexpr char seps[6] = {0, '-', '-', 'T', ':', ':'};
    std::size_t i = 0;
    int n = 0;
    for (; n < 6; ++n) {
        if (n > 0) {
            if (i == s.size()) break;
            char sep = s[i];
            if (!(sep == seps[n] || (n == 3 && sep == ' '))) break;
            ++i;
        }
        if (i + static_cast<std::size_t>(widths[n]) > s.size()) return 0;
        int v = 0;
        for (int k = 0; k < widths[n]; ++k) {
            char c = s[i++];
            if (c < '0' || c > '9') return 0;
            v = v * 10 + (c - '0');
        }
        f[n] = v;
    }
    // After hours and minutes a time zone or fraction may follow ("Z", "+07:00", ".123").
    if (i < s.size()) {
        char c = s[i];
        if (!(n >= 5 && (c == 'Z' || c == '+' || c == '-' || c == '.'))) return 0;
    }
    static constexpr int lo[6] = {0, 1, 1, 0, 0, 0}, hi[6] = {9999, 12, 31, 24, 59, 60};
    for (int k = 0; k < n; ++k)
        if (f[k] < lo[k] || f[k] > hi[k]) return 0;
    return n;
}

std::string render(const int f[6]) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", f[0], f[1], f[2], f[3], f[4], f[5]);
    return buf;
}

}  // namespace

std::string date_value(std::string_view iso) {
    int f[6] = {0, 1, 1, 0, 0, 0};
    if (parse_iso(iso, f) == 0) return {};
    return render(f);
}

std::string date_value_end(std::string_view iso) {
    int f[6] = {0, 12, 31, 23, 59, 59};
    if (parse_iso(iso, f) == 0) return {};
    return render(f);
}

}  // namespace vnsearch::scheme
