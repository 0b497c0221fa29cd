// Vietnamese legacy charsets: windows-1258 through ICU, TCVN3 and VISCII through tables
// generated from iconv (gen_legacy_tables.py), and detection by how many of the words a
// candidate decodes to are well-formed Vietnamese syllables.
#include "text/legacy.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>

#include "text/char_table.h"
#include "text/utf8.h"
#include "vnsearch/error.h"
#include "vnsearch/text.h"

namespace vnsearch::text {
namespace {

#include "text/legacy_tables.inc"

constexpr std::size_t kSampleBytes = 256 * 1024;

/// UTF-16 code units of `bytes` in `cs`, not yet composed.
icu::UnicodeString to_unicode(std::string_view bytes, Legacy cs) {
    if (cs == Legacy::windows1258) {
        icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), "windows-1258");
        if (u.isBogus()) throw EncodingError("cannot decode windows-1258 (ICU has no converter for it)");
        return u;
    }
    const char16_t* table = cs == Legacy::tcvn3 ? kTcvn3Table : kVisciiTable;
    icu::UnicodeString u;
    UChar* buf = u.getBuffer(static_cast<int32_t>(bytes.size()));
    for (std::size_t i = 0; i < bytes.size(); ++i) buf[i] = table[static_cast<unsigned char>(bytes[i])];
    u.releaseBuffer(static_cast<int32_t>(bytes.size()));
    return u;
}

bool is_shape_vowel(char32_t c) {
    return c == U'ă' || c == U'â' || c == U'ê' || c == U'ô' || c == U'ơ' || c == U'ư';
}

bool is_vowel(char32_t c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || is_shape_vowel(c);
}

/// True for the letters of the Vietnamese alphabet, lower case, without tone.
bool is_vietnamese_base(char32_t c) {
    if (c >= 'a' && c <= 'z') return c != 'f' && c != 'j' && c != 'w' && c != 'z';
    return c == U'đ' || is_shape_vowel(c);
}

/// The vowel groups of Vietnamese syllables (after the onset, before the coda), toneless.
bool is_nucleus(std::u32string_view v) {
    static constexpr std::array<std::u32string_view, 50> kNuclei = {
        U"a",   U"ă",   U"â",   U"e",   U"ê",   U"i",   U"o",   U"ô",   U"ơ",   U"u",   U"ư",   U"y",   U"ai",
        U"ao",  U"au",  U"ay",  U"âu",  U"ây",  U"eo",  U"êu",  U"ia",  U"iê",  U"iu",  U"oa",  U"oă",  U"oe",
        U"oi",  U"ôi",  U"ơi",  U"oo",  U"ua",  U"uâ",  U"uê",  U"ui",  U"uô",  U"uơ",  U"uy",  U"ưa",  U"ưi",
        U"ươ",  U"ưu",  U"yê",  U"iêu", U"yêu", U"oai", U"oay", U"oeo", U"uây", U"uôi", U"uyê"};
    static constexpr std::array<std::u32string_view, 5> kMore = {U"uya", U"uyu", U"ươi", U"ươu", U"oao"};
    for (auto n : kNuclei)
        if (n == v) return true;
    for (auto n : kMore)
        if (n == v) return true;
    return false;
}

/// True when `word` is a well-formed Vietnamese syllable: letters of the alphabet; onset,
/// a vowel group Vietnamese has, a coda (c ch m n ng nh p t or none); at most one tone,
/// on the vowel orthography puts it on (the shape vowel — ơ of ươ —, else the only vowel,
/// else the middle of three or the second before a coda, else the first, or either of
/// oa/oe/uy); sắc or nặng before a stop coda (p, t, c, ch).
bool vietnamese_syllable(std::u32string_view word) {
    std::u32string base;  // lower case, toneless
    std::size_t tone_at = std::u32string::npos;
    std::uint8_t tone = kNoTone;
    for (char32_t cp : word) {
        const CharInfo* ci = char_info(cp);
        if (!ci || ci->cls != kLetter) return false;
        const CharInfo* lo = char_info(ci->lower);
        if (!lo || !is_vietnamese_base(lo->notone)) return false;
        if (lo->tone != kNoTone) {
            if (tone != kNoTone) return false;  // two tones
            tone = lo->tone;
            tone_at = base.size();
        }
        base.push_back(lo->notone);
    }
    static constexpr std::array<std::u32string_view, 28> kOnsets = {
        U"ngh", U"ng", U"nh", U"ch", U"gh", U"gi", U"kh", U"ph", U"qu", U"th", U"tr", U"b", U"c", U"d",
        U"đ",   U"g",  U"h",  U"k",  U"l",  U"m",  U"n",  U"p",  U"r",  U"s",  U"t",  U"v", U"x", U""};
    static constexpr std::array<std::u32string_view, 9> kCodas = {U"", U"c", U"ch", U"m", U"n", U"ng", U"nh", U"p", U"t"};
    const std::u32string_view b = base;
    for (std::u32string_view onset : kOnsets) {
        if (!b.starts_with(onset)) continue;
        std::size_t first = onset.size(), last = first;
        while (last < b.size() && is_vowel(b[last])) ++last;
        if (last == first) continue;  // "gi" + no vowel is g + i ("gì"); qu needs a vowel
        const std::u32string_view nucleus = b.substr(first, last - first), coda = b.substr(last);
        if (!is_nucleus(nucleus) || std::find(kCodas.begin(), kCodas.end(), coda) == kCodas.end()) return false;
        const bool stop = coda == U"c" || coda == U"ch" || coda == U"p" || coda == U"t";
        if (stop && tone != kAcute && tone != kDot) return false;
        if (tone == kNoTone) return true;
        if (tone_at < first || tone_at >= last) return false;
        const std::size_t at = tone_at - first;
        std::size_t shaped = std::u32string_view::npos;
        for (std::size_t i = 0; i < nucleus.size(); ++i)
            if (is_shape_vowel(nucleus[i])) shaped = i;
        if (shaped != std::u32string_view::npos) return at == shaped;
        if (nucleus.size() == 1) return true;
        if (nucleus.size() == 3 || !coda.empty()) return at == 1;
        return at == 0 || nucleus == U"oa" || nucleus == U"oe" || nucleus == U"uy";
    }
    return false;
}

