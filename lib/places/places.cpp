// Place recognition: Vietnam's administrative units named in a text (docs/places.md).
//
// Names are matched on the Analyzer's syllables (exact terms; folded terms when the text
// has no marks), so NFC/NFD and either tone placement behave alike. A match is then
// accepted or dropped by its context: a type word right before it ("huyện", "TP."), its
// parent right after it ("Chợ Mới (Bắc Kạn)"), capitalization and the words around it,
// and the document's other places.
#include "places/places.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "text/char_table.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace vnsearch {
namespace {

struct PlaceRow {  // 16 bytes; the order of gen_places.py's rows
    std::uint32_t name_off;
    std::uint16_t code;
    std::uint16_t parent;  // 0xFFFF: none
    std::uint16_t links_off;
    std::uint8_t name_len;
    std::uint8_t type;
    std::uint8_t level;
    std::uint8_t geo;
    std::uint8_t flags;
    std::uint8_t links_n;
};
static_assert(sizeof(PlaceRow) == 16);
struct AliasRow {
    std::uint32_t off;
    std::uint8_t len;
    std::uint16_t unit;
    std::uint8_t typed_only;
};

#include "places/places_tables.inc"

constexpr std::uint8_t kFlagContext = 1;  // never bare in a document (context.tsv)
constexpr std::uint16_t kNone = 0xFFFF;
// Type ids, in the order of gen_places.py's TYPES.
enum TypeId : int { kThanhPho = 0, kThiTran, kThiXa, kDacKhu, kPhuong, kHuyen, kQuan, kTinh, kXa };
constexpr std::size_t kUnits = sizeof(kPlaceRows) / sizeof(kPlaceRows[0]);
constexpr std::size_t kMaxCandidates = 8;  // query mode: at most this many readings of one name

const PlaceRow& row(std::uint16_t u) { return kPlaceRows[u]; }
std::string_view blob_string(std::uint32_t off, std::uint8_t len) {
    return {kPlaceBlobs[off / kPlaceChunk] + off % kPlaceChunk, len};
}
std::string_view row_name(std::uint16_t u) { return blob_string(row(u).name_off, row(u).name_len); }
std::uint16_t root_of(std::uint16_t u) {
    while (row(u).parent != kNone) u = row(u).parent;
    return u;
}

// ---------------------------------------------------------------------------------------
// The syllable stream: the tokens names are made of (words, abbreviations, numbers; the
// parts of a hyphenated compound instead of the whole).

bool is_space_cp(char32_t c) { return c != U'\n' && c != U'\r' && text::classify(c) == text::kSpace; }
bool is_dash_cp(char32_t c) { return c == U'-' || c == 0x2013 || c == 0x2014; }

template <typename F>
bool all_cps(std::string_view s, F&& ok) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t len = 0;
        bool invalid = false;
        char32_t c = text::decode_utf8(p + i, s.size() - i, len, invalid);
        if (invalid || !ok(c)) return false;
        i += len;
    }
    return true;
}

struct Syl {
    const Token* tok;
    bool cap;     // starts with an upper-case letter
    bool upper;   // no lower-case letter at all (ALL CAPS, or an abbreviation)
    bool letters; // a word or abbreviation (not a number)
};

void case_of(std::string_view s, bool& cap, bool& upper) {
    if (!s.empty() && static_cast<unsigned char>(s[0]) < 0x80) {
        bool ascii = true, any_letter = false, all_up = true;
        for (char ch : s) {
            auto c = static_cast<unsigned char>(ch);
            if (c >= 0x80) {
                ascii = false;
                break;
            }
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                any_letter = true;
                all_up = all_up && c <= 'Z';
            }
        }
        if (ascii) {
            auto c0 = static_cast<unsigned char>(s[0]);
            cap = c0 >= 'A' && c0 <= 'Z';
            upper = any_letter && all_up;
            return;
        }
    }
    cap = false;
    upper = false;
    // the first letter decides; only a capitalized word needs the rest scanned
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0;
    bool first = true;
    while (i < s.size()) {
        std::size_t len = 0;
        bool invalid = false;
        const char32_t c = text::decode_utf8(p + i, s.size() - i, len, invalid);
        i += len;
        const text::CharInfo* ci = text::char_info(c);
        const bool letter = ci ? ci->cls == text::kLetter : text::classify(c) == text::kLetter;
        if (!letter) continue;
        const bool up = ci && ci->upper;
        if (first) {
            if (!up) return;
            first = false;
            cap = upper = true;
        } else if (!up) {
            upper = false;
            return;
        }
    }
}

std::vector<Syl> make_stream(const std::vector<Token>& tokens) {
    std::vector<Syl> s;
    s.reserve(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (i + 1 < tokens.size() && tokens[i + 1].part) continue;  // the whole of a compound
        if (t.kind != TokenKind::word && t.kind != TokenKind::abbreviation && t.kind != TokenKind::number) continue;
        Syl y{&t, false, false, t.kind != TokenKind::number};
        case_of(t.text, y.cap, y.upper);
        s.push_back(y);
    }
    return s;
}

