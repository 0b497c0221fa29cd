// Normalization and folding. The fast path handles text whose code points are all in the
// generated table (precomposed Vietnamese, Latin); anything else (combining marks,
// zero-width characters, other scripts) goes through ICU.
#include "text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>

#include "text/utf8.h"
#include "vnsearch/text.h"

namespace vnsearch::text {
namespace {

bool is_shape_mark(char32_t c) { return c == 0x0302 || c == 0x0306 || c == 0x031B; }

const icu::Normalizer2& nfc() {
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return *n;
}

const icu::Normalizer2& nfd() {
    UErrorCode status = U_ZERO_ERROR;
    static const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    return *n;
}

/// The letter `base` (no tone, case as given) carrying `tone`; `base` when no such letter.
char32_t with_tone(char32_t base, std::uint8_t tone) noexcept {
    if (tone == kNoTone) return base;
    // The tabulated letters that have `base` as their toneless form: a small scan, only
    // taken when a tone actually moves.
    for (char32_t cp = 0xC0; cp < 0x250; ++cp) {
        const CharInfo& ci = kLatinTable[cp];
        if (ci.tone == tone && ci.notone == base) return cp;
    }
    for (char32_t cp = 0x1E00; cp < 0x1F00; ++cp) {
        const CharInfo& ci = kVietTable[cp - 0x1E00];
        if (ci.tone == tone && ci.notone == base) return cp;
    }
    return base;
}

char fold_char(char32_t cp) noexcept {
    const CharInfo* ci = char_info(cp);
    return ci ? ci->fold : 0;
}

/// NFC with Vietnamese mark order: within each run of combining marks, shape marks
/// (circumflex, breve, horn) go before tone marks, so "e + acute + circumflex" composes
/// to ế like "e + circumflex + acute" does. Zero-width characters are dropped, Ð/ð
/// become Đ/đ and Unicode spaces become ' '.
std::u32string canonical_cps(std::u32string_view in) {
    bool needs_icu = false;
    std::u32string s;
    s.reserve(in.size());
    for (char32_t c : in) {
        Cls cls = classify(c);
        if (cls == kIgnorable) continue;
        if (cls == kSpace && c >= 0x80) c = U' ';
        if (c == 0x00D0) c = 0x0110;
        if (c == 0x00F0) c = 0x0111;
        if (!char_info(c) || cls == kMark) needs_icu = true;
        s.push_back(c);
    }
    if (!needs_icu) return s;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString u = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(s.data()),
                                                         static_cast<int32_t>(s.size()));
    icu::UnicodeString d = nfd().normalize(u, status);
    if (U_FAILURE(status)) return s;
    std::u32string cps(static_cast<std::size_t>(d.countChar32()), 0);
    UErrorCode st2 = U_ZERO_ERROR;
    d.toUTF32(reinterpret_cast<UChar32*>(cps.data()), static_cast<int32_t>(cps.size()), st2);
    for (std::size_t i = 0; i < cps.size();) {
        if (!u_getCombiningClass(static_cast<UChar32>(cps[i]))) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < cps.size() && u_getCombiningClass(static_cast<UChar32>(cps[j]))) ++j;
        std::stable_partition(cps.begin() + static_cast<std::ptrdiff_t>(i),
                              cps.begin() + static_cast<std::ptrdiff_t>(j), is_shape_mark);
        i = j;
    }
    icu::UnicodeString r = icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(cps.data()),
                                                         static_cast<int32_t>(cps.size()));
    icu::UnicodeString c = nfc().normalize(r, status);
    if (U_FAILURE(status)) return s;
    std::u32string out(static_cast<std::size_t>(c.countChar32()), 0);
    c.toUTF32(reinterpret_cast<UChar32*>(out.data()), static_cast<int32_t>(out.size()), status);
    return out;
}

char32_t lower_cp(char32_t c) noexcept {
    if (const CharInfo* ci = char_info(c)) return ci->lower;
    return static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
}

/// A letter of the table. A lowercase letter may lie outside it (Ⱥ U+023A -> ⱥ U+2C65).
inline bool is_table_letter(char32_t c) noexcept {
    const CharInfo* ci = char_info(c);
    return ci && ci->cls == kLetter;
}

/// A letter a syllable for tone placement is made of: one whose lowercase form is a letter
/// of the table. Anything else (digits, marks, other scripts, ⱥ) ends the syllable, in
/// either case and on every path, so NFC, NFD, upper and lower case text agree.
inline bool is_syllable_letter(char32_t c) noexcept { return is_table_letter(lower_cp(c)); }

