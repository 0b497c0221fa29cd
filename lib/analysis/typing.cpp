#include "analysis/typing.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <cctype>

#include "text/normalize.h"
#include "text/utf8.h"
#include "vnsearch/text.h"

namespace vnsearch::analysis {

namespace {

// The tone marks as combining characters (normalize() composes them).
constexpr char32_t kAcute = 0x0301, kGrave = 0x0300, kHook = 0x0309, kTilde = 0x0303, kDot = 0x0323;

bool is_vowel(char32_t c) {
    switch (c) {
        case U'a': case U'ă': case U'â': case U'e': case U'ê': case U'i':
        case U'o': case U'ô': case U'ơ': case U'u': case U'ư': case U'y':
            return true;
        default:
            return false;
    }
}

char32_t base_of(char32_t c) {
    switch (c) {
        case U'ă': case U'â': return U'a';
        case U'ê': return U'e';
        case U'ô': case U'ơ': return U'o';
        case U'ư': return U'u';
        case U'đ': return U'd';
        default: return c;
    }
}

bool is_modified(char32_t c) { return base_of(c) != c && c != U'đ'; }

/// Where the vowels of a lowercase syllable are: [first, last] of its nucleus, with the
/// u of "qu" and the i of "gi" (before another vowel) counted as part of the onset.
struct Nucleus {
    std::size_t first = 0, last = 0;
    bool found = false;
};

Nucleus nucleus(const std::u32string& s) {
    Nucleus n;
    std::size_t i = 0;
    while (i < s.size() && !is_vowel(s[i])) ++i;
    if (i == s.size()) return n;
    if (i > 0 && s[i - 1] == U'q' && s[i] == U'u' && i + 1 < s.size() && is_vowel(s[i + 1])) ++i;
    if (i > 0 && s[i - 1] == U'g' && s[i] == U'i' && i + 1 < s.size() && is_vowel(s[i + 1])) ++i;
    n.first = i;
    while (i < s.size() && is_vowel(s[i])) ++i;
    n.last = i - 1;
    n.found = true;
    return n;
}

/// Puts the tone (a combining mark, 0 for none) on the vowel Vietnamese puts it on, checks
/// the syllable, and returns it NFC; nullopt when it is not a syllable.
std::optional<std::u32string> finish(std::u32string s, char32_t tone) {
    const Nucleus n = nucleus(s);
    if (!n.found) return std::nullopt;
    std::string folded;
    for (char32_t c : s) {
        if (base_of(c) > 0x7F) return std::nullopt;
        folded += static_cast<char>(base_of(c));
    }
    if (!text::is_syllable(folded)) return std::nullopt;
    const std::size_t coda = n.last + 1;
    const std::u32string tail = s.substr(coda);
    const bool stop = tail == U"p" || tail == U"t" || tail == U"c" || tail == U"ch";
    if (stop && tone != kAcute && tone != kDot) return std::nullopt;  // sắc or nặng only
    if (tone == 0) return s;
    // The vowel that carries the tone: a modified vowel (the last one, ơ of ươ); else the
    // only vowel; else, with a coda or three vowels, the second; else the first (normalize()
    // then moves hòa/khỏe/thủy to vnsearch's hoà/khoẻ/thuỷ).
    std::size_t at = n.first;
    for (std::size_t i = n.first; i <= n.last; ++i)
        if (is_modified(s[i])) at = i;
    if (!is_modified(s[at])) {
        const std::size_t count = n.last - n.first + 1;
        if (count == 3 || (count == 2 && !tail.empty())) at = n.first + 1;
    }
    s.insert(at + 1, 1, tone);
    return s;
}

char32_t telex_tone(char32_t c) {
    switch (c) {
        case U's': return kAcute;
        case U'f': return kGrave;
        case U'r': return kHook;
        case U'x': return kTilde;
        case U'j': return kDot;
        default: return 0;
    }
}

char32_t vni_tone(char32_t c) {
    switch (c) {
        case U'1': return kAcute;
        case U'2': return kGrave;
        case U'3': return kHook;
        case U'4': return kTilde;
        case U'5': return kDot;
        default: return 0;
    }
}

/// Applies a horn to the nucleus: uo -> ươ, uu -> ưu (mưu, cứu), else the last u or o;
/// false when there is none.
bool apply_horn(std::u32string& s) {
    const Nucleus n = nucleus(s);
    if (!n.found) return false;
    for (std::size_t i = n.first; i + 1 <= n.last; ++i) {
        if ((s[i] == U'u' || s[i] == U'ư') && (s[i + 1] == U'o' || s[i + 1] == U'ơ')) {
            s[i] = U'ư';
            s[i + 1] = U'ơ';
            return true;
        }
        if (s[i] == U'u' && s[i + 1] == U'u') {
            s[i] = U'ư';
            return true;
        }
    }
    for (std::size_t i = n.last + 1; i-- > n.first;)
        if (s[i] == U'u' || s[i] == U'o') {
            s[i] = s[i] == U'u' ? U'ư' : U'ơ';
            return true;
        }
    return false;
}

std::optional<std::u32string> decode_telex(const std::u32string& w) {
    std::u32string s;
    char32_t tone = 0;
    bool used = false, horn_pending = false, seen_vowel = false;
    for (std::size_t i = 0; i < w.size(); ++i) {
        const char32_t c = w[i];
        if (c == U'd' && i + 1 < w.size() && w[i + 1] == U'd' && s.empty()) {  // dd -> đ (onset)
            s += U'đ';
            ++i;
            used = true;
            continue;
        }
        if (seen_vowel && telex_tone(c)) {
            // A tone key after a vowel (s/f/r/x/j never spell a Vietnamese coda).
            if (tone) return std::nullopt;  // two tone keys ("ss" undoes in Telex): not a word
            tone = telex_tone(c);
            used = true;
            continue;
        }
        if (c == U'w') {
            used = true;
            if (!s.empty() && (s.back() == U'a')) {
                s.back() = U'ă';
            } else if (!s.empty() && (s.back() == U'u' || s.back() == U'o' || s.back() == U'ư' || s.back() == U'ơ')) {
                // uow / uwow -> ươ; ow -> ơ; uw -> ư
                if (s.back() == U'o' && s.size() >= 2 && (s[s.size() - 2] == U'u' || s[s.size() - 2] == U'ư')) {
                    s[s.size() - 2] = U'ư';
                    s.back() = U'ơ';
                } else {
                    s.back() = s.back() == U'u' ? U'ư' : U'ơ';
                }
            } else if (!seen_vowel) {
                s += U'ư';  // "w" typed for ư ("tw" -> tư)
                seen_vowel = true;
            } else {
                horn_pending = true;  // after the coda: applies to the nucleus
            }
            continue;
        }
        if ((c == U'a' || c == U'e' || c == U'o') && !s.empty()) {
            // aa -> â, ee -> ê, oo -> ô, also with the coda typed in between ("ddaast").
            std::size_t j = s.size();
            while (j > 0 && !is_vowel(s[j - 1])) --j;
            if (j > 0 && s[j - 1] == c && j == s.size()) {
                s[j - 1] = c == U'a' ? U'â' : c == U'e' ? U'ê' : U'ô';
                used = true;
                continue;
            }
            if (j > 0 && j < s.size() && s[j - 1] == c && base_of(s[j - 1]) == c) {
                s[j - 1] = c == U'a' ? U'â' : c == U'e' ? U'ê' : U'ô';
                used = true;
                continue;
            }
        }
        if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
        s += c;
        if (is_vowel(c)) seen_vowel = true;
    }
    if (horn_pending) {
        // "ow"/"aw" typed after the coda: breve for a, else horn.
        bool done = false;
        const Nucleus n = nucleus(s);
        if (n.found && n.first == n.last && s[n.first] == U'a') {
            s[n.first] = U'ă';
            done = true;
        }
        if (!done && !apply_horn(s)) return std::nullopt;
    }
    if (!used) return std::nullopt;
    return finish(s, tone);
}

std::optional<std::u32string> decode_vni(const std::u32string& w) {
    std::u32string s;
    char32_t tone = 0;
    bool used = false;
    int circumflex = 0, horn = 0, breve = 0, stroke = 0;
    for (char32_t c : w) {
        if (c >= U'0' && c <= U'9') {
            if (s.empty()) return std::nullopt;  // a number, not a word
            used = true;
            if (vni_tone(c)) {
                if (tone) return std::nullopt;
                tone = vni_tone(c);
            } else if (c == U'6') {
                ++circumflex;
            } else if (c == U'7') {
                ++horn;
            } else if (c == U'8') {
                ++breve;
            } else if (c == U'9') {
                ++stroke;
            } else {
                return std::nullopt;  // 0 is no key
            }
            continue;
        }
        if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
        s += c;
    }
    if (!used || circumflex > 1 || breve > 1 || stroke > 1 || horn > 2) return std::nullopt;
    if (stroke) {
        if (s[0] != U'd') return std::nullopt;
        s[0] = U'đ';
    }
    const Nucleus n = nucleus(s);
    if (!n.found) return std::nullopt;
    if (circumflex) {
        std::size_t at = std::u32string::npos;
        for (std::size_t i = n.first; i <= n.last; ++i)
            if (s[i] == U'a' || s[i] == U'e' || s[i] == U'o') at = i;
        if (at == std::u32string::npos) return std::nullopt;
        s[at] = s[at] == U'a' ? U'â' : s[at] == U'e' ? U'ê' : U'ô';
    }
    if (breve) {
        std::size_t at = std::u32string::npos;
        for (std::size_t i = n.first; i <= n.last; ++i)
            if (s[i] == U'a') at = i;
        if (at == std::u32string::npos) return std::nullopt;
        s[at] = U'ă';
    }
    if (horn && !apply_horn(s)) return std::nullopt;
    return finish(s, tone);
}


}  // namespace

std::optional<std::string> decode_word(std::string_view word, InputMethod method) {
    if (word.empty() || word.size() > 16) return std::nullopt;
    std::u32string w;
    int upper = 0, letters = 0;
    for (char c : word) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) return std::nullopt;
        if (std::isalpha(u)) {
            ++letters;
            upper += std::isupper(u) != 0;
        }
        w += static_cast<char32_t>(std::tolower(u));
    }
    if (letters == 0) return std::nullopt;
    auto decoded = method == InputMethod::telex ? decode_telex(w) : decode_vni(w);
    if (!decoded) return std::nullopt;
    std::u32string u = *decoded;
    if (upper == letters && letters >= 2) {
        for (auto& c : u) c = static_cast<char32_t>(u_toupper(static_cast<UChar32>(c)));
    } else if (std::isupper(static_cast<unsigned char>(word[0]))) {
        u[0] = static_cast<char32_t>(u_toupper(static_cast<UChar32>(u[0])));
    }
    return vnsearch::normalize(text::to_utf8(u));
}