std::string_view gap(std::string_view text, const Syl& a, const Syl& b) {
    if (a.tok->end > b.tok->start || b.tok->start > text.size()) return {};
    return text.substr(a.tok->end, b.tok->start - a.tok->end);
}

/// Between two syllables of one name: spaces, at most one dash.
bool name_gap(std::string_view g) {
    int dashes = 0;
    return all_cps(g, [&](char32_t c) { return is_space_cp(c) || (is_dash_cp(c) && ++dashes == 1); });
}

// ---------------------------------------------------------------------------------------
// The gazetteer's lookup tables, built once from the compiled-in rows (through the
// Analyzer, so names get exactly the terms text gets).

struct Entry {
    std::uint16_t unit;
    bool typed_only;
    bool alias;  // an alternative name (aliases.tsv): context.tsv flags only a unit's own name
};

struct Gazetteer {
    std::unordered_map<std::string, std::vector<Entry>> exact, folded;
    // A bit per hash of every name's leading syllables (1, 2, ... all), exact and folded: a
    // filter that fits in the cache before the string lookups (a false positive, ~3 %, only
    // costs a lookup that finds nothing).
    static constexpr std::size_t kBits = std::size_t(1) << 20;
    std::vector<std::uint64_t> prefix_bits = std::vector<std::uint64_t>(kBits / 64);
    void set_prefix(std::uint64_t h) { prefix_bits[(h >> 7) & (kBits / 64 - 1)] |= std::uint64_t(1) << (h & 63); }
    bool maybe_prefix(std::uint64_t h) const {
        return (prefix_bits[(h >> 7) & (kBits / 64 - 1)] >> (h & 63)) & 1;
    }
    std::unordered_map<std::uint64_t, std::uint16_t> by_code;
    std::size_t max_syllables = 1;
};

constexpr std::uint64_t kFoldedSalt = 0x5bd1e9955bd1e995ULL;

/// The hash of a syllable sequence extended by one syllable (FNV-1a, then a mix).
std::uint64_t extend_hash(std::uint64_t h, std::string_view syllable) {
    std::uint64_t x = 1469598103934665603ULL;
    for (char c : syllable) x = (x ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

std::uint64_t code_key(Geography g, PlaceLevel l, std::uint32_t code) {
    return (std::uint64_t(g) << 40) | (std::uint64_t(l) << 32) | code;
}

void add_name(Gazetteer& gz, const Analyzer& an, std::string_view name, Entry e) {
    std::vector<Token> toks = an.analyze(name);
    std::vector<Syl> s = make_stream(toks);
    if (s.empty()) return;
    std::string ex, fo;
    std::uint64_t hx = 0, hf = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i) ex += ' ', fo += ' ';
        ex += s[i].tok->exact;
        fo += s[i].tok->folded;
        hx = extend_hash(hx, s[i].tok->exact);
        hf = extend_hash(hf, s[i].tok->folded);
        gz.set_prefix(hx);
        gz.set_prefix(hf ^ kFoldedSalt);
    }
    auto add = [&](std::vector<Entry>& v) {
        for (const Entry& x : v)
            if (x.unit == e.unit && x.typed_only == e.typed_only && x.alias == e.alias) return;
        v.push_back(e);
    };
    add(gz.exact[ex]);
    add(gz.folded[fo]);
    gz.max_syllables = std::max(gz.max_syllables, s.size());
}

const Gazetteer& gazetteer() {
    static const Gazetteer gz = [] {
        Gazetteer g;
        Analyzer an;
        g.exact.reserve(kUnits * 2);
        g.folded.reserve(kUnits * 2);
        for (std::size_t u = 0; u < kUnits; ++u) {
            auto id = static_cast<std::uint16_t>(u);
            add_name(g, an, row_name(id), {id, false, false});
            g.by_code.emplace(code_key(static_cast<Geography>(row(id).geo), static_cast<PlaceLevel>(row(id).level),
                                       row(id).code),
                              id);
        }
        for (const AliasRow& a : kPlaceAliases)
            add_name(g, an, blob_string(a.off, a.len), {a.unit, a.typed_only != 0, true});
        return g;
    }();
    return gz;
}

// ---------------------------------------------------------------------------------------
// Building the public structs.

PlaceUnit make_unit(std::uint16_t u) {
    const PlaceRow& r = row(u);
    PlaceUnit p;
    int width = r.level == 0 ? 2 : r.level == 1 ? 3 : 5;
    std::string code = std::to_string(r.code);
    if (code.size() < static_cast<std::size_t>(width)) code.insert(0, static_cast<std::size_t>(width) - code.size(), '0');
    p.code = std::move(code);
    p.level = static_cast<PlaceLevel>(r.level);
    p.geography = static_cast<Geography>(r.geo);
    p.name = std::string(row_name(u));
    p.type = kPlaceTypes[r.type];
    return p;
}

/// The old province of a unit: itself or its root (old units); the one old province its
/// communes came from (current units), or kNone when they came from several.
std::uint16_t old_province_of(std::uint16_t u) {
    const PlaceRow& r = row(u);
    if (r.geo == static_cast<std::uint8_t>(Geography::before_2025)) return root_of(u);
    if (r.links_n == 1) return kPlaceLinks[r.links_off];
    return kNone;
}

