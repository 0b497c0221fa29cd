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
        if (cp < 0x80) return {cp, 1, static_cast<Cls>(text::kLatinTable[cp].cls)};
        return {cp, len, text::classify(cp)};
    }
    std::size_t size() const { return s_.size(); }

  private:
    std::string_view s_;
    const unsigned char* p_;
};

int to_int(std::string_view digits) {
    if (digits.size() > 6) return 1000000;
    int v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    return v;
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
    std::uint32_t pos = options_.first_position;
    Token tok;
    std::vector<Part> parts;
    std::vector<char32_t> connectors;

    auto emit = [&](std::size_t start, std::size_t end, TokenKind kind, bool part) {
        std::string_view slice = input.substr(start, end - start);
        tok.text.assign(slice);
        text::word_terms(slice, tok.exact, tok.folded);
        if (kind == TokenKind::code) {
            spell_dashes(tok.exact);
            spell_dashes(tok.folded);
        }
        text::truncate_utf8(tok.exact, options_.max_term_bytes);
        text::truncate_utf8(tok.folded, options_.max_term_bytes);
        tok.start = start;
        tok.end = end;
        tok.kind = kind;
        tok.part = part;
        tok.position = pos;
        ++stats.tokens;
        sink(tok);
    };

    auto part_kind = [&](const Part& p) {
        if (p.foreign) return TokenKind::foreign;
        if (p.digits && !p.letters) return TokenKind::number;
        if (p.digits) return TokenKind::code;
        if (p.upper && p.letter_count >= 2) {
            text::word_terms(input.substr(p.start, p.end - p.start), tok.exact, tok.folded);
            if (!text::is_syllable(tok.folded)) return TokenKind::abbreviation;
        }
        return TokenKind::word;
    };

    std::size_t i = 0;
    while (i < n) {
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
        auto width = [](const Part& p) { return p.end - p.start; };
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
