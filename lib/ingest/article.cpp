// Scraped article files (.txt) to Documents: site boilerplate out, title, date, byline and
// agency prefix extracted. The rules are general (docs/ingestion.md), not tuned to files.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "ingest/article.h"
#include "text/normalize.h"
#include "text/utf8.h"
#include "vnsearch/analysis.h"
#include "vnsearch/ingest.h"
#include "vnsearch/text.h"

namespace vnsearch {
namespace ingest {
namespace {

/// Collapses every run of white space (NBSP and other Unicode spaces, zero-width
/// characters) to one ' ' and trims the ends. The text is otherwise kept exactly as written:
/// stored bodies are shown to users, so no normalization happens here.
std::string squeeze(std::string_view line) {
    std::string out;
    bool space = true;
    const auto* p = reinterpret_cast<const unsigned char*>(line.data());
    for (std::size_t i = 0; i < line.size();) {
        std::size_t len;
        bool inv;
        char32_t cp = text::decode_utf8(p + i, line.size() - i, len, inv);
        text::Cls cls = inv ? text::kOther : text::classify(cp);
        if (cls == text::kSpace || cls == text::kIgnorable) {
            if (!space) out.push_back(' ');
            space = true;
        } else {
            out.append(line.substr(i, len));
            space = false;
        }
        i += len;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

struct Words {
    std::size_t count = 0;      ///< word-like tokens
    std::size_t capital = 0;    ///< starting with an upper-case letter
    std::size_t all_caps = 0;   ///< abbreviations
};

Words words(std::string_view line) {
    static const Analyzer analyzer;
    Words w;
    analyzer.analyze(line, [&](const Token& t) {
        if (t.part || t.kind == TokenKind::number || t.kind == TokenKind::date || t.kind == TokenKind::time) return;
        ++w.count;
        if (t.kind == TokenKind::abbreviation) ++w.all_caps;
        if (!t.text.empty() && t.exact.substr(0, 1) != t.text.substr(0, 1)) ++w.capital;  // lowercasing changed it
        else if (t.text.size() >= 2 && t.exact.compare(0, 2, t.text, 0, 2) != 0) ++w.capital;
    });
    return w;
}

// A few boilerplate phrases, folded (marks and case do not matter).
bool contains_folded(const std::string& folded_line, std::initializer_list<std::string_view> needles) {
    for (auto n : needles)
        if (folded_line.find(n) != std::string::npos) return true;
    return false;
}

/// Lines after which a page holds no more article text (comment forms, related links...).
bool is_footer_marker(const std::string& f) {
    static const std::vector<std::string> exact = {
        "gui binh luan", "binh luan", "y kien ban doc", "xem them", "dau trang", "| dau trang", "thu vien anh",
        "tin lien quan", "cac tin khac", "tin cung chuyen muc", "tin khac", "chia se", "in bai", "tro ve",
        "quay lai", "ve dau trang", "cac bai viet khac", "bai viet lien quan", "tin moi nhat", "tin doc nhieu"};
    std::string s = f;
    while (!s.empty() && (s.back() == ':' || s.back() == ' ')) s.pop_back();
    std::size_t b = s.find_first_not_of("| ");
    s = b == std::string::npos ? "" : s.substr(b);
    return std::find(exact.begin(), exact.end(), s) != exact.end();
}

bool is_portlet(const std::string& f) { return contains_folded(f, {"skip portlet", "portlet menu"}); }

/// Media-player and widget debris, pagination rows, lone symbols.
bool is_debris(const std::string& line, const std::string& f) {
    static const std::regex player(R"(^\d{1,2}:\d{2}(:\d{2})?( / \d{1,2}:\d{2}(:\d{2})?)?$)");
    static const std::regex pagination(R"(^[<>«»|.…\s\d]*$)");
    static const std::regex temperature(R"(^-?[\d.,\s]*°\s*[CF]?$)");
    if (std::regex_match(line, player)) return true;
    if (std::regex_match(line, temperature)) return true;
    if (line.find_first_of("<>") != std::string::npos && std::regex_match(line, pagination)) return true;
    // Weather widgets with broken encodings: "Đ?ẩm:", "Nhi?t đ?:"
    if (line.size() < 40 && (line.find("?") != std::string::npos || line.find("\xEF\xBF\xBD") != std::string::npos)) {
        static const std::regex broken(R"([^\s?]\?[^\s?])");
        if (std::regex_search(line, broken)) return true;
    }
    if (contains_folded(f, {"hay su dung tieng viet co dau", "do am:", "nhiet do:"})) return true;
    // Nothing but punctuation and symbols.
    return Words(words(line)).count == 0 && line.find_first_of("0123456789") == std::string::npos;
}

// ---- dates -----------------------------------------------------------------------

std::string two(int v) {
    std::string s = std::to_string(v);
    if (v < 10) s.insert(s.begin(), '0');
    return s;
}

std::string iso(int d, int m, int y, int hh = -1, int mm = 0, int ss = 0) {
    if (d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 || y > 2200) return {};
    std::string s = std::to_string(y) + "-" + two(m) + "-" + two(d);
    if (hh >= 0 && hh < 24 && mm >= 0 && mm < 60 && ss >= 0 && ss < 61) s += "T" + two(hh) + ":" + two(mm) + ":" + two(ss);
    return s;
}

/// A date (and time) in a header line: "Thứ năm, 25/07/2024", "(08:11:00 29/10/2018)",
/// "(23/10/2020 08:37 PM)", "25/07/2024 10:15", "Cập nhật: 25-07-2024". Returns the ISO
/// string and the matched span.
std::optional<std::pair<std::string, std::pair<std::size_t, std::size_t>>> find_date(const std::string& line) {
    static const std::regex time_then_date(
        R"((\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM|am|pm|SA|CH)?,?\s+(?:ngày\s+)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))");
    static const std::regex date_then_time(
        R"((\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:,?\s*(?:lúc\s*|-\s*)?(\d{1,2})[:h](\d{2})(?::(\d{2}))?\s*(AM|PM|am|pm|SA|CH)?)?)");
    auto hour = [](int h, const std::string& ampm) {
        if (ampm == "PM" || ampm == "pm" || ampm == "CH") return h % 12 + 12;
        if (ampm == "AM" || ampm == "am" || ampm == "SA") return h % 12;
        return h;
    };
    std::smatch m;
    if (std::regex_search(line, m, time_then_date)) {
        int h = hour(std::stoi(m[1]), m[4]);
        std::string s = iso(std::stoi(m[5]), std::stoi(m[6]), std::stoi(m[7]), h, std::stoi(m[2]),
                            m[3].matched ? std::stoi(m[3]) : 0);
        if (!s.empty()) return std::pair{s, std::pair{std::size_t(m.position(0)), std::size_t(m.length(0))}};
    }
    if (std::regex_search(line, m, date_then_time)) {
        int h = m[4].matched ? hour(std::stoi(m[4]), m[7]) : -1;
        std::string s = iso(std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3]), h, m[5].matched ? std::stoi(m[5]) : 0,
                            m[6].matched ? std::stoi(m[6]) : 0);
        if (!s.empty()) return std::pair{s, std::pair{std::size_t(m.position(0)), std::size_t(m.length(0))}};
    }
    return std::nullopt;
}

/// A line that is only a dateline: weekday + date, a bare date, "Cập nhật: date".
bool is_date_line(const std::string& line, const std::string& f) {
    auto d = find_date(line);
    if (!d) return false;
    std::string rest = line.substr(0, d->second.first) + line.substr(d->second.first + d->second.second);
    // Every other word must belong to a weekday or a "posted/updated" label.
    static const std::vector<std::string> allowed = {"thu", "hai", "ba",   "tu",   "nam", "sau", "bay",  "chu", "nhat",
                                                     "cn",  "cap", "ngay", "dang", "luc", "gmt", "gio",  "sang", "chieu"};
    static const Analyzer analyzer;
    bool only_labels = true;
    analyzer.analyze(rest, [&](const Token& t) {
        if (t.kind == TokenKind::number) return;  // "GMT+7"
        if (std::find(allowed.begin(), allowed.end(), t.folded) == allowed.end()) only_labels = false;
    });
    (void)f;
    return only_labels;
}

/// Removes a parenthesised date/time from a title or lead: "Tiêu đề (23/10/2020 08:37 PM)".
std::string strip_parenthesised_date(const std::string& line, std::string& date) {
    static const std::regex paren(R"(\s*\(([^()]*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}[^()]*)\)\s*)");
    std::smatch m;
    if (!std::regex_search(line, m, paren)) return line;
    auto d = find_date(m[1]);
    if (!d) return line;
    if (date.empty()) date = d->first;
    std::string out = line.substr(0, static_cast<std::size_t>(m.position(0)));
    std::string tail = line.substr(static_cast<std::size_t>(m.position(0) + m.length(0)));
    if (!out.empty() && !tail.empty()) out += ' ';
    return out + tail;
}

// ---- bylines and agency prefixes ---------------------------------------------------

/// "La Nam", "Phùng Khiêm", "DTT", "Văn Thi - Ban Tổ chức Huyện ủy Quế Phong", "Theo TTXVN".
std::optional<std::string> byline(const std::string& line) {
    if (line.size() > 120) return std::nullopt;
    char last = line.empty() ? 0 : line.back();
    if (last == '.' || last == ':' || last == '?' || last == '!' || last == ';' || last == ',') return std::nullopt;
    std::string name = line;
    for (std::string_view sep : {" - ", " – ", " — "}) {
        std::size_t p = name.find(sep);
        if (p != std::string::npos) name = name.substr(0, p);
    }
    if (fold(name).rfind("theo ", 0) == 0) name = name.substr(5);
    Words w = words(name);
    if (w.count == 0 || w.count > 5) return std::nullopt;
    if (name.find_first_of("0123456789") != std::string::npos) return std::nullopt;
    bool initials = w.count == 1 && w.all_caps == 1;
    if (!initials && w.capital != w.count) return std::nullopt;
    if (w.count == 1 && !initials) return std::nullopt;  // a lone capitalised word is too weak
    return name;
}

/// "LSO- Thực hiện ...", "BBK - Để tăng cường ...": the agency abbreviation.
std::optional<std::string> agency_prefix(const std::string& line) {
    static const std::regex prefix(R"(^\(?([A-ZĐ]{2,8}(?:\.[A-Za-z]{2,4})?)\)?\s*[-–—]\s+\S)");
    std::smatch m;
    if (std::regex_search(line, m, prefix)) return m[1].str();
    return std::nullopt;
}

/// The first sentence of a long line when it is short enough to be a headline (up to 30
/// words), else its first 20 words followed by "…".
std::string leading_title(const std::string& line) {
    static const Analyzer analyzer;
    std::size_t words_seen = 0, cut = std::string::npos, last_end = 0;
    analyzer.analyze(line, [&](const Token& t) {
        if (t.part || cut != std::string::npos) return;
        ++words_seen;
        if (words_seen == 20) last_end = t.end;
        if (words_seen > 30) return;
        std::size_t after = t.end;
        if (after < line.size() && (line[after] == '?' || line[after] == '!' || line[after] == '.') && words_seen >= 3 &&
            (after + 1 == line.size() || line[after + 1] == ' '))
            cut = after + 1;
    });
    if (cut != std::string::npos) return line.substr(0, cut);
    return line.substr(0, last_end) + "…";
}

std::string strip_dots(std::string s) {
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    if (s.size() >= 3 && s.compare(s.size() - 3, 3, "…") == 0) s.resize(s.size() - 3);
    while (!s.empty() && (s.back() == '.' || s.back() == ' ' || s.back() == ',')) s.pop_back();
    return s;
}

}  // namespace

Headline headline(const std::string& line) {
    Headline h;
    // Headline and text run together on one line (as in VNTC files): the whole line stays
    // in the body, and the title is the text before an agency dateline ("Tiêu đề (NLĐ) –
    // Ngày 23-2, ..." with some text after it, even on a short line), else the first
    // sentence or the first words of a line longer than 30 words.
    static const std::regex agency(R"(\s*\(([A-ZĐÐ][^()\s]{1,11})\)\s*[-–—])");
    std::smatch m;
    if (std::regex_search(line, m, agency) && words(m.prefix().str()).count >= 3 && words(m.prefix().str()).count <= 30 &&
        words(m.suffix().str()).count >= 5) {
        h.title = m.prefix().str();
        h.agency = m[1].str();
        return h;
    }
    if (words(line).count <= 30) {
        h.title = line;
        h.whole_line = true;
        return h;
    }
    h.title = leading_title(line);
    return h;
}

namespace {

/// The named references decoded: XML's five, the spaces and punctuation news sites write,
/// and Latin-1 symbols seen in the corpora (&frac12;). Others are left as written.
constexpr std::pair<std::string_view, char32_t> kEntities[] = {
    {"amp", U'&'},       {"lt", U'<'},        {"gt", U'>'},        {"quot", U'"'},      {"apos", U'\''},
    {"nbsp", 0xA0},      {"ndash", 0x2013},   {"mdash", 0x2014},   {"lsquo", 0x2018},   {"rsquo", 0x2019},
    {"ldquo", 0x201C},   {"rdquo", 0x201D},   {"hellip", 0x2026},  {"laquo", 0xAB},     {"raquo", 0xBB},
    {"bull", 0x2022},    {"middot", 0xB7},    {"deg", 0xB0},       {"copy", 0xA9},      {"reg", 0xAE},
    {"frac12", 0xBD},    {"frac14", 0xBC},    {"frac34", 0xBE},    {"times", 0xD7},     {"divide", 0xF7},
    {"euro", 0x20AC},    {"trade", 0x2122},   {"plusmn", 0xB1},    {"sect", 0xA7},      {"para", 0xB6},
};

/// The code point of the reference `ref` (between '&' and ';'), or 0 when it is none.
char32_t entity(std::string_view ref) {
    if (ref.size() >= 2 && ref[0] == '#') {
        const bool hex = ref[1] == 'x' || ref[1] == 'X';
        const std::string_view digits = ref.substr(hex ? 2 : 1);
        if (digits.empty() || digits.size() > 8) return 0;
        char32_t cp = 0;
        for (char c : digits) {
            int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return 0;
            cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(d);
        }
        // Not NUL, surrogates or past Unicode: such references stay as written.
        if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
        return cp;
    }
    for (const auto& [name, cp] : kEntities)
        if (name == ref) return cp;
    return 0;
}

}  // namespace

std::string decode_html_entities(std::string_view s) {
    if (s.find('&') == std::string_view::npos) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            const std::size_t semi = s.find(';', i + 1);
            if (semi != std::string_view::npos && semi - i <= 10) {
                if (char32_t cp = entity(s.substr(i + 1, semi - i - 1))) {
                    text::append_utf8(out, cp);
                    i = semi;
                    continue;
                }
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

Document parse_article_text(std::string_view text_in, const std::string& id) {
    Document doc(id);
    // Lines, white space squeezed; blank lines dropped (paragraphs are lines).
    std::vector<std::string> lines;
    {
        std::size_t start = 0;
        while (start <= text_in.size()) {
            std::size_t nl = text_in.find('\n', start);
            if (nl == std::string_view::npos) nl = text_in.size();
            std::string l = squeeze(text_in.substr(start, nl - start));
            if (!l.empty()) lines.push_back(std::move(l));
            start = nl + 1;
        }
    }
    // 1. Cut at the first footer marker; drop portlet menus (the line before a portlet
    //    marker is a menu item) and debris.
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        std::string f = fold(l);
        if (is_footer_marker(f)) break;
        if (is_portlet(f)) {
            if (!kept.empty() && words(kept.back()).count <= 6) kept.pop_back();
            continue;
        }
        if (is_debris(l, f)) continue;
        kept.push_back(l);
    }
    // 2. Header: datelines and short labels before the title; the title is the first line
    //    of 5+ words (else the first line).
    std::size_t title_at = kept.size();
    for (std::size_t i = 0; i < kept.size(); ++i) {
        std::string f = fold(kept[i]);
        if (is_date_line(kept[i], f)) {
            if (doc.date.empty()) doc.date = find_date(kept[i])->first;
            continue;
        }
        Words w = words(kept[i]);
        if (w.count >= 5 && w.count <= 60) {
            title_at = i;
            break;
        }
    }
    if (title_at == kept.size()) title_at = 0;
    std::vector<std::string> body;
    if (!kept.empty()) {
        const std::string first = strip_parenthesised_date(kept[title_at], doc.date);
        Headline h = headline(first);
        doc.title = std::move(h.title);
        if (doc.source.empty()) doc.source = std::move(h.agency);
        if (!h.whole_line) body.push_back(first);
        for (std::size_t i = title_at + 1; i < kept.size(); ++i) body.push_back(kept[i]);
    }
    // 3. The lead may open with a dateline "(08:11:00 29/10/2018) ..." and an agency prefix.
    if (!body.empty()) {
        static const std::regex lead_date(R"(^\(([^()]*\d{1,2}[/.-]\d{1,2}[/.-]\d{4}[^()]*)\)\s*)");
        std::smatch m;
        if (std::regex_search(body[0], m, lead_date)) {
            if (auto d = find_date(m[1])) {
                if (doc.date.empty()) doc.date = d->first;
                body[0] = body[0].substr(static_cast<std::size_t>(m.length(0)));
            }
        }
        if (auto a = agency_prefix(body[0])) doc.source = *a;
    }
    // 4. Repeated paragraphs (photo captions shown twice, a teaser of the lead) keep their
    //    first full occurrence only.
    {
        std::vector<std::string> out;
        for (std::size_t i = 0; i < body.size(); ++i) {
            const std::string& l = body[i];
            if (std::find(out.begin(), out.end(), l) != out.end()) continue;
            // A teaser: ends with "..." and its text starts a later paragraph.
            bool teaser = false;
            if ((l.size() > 3 && l.compare(l.size() - 3, 3, "...") == 0) ||
                (l.size() > 3 && l.compare(l.size() - 3, 3, "…") == 0)) {
                std::string core = strip_dots(l).substr(0, 80);
                for (std::size_t j = i + 1; j < body.size() && !teaser; ++j)
                    teaser = core.size() >= 20 && body[j].compare(0, core.size(), core) == 0;
            }
            if (!teaser) out.push_back(l);
        }
        body.swap(out);
    }
    // 5. Byline: the last line, when it reads like a name.
    if (!body.empty()) {
        if (auto b = byline(body.back())) {
            doc.author = *b;
            body.pop_back();
        }
    }
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (i) doc.body += "\n\n";
        doc.body += body[i];
    }
    return doc;
}

}  // namespace ingest

Document parse_article(std::string_view bytes, const std::string& id) {
    Decoded d = decode_detect(bytes);  // as ingest_path reads .txt files
    return ingest::parse_article_text(ingest::decode_html_entities(d.text), id);
}

}  // namespace vnsearch