Place make_place(std::uint16_t u) {
    Place p;
    p.unit = make_unit(u);
    const PlaceRow& r = row(u);
    if (r.geo == static_cast<std::uint8_t>(Geography::before_2025)) {
        if (r.level == 1) p.old_district = p.unit;
        if (r.level == 2) p.old_district = make_unit(r.parent);
        p.old_province = make_unit(root_of(u));
        for (std::size_t k = 0; k < r.links_n; ++k) p.provinces.push_back(make_unit(kPlaceLinks[r.links_off + k]));
    } else {
        std::uint16_t op = old_province_of(u);
        if (op != kNone) p.old_province = make_unit(op);
        p.provinces.push_back(make_unit(root_of(u)));
    }
    return p;
}

// ---------------------------------------------------------------------------------------
// Context words.

/// A type word ending right before stream index `p`: its type and its first index.
struct TypeWord {
    int type = -1;
    std::size_t first = 0;
};

int single_type(std::string_view w) {
    if (w == "tỉnh") return kTinh;
    if (w == "tp") return kThanhPho;
    if (w == "huyện") return kHuyen;
    if (w == "quận") return kQuan;
    if (w == "tx") return kThiXa;
    if (w == "xã") return kXa;
    if (w == "phường") return kPhuong;
    return -1;
}

int pair_type(std::string_view a, std::string_view b) {
    if (a == "thành" && b == "phố") return kThanhPho;
    if (a == "thủ" && b == "đô") return kThanhPho;  // "thủ đô Hà Nội"
    if (a == "thị" && b == "xã") return kThiXa;
    if (a == "thị" && b == "trấn") return kThiTran;
    if (a == "đặc" && b == "khu") return kDacKhu;
    if (b == "uỷ") {  // party committees: "Tỉnh uỷ Lạng Sơn", "Huyện uỷ Văn Lãng", "Thành uỷ Hà Nội"
        if (a == "thành") return kThanhPho;
        if (a == "thị") return kThiXa;
        if (a == "tỉnh") return kTinh;
        if (a == "huyện") return kHuyen;
        if (a == "quận") return kQuan;
    }
    return -1;
}

/// Spaces; after the abbreviations TP and TX also a period ("TP.HCM", "TX. Sơn Tây").
bool sentence_break(std::string_view g);

bool type_gap(std::string_view g, bool abbreviation) {
    int dots = 0;
    return all_cps(g, [&](char32_t c) { return is_space_cp(c) || (abbreviation && c == U'.' && ++dots == 1); });
}

TypeWord type_before(const std::vector<Syl>& s, std::string_view text, std::size_t p) {
    TypeWord tw;
    if (p == 0) return tw;
    const std::string& w1 = s[p - 1].tok->exact;
    if (!type_gap(gap(text, s[p - 1], s[p]), w1 == "tp" || w1 == "tx" || w1 == "h" || w1 == "q" || w1 == "p"))
        return tw;
    if (p >= 2 && name_gap(gap(text, s[p - 2], s[p - 1]))) {
        int t = pair_type(s[p - 2].tok->exact, w1);
        if (t >= 0) return {t, p - 2};
    }
    int t = single_type(w1);
    if (t >= 0) return {t, p - 1};
    // "H.Thống Nhất", "Q. Lê Chân", "P. Bến Nghé": an upper-case initial and a period, not
    // after a capitalized word (then it is a person's initial: "Nguyễn Văn H. Hà Nội")
    if ((w1 == "h" || w1 == "q" || w1 == "p") && s[p - 1].cap &&
        gap(text, s[p - 1], s[p]).find('.') != std::string_view::npos) {
        bool after_name = p >= 2 && s[p - 2].cap && s[p - 2].letters && !sentence_break(gap(text, s[p - 2], s[p - 1]));
        if (!after_name) return {w1 == "h" ? kHuyen : w1 == "q" ? kQuan : kPhuong, p - 1};
    }
    return tw;
}

bool in(std::string_view w, std::initializer_list<std::string_view> set) {
    return std::find(set.begin(), set.end(), w) != set.end();
}

/// Words after which a capitalized name is a person's: titles and kinship terms.
bool person_word(std::string_view w) {
    return in(w, {"ông", "bà", "anh", "chị", "em", "cô", "chú", "bác", "cụ", "cháu", "thím", "dì", "cậu", "mợ",
                  "vợ", "chồng", "con", "vua", "chúa", "tướng", "thầy", "đ/c", "đc", "chí", "tên", "nhà", "mẹ",
                  "bố", "cha", "thượng", "sư", "ca", "nghệ", "nhạc", "sĩ", "thủ", "hlv", "cầu"});
}

/// Words after which a capitalized name is a street, river, mountain, building...
bool blocker_word(std::string_view w) {
    return in(w, {"đường", "phố", "sông", "cầu", "núi", "đèo", "hồ", "ga", "bến", "cảng", "vịnh", "kênh", "ngõ",
                  "hẻm", "thpt", "thcs", "sạn", "clb", "đội", "dòng", "thôn", "ấp", "bản", "xóm", "làng", "khu", "tổ",
                  "khối", "buôn", "sóc", "đảo", "đầm", "suối", "thác", "chợ",
                  "tuyến", "lộ", "ty", "hãng", "chùa", "đền", "đình", "tưởng", "gương", "cách", "tịch"});
}

