// The syllable tokenizer. It scans the original bytes once, so every token's offsets are
// offsets into the input as given; normalization happens per token (text/normalize.h).
//
// A "compound" is a run of alphanumeric parts joined by connectors without spaces:
//   '.' ','  between digits           -> number  (3.337, 59,2)
//   ':'      between digits           -> time    (08:11:00)
//   '/' '-'  (and U+2010/2011/2013) between alphanumerics -> date (25/07/2024) or code
// A digit run followed by lowercase letters ends there (50.000đ -> 50.000 + đ, 5km).
#include <algorithm>
#include <array>
#include <cstdlib>
#include <vector>

#include <unicode/uchar.h>

#include "text/normalize.h"
#include "text/utf8.h"
#include "vnsearch/analysis.h"

namespace vnsearch {
namespace {

using text::Cls;

struct Cp {
    char32_t cp;
    std::size_t len;
    Cls cls;
    bool invalid = false;
};

struct Part {
    std::size_t start, end;
    bool letters = false, digits = false, upper = true, foreign = false;
    int letter_count = 0;
    int digit_count = 0;  ///< digits, not bytes: zero-width characters inside do not count
};

bool is_connector(char32_t c) {
    return c == U'.' || c == U',' || c == U':' || c == U'/' || c == U'-' || c == 0x2010 || c == 0x2011 ||
           c == 0x2013;
}

bool is_dash(char32_t c) { return c == U'-' || c == 0x2010 || c == 0x2011 || c == 0x2013; }

/// Hyphen look-alikes joining a code (U+2010, U+2011, U+2013) are spelled '-' in its terms.
void spell_dashes(std::string& term) {
    if (term.find('\xE2') == std::string::npos) return;  // all three start with byte E2
    std::string fixed;
    const auto* q = reinterpret_cast<const unsigned char*>(term.data());
    for (std::size_t i = 0; i < term.size();) {
        std::size_t len;
        bool inv;
        char32_t c = text::decode_utf8(q + i, term.size() - i, len, inv);
        if (is_dash(c))
            fixed.push_back('-');
        else
            fixed.append(term, i, len);
        i += len;
    }
    term.swap(fixed);
}

class Scanner {
  public:
    explicit Scanner(std::string_view s) : s_(s), p_(reinterpret_cast<const unsigned char*>(s.data())) {}

    Cp at(std::size_t i) const {
        std::size_t len;
        bool inv;
        char32_t cp = text::decode_utf8(p_ + i, s_.size() - i, len, inv);
        if (inv) return {cp, len, text::kOther, true};
        if (const text::CharInfo* ci = text::char_info(cp)) return {cp, len, static_cast<Cls>(ci->cls)};
        return {cp, len, text::classify(cp)};
    }
    std::size_t size() const { return s_.size(); }