enum class Kind { separator, word, odd };

Kind kind_of(char32_t cp) {
    if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z' ? Kind::word : Kind::separator;
    if (cp >= 0x80 && cp <= 0x9F) return Kind::odd;           // C1 controls: undefined bytes
    if (cp >= 0x2000 && cp <= 0x206F) return Kind::separator;  // quotes, dashes, ellipsis
    if (cp == 0xA0 || cp == 0x20AB) return Kind::separator;    // NBSP, ₫
    if (const CharInfo* ci = char_info(cp)) {
        if (ci->cls == kLetter || ci->cls == kMark) return Kind::word;
        return ci->cls == kSpace ? Kind::separator : Kind::odd;
    }
    return Kind::word;  // another script: the word it is in is no Vietnamese syllable
}

}  // namespace

const char* legacy_name(Legacy cs) noexcept {
    switch (cs) {
        case Legacy::windows1258: return "windows-1258";
        case Legacy::tcvn3: return "TCVN3";
        case Legacy::viscii: return "VISCII";
    }
    return "";
}

std::optional<Legacy> legacy_by_name(std::string_view n) noexcept {
    if (n == "windows-1258" || n == "cp1258" || n == "windows1258") return Legacy::windows1258;
    if (n == "tcvn3" || n == "tcvn" || n == "tcvn5712-1" || n == "tcvn-5712" || n == "tcvn5712") return Legacy::tcvn3;
    if (n == "viscii") return Legacy::viscii;
    return std::nullopt;
}

std::string decode_legacy(std::string_view bytes, Legacy cs) {
    if (bytes.empty()) return {};
    icu::UnicodeString u = to_unicode(bytes, cs);
    UErrorCode err = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(err);
    if (U_SUCCESS(err)) {
        icu::UnicodeString composed = nfc->normalize(u, err);
        if (U_SUCCESS(err)) u = std::move(composed);
    }
    std::string out;
    u.toUTF8String(out);
    return out;
}

LegacyScore score_vietnamese(std::string_view utf8) {
    const std::u32string cps = to_u32(utf8);
    LegacyScore s;
    std::size_t i = 0;
    while (i < cps.size()) {
        const Kind k = kind_of(cps[i]);
        if (k == Kind::separator) {
            ++i;
            continue;
        }
        if (k == Kind::odd) {
            ++s.bad;
            ++i;
            continue;
        }
        std::size_t j = i;
        bool non_ascii = false;
        while (j < cps.size() && kind_of(cps[j]) == Kind::word) non_ascii |= cps[j++] >= 0x80;
        if (non_ascii) ++(vietnamese_syllable(std::u32string_view(cps).substr(i, j - i)) ? s.syllables : s.bad);
        i = j;
    }
    return s;
}

std::optional<Legacy> detect_legacy(std::string_view bytes) {
    if (is_valid_utf8(bytes)) return std::nullopt;
    const std::string_view sample = bytes.substr(0, kSampleBytes);
    // Mostly UTF-8 (valid multi-byte sequences outnumber the invalid bytes): a damaged
    // UTF-8 file, repaired as such, never re-read as a legacy charset.
    std::size_t multibyte = 0, invalid = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(sample.data());
    for (std::size_t i = 0; i < sample.size();) {
        std::size_t len;
        bool bad;
        decode_utf8(p + i, sample.size() - i, len, bad);
        if (bad)
            invalid += len;
        else if (len > 1)
            ++multibyte;
        i += len;
    }
    if (invalid <= multibyte) return std::nullopt;
    std::optional<Legacy> best;
    double best_rate = 0, runner_up = 0;
    std::size_t best_syllables = 0;
    for (Legacy cs : {Legacy::windows1258, Legacy::tcvn3, Legacy::viscii}) {
        LegacyScore s;
        try {
            s = score_vietnamese(decode_legacy(sample, cs));
        } catch (const EncodingError&) {
            continue;
        }
        const double r = s.rate();
        if (!best || r > best_rate) {
            runner_up = best ? best_rate : 0;
            best = cs, best_rate = r, best_syllables = s.syllables;
        } else if (r > runner_up) {
            runner_up = r;
        }
    }
    if (!best || best_syllables < kMinSyllables || best_rate < kMinRate || best_rate - runner_up < kMargin)
        return std::nullopt;
    return best;
}

}  // namespace vnsearch::text
