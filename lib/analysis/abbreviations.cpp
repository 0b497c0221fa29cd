#include "analysis/abbreviations.h"

#include <unicode/uchar.h>

#include "text/utf8.h"
#include "vnsearch/analysis.h"
#include "vnsearch/text.h"

namespace vnsearch::analysis {

namespace {

// The dictionary file, embedded at configure time (lib/CMakeLists.txt).
constexpr std::string_view kTsv =
#include "abbreviations_tsv.inc"
    ;

const Analyzer& analyzer() {
    static const Analyzer a([] {
        AnalyzerOptions o;
        o.emit_parts = false;
        return o;
    }());
    return a;
}

/// The letter an initial counts as: folded, but đ stays đ.
char32_t initial_letter(char32_t c) {
    c = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
    if (c == U'đ') return c;
    const std::string f = vnsearch::fold(text::to_utf8(std::u32string(1, c)));
    const std::u32string u = text::to_u32(f);
    return u.empty() ? c : u[0];
}

std::u32string letters_of(std::string_view abbr) {
    std::u32string out;
    for (char32_t c : text::to_u32(vnsearch::normalize(abbr)))
        if (c != U'-' && c != U'.' && c != U'&' && c != U' ') out += initial_letter(c);
    return out;
}

struct Word {
    std::size_t start, end;
    std::string exact;
    char32_t initial;
};

std::vector<Word> words_of(std::string_view text) {
    std::vector<Word> out;
    analyzer().analyze(text, [&](const Token& t) {
        if (t.kind != TokenKind::word && t.kind != TokenKind::abbreviation) {
            out.push_back({t.start, t.end, {}, 0});  // a number etc.: breaks a run
            return;
        }
        const std::u32string e = text::to_u32(t.exact);
        out.push_back({t.start, t.end, t.exact, e.empty() ? 0 : initial_letter(e[0])});
    });
    return out;
}

/// Whether words[from, to) spell `letters`, a "và" possibly skipped.
bool spells(const std::vector<Word>& words, std::size_t from, std::size_t to, const std::u32string& letters) {
    std::size_t li = 0;
    for (std::size_t i = from; i < to; ++i) {
        if (words[i].initial == 0) return false;
        if (li < letters.size() && words[i].initial == letters[li]) {
            ++li;
            continue;
        }
        if (words[i].exact == "và" && i > from && i + 1 < to) continue;
        return false;
    }
    return li == letters.size();
}

/// Whether `s` is nothing but white space (NBSP and line breaks included).
bool only_blanks(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    for (std::size_t i = 0, len = 0; i < s.size(); i += len) {
        bool invalid = false;
        const char32_t c = text::decode_utf8(p + i, s.size() - i, len, invalid);
        if (invalid || !u_isUWhiteSpace(static_cast<UChar32>(c))) return false;
    }
    return true;
}

/// `s` with every run of white space (line breaks, tabs, NBSP) written as one ' ', the rest
/// byte for byte: an expansion broken over a line or padded with NBSP is still one line.
std::string single_spaced(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    bool blank = false;
    for (std::size_t i = 0, len = 0; i < s.size(); i += len) {
        bool invalid = false;
        const char32_t c = text::decode_utf8(p + i, s.size() - i, len, invalid);
        if (!invalid && u_isUWhiteSpace(static_cast<UChar32>(c))) {
            blank = true;
            continue;
        }
        if (blank && !out.empty()) out += ' ';
        blank = false;
        out.append(s.substr(i, len));
    }
    return out;
}

/// The start of a window of at most `size` bytes ending at `end`, on a character boundary.
std::size_t window_start(std::string_view text, std::size_t end, std::size_t size) {
    std::size_t from = end > size ? end - size : 0;
    while (from > 0 && text::is_continuation(static_cast<unsigned char>(text[from]))) --from;
    return from;
}

/// Whether the character just before byte `pos` is a letter, mark or digit (a word goes on).
bool word_before(std::string_view text, std::size_t pos) {
    if (pos == 0) return false;
    std::size_t start = pos - 1;
    while (start > 0 && pos - start < 4 && text::is_continuation(static_cast<unsigned char>(text[start]))) --start;
    std::size_t len = 0;
    bool invalid = false;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const char32_t c = text::decode_utf8(p + start, pos - start, len, invalid);
    if (invalid || start + len != pos) return false;
    return (U_GET_GC_MASK(static_cast<UChar32>(c)) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

/// The words of text[from, end). A first word that starts the window while the text goes on
/// to the left of it may be the tail of a longer one ("ĐĐĐĐĐĐĐĐĐĐ" cut to "ĐĐĐĐ"): dropped.
std::vector<Word> window_words(std::string_view text, std::size_t from, std::size_t end) {
    auto words = words_of(text.substr(from, end - from));
    if (!words.empty() && words.front().start == 0 && word_before(text, from)) words.erase(words.begin());
    return words;
}

}  // namespace

const std::vector<Abbreviation>& builtin_abbreviations() {
    static const std::vector<Abbreviation> table = [] {
        std::vector<Abbreviation> t;
        std::size_t pos = 0;
        while (pos < kTsv.size()) {
            std::size_t nl = kTsv.find('\n', pos);
            if (nl == std::string_view::npos) nl = kTsv.size();
            std::string_view line = kTsv.substr(pos, nl - pos);
            pos = nl + 1;
            if (line.empty() || line[0] == '#') continue;
            const std::size_t tab = line.find('\t');
            if (tab == std::string_view::npos) continue;
            const std::size_t tab2 = line.find('\t', tab + 1);
            Abbreviation a;
            a.abbr = vnsearch::normalize(line.substr(0, tab));
            a.expansion = vnsearch::normalize(line.substr(tab + 1, tab2 == std::string_view::npos ? std::string_view::npos : tab2 - tab - 1));
            a.irregular = tab2 != std::string_view::npos && line.substr(tab2 + 1) == "irregular";
            t.push_back(std::move(a));
        }
        return t;
    }();
    return table;
}

bool initials_match(std::string_view abbr, std::string_view expansion) {
    const std::u32string letters = letters_of(abbr);
    if (letters.size() < 2) return false;
    const auto words = words_of(expansion);
    return spells(words, 0, words.size(), letters);
}

bool looks_like_abbreviation(std::string_view word) {
    std::size_t letters = 0;
    // Normalized first: in NFD "NSƯT" is N S U U+031B T, and U+031B is no capital letter.
    for (char32_t c : text::to_u32(vnsearch::normalize(word))) {
        if (c == U'-' || c == U'.' || c == U'&') continue;
        if (!u_isalpha(static_cast<UChar32>(c)) || !u_isupper(static_cast<UChar32>(c))) return false;
        ++letters;
    }
    return letters >= 2 && letters <= 8;
}

void find_definitions(std::string_view text,
                      const std::function<void(std::string_view abbr, std::string_view expansion)>& sink) {
    constexpr std::size_t kContext = 160;  // bytes looked at before "(": 9 syllables, even in NFD
    constexpr std::size_t kAbbrContext = 64;  // bytes looked at before "(" for the reverse form
    // The expansion goes out as written but single-spaced ("nhân\ndân" -> "nhân dân").
    const auto report = [&](std::string_view abbr, std::string_view expansion) {
        sink(abbr, single_spaced(expansion));
    };
    // One pass: `next` and `close` only move forward, so "((((...)" stays linear.
    std::size_t close = 0;
    for (std::size_t open = text.find('('), next; open != std::string_view::npos; open = next) {
        next = text.find('(', open + 1);
        if (close <= open) close = text.find(')', open + 1);
        if (close == std::string_view::npos) return;
        if (next < close) continue;  // nested: the inner one is tried next
        std::string_view inner = text.substr(open + 1, close - open - 1);
        while (!inner.empty() && (inner.front() == ' ' || inner.front() == '\t')) inner.remove_prefix(1);
        while (!inner.empty() && (inner.back() == ' ' || inner.back() == '\t')) inner.remove_suffix(1);
        if (inner.empty() || inner.size() > kContext) continue;
        if (looks_like_abbreviation(inner)) {
            // "Hội đồng nhân dân (HĐND)": the syllables just before the parenthesis.
            const std::u32string letters = letters_of(inner);
            const std::size_t from = window_start(text, open, kContext);
            const auto words = window_words(text, from, open);
            if (words.empty() || !only_blanks(text.substr(from + words.back().end, open - from - words.back().end)))
                continue;
            for (std::size_t k = letters.size(); k <= letters.size() + 1 && k <= words.size(); ++k) {
                const std::size_t first = words.size() - k;
                if (spells(words, first, words.size(), letters)) {
                    report(inner, text.substr(from + words[first].start, words.back().end - words[first].start));
                    break;
                }
            }
            continue;
        }
        // "HĐND (Hội đồng nhân dân)": the word just before is the abbreviation.
        const std::size_t from = window_start(text, open, kAbbrContext);
        const auto prev = window_words(text, from, open);
        if (prev.empty() || !only_blanks(text.substr(from + prev.back().end, open - from - prev.back().end))) continue;
        const std::string_view abbr = text.substr(from + prev.back().start, prev.back().end - prev.back().start);
        if (!looks_like_abbreviation(abbr)) continue;
        const auto words = words_of(inner);
        if (!words.empty() && spells(words, 0, words.size(), letters_of(abbr)))
            report(abbr, inner.substr(words.front().start, words.back().end - words.front().start));
    }
}

std::string abbreviation_key(std::string_view abbr) {
    std::string key;
    int n = 0;
    analyzer().analyze(abbr, [&](const Token& t) {
        ++n;
        key = t.folded;
    });
    return n == 1 ? key : std::string();
}

std::string expansion_key(std::string_view expansion) {
    std::string key;
    analyzer().analyze(expansion, [&](const Token& t) {
        if (!key.empty()) key += ' ';
        key += t.folded;
    });
    return key;
}

}  // namespace vnsearch::analysis