  private:
    std::string_view s_;
    const unsigned char* p_;
};

/// The value of the ASCII digits of a number part (zero-width characters or marks inside
/// it are skipped); 1000000 for more than six digits.
int to_int(std::string_view part) {
    int v = 0, digits = 0;
    for (char c : part) {
        if (c < '0' || c > '9') continue;
        if (++digits > 6) return 1000000;
        v = v * 10 + (c - '0');
    }
    return v;
}

/// True when the code point at p[0..n) cannot continue a word of letters nor join it to a
/// compound: the word before it is a token of its own. (Digits, marks, zero-width
/// characters, letters outside the table, '-' and '/' can; '.' ',' ':' join only digits.)
bool ends_word(const unsigned char* p, std::size_t n) {
    std::size_t len;
    bool inv;
    const char32_t cp = text::decode_utf8(p, n, len, inv);
    if (inv) return true;
    Cls cls;
    if (const text::CharInfo* ci = text::char_info(cp))
        cls = static_cast<Cls>(ci->cls);
    else
        cls = text::classify(cp);
    if (cls == text::kLetter || cls == text::kDigit || cls == text::kMark || cls == text::kIgnorable) return false;
    return cp != U'/' && !is_dash(cp);
}

}  // namespace

std::string_view kind_name(TokenKind kind) noexcept {
    switch (kind) {
        case TokenKind::word: return "word";
        case TokenKind::number: return "number";
        case TokenKind::date: return "date";
        case TokenKind::time: return "time";
        case TokenKind::code: return "code";
        case TokenKind::abbreviation: return "abbreviation";
        case TokenKind::foreign: return "foreign";
    }
    return "word";
}

Analyzer::Analyzer(AnalyzerOptions options) : options_(options) {}

std::vector<Token> Analyzer::analyze(std::string_view text) const {
    std::vector<Token> out;
    analyze(text, [&](const Token& t) { out.push_back(t); });
    return out;
}

AnalysisStats Analyzer::analyze(std::string_view input, const std::function<void(const Token&)>& sink) const {
    AnalysisStats stats;
    Scanner sc(input);
    const std::size_t n = input.size();
    const auto* bytes = reinterpret_cast<const unsigned char*>(input.data());
    const std::size_t max_term = options_.max_term_bytes;
    std::uint32_t pos = options_.first_position;
    Token tok;
    std::vector<Part> parts;
    std::vector<char32_t> connectors;
    std::array<char32_t, text::kFastTermBytes> lowered;
    // The slice whose terms tok.exact/tok.folded hold, if any (part_kind computes the terms
    // of an all-caps part first; emit then reuses them).
    constexpr std::size_t kNoTerms = std::string_view::npos;
    std::size_t terms_start = kNoTerms, terms_end = kNoTerms;

    // Emits [start, end) with the terms already in tok.exact and tok.folded.
    auto emit_terms = [&](std::size_t start, std::size_t end, TokenKind kind, bool part) {
        terms_start = terms_end = kNoTerms;  // the terms are changed below
        tok.text.assign(input.data() + start, end - start);
        if (kind == TokenKind::code) {
            spell_dashes(tok.exact);
            spell_dashes(tok.folded);
        }
        if (tok.exact.size() > max_term) text::truncate_utf8(tok.exact, max_term);
        if (tok.folded.size() > max_term) text::truncate_utf8(tok.folded, max_term);
        tok.start = start;
        tok.end = end;
        tok.kind = kind;
        tok.part = part;
        tok.position = pos;
        ++stats.tokens;
        sink(tok);
    };

    auto terms = [&](std::size_t start, std::size_t end) {
        if (start == terms_start && end == terms_end) return;
        text::word_terms(input.substr(start, end - start), tok.exact, tok.folded);
        terms_start = start;
        terms_end = end;
    };

    auto emit = [&](std::size_t start, std::size_t end, TokenKind kind, bool part) {
        terms(start, end);
        emit_terms(start, end, kind, part);
    };

    auto part_kind = [&](const Part& p) {
        if (p.foreign) return TokenKind::foreign;
        if (p.digits && !p.letters) return TokenKind::number;
        if (p.digits) return TokenKind::code;
        if (p.upper && p.letter_count >= 2) {
            terms(p.start, p.end);
            if (!text::is_syllable(tok.folded)) return TokenKind::abbreviation;
        }
        return TokenKind::word;
    };

    // The common case in one pass: a word of tabulated letters (at most kFastTermBytes)
    // that ends at a separator. Its code points are decoded once, lowercased on the way,
    // and its terms built from them; `end` is set past it. False (nothing emitted) when
    // the general scanner below must decide.
    auto fast_word = [&](std::size_t i, std::size_t& end) {
        std::size_t j = i, count = 0;
        bool upper = true, ascii = true;
        while (j < n) {
            const unsigned char b = bytes[j];
            const text::CharInfo* ci;
            std::size_t len = 1;
            if (b < 0x80) {
                ci = &text::kLatinTable[b];
            } else {
                bool inv;
                const char32_t cp = text::decode_utf8(bytes + j, n - j, len, inv);
                ci = inv ? nullptr : text::char_info(cp);
                if (!ci) break;
            }
            if (ci->cls != text::kLetter) break;
            ascii = ascii && b < 0x80;
            if (j + len - i > text::kFastTermBytes) return false;
            lowered[count++] = ci->lower;
            upper = upper && ci->upper;
            j += len;
        }
        if (count == 0 || (j < n && !ends_word(bytes + j, n - j))) return false;
        if (ascii) {
            tok.exact.resize(count);
            for (std::size_t k = 0; k < count; ++k) tok.exact[k] = static_cast<char>(lowered[k]);
            tok.folded = tok.exact;
        } else {
            text::table_terms(lowered.data(), count, tok.exact, tok.folded);
        }
        terms_start = i;
        terms_end = j;
        TokenKind kind = TokenKind::word;
        if (upper && count >= 2 && !text::is_syllable(tok.folded)) kind = TokenKind::abbreviation;
        emit_terms(i, j, kind, false);
        ++pos;
        end = j;
        return true;
    };

    std::size_t i = 0;
    while (i < n) {
        if (bytes[i] < 0x80) {
            const auto cls = text::kLatinTable[bytes[i]].cls;
            if (cls != text::kLetter && cls != text::kDigit) {  // ASCII space or punctuation
                ++i;
                continue;
            }
        }
        if (std::size_t end; fast_word(i, end)) {
            i = end;
            continue;
        }
        Cp c = sc.at(i);
        if (c.cls != text::kLetter && c.cls != text::kDigit) {
            if (c.invalid) stats.invalid_bytes += c.len;
            i += c.len;
            continue;
        }
        // Letters of scripts written without spaces: one token per character.
        if (c.cls == text::kLetter && text::is_unsegmented_letter(c.cp)) {
            std::size_t j = i + c.len;
            while (j < n) {
                Cp m = sc.at(j);
                if (m.cls != text::kMark && m.cls != text::kIgnorable) break;
                j += m.len;
            }
            emit(i, j, TokenKind::foreign, false);
            ++pos;
            i = j;
            continue;
        }
        // Scan a compound.
        parts.clear();
        connectors.clear();
        std::size_t j = i;
        while (true) {
            Part part{j, j};
            bool first_foreign = false;
            bool first = true;
            while (j < n) {
                Cp m = sc.at(j);
                if (m.cls == text::kLetter) {
                    const text::CharInfo* ci = text::char_info(m.cp);
                    if (!ci && text::is_unsegmented_letter(m.cp)) break;
                    bool foreign = !ci && text::is_foreign_letter(m.cp);
                    if (first) first_foreign = foreign;
                    if (foreign != first_foreign) break;
                    // digits followed by a lowercase letter: a unit or suffix (5km, 50.000đ)
                    if (part.digits && !part.letters && (!ci || !ci->upper)) break;
                    part.letters = true;
                    ++part.letter_count;
                    if (ci ? !ci->upper : !u_isupper(static_cast<UChar32>(m.cp))) part.upper = false;
                } else if (m.cls == text::kDigit) {
                    if (first) first_foreign = false;
                    if (first_foreign) break;
                    part.digits = true;
                    ++part.digit_count;
                } else if (m.cls == text::kMark || m.cls == text::kIgnorable) {
                    if (first) break;
                } else {
                    break;
                }
                first = false;
                j += m.len;
            }
            part.end = j;
            part.foreign = first_foreign;
            if (part.end == part.start) break;
            parts.push_back(part);
            if (j >= n || first_foreign) break;
            Cp conn = sc.at(j);
            if (!is_connector(conn.cp) || j + conn.len >= n) break;
            Cp next = sc.at(j + conn.len);
            bool next_digit = next.cls == text::kDigit;
            bool next_alnum = next_digit || (next.cls == text::kLetter && !text::is_unsegmented_letter(next.cp) &&
                                             !(next.cp >= 0x250 && text::is_foreign_letter(next.cp)));
            bool prev_digits = part.digits && !part.letters;
            bool ok;
            if (conn.cp == U'.' || conn.cp == U',' || conn.cp == U':')
                ok = prev_digits && next_digit && (connectors.empty() || !is_dash(connectors.back()));
            else
                ok = next_alnum;
            if (!ok) break;
            connectors.push_back(conn.cp);
            j += conn.len;
        }
        if (parts.empty()) {  // cannot happen: c is a letter or digit
            i += c.len;
            continue;
        }
        const std::size_t start = parts.front().start, end = parts.back().end;
        if (parts.size() == 1) {
            emit(start, end, part_kind(parts[0]), false);
            ++pos;
            i = end;
            continue;
        }
        bool all_digits = std::all_of(parts.begin(), parts.end(), [](const Part& p) { return p.digits && !p.letters; });
        auto all_conn = [&](auto pred) { return std::all_of(connectors.begin(), connectors.end(), pred); };
        auto num = [&](const Part& p) { return to_int(input.substr(p.start, p.end - p.start)); };
        auto width = [](const Part& p) { return p.digit_count; };
        TokenKind kind = TokenKind::code;
        if (all_digits) {
            if (all_conn([](char32_t x) { return x == U'.' || x == U','; })) {
                kind = TokenKind::number;
            } else if (all_conn([](char32_t x) { return x == U':'; })) {
                bool ok = parts.size() <= 3 && num(parts[0]) <= 24;
                for (std::size_t k = 0; k < parts.size(); ++k) ok = ok && width(parts[k]) <= 2 && (k == 0 || num(parts[k]) < 60);
                kind = ok ? TokenKind::time : TokenKind::code;
            } else if (all_conn([](char32_t x) { return x == U'/'; })) {
                auto day = [&](const Part& p) { return width(p) <= 2 && num(p) >= 1 && num(p) <= 31; };
                auto month = [&](const Part& p) { return width(p) <= 2 && num(p) >= 1 && num(p) <= 12; };
                auto year = [&](const Part& p) { return width(p) == 4 || width(p) == 2; };
                if ((parts.size() == 3 && day(parts[0]) && month(parts[1]) && year(parts[2])) ||
                    (parts.size() == 2 && month(parts[0]) && width(parts[1]) == 4) ||
                    (parts.size() == 2 && day(parts[0]) && month(parts[1])))
                    kind = TokenKind::date;
            } else if (all_conn([](char32_t x) { return x == U'-'; }) && parts.size() == 3 &&
                       width(parts[0]) == 4 && width(parts[1]) == 2 && width(parts[2]) == 2 &&
                       num(parts[1]) >= 1 && num(parts[1]) <= 12 && num(parts[2]) >= 1 && num(parts[2]) <= 31) {
                kind = TokenKind::date;
            }
        }
        emit(start, end, kind, false);
        if (kind == TokenKind::number || kind == TokenKind::time || !options_.emit_parts) {
            ++pos;
        } else {
            for (const Part& p : parts) {
                emit(p.start, p.end, part_kind(p), true);
                ++pos;
            }
        }
        i = end;
    }
    return stats;
}

}  // namespace vnsearch
