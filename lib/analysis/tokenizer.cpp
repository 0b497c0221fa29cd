// The syllable tokenizer. It scans the original bytes once, so every token's offsets are
// offsets into the input as given; normalization happens per token (text/normalize.h).
//
// A "compound" is a run of alphanumeric parts joined by connectors without spaces:
//   '.' ','  between digits           -> number  (3.337, 59,2)
//   ':'      between digits           -> time    (08:11:00)
//   '/' '-'  (and U+2010/2011/2013) between alphanumerics -> date (25/07/2024) or code
// A digit run followed by lowercase letters ends there (50.000đ -> 50.000 + đ, 5km).
//
// One analyze() call is a TokenScanner; its steps, in the order a token meets them (the
// rules they implement: docs/analysis.md):
//   run                  skips separators and invalid bytes, hands each token to a step below
//   fast_word            a plain word of table letters: scan_table_word, table_word_terms
//                        (or, when the caller looks for given words and this is none of
//                        them, neither terms nor a call: analysis/scan.h)
//   unsegmented_letter   a letter of Han, kana, Thai, ...: one token per character
//   compound             everything else: scan_compound (scan_part, joining_connector),
//                        compound_kind (is_time, is_slash_date, is_iso_date), part_kind
//   emit, emit_terms     the terms, a code's dashes, the max_term_bytes cut, the position
#include <algorithm>
#include <array>
#include <cstdlib>
#include <type_traits>
#include <vector>

#include <unicode/uchar.h>

#include "analysis/scan.h"
#include "text/normalize.h"
#include "text/utf8.h"
#include "vnsearch/analysis.h"