/// Applies place_tone to each run of syllable letters. A run followed by a combining mark
/// that did not compose (y + U+0306) is left alone: a tone moved onto its last letter
/// would not be in canonical order before that mark, and normalize would not be idempotent.
void place_tones(std::u32string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        if (!is_syllable_letter(s[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && is_syllable_letter(s[j])) ++j;
        if (j == s.size() || !u_getCombiningClass(static_cast<UChar32>(s[j]))) place_tone(s.data() + i, j - i);
        i = j;
    }
}

/// Folds one code point that is not in the table: NFD, marks dropped, lowercase.
void append_folded_other(std::string& out, char32_t c) {
    if (u_getCombiningClass(static_cast<UChar32>(c)) || classify(c) == kMark) return;
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString d = nfd().normalize(icu::UnicodeString(static_cast<UChar32>(c)), status);
    if (U_FAILURE(status)) {
        append_utf8(out, lower_cp(c));
        return;
    }
    for (int32_t i = 0; i < d.length();) {
        UChar32 x = d.char32At(i);
        i += U16_LENGTH(x);
        if (u_charType(x) == U_NON_SPACING_MARK || u_charType(x) == U_ENCLOSING_MARK ||
            u_charType(x) == U_COMBINING_SPACING_MARK)
            continue;
        append_utf8(out, static_cast<char32_t>(u_tolower(x)));
    }
}

void append_folded(std::string& out, char32_t c) {
    const CharInfo* ci = char_info(c);
    if (ci) {
        if (ci->fold) {
            out.push_back(ci->fold);
        } else if (ci->cls == kMark) {
            // dropped
        } else {
            append_utf8(out, ci->lower);
        }
        return;
    }
    append_folded_other(out, c);
}

}  // namespace

Cls classify(char32_t cp) noexcept {
    if (const CharInfo* ci = char_info(cp)) return static_cast<Cls>(ci->cls);
    if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF) return kIgnorable;
    if (cp == kReplacement) return kOther;
    switch (u_charType(static_cast<UChar32>(cp))) {
        case U_UPPERCASE_LETTER:
        case U_LOWERCASE_LETTER:
        case U_TITLECASE_LETTER:
        case U_MODIFIER_LETTER:
        case U_OTHER_LETTER:
            return kLetter;
        case U_DECIMAL_DIGIT_NUMBER:
            return kDigit;
        case U_NON_SPACING_MARK:
        case U_ENCLOSING_MARK:
        case U_COMBINING_SPACING_MARK:
            return kMark;
        case U_SPACE_SEPARATOR:
        case U_LINE_SEPARATOR:
        case U_PARAGRAPH_SEPARATOR:
        case U_CONTROL_CHAR:
            return kSpace;
        case U_FORMAT_CHAR:
            return kIgnorable;
        default:
            return kOther;
    }
}

bool is_foreign_letter(char32_t cp) noexcept {
    if (char_info(cp)) return false;
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(static_cast<UChar32>(cp), &status);
    return sc != USCRIPT_LATIN && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED;
}

bool is_unsegmented_letter(char32_t cp) noexcept {
    if (cp < 0x0E00) return false;
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(static_cast<UChar32>(cp), &status)) {
        case USCRIPT_HAN:
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
        case USCRIPT_THAI:
        case USCRIPT_LAO:
        case USCRIPT_KHMER:
        case USCRIPT_MYANMAR:
        case USCRIPT_YI:
            return true;
        default:
            return false;
    }
}

bool place_tone(char32_t* c, std::size_t n) noexcept {
    if (n < 2) return false;
    const CharInfo* a = char_info(c[n - 2]);
    const CharInfo* b = char_info(c[n - 1]);
    if (!a || !b || a->tone == kNoTone || b->tone != kNoTone) return false;
    char fa = a->fold;
    // The first vowel must be a plain o/u (ò, not ồ/ờ): its toneless form folds to itself.
    char32_t base_a = a->notone;
    const CharInfo* plain = char_info(base_a);
    if (!plain || (plain->lower != U'o' && plain->lower != U'u')) return false;
    const CharInfo* bb = char_info(c[n - 1]);
    bool pair = (fa == 'o' && (bb->lower == U'a' || bb->lower == U'e')) || (fa == 'u' && bb->lower == U'y');
    if (!pair) return false;
    if (n >= 3) {
        const CharInfo* before = char_info(c[n - 3]);
        if (!before) return false;
        char fp = before->fold;
        if (fp == 'q') return false;  // quý, quả: the u belongs to the onset
        if (fp == 'a' || fp == 'e' || fp == 'i' || fp == 'o' || fp == 'u' || fp == 'y') return false;
    }
    c[n - 2] = base_a;
    c[n - 1] = with_tone(c[n - 1], a->tone);
    return true;
}


void table_terms(char32_t* lowered, std::size_t n, std::string& exact, std::string& folded) {
    // Tone placement per run of letters, as in place_tones (a token may mix letters and
    // digits: "hòa03"); `lowered` is lowercase, so is_table_letter is is_syllable_letter.
    for (std::size_t i = 0; i < n;) {
        if (!is_table_letter(lowered[i])) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        while (j < n && is_table_letter(lowered[j])) ++j;
        // Only a run ending in a, e or y (lowercase here) can have a tone to move.
        const char32_t last = lowered[j - 1];
        if (last == U'a' || last == U'e' || last == U'y') place_tone(lowered + i, j - i);
        i = j;
    }
    // Both terms are written into stack buffers and assigned once: a lowercase table
    // letter is below U+10000, so at most 3 bytes.
    std::array<char, 3 * kFastTermBytes> ebuf, fbuf;
    char* pe = ebuf.data();
    for (std::size_t k = 0; k < n; ++k) {
        const char32_t cp = lowered[k];
        if (cp < 0x80) *pe++ = static_cast<char>(cp);
        else pe = encode_utf8(pe, cp);
    }
    exact.assign(ebuf.data(), static_cast<std::size_t>(pe - ebuf.data()));
    folded.assign(fbuf.data(), table_folded(lowered, n, fbuf.data()));
}