/// Common family names: a capitalized name right after one is a person's name.
bool surname(std::string_view w) {
    return in(w, {"nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ",
                  "ngô", "dương", "lý", "đinh", "lâm", "mai", "trịnh", "đoàn", "lương", "tạ", "hà", "cao", "triệu",
                  "thái", "tô", "văn", "thị", "đức", "hữu", "quang", "công", "minh"});
}

bool sentence_break(std::string_view g) {
    return !all_cps(g, [](char32_t c) {
        return !(c == U'.' || c == U',' || c == U'!' || c == U'?' || c == U':' || c == U';' || c == U'\n' || c == U'\r' ||
                 c == U'"' || c == 0x201C || c == 0x201D || c == U'(' || c == U'[' || c == 0x2013 || c == U'-' ||
                 c == 0x2022 || c == U'|');
    });
}

struct Match {
    std::size_t s0 = 0, s1 = 0;  // stream indices [s0, s1)
    TypeWord type;
    std::vector<std::uint16_t> cands;  // after the type / level preference
    std::vector<std::uint16_t> all;    // every unit of the name (for one sense per discourse)
    bool alias_typed = false;          // matched through a typed-only alias (mention covers TP.)
    bool strong = false;               // type word or parent
    bool accepted = false;
    bool bare_ok = false;              // the words around allow a bare reading
    bool context = false;              // a name of context.tsv
    bool inherited = false;            // typed by the type word of a list ("huyện A, B")
};

/// Does the text around a bare match allow reading it as a place (documents)?
bool bare_context_ok(const std::vector<Syl>& s, std::string_view text, const Match& m) {
    bool all_upper = true;
    for (std::size_t i = m.s0; i < m.s1; ++i) all_upper = all_upper && (s[i].upper || !s[i].letters);
    if (m.s1 - m.s0 == 1 && all_upper && s[m.s0].tok->kind == TokenKind::word) return false;  // "HUẾ": too short to trust
    if (m.s0 > 0) {
        const Syl& prev = s[m.s0 - 1];
        std::string_view g = gap(text, prev, s[m.s0]);
        const std::string& w = prev.tok->exact;
        if (!sentence_break(g)) {
            if (person_word(w) || blocker_word(w)) return false;
            if (prev.tok->kind == TokenKind::word && prev.cap && !all_upper) {
                // a capitalized word before: part of a longer proper noun or a person's
                // name, unless it opens the sentence and is not a family name
                bool opens = m.s0 < 2 || sentence_break(gap(text, s[m.s0 - 2], prev));
                if (!opens || surname(w)) return false;
            }
        }
    }
    if (m.s1 < s.size() && !all_upper) {
        const Syl& next = s[m.s1];
        std::string_view g = gap(text, s[m.s1 - 1], next);
        if (next.letters && next.cap && next.tok->kind == TokenKind::word && name_gap(g) && g.find('-') == g.npos)
            return false;  // "Thái Bình Dương", "Sài Gòn Giải Phóng"
        if (next.tok->kind == TokenKind::number && all_cps(g, is_space_cp))
            return false;  // a name and a number: a ship, a team ("Hải Dương 8")
    }
    return true;
}

bool type_matches(int type, std::uint16_t u) {
    int t = row(u).type;
    if (t == type) return true;
    return false;
}

/// Whether a unit could have been written with this type word before it was promoted: a
/// district becomes a town, a city or an urban district (huyện → thị xã → thành phố, quận),
/// a commune a township or a ward (xã → thị trấn → phường). "huyện Thốt Nốt" is the quận
/// Thốt Nốt of the data; "thành phố Trường Sa" is no huyện (a city is never demoted).
bool type_promoted(int type, std::uint16_t u) {
    const int t = row(u).type;
    const std::uint8_t level = row(u).level;
    switch (type) {
        case kHuyen: return level == 1 && (t == kThiXa || t == kThanhPho || t == kQuan);
        case kThiXa: return level == 1 && (t == kThanhPho || t == kQuan);
        case kXa: return level == 2 && (t == kThiTran || t == kPhuong);
        case kThiTran: return level == 2 && t == kPhuong;
        default: return false;
    }
}

bool is_old(std::uint16_t u) { return row(u).geo == static_cast<std::uint8_t>(Geography::before_2025); }

bool is_ancestor(std::uint16_t anc, std::uint16_t u) {
    for (std::uint16_t x = row(u).parent; x != kNone; x = row(x).parent)
        if (x == anc) return true;
    return false;
}

/// Ancestor in the other geography: a current province holding an old unit.
bool is_cross_ancestor(std::uint16_t anc, std::uint16_t u) {
    if (!is_old(u) || is_old(anc) || row(anc).level != 0) return false;
    const PlaceRow& r = row(u);
    for (std::size_t k = 0; k < r.links_n; ++k)
        if (kPlaceLinks[r.links_off + k] == anc) return true;
    return false;
}