namespace vnsearch {
namespace {

using text::Cls;

// ---- Named limits ------------------------------------------------------------------

/// Bytes below this are ASCII: classified straight from text::kLatinTable, no decoding.
constexpr unsigned char kFirstNonAscii = 0x80;

/// The hyphen look-alikes that join a code as '-' does (and are spelled '-' in its terms):
/// U+2010 HYPHEN, U+2011 NON-BREAKING HYPHEN, U+2013 EN DASH.
constexpr char32_t kHyphen = 0x2010;
constexpr char32_t kNonBreakingHyphen = 0x2011;
constexpr char32_t kEnDash = 0x2013;
/// The first UTF-8 byte of all three look-alikes (E2 80 90/91/93): a term without it has none.
constexpr char kDashLeadByte = '\xE2';

/// Code points below this are Latin (Basic Latin to Latin Extended-B): a letter there may
/// always start a part after '-' or '/'; from here on, a letter of another script may not.
constexpr char32_t kFirstNonLatin = 0x250;

/// An all-capitals word needs at least this many letters to be an abbreviation ("A" is a word).
constexpr std::size_t kMinAbbreviationLetters = 2;

/// A number part's value is read from at most this many digits; a longer part counts as
/// kTooManyDigits, which fits no date or time field.
constexpr int kMaxValueDigits = 6;
constexpr int kTooManyDigits = 1000000;

/// Digits of a day, month, hour, minute or second: at most this many (exactly this many
/// for the month and day of yyyy-mm-dd).
constexpr int kFieldDigits = 2;
/// Digits of a year: yyyy (also the year of m/yyyy and yyyy-mm-dd) or yy (only in d/m/yy).
constexpr int kLongYearDigits = 4;
constexpr int kShortYearDigits = 2;
/// Date fields: day 1..kMaxDay, month 1..kMaxMonth.
constexpr int kMaxDay = 31;
constexpr int kMaxMonth = 12;
/// Time: h:mm or h:mm:ss (at most kMaxTimeParts parts), hour <= kMaxHour, minutes and
/// seconds < kMinutesPerHour.
constexpr std::size_t kMaxTimeParts = 3;
constexpr int kMaxHour = 24;
constexpr int kMinutesPerHour = 60;

// ---- Characters --------------------------------------------------------------------

/// One decoded code point: its value, byte length and class.
struct Cp {
    char32_t cp;
    std::size_t len;
    Cls cls;
    bool invalid = false;
};

/// Decodes and classifies the code point at p[0..n) (invalid bytes: kOther, `invalid`).
inline Cp decode_at(const unsigned char* p, std::size_t n) {
    std::size_t len;
    bool inv;
    const char32_t cp = text::decode_utf8(p, n, len, inv);
    if (inv) return {cp, len, text::kOther, true};
    if (const text::CharInfo* ci = text::char_info(cp)) return {cp, len, static_cast<Cls>(ci->cls)};
    return {cp, len, text::classify(cp)};
}

/// True for a byte of a one-byte (ASCII) code point.
inline bool is_ascii(unsigned char b) { return b < kFirstNonAscii; }

/// True for an ASCII byte that is neither a letter nor a digit: a separator, skipped.
inline bool is_ascii_separator(unsigned char b) {
    if (!is_ascii(b)) return false;
    const auto cls = text::kLatinTable[b].cls;
    return cls != text::kLetter && cls != text::kDigit;
}

/// True for '-' and its look-alikes.
inline bool is_dash(char32_t c) {
    return c == U'-' || c == kHyphen || c == kNonBreakingHyphen || c == kEnDash;
}

/// The connectors that join only digits: '.' and ',' (numbers), ':' (times).
inline bool is_digit_joiner(char32_t c) { return c == U'.' || c == U',' || c == U':'; }

/// The connectors of a compound: the digit joiners, '/' and the dashes.
inline bool is_connector(char32_t c) { return is_digit_joiner(c) || c == U'/' || is_dash(c); }

/// Decides whether `c` may start a part after '-' or '/': a digit, or a Latin-script letter.
inline bool starts_part(const Cp& c) {
    if (c.cls == text::kDigit) return true;
    return c.cls == text::kLetter && !text::is_unsegmented_letter(c.cp) &&
           !(c.cp >= kFirstNonLatin && text::is_foreign_letter(c.cp));
}

/// Decides whether the code point at p[0..n) ends the word before it (else the general scanner
/// continues it: digits, marks, zero-width characters, other letters, '-', '/'; '.' ',' ':'
/// join only digits).
inline bool ends_word(const unsigned char* p, std::size_t n) {
    const Cp c = decode_at(p, n);
    if (c.invalid) return true;
    if (c.cls == text::kLetter || c.cls == text::kDigit || c.cls == text::kMark || c.cls == text::kIgnorable)
        return false;
    return c.cp != U'/' && !is_dash(c.cp);
}

/// Decides whether a word may be an abbreviation (then one if not a syllable): all capitals, 2+ letters.
inline bool caps_shaped(bool upper, std::size_t letters) {
    return upper && letters >= kMinAbbreviationLetters;
}

// ---- Terms -------------------------------------------------------------------------

/// Spells the hyphen look-alikes joining a code as '-' in its term.
void spell_dashes(std::string& term) {
    if (term.find(kDashLeadByte) == std::string::npos) return;
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

/// Cuts an over-long term at a character boundary to at most max_bytes (the token's text,
/// start and end still cover the whole run).
inline void cut_term(std::string& term, std::size_t max_bytes) {
    if (term.size() > max_bytes) text::truncate_utf8(term, max_bytes);
}

/// The value of the ASCII digits of a number part (zero-width characters or marks inside
/// it are skipped); kTooManyDigits for more than kMaxValueDigits digits.
int to_int(std::string_view part) {
    int v = 0, digits = 0;
    for (char c : part) {
        if (c < '0' || c > '9') continue;
        if (++digits > kMaxValueDigits) return kTooManyDigits;
        v = v * 10 + (c - '0');
    }
    return v;
}

inline bool in_range(int v, int lo, int hi) { return v >= lo && v <= hi; }

// ---- The scanner -------------------------------------------------------------------

/// One alphanumeric part of a compound: its bytes and what they hold.
struct Part {
    std::size_t start, end;
    bool letters = false, digits = false, upper = true, foreign = false;
    int letter_count = 0;
    int digit_count = 0;  ///< digits, not bytes: zero-width characters inside do not count

    bool only_digits() const { return digits && !letters; }
};

/// A run of table letters scanned by the fast path (count == 0: not a fast word).
struct TableWord {
    std::size_t end = 0, count = 0;
    bool upper = true, ascii = true;
};

/// A plain word scanned for its folded form only (TokenScanner::scan_folded_word): one
/// folded byte per letter.
struct FoldedWord {
    std::size_t end = 0, count = 0;
};

/// One analyze() call: walks the input once and sends its tokens to the sink in order.
/// Holds the position counter and the buffers reused from token to token. `Sink` returns
/// void (every token) or bool (false: stop after this token; analyze_while).
template <class Sink>
class TokenScanner {
  public:
    TokenScanner(std::string_view input, const AnalyzerOptions& options, const Sink& sink,
                 detail::LookingFor* looking = nullptr)
        : input_(input),
          bytes_(reinterpret_cast<const unsigned char*>(input.data())),
          n_(input.size()),
          options_(options),
          sink_(sink),
          looking_(looking),
          wanted_(looking ? &looking->wanted : nullptr),
          pos_(options.first_position) {}

    /// Decides which step reads the token at each offset; skips separators and invalid bytes.
    AnalysisStats run() {
        std::size_t i = 0;
        while (i < n_ && !stopped_) {
            if (is_ascii_separator(bytes_[i])) {
                ++i;
                continue;
            }
            if (looking_ && i >= looking_->stop_at) break;
            if (const std::size_t end = fast_word(i)) {
                i = end;
                continue;
            }
            const Cp c = at(i);
            if (c.cls != text::kLetter && c.cls != text::kDigit) {  // a separator (or invalid bytes)
                if (c.invalid) stats_.invalid_bytes += c.len;
                i += c.len;
                continue;
            }
            if (c.cls == text::kLetter && text::is_unsegmented_letter(c.cp))
                i = unsegmented_letter(i, c);
            else
                i = compound(i, c);
        }
        return stats_;
    }

  private:
    /// terms_start_/terms_end_ when tok_ holds no slice's terms.
    static constexpr std::size_t kNoTerms = std::string_view::npos;

    /// The code point at offset i, decoded and classified.
    Cp at(std::size_t i) const { return decode_at(bytes_ + i, n_ - i); }

    // -- The fast path --

    /// Decides whether a plain word of table letters starts at i and emits it: its end, else 0.
    std::size_t fast_word(std::size_t i) {
        if (wanted_) {  // most words are not looked for: told from their folded form alone
            const FoldedWord f = scan_folded_word(i);
            if (f.count != 0 && (f.end == n_ || ends_word(bytes_ + f.end, n_ - f.end)) &&
                !wanted_->contains(std::string_view(folded_buf_.data(), f.count)))
                return skip_unwanted(i, f.end);
        }
        const TableWord w = scan_table_word(i);
        if (w.count == 0 || (w.end < n_ && !ends_word(bytes_ + w.end, n_ - w.end))) return 0;
        if (wanted_ && !wanted_->contains(std::string_view(
                           folded_buf_.data(), text::table_folded(lowered_.data(), w.count, folded_buf_.data()))))
            return skip_unwanted(i, w.end);
        table_word_terms(w);
        terms_start_ = i;
        terms_end_ = w.end;
        const bool abbreviation = caps_shaped(w.upper, w.count) && !text::is_syllable(tok_.folded);
        emit_terms(i, w.end, abbreviation ? TokenKind::abbreviation : TokenKind::word, false);
        ++pos_;
        return w.end;
    }

    /// A plain word not looked for [start, end): read, not sent (analysis/scan.h). Its end.
    std::size_t skip_unwanted(std::size_t start, std::size_t end) {
        ++stats_.tokens;
        if (looking_->bounds) looking_->bounds->emplace_back(start, end);
        ++pos_;
        return end;
    }

    /// The table entry of the letter at j and its length in bytes; nullptr when no table letter
    /// is there (another character, or invalid bytes).
    const text::CharInfo* table_letter(std::size_t j, std::size_t& len) const {
        const unsigned char b = bytes_[j];
        len = 1;
        const text::CharInfo* ci;
        if (is_ascii(b)) {
            ci = &text::kLatinTable[b];
        } else {
            bool inv;
            const char32_t cp = text::decode_utf8(bytes_ + j, n_ - j, len, inv);
            ci = inv ? nullptr : text::char_info(cp);
        }
        return ci && ci->cls == text::kLetter ? ci : nullptr;
    }

    /// scan_table_word for a word only looked up: how far table letters reach from i and the
    /// word's folded form, written to folded_buf_ as it is scanned (what table_folded makes of
    /// lowered_, one ASCII letter per letter), without the case and the lowercase letters
    /// kept. Count 0 where scan_table_word gives 0, and for a letter whose lowercase folds to
    /// no ASCII letter (scan_table_word then decides).
    FoldedWord scan_folded_word(std::size_t i) {
        FoldedWord w;
        std::size_t j = i;
        while (j < n_) {
            std::size_t len;
            const text::CharInfo* ci = table_letter(j, len);
            if (!ci) break;
            if (j + len - i > text::kFastTermBytes) return FoldedWord{};
            char folded = static_cast<char>(ci->lower);
            if (ci->lower >= kFirstNonAscii) {
                const text::CharInfo* lower = text::char_info(ci->lower);
                folded = lower ? lower->fold : 0;
                if (folded == 0) return FoldedWord{};
            }
            folded_buf_[w.count++] = folded;
            j += len;
        }
        w.end = j;
        return w;
    }

    /// Decides how far table letters reach from i (count 0: past kFastTermBytes); lowercases into lowered_.
    TableWord scan_table_word(std::size_t i) {
        TableWord w;
        std::size_t j = i;
        while (j < n_) {
            std::size_t len;
            const text::CharInfo* ci = table_letter(j, len);
            if (!ci) break;
            w.ascii = w.ascii && len == 1;
            if (j + len - i > text::kFastTermBytes) return TableWord{};
            lowered_[w.count++] = ci->lower;
            w.upper = w.upper && ci->upper;
            j += len;
        }
        w.end = j;
        return w;
    }

    /// Writes the scanned word's terms from lowered_: ASCII is its own term, others use the table.
    void table_word_terms(const TableWord& w) {
        if (w.ascii) {
            tok_.exact.resize(w.count);
            for (std::size_t k = 0; k < w.count; ++k) tok_.exact[k] = static_cast<char>(lowered_[k]);
            tok_.folded = tok_.exact;
        } else {
            text::table_terms(lowered_.data(), w.count, tok_.exact, tok_.folded);
        }
    }

    // -- Scripts written without spaces --

    /// Emits the letter at i, with the marks and zero-width characters after it, as one token.
    std::size_t unsegmented_letter(std::size_t i, const Cp& c) {
        std::size_t j = i + c.len;
        while (j < n_) {
            const Cp m = at(j);
            if (m.cls != text::kMark && m.cls != text::kIgnorable) break;
            j += m.len;
        }
        emit(i, j, TokenKind::foreign, false);
        ++pos_;
        return j;
    }

    // -- Compounds --

    /// Emits the compound at i: a single part as itself, else the whole, then a date's or code's parts.
    std::size_t compound(std::size_t i, const Cp& c) {
        scan_compound(i);
        if (parts_.empty()) return i + c.len;  // cannot happen: c is a letter or digit
        const std::size_t start = parts_.front().start, end = parts_.back().end;
        if (parts_.size() == 1) {
            emit(start, end, part_kind(parts_[0]), false);
            ++pos_;
            return end;
        }
        const TokenKind kind = compound_kind();
        emit(start, end, kind, false);
        if (kind == TokenKind::number || kind == TokenKind::time || !options_.emit_parts) {
            ++pos_;  // numbers and times have no parts
        } else {
            for (const Part& p : parts_) {
                if (stopped_) break;
                emit(p.start, p.end, part_kind(p), true);
                ++pos_;
            }
        }
        return end;
    }

    /// Decides how far the compound from i reaches: fills parts_ and the connectors_ between them.
    void scan_compound(std::size_t i) {
        parts_.clear();
        connectors_.clear();
        std::size_t j = i;
        while (true) {
            const Part part = scan_part(j);
            if (part.end == part.start) break;
            parts_.push_back(part);
            if (part.foreign) break;  // a word of another script joins nothing
            const Cp conn = joining_connector(part);
            if (conn.len == 0) break;
            connectors_.push_back(conn.cp);
            j = part.end + conn.len;
        }
    }

    /// Decides where the alphanumeric part from j ends (one script; digits stop before a lowercase unit).
    Part scan_part(std::size_t j) const {
        Part part{j, j};
        bool first = true;
        while (j < n_) {
            const Cp m = at(j);
            if (m.cls == text::kLetter) {
                const text::CharInfo* ci = text::char_info(m.cp);
                if (!ci && text::is_unsegmented_letter(m.cp)) break;
                const bool foreign = !ci && text::is_foreign_letter(m.cp);
                if (first) part.foreign = foreign;
                if (foreign != part.foreign) break;
                if (part.only_digits() && (!ci || !ci->upper)) break;
                part.letters = true;
                ++part.letter_count;
                if (ci ? !ci->upper : !u_isupper(static_cast<UChar32>(m.cp))) part.upper = false;
            } else if (m.cls == text::kDigit) {
                if (first) part.foreign = false;
                if (part.foreign) break;
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
        return part;
    }

    /// Decides whether the connector after `prev` joins a next part; returns it, or len 0 if not.
    Cp joining_connector(const Part& prev) const {
        constexpr Cp kNone{0, 0, text::kOther};
        const std::size_t j = prev.end;
        if (j >= n_) return kNone;
        const Cp conn = at(j);
        if (!is_connector(conn.cp) || j + conn.len >= n_) return kNone;
        const Cp next = at(j + conn.len);
        bool joins;
        if (is_digit_joiner(conn.cp))  // digits to digits, not right after a dash
            joins = prev.only_digits() && next.cls == text::kDigit &&
                    (connectors_.empty() || !is_dash(connectors_.back()));
        else  // '-' '/' and the dashes: alphanumerics
            joins = starts_part(next);
        return joins ? conn : kNone;
    }

    /// True when every connector of the compound satisfies pred.
    template <class Pred>
    bool all_connectors(Pred pred) const {
        return std::all_of(connectors_.begin(), connectors_.end(), pred);
    }

    /// Decides what a compound of 2+ parts is: number, time or date if its digits fit one, else code.
    TokenKind compound_kind() const {
        if (!std::all_of(parts_.begin(), parts_.end(), [](const Part& p) { return p.only_digits(); }))
            return TokenKind::code;
        if (all_connectors([](char32_t x) { return x == U'.' || x == U','; })) return TokenKind::number;
        if (all_connectors([](char32_t x) { return x == U':'; }))
            return is_time() ? TokenKind::time : TokenKind::code;
        if (all_connectors([](char32_t x) { return x == U'/'; }))
            return is_slash_date() ? TokenKind::date : TokenKind::code;
        if (all_connectors([](char32_t x) { return x == U'-'; }) && is_iso_date()) return TokenKind::date;
        return TokenKind::code;
    }

    /// The value of a number part (see to_int); the day, month and year fields of a date.
    int value(const Part& p) const { return to_int(input_.substr(p.start, p.end - p.start)); }
    bool is_day(const Part& p) const {
        return p.digit_count <= kFieldDigits && in_range(value(p), 1, kMaxDay);
    }
    bool is_month(const Part& p) const {
        return p.digit_count <= kFieldDigits && in_range(value(p), 1, kMaxMonth);
    }
    bool is_year(const Part& p) const {
        return p.digit_count == kLongYearDigits || p.digit_count == kShortYearDigits;
    }

    /// Decides whether digits joined by ':' are a time: h:mm or h:mm:ss.
    bool is_time() const {
        if (parts_.size() > kMaxTimeParts || value(parts_[0]) > kMaxHour) return false;
        for (std::size_t k = 0; k < parts_.size(); ++k)
            if (parts_[k].digit_count > kFieldDigits || (k > 0 && value(parts_[k]) >= kMinutesPerHour))
                return false;
        return true;
    }

    /// Decides whether digits joined by '/' are a date: d/m/yyyy, d/m/yy, m/yyyy or d/m.
    bool is_slash_date() const {
        if (parts_.size() == 3) return is_day(parts_[0]) && is_month(parts_[1]) && is_year(parts_[2]);
        if (parts_.size() == 2)
            return (is_month(parts_[0]) && parts_[1].digit_count == kLongYearDigits) ||
                   (is_day(parts_[0]) && is_month(parts_[1]));
        return false;
    }

    /// Decides whether digits joined by '-' are a date: yyyy-mm-dd.
    bool is_iso_date() const {
        return parts_.size() == 3 && parts_[0].digit_count == kLongYearDigits &&
               parts_[1].digit_count == kFieldDigits && parts_[2].digit_count == kFieldDigits &&
               in_range(value(parts_[1]), 1, kMaxMonth) && in_range(value(parts_[2]), 1, kMaxDay);
    }

    /// Decides a part's kind: foreign, number, code, abbreviation or word (keeps an all-caps part's terms).
    TokenKind part_kind(const Part& p) {
        if (p.foreign) return TokenKind::foreign;
        if (p.only_digits()) return TokenKind::number;
        if (p.digits) return TokenKind::code;
        if (caps_shaped(p.upper, static_cast<std::size_t>(p.letter_count))) {
            terms(p.start, p.end);
            if (!text::is_syllable(tok_.folded)) return TokenKind::abbreviation;
        }
        return TokenKind::word;
    }

    // -- Emission --

    /// Puts the terms of [start, end) into tok_.exact and tok_.folded, unless they are there already.
    void terms(std::size_t start, std::size_t end) {
        if (start == terms_start_ && end == terms_end_) return;
        text::word_terms(input_.substr(start, end - start), tok_.exact, tok_.folded);
        terms_start_ = start;
        terms_end_ = end;
    }

    /// Emits [start, end) at the current position with its terms.
    void emit(std::size_t start, std::size_t end, TokenKind kind, bool part) {
        terms(start, end);
        emit_terms(start, end, kind, part);
    }

    /// Emits [start, end) with the terms in tok_: a code's dashes spelled '-', both cut to max_term_bytes.
    void emit_terms(std::size_t start, std::size_t end, TokenKind kind, bool part) {
        terms_start_ = terms_end_ = kNoTerms;  // the terms are changed below
        tok_.text.assign(input_.data() + start, end - start);
        if (kind == TokenKind::code) {
            spell_dashes(tok_.exact);
            spell_dashes(tok_.folded);
        }
        cut_term(tok_.exact, options_.max_term_bytes);
        cut_term(tok_.folded, options_.max_term_bytes);
        tok_.start = start;
        tok_.end = end;
        tok_.kind = kind;
        tok_.part = part;
        tok_.position = pos_;
        send();
    }

    /// Sends tok_ to the sink and counts it.
    void send() {
        ++stats_.tokens;
        if (looking_ && looking_->bounds && !tok_.part) looking_->bounds->emplace_back(tok_.start, tok_.end);
        if constexpr (std::is_same_v<decltype(sink_(tok_)), bool>) stopped_ = !sink_(tok_);
        else sink_(tok_);
    }

    const std::string_view input_;
    const unsigned char* const bytes_;
    const std::size_t n_;
    const AnalyzerOptions& options_;
    const Sink& sink_;
    detail::LookingFor* const looking_;      ///< analyze_looking_for's (else null)
    const detail::FoldedSet* const wanted_;  ///< the words whose terms are built (all when null)
    bool stopped_ = false;  ///< the sink asked for no more tokens
    std::uint32_t pos_;  ///< the position of the next token
    AnalysisStats stats_;
    Token tok_;                                           ///< reused for every token
    std::vector<Part> parts_;                             ///< the compound being scanned
    std::vector<char32_t> connectors_;                    ///< between parts_[k] and parts_[k + 1]
    std::array<char32_t, text::kFastTermBytes> lowered_;  ///< the fast word's lowercase code points
    std::array<char, 3 * text::kFastTermBytes> folded_buf_;  ///< its folded term, when wanted_ is set
    /// The slice whose terms tok_.exact and tok_.folded hold (part_kind computes them first).
    std::size_t terms_start_ = kNoTerms, terms_end_ = kNoTerms;
};

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
    return TokenScanner<std::function<void(const Token&)>>(input, options_, sink).run();
}

AnalysisStats Analyzer::analyze_while(std::string_view input, const std::function<bool(const Token&)>& sink) const {
    return TokenScanner<std::function<bool(const Token&)>>(input, options_, sink).run();
}

namespace detail {

void FoldedSet::insert(std::string_view folded) {
    const unsigned s = signature(folded);
    bits_[s >> 6] |= std::uint64_t{1} << (s & 63);
    forms_.push_back(folded);
}

AnalysisStats analyze_looking_for(const Analyzer& analyzer, std::string_view text, LookingFor& looking,
                                  const std::function<bool(const Token&)>& sink) {
    return TokenScanner<std::function<bool(const Token&)>>(text, analyzer.options(), sink, &looking).run();
}

}  // namespace detail

}  // namespace vnsearch