std::optional<std::string> encode_word(std::string_view word, InputMethod method) {
    const bool telex = method == InputMethod::telex;
    std::string out;
    char tone = 0;
    bool any_lower = false;
    // Letter by letter: a base letter and what its marks add, as keys.
    for (char32_t c : text::to_u32(vnsearch::normalize(word))) {
        const bool upper = u_isupper(static_cast<UChar32>(c)) != 0;
        const auto low = static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
        any_lower = any_lower || (u_isalpha(static_cast<UChar32>(c)) && !upper);
        // The letter without its tone: NFD puts the tone mark after the vowel's own mark.
        UChar buffer[8];
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
        if (U_FAILURE(status)) return std::nullopt;
        icu::UnicodeString decomposed = nfd->normalize(icu::UnicodeString(static_cast<UChar32>(low)), status);
        if (U_FAILURE(status) || decomposed.length() > 8) return std::nullopt;
        const int32_t n = decomposed.extract(buffer, 8, status);
        if (n == 0 || buffer[0] > 0x7F) {
            if (low != U'đ') return std::nullopt;
        }
        char base = low == U'đ' ? 'd' : static_cast<char>(buffer[0]);
        std::string keys(1, upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(base))) : base);
        if (low == U'đ') keys += telex ? keys : "9";
        for (int32_t i = 1; i < n; ++i) {
            const char32_t m = buffer[i];
            switch (m) {
                case 0x0302: keys += telex ? keys.substr(0, 1) : "6"; break;  // â ê ô
                case 0x0306: keys += telex ? (upper ? "W" : "w") : "8"; break;  // ă
                case 0x031B: keys += telex ? (upper ? "W" : "w") : "7"; break;  // ơ ư
                case kAcute: tone = telex ? 's' : '1'; break;
                case kGrave: tone = telex ? 'f' : '2'; break;
                case kHook: tone = telex ? 'r' : '3'; break;
                case kTilde: tone = telex ? 'x' : '4'; break;
                case kDot: tone = telex ? 'j' : '5'; break;
                default: return std::nullopt;
            }
        }
        if (!std::isalpha(static_cast<unsigned char>(base))) return std::nullopt;
        out += keys;
    }
    if (tone) out += any_lower ? tone : static_cast<char>(std::toupper(static_cast<unsigned char>(tone)));
    return out;
}

}  // namespace vnsearch::analysis
