#include "index/term_scheme.h"

#include <algorithm>

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
    if (is_place_field(out)) return {};
    return out;
}

bool is_place_field(std::string_view name) { return place_facet_slot(name) != 0; }

unsigned place_facet_slot(std::string_view name) {
    if (name == "province") return kProvinceSlot;
    if (name == "old_province") return kOldProvinceSlot;
    if (name == "old_district") return kOldDistrictSlot;
    return 0;
}

std::vector<std::string> place_terms(const Place& place) {
    std::vector<std::string> out{place_term(place.unit)};
    if (place.old_district && !(*place.old_district == place.unit)) out.push_back(place_term(*place.old_district));
    if (place.old_province && !(*place.old_province == place.unit)) out.push_back(place_term(*place.old_province));
    for (const PlaceUnit& p : place.provinces)
        if (!(p == place.unit)) out.push_back(place_term(p));
    return out;
}

std::string place_key(const PlaceUnit& unit) {
    return (unit.geography == Geography::current ? "n:" : "o:") + unit.code;
}

std::optional<Place> place_from_key(std::string_view key) {
    if (key.size() < 3 || key[1] != ':' || (key[0] != 'o' && key[0] != 'n')) return std::nullopt;
    return place_by_code(key.substr(2), key[0] == 'n' ? Geography::current : Geography::before_2025);
}

namespace {

/// "Chợ Mới (Bắc Kạn)" -> {"Chợ Mới", "Bắc Kạn"}; anything else -> {value, ""}.
std::pair<std::string_view, std::string_view> split_parent(std::string_view value) {
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    const std::size_t open = value.rfind('(');
    if (value.empty() || value.back() != ')' || open == std::string_view::npos || open == 0) return {value, {}};
    std::string_view name = value.substr(0, open), parent = value.substr(open + 1, value.size() - open - 2);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    return {name, parent};
}

}  // namespace

std::vector<PlaceUnit> place_filter_units(std::string_view field, std::string_view value) {
    std::vector<PlaceUnit> out;
    const unsigned slot = place_facet_slot(field);
    if (slot == 0) return out;
    const Geography geo = slot == kProvinceSlot ? Geography::current : Geography::before_2025;
    const PlaceLevel level = slot == kOldDistrictSlot ? PlaceLevel::district : PlaceLevel::province;
    auto [name, parent] = slot == kOldDistrictSlot ? split_parent(value) : std::pair<std::string_view, std::string_view>{value, {}};
    std::vector<std::string> parents;
    if (!parent.empty())
        for (const PlaceUnit& p : find_places(parent, Geography::before_2025))
            if (p.level == PlaceLevel::province) parents.push_back(p.code);
    for (PlaceUnit& u : find_places(name, geo)) {
        if (u.level != level) continue;
        if (!parent.empty()) {
            const auto place = place_by_code(u.code, geo);
            if (!place || !place->old_province ||
                std::find(parents.begin(), parents.end(), place->old_province->code) == parents.end())
                continue;
        }
        out.push_back(std::move(u));
    }
    return out;
}

std::string place_filter_error(std::string_view field, std::string_view value) {
    const unsigned slot = place_facet_slot(field);
    std::string what = slot == kProvinceSlot      ? "no current province (the 34 of the 2025 map) is named '"
                       : slot == kOldProvinceSlot ? "no province before 2025 is named '"
                                                  : "no district before 2025 is named '";
    what.append(value).append("'");
    if (slot == kProvinceSlot && !place_filter_units("old_province", value).empty())
        what += " (a province before 2025: use old_province)";
    return what;
}

std::string place_facet_label(const PlaceUnit& unit) {
    if (unit.level != PlaceLevel::district) return unit.name;
    const auto place = place_by_code(unit.code, unit.geography);
    if (!place || !place->old_province) return unit.name;
    return unit.name + " (" + place->old_province->name + ")";
}

std::string place_list_value(std::vector<std::string> codes) {
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    std::string out;
    for (const std::string& c : codes) {
        if (!out.empty()) out.push_back(',');
        out += c;
    }
    return out;
}

std::vector<std::string> place_list_codes(std::string_view value) {
    std::vector<std::string> out;
    while (!value.empty()) {
        const std::size_t comma = value.find(',');
        if (comma != 0) out.emplace_back(value.substr(0, comma));
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
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