/// Between a unit and its parent: ", ", " (", " - ", possibly VietNews' " , ".
bool parent_gap(std::string_view g) {
    int marks = 0;
    return g.size() <= 12 && all_cps(g, [&](char32_t c) {
               if (is_space_cp(c)) return true;
               if (c == U',' || c == U'(' || is_dash_cp(c)) return ++marks == 1;
               return false;
           }) && marks == 1;
}

void unique_sorted(std::vector<std::uint16_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

namespace places {

std::size_t unit_count() noexcept { return kUnits; }

std::vector<PlaceMention> recognize(const std::vector<Token>& tokens, std::string_view text,
                                    const PlaceOptions& options) {
    const Gazetteer& gz = gazetteer();
    const bool query = options.bare_names;
    std::vector<Syl> s = make_stream(tokens);
    std::vector<Match> matches;

    // 1. Longest name at each start. Documents: names are capitalized (every syllable).
    std::string key, fkey, probe;
    std::vector<std::size_t> ends, fends;
    std::vector<std::uint16_t> context_units;     // units matched by a name of context.tsv
    std::vector<std::uint16_t> typed_only_units;  // units matched by a typed-only alias
    for (std::size_t p = 0; p < s.size(); ++p) {
        if (!query && !s[p].cap && s[p].letters) continue;  // no name starts with a lower-case word
        TypeWord tw = type_before(s, text, p);
        // a list after one type word: "các huyện Văn Lãng, Cao Lộc và Chi Lăng", "quận 1, 3"
        bool inherited = false;
        // Not for communes ("xã Tân Tiến, Chợ Mới" names the district next), but for their
        // numbers ("phường 1, 2 và 5").
        if (tw.type < 0 && !matches.empty() && matches.back().type.type >= 0 &&
            (!s[p].letters || (matches.back().type.type != kXa && matches.back().type.type != kPhuong &&
                               matches.back().type.type != kThiTran && matches.back().type.type != kDacKhu))) {
            const Match& last = matches.back();
            const bool comma = last.s1 == p && gap(text, s[p - 1], s[p]).find(',') != std::string_view::npos &&
                               parent_gap(gap(text, s[p - 1], s[p]));
            const bool va = last.s1 + 1 == p && s[p - 1].tok->exact == "và" &&
                            all_cps(gap(text, s[p - 2], s[p - 1]), is_space_cp) &&
                            all_cps(gap(text, s[p - 1], s[p]), is_space_cp);
            if (comma || va) {
                tw = {last.type.type, p};
                inherited = true;
            }
        }
        const bool typed = tw.type >= 0;
        if (!query && !s[p].letters && !typed) continue;  // nor with a number, but "phường 1"
        // extend while the syllables are the beginning of some name
        key.clear();
        fkey.clear();
        ends.clear();
        fends.clear();
        bool plain = true, exact_on = true;
        std::uint64_t hx = 0, hf = 0;
        for (std::size_t q = p; q < s.size() && q - p < gz.max_syllables; ++q) {
            if (q > p) {
                if (!query && !s[q].cap && s[q].letters) break;
                if (!name_gap(gap(text, s[q - 1], s[q]))) break;
                key += ' ';
                fkey += ' ';
            }
            plain = plain && s[q].tok->exact == s[q].tok->folded;
            if (exact_on) {
                hx = extend_hash(hx, s[q].tok->exact);
                exact_on = gz.maybe_prefix(hx);
            }
            bool folded_on = false;
            if (plain) {
                hf = extend_hash(hf, s[q].tok->folded);
                folded_on = gz.maybe_prefix(hf ^ kFoldedSalt);
            }
            if (!exact_on && !folded_on) break;
            key += s[q].tok->exact;
            fkey += s[q].tok->folded;
            ends.push_back(exact_on ? key.size() : 0);
            fends.push_back(folded_on ? fkey.size() : 0);
        }
        for (std::size_t n = ends.size(); n >= 1; --n) {
            Match m;
            m.s0 = p;
            m.s1 = p + n;
            m.type = tw;
            context_units.clear();
            typed_only_units.clear();
            auto collect = [&](const std::unordered_map<std::string, std::vector<Entry>>& map, const std::string& k) {
                auto it = map.find(k);
                if (it == map.end()) return;
                for (const Entry& e : it->second) {
                    m.all.push_back(e.unit);
                    if (e.typed_only && !typed) continue;
                    if (e.typed_only) m.alias_typed = true, typed_only_units.push_back(e.unit);
                    if (!e.alias && (row(e.unit).flags & kFlagContext)) context_units.push_back(e.unit);
                    m.cands.push_back(e.unit);
                }
            };
            if (ends[n - 1]) {
                probe.assign(key, 0, ends[n - 1]);
                collect(gz.exact, probe);
            }
            if (fends[n - 1]) {
                probe.assign(fkey, 0, fends[n - 1]);
                collect(gz.folded, probe);
            }
            if (m.all.empty()) continue;
            unique_sorted(m.all);
            unique_sorted(m.cands);
            bool m_typed = typed;
            if (typed) {
                std::vector<std::uint16_t> t;
                for (auto u : m.cands)
                    if (type_matches(tw.type, u)) t.push_back(u);
                if (t.empty() && !inherited) {
                    // no unit of that type: types change (huyện → quận → thành phố, xã →
                    // phường), so a unit of the same level is the one meant
                    for (auto u : m.cands)
                        if (type_promoted(tw.type, u)) t.push_back(u);
                }
                if (t.empty() && inherited) {
                    // not a unit of the list's type ("huyện Chi Lăng, Lạng Sơn"): read it bare
                    m_typed = false;
                    m.type = TypeWord{};
                    m.cands.erase(std::remove_if(m.cands.begin(), m.cands.end(),
                                                 [&](auto u) {
                                                     return std::find(typed_only_units.begin(), typed_only_units.end(),
                                                                      u) != typed_only_units.end();
                                                 }),
                                  m.cands.end());
                } else {
                    m.cands = std::move(t);
                    m.strong = true;
                    m.inherited = inherited;
                }
            }
            // old units first; the current ones only for names no old unit has
            bool any_old = std::any_of(m.cands.begin(), m.cands.end(), is_old);
            if (any_old) m.cands.erase(std::remove_if(m.cands.begin(), m.cands.end(), [](auto u) { return !is_old(u); }),
                                       m.cands.end());
            if (!m_typed && !m.cands.empty()) {
                // bare: the highest level named
                std::uint8_t top = 2;
                for (auto u : m.cands) top = std::min(top, row(u).level);
                m.cands.erase(std::remove_if(m.cands.begin(), m.cands.end(), [&](auto u) { return row(u).level != top; }),
                              m.cands.end());
            }
            if (m.cands.empty()) continue;  // "thành phố X": maybe a shorter name fits the type
            for (auto u : m.cands)
                m.context = m.context || std::find(context_units.begin(), context_units.end(), u) != context_units.end();
            if (!m_typed && !m.alias_typed && !s[p].letters) continue;  // a bare number is no name
            // A single-syllable name must not be all caps in a document (abbreviations);
            // a bare one must be a province ("Huế").
            if (!query && n == 1 && s[p].letters && s[p].upper && s[p].tok->kind != TokenKind::abbreviation &&
                !m.alias_typed)
                continue;
            if (!query && n == 1 && !m_typed && row(m.cands[0]).level != 0) continue;
            m.bare_ok = query || bare_context_ok(s, text, m);
            matches.push_back(std::move(m));
            break;
        }
    }
    if (matches.empty()) return {};

    // 2. Parents right after: "Chợ Mới (Bắc Kạn)", "huyện Chi Lăng, tỉnh Lạng Sơn". From the
    // right, so a chain "xã A, huyện B, tỉnh C" narrows B before A.
    for (std::size_t k = matches.size() - 1; k-- > 0;) {
        Match& a = matches[k];
        Match& b = matches[k + 1];
        std::size_t b_first = b.type.type >= 0 ? b.type.first : b.s0;
        if (b_first != a.s1) continue;  // adjacent in the stream (punctuation is no token)
        if (!parent_gap(gap(text, s[a.s1 - 1], s[b_first]))) continue;
        // a bare province name is a province: "Hoà Bình, Phú Thọ" is a list, not a unit of
        // Phú Thọ (though old Hoà Bình lies in Phú Thọ today)
        if (a.type.type < 0 && !a.cands.empty() && row(a.cands[0]).level == 0) continue;
        std::vector<std::uint16_t> ka, kb;
        for (auto u : a.all)
            for (auto v : b.all)
                if (is_ancestor(v, u) || is_cross_ancestor(v, u)) ka.push_back(u), kb.push_back(v);
        if (ka.empty()) {
            // The name after is no parent of any reading. When it names only units above
            // every reading ("xã Thái Học, Bình Giang": a district), it is the parent the
            // writer meant, and our data lacks the unit (merged or renamed since): a typed
            // reading elsewhere in the country would be wrong, so it is dropped. A name of
            // the same level is a list ("xã A, xã B"), handled below.
            // Only a name settled by its own parent counts ("Bình Giang, Hải Dương"): a bare
            // one may be another commune of a list.
            std::uint8_t a_top = 2, b_low = 0;
            for (auto u : a.cands) a_top = std::min(a_top, row(u).level);
            for (auto v : b.cands) b_low = std::max(b_low, row(v).level);
            if (!a.cands.empty() && b.strong && !b.cands.empty() && b_low < a_top) a.cands.clear();
            // A list of siblings whose last one has its parent ("xã Tam Hưng, xã Phục Lễ,
            // huyện Thuỷ Nguyên"): the earlier ones are read under the same parent when
            // they can be.
            if (b.strong && !b.cands.empty() && a.type.type >= 0 && a.type.type == b.type.type) {
                std::vector<std::uint16_t> f;
                for (auto u : a.all)
                    for (auto v : b.cands)
                        if (row(u).level == row(v).level && row(u).parent != kNone && row(u).parent == row(v).parent)
                            f.push_back(u);
                unique_sorted(f);
                if (!f.empty()) {
                    a.cands = std::move(f);
                    a.strong = true;
                }
            }
            continue;
        }
        if (a.type.type >= 0) {  // keep the type word's reading
            std::vector<std::uint16_t> ka2, kb2;
            for (std::size_t i = 0; i < ka.size(); ++i)
                if (type_matches(a.type.type, ka[i])) ka2.push_back(ka[i]), kb2.push_back(kb[i]);
            for (std::size_t i = 0; i < ka.size() && ka2.empty(); ++i)  // promoted since ("xã Trung Kiên")
                if (type_promoted(a.type.type, ka[i])) ka2.push_back(ka[i]), kb2.push_back(kb[i]);
            if (ka2.empty()) continue;
            ka.swap(ka2), kb.swap(kb2);
        }
        if (b.type.type >= 0 && !b.inherited) {
            std::vector<std::uint16_t> ka2, kb2;
            for (std::size_t i = 0; i < ka.size(); ++i)
                if (type_matches(b.type.type, kb[i])) ka2.push_back(ka[i]), kb2.push_back(kb[i]);
            for (std::size_t i = 0; i < ka.size() && ka2.empty(); ++i)
                if (type_promoted(b.type.type, kb[i])) ka2.push_back(ka[i]), kb2.push_back(kb[i]);
            if (ka2.empty()) continue;
            ka.swap(ka2), kb.swap(kb2);
        }
        if (a.type.type < 0) {  // untyped: the highest level, as for bare names
            std::uint8_t top = 2;
            for (auto u : ka) top = std::min(top, row(u).level);
            std::vector<std::uint16_t> ka2, kb2;
            for (std::size_t i = 0; i < ka.size(); ++i)
                if (row(ka[i]).level == top) ka2.push_back(ka[i]), kb2.push_back(kb[i]);
            ka.swap(ka2), kb.swap(kb2);
        }
        unique_sorted(ka);
        unique_sorted(kb);
        a.cands = ka;
        b.cands = kb;
        a.strong = b.strong = true;
    }

    // 3. Accept: strong ones; bare provinces whose context allows it.
    for (Match& m : matches) {
        if (m.cands.empty()) continue;
        if (m.strong) {
            m.accepted = true;
        } else if (query) {
            // A query's bare name: a province, or a district that is no everyday phrase
            // (context.tsv: "thanh xuân", "thống nhất"); a commune only with its type word
            // ("xã Lang", not "lang"; "tân lập" names dozens of communes).
            const std::uint8_t level = row(m.cands[0]).level;
            m.accepted = level == 0 || (level == 1 && !m.context);
        } else if (row(m.cands[0]).level == 0 && !m.context && m.bare_ok) {
            m.accepted = true;
        }
    }

    // 3b. A province name of context.tsv inside a list of provinces: "Sơn La, Hoà Bình, Phú Thọ".
    auto province_neighbour = [&](const Match& x, const Match& y) {  // x right before y, a comma between
        return x.accepted && y.type.type < 0 && x.s1 == y.s0 && !x.cands.empty() && row(x.cands[0]).level == 0 &&
               gap(text, s[x.s1 - 1], s[y.s0]).find(',') != std::string_view::npos &&
               parent_gap(gap(text, s[x.s1 - 1], s[y.s0]));
    };
    for (std::size_t k = 0; k < matches.size(); ++k) {
        Match& m = matches[k];
        if (m.accepted || m.strong || query || m.cands.empty() || row(m.cands[0]).level != 0 || !m.bare_ok) continue;
        bool before = k > 0 && province_neighbour(matches[k - 1], m);
        bool after = k + 1 < matches.size() && matches[k + 1].accepted && matches[k + 1].s0 == m.s1 &&
                     !matches[k + 1].cands.empty() && row(matches[k + 1].cands[0]).level == 0 &&
                     gap(text, s[m.s1 - 1], s[matches[k + 1].s0]).find(',') != std::string_view::npos &&
                     parent_gap(gap(text, s[m.s1 - 1], s[matches[k + 1].s0]));
        if (before && after) m.accepted = true;
    }

    // 4. The document's provinces settle ambiguous names; bare districts and communes are
    // accepted when the document confirms them.
    std::unordered_set<std::uint16_t> anchors, confirmed;
    auto collect_anchors = [&] {
        anchors.clear();
        confirmed.clear();
        for (const Match& m : matches) {
            if (!m.accepted) continue;
            std::uint16_t op = kNone;
            bool one = true;
            for (auto u : m.cands) {
                std::uint16_t x = old_province_of(u);
                if (op == kNone) op = x;
                else if (x != op) one = false;
            }
            if (one && op != kNone) anchors.insert(op);
            if (m.cands.size() == 1) confirmed.insert(m.cands[0]);
        }
    };
    auto in_anchors = [&](std::uint16_t u) {
        std::uint16_t op = old_province_of(u);
        return op != kNone && anchors.count(op);
    };
    for (int pass = 0; pass < 2; ++pass) {
        collect_anchors();
        for (Match& m : matches) {
            if (m.cands.empty()) continue;
            if (m.accepted && m.cands.size() > 1) {
                std::vector<std::uint16_t> f;
                for (auto u : m.cands)
                    if (in_anchors(u)) f.push_back(u);
                if (!f.empty()) m.cands = std::move(f);
            }
            if (m.accepted || query || !m.bare_ok) continue;
            // one sense per discourse: a unit the document names with a type word or parent
            std::vector<std::uint16_t> f;
            for (auto u : m.all)
                if (confirmed.count(u)) f.push_back(u);
            if (f.size() == 1 && !m.context) {
                m.cands = f;
                m.accepted = true;
                continue;
            }
            // a bare district of a province the document names
            if (!m.context && row(m.cands[0]).level == 1 && m.s1 - m.s0 >= 2) {
                f.clear();
                for (auto u : m.cands)
                    if (in_anchors(u)) f.push_back(u);
                if (f.size() == 1) {
                    m.cands = f;
                    m.accepted = true;
                }
            }
        }
    }

    // 5. Mentions: one unit each (documents); several readings in query mode.
    std::vector<PlaceMention> out;
    std::size_t covered = 0;  // stream index up to which a mention was emitted
    for (const Match& m : matches) {
        if (!m.accepted || m.cands.empty() || m.s0 < covered) continue;
        std::vector<std::uint16_t> units;
        if (m.cands.size() == 1) {
            units = m.cands;
        } else if (query) {
            units.assign(m.cands.begin(), m.cands.begin() + static_cast<std::ptrdiff_t>(std::min(m.cands.size(), kMaxCandidates)));
        } else {
            // all readings in one old province: keep the province
            std::uint16_t op = old_province_of(m.cands[0]);
            bool one = op != kNone;
            for (auto u : m.cands) one = one && old_province_of(u) == op;
            if (!one) continue;
            units.push_back(op);
        }
        std::size_t first = m.alias_typed ? m.type.first : m.s0;
        std::size_t start = s[first].tok->start, end = s[m.s1 - 1].tok->end;
        if (end > text.size() || start > end) continue;
        for (auto u : units) {
            PlaceMention pm;
            pm.start = start;
            pm.end = end;
            pm.text = std::string(text.substr(start, end - start));
            pm.place = make_place(u);
            out.push_back(std::move(pm));
        }
        covered = m.s1;
    }
    return out;
}

}  // namespace places

std::string_view level_name(PlaceLevel level) noexcept {
    switch (level) {
        case PlaceLevel::province: return "province";
        case PlaceLevel::district: return "district";
        case PlaceLevel::commune: return "commune";
    }
    return "province";
}

std::vector<PlaceMention> recognize_places(std::string_view text, const PlaceOptions& options) {
    static const Analyzer analyzer;
    return places::recognize(analyzer.analyze(text), text, options);
}

std::vector<PlaceUnit> find_places(std::string_view name, Geography geography) {
    static const Analyzer analyzer;
    const Gazetteer& gz = gazetteer();
    std::vector<Token> toks = analyzer.analyze(name);
    std::vector<Syl> s = make_stream(toks);
    std::size_t p = 0;
    int type = -1;
    // a leading type word narrows the level: "tỉnh Lạng Sơn", "TP Hồ Chí Minh"
    for (std::size_t k = 1; k <= 2 && k < s.size(); ++k) {
        TypeWord tw = type_before(s, name, k);
        if (tw.type >= 0 && tw.first == 0) {
            p = k;
            type = tw.type;
        }
    }
    if (p >= s.size()) return {};
    std::string key, fkey;
    bool plain = true;
    for (std::size_t i = p; i < s.size(); ++i) {
        if (i > p) key += ' ', fkey += ' ';
        key += s[i].tok->exact;
        fkey += s[i].tok->folded;
        plain = plain && s[i].tok->exact == s[i].tok->folded;
    }
    std::vector<std::uint16_t> units;
    auto collect = [&](const std::unordered_map<std::string, std::vector<Entry>>& map, const std::string& k) {
        auto it = map.find(k);
        if (it == map.end()) return;
        for (const Entry& e : it->second) {
            if (e.typed_only && type < 0) continue;
            if (row(e.unit).geo != static_cast<std::uint8_t>(geography)) continue;
            if (type >= 0 && !type_matches(type, e.unit)) continue;
            units.push_back(e.unit);
        }
    };
    collect(gz.exact, key);
    if (plain) collect(gz.folded, fkey);
    unique_sorted(units);
    std::stable_sort(units.begin(), units.end(), [](auto a, auto b) { return row(a).level < row(b).level; });
    std::vector<PlaceUnit> out;
    for (auto u : units) out.push_back(make_unit(u));
    return out;
}

std::optional<Place> place_by_code(std::string_view code, Geography geography) {
    PlaceLevel level;
    if (code.size() == 2) level = PlaceLevel::province;
    else if (code.size() == 3) level = PlaceLevel::district;
    else if (code.size() == 5) level = PlaceLevel::commune;
    else return std::nullopt;
    std::uint32_t n = 0;
    for (char c : code) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint32_t>(c - '0');
    }
    const Gazetteer& gz = gazetteer();
    auto it = gz.by_code.find(code_key(geography, level, n));
    if (it == gz.by_code.end()) return std::nullopt;
    return make_place(it->second);
}

}  // namespace vnsearch