std::size_t table_folded(const char32_t* lowered, std::size_t n, char* out) noexcept {
    char* pf = out;
    for (std::size_t k = 0; k < n; ++k) {
        const char32_t cp = lowered[k];
        if (cp < 0x80) {
            *pf++ = static_cast<char>(cp);
            continue;
        }
        const char f = fold_char(cp);
        if (f)
            *pf++ = f;
        else
            pf = encode_utf8(pf, cp);
    }
    return static_cast<std::size_t>(pf - out);
}

void word_terms(std::string_view slice, std::string& exact, std::string& folded) {
    // Fastest path: plain ASCII (many syllables carry no marks: chi, trong, cao). No tone
    // can move, exact == folded == lowercase.
    {
        std::size_t i = 0;
        while (i < slice.size() && static_cast<unsigned char>(slice[i]) < 0x80) ++i;
        if (i == slice.size()) {
            exact.resize(slice.size());
            char* o = exact.data();
            for (std::size_t k = 0; k < slice.size(); ++k)
                o[k] = static_cast<char>(kLatinTable[static_cast<unsigned char>(slice[k])].lower);
            folded = exact;
            return;
        }
    }
    // Fast path: every code point precomposed and tabulated.
    if (slice.size() <= kFastTermBytes) {
        std::array<char32_t, kFastTermBytes> buf;
        std::size_t n = 0;
        const auto* p = reinterpret_cast<const unsigned char*>(slice.data());
        bool fast = true;
        for (std::size_t i = 0; i < slice.size();) {
            std::size_t len;
            bool inv;
            char32_t cp = decode_utf8(p + i, slice.size() - i, len, inv);
            const CharInfo* ci = char_info(cp);
            if (!ci || ci->cls == kMark || ci->cls == kIgnorable || inv) {
                fast = false;
                break;
            }
            buf[n++] = ci->lower;
            i += len;
        }
        if (fast) {
            table_terms(buf.data(), n, exact, folded);
            return;
        }
    }
    exact.clear();
    folded.clear();
    std::u32string cps = canonical_cps(to_u32(slice));
    for (char32_t& cp : cps) cp = lower_cp(cp);
    place_tones(cps);
    for (char32_t cp : cps) {
        append_utf8(exact, cp);
        append_folded(folded, cp);
    }
}

bool has_tone_mark(std::string_view word) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(word.data());
    for (std::size_t i = 0, len = 0; i < word.size(); i += len) {
        bool invalid = false;
        const char32_t cp = decode_utf8(p + i, word.size() - i, len, invalid);
        if (cp < 0x80) continue;
        if (const CharInfo* ci = char_info(cp); ci && ci->tone != kNoTone) return true;
    }
    return false;
}

bool is_syllable(std::string_view s) noexcept {
    static constexpr std::array<std::string_view, 27> kOnsets = {
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d",
        "g",   "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v",  "x", ""};
    static constexpr std::array<std::string_view, 9> kCodas = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};
    auto is_vowel = [](char ch) { return ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y'; };
    for (std::string_view onset : kOnsets) {
        if (s.substr(0, onset.size()) != onset) continue;
        std::string_view rest = s.substr(onset.size());
        std::size_t v = 0;
        while (v < rest.size() && is_vowel(rest[v])) ++v;
        // "gi" and "qu" may stand before no further vowel ("gì" folds to "gi").
        if (v == 0 && !(onset == "gi" || onset == "qu")) continue;
        if (v > 3) continue;
        std::string_view coda = rest.substr(v);
        for (std::string_view c : kCodas)
            if (coda == c) return true;
    }
    return false;
}

}  // namespace vnsearch::text

namespace vnsearch {

std::string normalize(std::string_view input) {
    std::u32string cps = text::canonical_cps(text::to_u32(input));
    text::place_tones(cps);
    return text::to_utf8(cps);
}

std::string lower(std::string_view input) {
    std::u32string cps = text::canonical_cps(text::to_u32(input));
    for (char32_t& cp : cps) cp = text::lower_cp(cp);
    text::place_tones(cps);
    return text::to_utf8(cps);
}

std::string fold(std::string_view input) {
    std::u32string cps = text::canonical_cps(text::to_u32(input));
    std::string out;
    out.reserve(cps.size());
    for (char32_t cp : cps) text::append_folded(out, cp);
    return out;
}

}  // namespace vnsearch
