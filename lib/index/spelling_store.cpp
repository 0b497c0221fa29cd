#include "index/spelling_store.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "index/term_scheme.h"
#include "index/varint.h"
#include "text/normalize.h"
#include "text/utf8.h"

namespace vnsearch::detail {

namespace {

// THE codec of the spelling statistics (docs/term-scheme.md, "Spelling statistics").
//
// Key: scheme::kSpellingPrefix + the folded syllable ("lang") or pair ("chi lang").
// Value: one entry per spelling seen, most frequent first: per syllable its code, then the
// count as a LEB128 varint. A syllable's code is an optional case byte (kCapital,
// kUnknownCase; none: lowercase), one byte per marked letter, (position << 5) | variant, and a
// terminating 0. The variant numbers a letter's marked forms in kVariants (1..17; 0, the bare
// letter, is never written); positions are code points, below kMaxSyllableChars.
//
// A pair's value may go on with what followed the pair: the byte kFollowing (which starts no
// code), the number of triples m (LEB128) and a Rice parameter k (one byte, 0..23), then a
// bit stream, least significant bit of each byte first: the first fingerprint in 24 bits;
// each next one as its difference d >= 1 from the one before, (d - 1) >> k in unary (that
// many 0 bits, then a 1) and its k low bits; after each fingerprint its count n >= 1 in
// Elias gamma (floor(log2 n) 0 bits, a 1, then the bits of n below its highest). The last
// byte is padded with 0 bits.

/// Letters with their marked forms; a form's index in its row is its variant number.
constexpr std::array<std::u32string_view, 7> kVariants = {
    U"aàáảãạăằắẳẵặâầấẩẫậ", U"eèéẻẽẹêềếểễệ", U"iìíỉĩị", U"oòóỏõọôồốổỗộơờớởỡợ", U"uùúủũụưừứửữự", U"yỳýỷỹỵ", U"dđ",
};
constexpr unsigned char kCapital = 0x1F;      // variant 31 at position 0: never a letter
constexpr unsigned char kUnknownCase = 0x1E;  // variant 30 at position 0
constexpr std::size_t kMaxSyllableChars = 7;  // "nghiêng"; longer words are not syllables
constexpr char kFollowing = '\xFF';             // starts a pair's continuations

struct Variant {
    char base = 0;
    unsigned char number = 0;
};

/// Marked letter -> (bare ASCII letter, variant number), indexed by code point below
/// kTableEnd (every marked Vietnamese letter lies there); base 0: not a marked letter.
constexpr char32_t kTableEnd = 0x1F00;
const std::vector<Variant>& variant_table() {
    static const std::vector<Variant> table = [] {
        std::vector<Variant> t(kTableEnd);
        for (std::u32string_view row : kVariants)
            for (std::size_t i = 1; i < row.size(); ++i) t[row[i]] = {static_cast<char>(row[0]), static_cast<unsigned char>(i)};
        return t;
    }();
    return table;
}

/// The marked letter of a bare one (nullopt for a variant that does not exist).
std::optional<char32_t> marked_letter(char base, unsigned number) {
    for (std::u32string_view row : kVariants)
        if (row[0] == static_cast<char32_t>(base)) return number < row.size() ? std::optional<char32_t>(row[number]) : std::nullopt;
    return std::nullopt;
}

/// Appends the code of a syllable (without its case byte) to `code`; false when the word is
/// not a syllable this codec holds.
bool append_marks(const Token& t, std::string& code) {
    if ((t.kind != TokenKind::word && t.kind != TokenKind::abbreviation) || t.folded.empty() || t.folded.size() > kMaxSyllableChars * 4) return false;
    if (t.exact == t.folded) {  // no marks: ASCII letters only
        if (t.folded.size() > kMaxSyllableChars) return false;
        for (char c : t.folded)
            if (c < 'a' || c > 'z') return false;
        code.push_back('\0');
        return true;
    }
    const auto* p = reinterpret_cast<const unsigned char*>(t.exact.data());
    const std::size_t n = t.exact.size();
    std::size_t i = 0, pos = 0;
    const auto& table = variant_table();
    for (; i < n; ++pos) {
        if (pos >= kMaxSyllableChars || pos >= t.folded.size()) return false;
        std::size_t len = 0;
        bool invalid = false;
        const char32_t cp = text::decode_utf8(p + i, n - i, len, invalid);
        i += len;
        if (cp < 0x80) {
            if (cp < 'a' || cp > 'z' || static_cast<char>(cp) != t.folded[pos]) return false;
            continue;
        }
        if (invalid || cp >= kTableEnd || table[cp].base == 0 || table[cp].base != t.folded[pos]) return false;
        code.push_back(static_cast<char>((pos << 5) | table[cp].number));
    }
    if (pos != t.folded.size()) return false;
    code.push_back('\0');
    return true;
}

bool is_upper(char32_t c) { return c < 0x80 ? (c >= 'A' && c <= 'Z') : u_isupper(static_cast<UChar32>(c)) != 0; }

/// How the syllable was written; `sentence_start` when nothing but a sentence or title
/// start precedes it.
SeenCase seen_case(std::string_view surface, bool sentence_start) {
    bool first = true, first_upper = false, rest_upper = false;
    const auto* p = reinterpret_cast<const unsigned char*>(surface.data());
    for (std::size_t i = 0; i < surface.size();) {
        std::size_t len = 0;
        bool invalid = false;
        const char32_t cp = text::decode_utf8(p + i, surface.size() - i, len, invalid);
        i += len;
        if (first) first_upper = is_upper(cp), first = false;
        else if (is_upper(cp)) rest_upper = true;
    }
    if (!first_upper && !rest_upper) return SeenCase::lower;
    if (first_upper && !rest_upper && !sentence_start) return SeenCase::capital;
    return SeenCase::unknown;
}

std::size_t syllables_of(std::string_view folded) { return static_cast<std::size_t>(std::count(folded.begin(), folded.end(), ' ')) + 1; }

/// Code -> count pairs, as read and as counted; the same code may come several times. The
/// codes are views into the stored values and the collector's codes, which outlive them.
using Codes = std::vector<std::pair<std::string_view, std::int64_t>>;

/// Appends the entries of a stored value to `codes`, as stored (false, and nothing appended,
/// when the value is malformed). `following` (may be null) gets what comes after them: a
/// pair's continuations.
bool append_stored(std::string_view value, std::size_t syllables, Codes& codes, std::string_view* following = nullptr) {
    const std::size_t before = codes.size();
    std::size_t i = 0;
    if (following) *following = {};
    while (i < value.size()) {
        if (value[i] == kFollowing) {
            if (following) *following = value.substr(i + 1);
            break;
        }
        const std::size_t start = i;
        for (std::size_t s = 0; s < syllables; ++s) {
            while (i < value.size() && value[i] != '\0') ++i;
            if (i == value.size()) return codes.resize(before), false;
            ++i;
        }
        const std::size_t code_end = i;
        std::uint64_t count = 0;
        const char* p = value.data() + i;
        if (!read_varint(p, value.data() + value.size(), count)) return codes.resize(before), false;
        i = static_cast<std::size_t>(p - value.data());
        codes.emplace_back(value.substr(start, code_end - start), static_cast<std::int64_t>(count));
    }
    return true;
}

/// Each key (a code, a fingerprint) of `counts` once, its counts added, in key order.
template <typename Key>
void sum_by_key(std::vector<std::pair<Key, std::int64_t>>& counts) {
    std::sort(counts.begin(), counts.end());
    std::size_t w = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
        if (w > 0 && counts[w - 1].first == counts[r].first) counts[w - 1].second += counts[r].second;
        else if (w++ != r) counts[w - 1] = counts[r];
    }
    counts.resize(w);
}

/// The stored value of `codes`, into `out`: each code once (counts added), most frequent
/// first, none whose count is not positive ("" when none is left).
void encode_value(Codes& codes, std::string& out) {
    sum_by_key(codes);
    codes.erase(std::remove_if(codes.begin(), codes.end(), [](const auto& c) { return c.second <= 0; }), codes.end());
    // Most frequent first, equal counts in code order (the codes are distinct now).
    std::sort(codes.begin(), codes.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    out.clear();
    for (const auto& [code, n] : codes) {
        out += code;
        append_varint(out, static_cast<std::uint64_t>(n));
    }
}

/// (fingerprint, count) entries, as read and as counted; the same fingerprint may come several
/// times.
using Following = std::vector<std::pair<std::uint32_t, std::int64_t>>;

/// Bits into a string, least significant first.
class BitWriter {
  public:
    explicit BitWriter(std::string& out) : out_(out) {}
    void put(std::uint64_t bits, unsigned n) {  // n <= 32
        acc_ |= bits << fill_;
        fill_ += n;
        while (fill_ >= 8) {
            out_.push_back(static_cast<char>(acc_ & 0xFF));
            acc_ >>= 8;
            fill_ -= 8;
        }
    }
    void zeros(std::uint64_t n) {
        for (; n >= 32; n -= 32) put(0, 32);
        put(0, static_cast<unsigned>(n));
    }
    void finish() {
        if (fill_) out_.push_back(static_cast<char>(acc_ & 0xFF));
        acc_ = 0, fill_ = 0;
    }

  private:
    std::string& out_;
    std::uint64_t acc_ = 0;
    unsigned fill_ = 0;
};

/// Bits of a string, least significant first; reading past the end fails.
class BitReader {
  public:
    explicit BitReader(std::string_view in) : in_(in) {}
    bool get(unsigned n, std::uint64_t& out) {  // n <= 32
        while (fill_ < n) {
            if (at_ == in_.size()) return false;
            acc_ |= std::uint64_t{static_cast<unsigned char>(in_[at_++])} << fill_;
            fill_ += 8;
        }
        out = n ? acc_ & ((std::uint64_t{1} << n) - 1) : 0;
        acc_ = n < 64 ? acc_ >> n : 0;
        fill_ -= n;
        return true;
    }
    /// 0 bits up to the next 1 (consumed), at most `limit` of them.
    bool zeros(std::uint64_t limit, std::uint64_t& out) {
        out = 0;
        for (;;) {
            if (fill_ == 0) {
                if (at_ == in_.size()) return false;
                acc_ = static_cast<unsigned char>(in_[at_++]);
                fill_ = 8;
            }
            if (acc_ == 0) {
                out += fill_;
                fill_ = 0;
            } else {
                const auto z = static_cast<unsigned>(__builtin_ctzll(acc_));
                out += z;
                acc_ >>= z + 1;
                fill_ -= z + 1;
                return out <= limit;
            }
            if (out > limit) return false;
        }
    }
    /// Only 0 bits of padding left.
    bool done() const { return at_ == in_.size() && acc_ == 0; }

  private:
    std::string_view in_;
    std::size_t at_ = 0;
    std::uint64_t acc_ = 0;
    unsigned fill_ = 0;
};

constexpr unsigned kMaxRice = kFingerprintBits - 1;
constexpr std::int64_t kMaxCount = 0xFFFFFFFF;  // a continuation's count (its gamma code stops below 2^32)

/// Appends the continuations stored in `section` (what follows kFollowing) to `out`; false,
/// and nothing appended, when they are malformed.
bool append_following(std::string_view section, Following& out) {
    const std::size_t before = out.size();
    const auto fail = [&] { return out.resize(before), false; };
    const char* p = section.data();
    const char* const end = p + section.size();
    std::uint64_t m = 0;
    if (!read_varint(p, end, m) || p == end) return fail();
    const auto k = static_cast<unsigned char>(*p++);
    // Each triple takes at least two bits: a count above that is a malformed value.
    if (k > kMaxRice || m > static_cast<std::uint64_t>(end - p) * 4) return fail();
    BitReader bits(std::string_view(p, static_cast<std::size_t>(end - p)));
    constexpr std::uint64_t kLimit = std::uint64_t{1} << kFingerprintBits;
    std::uint64_t fp = 0;
    for (std::uint64_t i = 0; i < m; ++i) {
        std::uint64_t v = 0, q = 0, n_bits = 0, low = 0;
        if (i == 0) {
            if (!bits.get(kFingerprintBits, fp)) return fail();
        } else {
            if (!bits.zeros(kLimit >> k, q) || !bits.get(k, v)) return fail();
            fp += (q << k | v) + 1;
            if (fp >= kLimit) return fail();
        }
        if (!bits.zeros(31, n_bits) || !bits.get(static_cast<unsigned>(n_bits), low)) return fail();
        out.emplace_back(static_cast<std::uint32_t>(fp), static_cast<std::int64_t>(std::uint64_t{1} << n_bits | low));
    }
    if (!bits.done()) return fail();
    return true;
}

/// Appends to a pair's value (`out`, its spellings encoded) the continuations of `following`:
/// each fingerprint once (counts added), in fingerprint order, none whose count is not
/// positive. Nothing when none is left or the pair itself has no spelling left.
void encode_following(Following& following, std::string& out) {
    if (out.empty()) return;
    sum_by_key(following);
    following.erase(std::remove_if(following.begin(), following.end(), [](const auto& f) { return f.second <= 0; }), following.end());
    if (following.empty()) return;
    for (auto& f : following) f.second = std::min<std::int64_t>(f.second, kMaxCount);
    // The Rice parameter of the mean difference (an exponential's: about log2(mean * ln 2)).
    const std::uint64_t span = following.back().first - following.front().first;
    unsigned k = 0;
    if (following.size() > 1) {
        const double mean = static_cast<double>(span) / static_cast<double>(following.size() - 1);
        while (k < kMaxRice && static_cast<double>(std::uint64_t{1} << (k + 1)) <= mean * 0.69) ++k;
    }
    out.push_back(kFollowing);
    append_varint(out, following.size());
    out.push_back(static_cast<char>(k));
    BitWriter bits(out);
    std::uint32_t prev = 0;
    for (std::size_t i = 0; i < following.size(); ++i) {
        const std::uint32_t fp = following[i].first;
        if (i == 0) {
            bits.put(fp, kFingerprintBits);
        } else {
            const std::uint64_t d = fp - prev - 1;
            bits.zeros(d >> k);
            bits.put(1, 1);
            bits.put(d & ((std::uint64_t{1} << k) - 1), k);
        }
        prev = fp;
        const auto n = static_cast<std::uint64_t>(following[i].second);
        const auto top = static_cast<unsigned>(63 - __builtin_clzll(n));
        bits.zeros(top);
        bits.put(1, 1);
        bits.put(n & ((std::uint64_t{1} << top) - 1), top);
    }
    bits.finish();
}

std::string metadata_key(std::string_view folded) {
    std::string k(scheme::kSpellingPrefix);
    k.append(folded);
    return k;
}

std::uint64_t parse_total(const std::string& v) { return std::strtoull(v.c_str(), nullptr, 10); }

}  // namespace

std::uint32_t triple_fingerprint(std::string_view a, std::string_view b, std::string_view c) {
    std::uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a, 64 bits
    const auto eat = [&h](std::string_view s) {
        for (const char ch : s) h = (h ^ static_cast<unsigned char>(ch)) * 0x100000001B3ull;
    };
    eat(a), eat(" "), eat(b), eat(" "), eat(c);
    return static_cast<std::uint32_t>(h >> (64 - kFingerprintBits));
}

std::uint64_t continuation_count(const Continuations& list, std::uint32_t fingerprint) {
    const auto it = std::lower_bound(list.begin(), list.end(), fingerprint, [](const Continuation& c, std::uint32_t f) { return c.fingerprint < f; });
    return it != list.end() && it->fingerprint == fingerprint ? it->count : 0;
}

bool is_numeral(const Token& t) noexcept {
    if (t.kind != TokenKind::number && t.kind != TokenKind::date && t.kind != TokenKind::time && t.kind != TokenKind::code) return false;
    for (const char ch : t.folded)
        if ((ch >= 'a' && ch <= 'z') || static_cast<unsigned char>(ch) >= 0x80) return false;  // "h5n1", "đồng/bình"
    return !t.folded.empty();
}

std::uint32_t SpellingCollector::numeral_id() {
    if (numeral_id_ == kNoId) numeral_id_ = intern(kNumeral, std::string(1, '\0'), kNumeral);
    return numeral_id_;
}

std::uint32_t SpellingCollector::intern(std::string_view folded, const std::string& code, std::string_view exact) {
    std::string key(folded);
    key.push_back('\0');
    key += code;
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    auto [f, fresh_folded] = folded_ids_.try_emplace(std::string(folded), static_cast<std::uint32_t>(folded_.size()));
    if (fresh_folded) folded_.emplace_back(folded);
    const auto id = static_cast<std::uint32_t>(spellings_.size());
    spellings_.push_back({f->second, code, std::string(exact)});
    counts_.push_back(0);
    ids_.emplace(std::move(key), id);
    return id;
}

SpellingCollector::Word* SpellingCollector::word_of(const Token& t, SeenCase c) {
    // Of the words append_marks() takes, the exact form decides the rest (the folded form and
    // the marks); the kind is checked first.
    if (t.kind != TokenKind::word && t.kind != TokenKind::abbreviation) return nullptr;
    const auto case_byte = static_cast<char>(c);
    const std::string_view exact = t.exact;
    const auto h = static_cast<std::uint32_t>(std::hash<std::string_view>{}(exact) ^ (static_cast<std::uint64_t>(c) + 1) * 0x9E3779B97F4A7C15ull);
    if ((word_count_ + 1) * 2 > word_slots_.size()) {  // keep the table at most half full
        std::vector<Word> old(std::max<std::size_t>(4096, word_slots_.size() * 2));
        old.swap(word_slots_);
        const std::size_t mask = word_slots_.size() - 1;
        for (const Word& w : old) {
            if (w.key == kNoId) continue;
            std::size_t i = w.hash & mask;
            while (word_slots_[i].key != kNoId) i = (i + 1) & mask;
            word_slots_[i] = w;
        }
    }
    const bool fits = exact.size() < Word::kInline;
    const std::uint32_t inline_key = Word::kInlineFlag | static_cast<std::uint32_t>(exact.size() + 1);
    const std::size_t mask = word_slots_.size() - 1;
    std::size_t i = h & mask;
    for (; word_slots_[i].key != kNoId; i = (i + 1) & mask) {
        const Word& w = word_slots_[i];
        if (w.hash != h) continue;
        if (fits) {
            if (w.key == inline_key && std::memcmp(w.bytes, exact.data(), exact.size()) == 0 && w.bytes[exact.size()] == case_byte) return &word_slots_[i];
        } else if (!(w.key & Word::kInlineFlag)) {
            const std::string& k = words_[w.key];
            if (k.size() == exact.size() + 1 && k.back() == case_byte && std::string_view(k).substr(0, exact.size()) == exact) return &word_slots_[i];
        }
    }
    // A word not seen before: its code, then its spelling.
    code_.clear();
    if (c == SeenCase::capital) code_.push_back(static_cast<char>(kCapital));
    if (c == SeenCase::unknown) code_.push_back(static_cast<char>(kUnknownCase));
    const std::uint32_t id = append_marks(t, code_) ? intern(t.folded, code_, t.exact) : kNoId;
    Word& w = word_slots_[i];
    w.hash = h;
    w.id = id;
    if (fits) {
        w.key = inline_key;
        std::memcpy(w.bytes, exact.data(), exact.size());
        w.bytes[exact.size()] = case_byte;
    } else {
        w.key = static_cast<std::uint32_t>(words_.size());
        words_.push_back(t.exact + case_byte);
    }
    ++word_count_;
    return &w;
}

void SpellingCollector::settle_counts() {
    for (Word& w : word_slots_)
        if (w.count) {
            counts_[w.id] += w.count;
            w.count = 0;
        }
}

void SpellingCollector::reserve_pairs(std::size_t pairs) {
    if (pairs * 2 <= pairs_.size()) return;
    std::size_t size = std::max<std::size_t>(1024, pairs_.size());
    while (pairs * 2 > size) size *= 2;
    std::vector<std::pair<std::uint64_t, std::int64_t>> old(size);
    old.swap(pairs_);
    pair_count_ = 0;
    for (const auto& [k, c] : old)
        if (k) add_pair(k, c);
}

namespace {
std::size_t pair_slot(std::uint64_t key, std::size_t mask) { return (key * 0x9E3779B97F4A7C15ull) >> 20 & mask; }
}  // namespace

void SpellingCollector::add_pair(std::uint64_t key, std::int64_t n) {
    const std::size_t mask = pairs_.size() - 1;
    for (std::size_t i = pair_slot(key, mask);; i = (i + 1) & mask) {
        if (pairs_[i].first == key) {
            pairs_[i].second += n;
            return;
        }
        if (pairs_[i].first == 0) {
            pairs_[i] = {key, n};
            ++pair_count_;
            return;
        }
    }
}

namespace {
std::size_t triple_slot(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::size_t mask) {
    const std::uint64_t h = ((std::uint64_t{a} * 0x9E3779B97F4A7C15ull) ^ (std::uint64_t{b} * 0xC2B2AE3D27D4EB4Full) ^ (std::uint64_t{c} * 0x165667B19E3779F9ull));
    return (h ^ (h >> 29)) & mask;
}
}  // namespace

void SpellingCollector::reserve_triples(std::size_t triples) {
    if (triples * 2 <= triples_.size()) return;
    std::size_t size = std::max<std::size_t>(1024, triples_.size());
    while (triples * 2 > size) size *= 2;
    std::vector<Triple> old(size);
    old.swap(triples_);
    triple_count_ = 0;
    for (const Triple& t : old)
        if (t.a != kNoId) add_triple(t);
}

void SpellingCollector::add_triple(const Triple& add) {
    const std::size_t mask = triples_.size() - 1;
    for (std::size_t i = triple_slot(add.a, add.b, add.c, mask);; i = (i + 1) & mask) {
        Triple& t = triples_[i];
        if (t.a == add.a && t.b == add.b && t.c == add.c) {
            std::int32_t sum = 0;
            if (__builtin_add_overflow(t.n, add.n, &sum)) {  // past 2^31 in one batch: set aside
                triple_spill_.push_back(t);
                t.n = add.n;
            } else {
                t.n = sum;
            }
            return;
        }
        if (t.a == kNoId) {
            t = add;
            ++triple_count_;
            return;
        }
    }
}

void SpellingCollector::clear() {
    ids_.clear();
    spellings_.clear();
    counts_.clear();
    folded_ids_.clear();
    folded_.clear();
    pairs_.clear();
    pair_count_ = 0;
    triples_.clear();
    triple_count_ = 0;
    triple_spill_.clear();
    word_slots_.clear();
    word_count_ = 0;
    words_.clear();
    numeral_id_ = kNoId;
}

namespace {

/// What is counted of a text typed without marks: nothing. Vietnamese written with its marks
/// has about two syllables in three toned; a forum post typed without them ("Xin chao. Toi
/// co chup anh...") would otherwise teach the statistics a second, unmarked spelling of every
/// word, with pairs and triples that hold together ("toi co chup anh"), and a query's own
/// unmarked letters would then win. So would a text whose tone marks were lost on the way
/// (a legacy-encoding conversion keeps ư, ơ, â, đ and drops the tones: "anh vân la ngươi
/// tôt", still half its syllables marked), which teaches spellings no one writes ("la
/// ngươi" for "là người"). The tone marks tell both apart from text written with its marks.
/// A sentence, a paragraph or the whole text of at least kUnmarkedMinWords syllables of
/// which under one in kUnmarkedRatio carries a tone mark is left out (an English passage
/// too: its words are counted where Vietnamese text uses them). Of 89,000 such sentences of
/// VietNews 49 are left out so (most of them cut at "TP." before a name); of VNTC's
/// science, computing, culture and life articles, 5,303 of 517,000 (3,118 with no marks at
/// all, most of the others toneless).
constexpr std::size_t kUnmarkedMinWords = 8;
constexpr std::size_t kUnmarkedRatio = 5;

bool typed_without_marks(std::size_t words, std::size_t marked) { return words >= kUnmarkedMinWords && marked * kUnmarkedRatio < words; }

}  // namespace

void SpellingCollector::count(const std::vector<Token>& tokens, std::string_view text, std::int64_t sign) {
    // Where sentences and paragraphs start, by token: one pass to count their syllables and
    // marks, and the text's; one to leave out the tokens of those typed without marks.
    const auto gap_before = [&](const Token& t, std::size_t last_end) {
        return text.substr(std::min(last_end, text.size()), t.start > last_end ? t.start - last_end : 0);
    };
    span_of_.assign(tokens.size(), {0, 0});
    sentences_.assign(1, {});
    paragraphs_.assign(1, {});
    std::pair<std::size_t, std::size_t> all;  // (syllables, syllables with a tone mark)
    {
        std::size_t last_end = 0;
        bool first = true;
        for (std::size_t i = 0; i < tokens.size(); ++i) {
            const Token& t = tokens[i];
            if (t.part) continue;
            const std::string_view between = gap_before(t, last_end);
            if (!first && vnsearch::text::ends_sentence(between)) sentences_.emplace_back();
            if (!first && between.find('\n') != std::string_view::npos) paragraphs_.emplace_back();
            first = false;
            last_end = t.end;
            span_of_[i] = {static_cast<std::uint32_t>(sentences_.size() - 1), static_cast<std::uint32_t>(paragraphs_.size() - 1)};
            if (t.kind != TokenKind::word) continue;
            const bool marked = vnsearch::text::has_tone_mark(t.exact);
            for (auto* span : {&sentences_.back(), &paragraphs_.back()}) ++span->first, span->second += marked;
            ++all.first, all.second += marked;
        }
    }
    if (typed_without_marks(all.first, all.second)) return;  // the whole text: nothing to count
    const auto left_out = [&](std::size_t i) {
        const auto& [sentence, paragraph] = span_of_[i];
        return typed_without_marks(sentences_[sentence].first, sentences_[sentence].second) ||
               typed_without_marks(paragraphs_[paragraph].first, paragraphs_[paragraph].second);
    };
    bool have_prev = false;  // the last syllable or numeral, while the next may pair with it
    std::uint32_t prev_position = 0;  // its position; a numeral's last part's ("21-4": 4's)
    std::uint32_t prev_id = 0, before_id = 0;  // the last syllable's spelling, and the one before it
    std::size_t run = 0;                       // adjacent syllables up to prev
    std::uint32_t sentence = 0;                // the sentence of the last whole token
    bool first = true;
    doc_pairs_.clear();
    doc_triples_.clear();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (t.part) {  // a date's or code's parts: the whole token counted (a numeral) or broke the run
            if (have_prev) prev_position = t.position;
            continue;
        }
        const bool sentence_start = first || span_of_[i].first != sentence;
        first = false;
        sentence = span_of_[i].first;
        if (left_out(i)) {
            have_prev = false;
            run = 0;
            continue;
        }
        std::uint32_t id = kNoId;
        if (is_numeral(t)) {
            id = numeral_id();
            counts_[id] += sign;
        } else {
            // Most words are written as their exact form (lowercase, NFC): no need to decode.
            const SeenCase c = t.text == t.exact ? SeenCase::lower : seen_case(t.text, sentence_start);
            Word* w = word_of(t, c);
            if (!w || w->id == kNoId) {
                have_prev = false;
                run = 0;
                continue;
            }
            id = w->id;
            std::int32_t n = 0;
            if (__builtin_add_overflow(w->count, sign, &n)) counts_[id] += sign;
            else w->count = n;
        }
        if (have_prev && t.position == prev_position + 1) {
            doc_pairs_.push_back((std::uint64_t{prev_id} + 1) << 32 | (std::uint64_t{id} + 1));
            if (run >= 2) doc_triples_.push_back({before_id, prev_id, id, static_cast<std::int32_t>(sign)});
            ++run;
        } else {
            run = 1;
        }
        have_prev = true;
        prev_position = t.position;
        before_id = prev_id;
        prev_id = id;
    }
    // The pair table outgrows the caches: each slot is fetched a few pairs before it is probed.
    reserve_pairs(pair_count_ + doc_pairs_.size());
    constexpr std::size_t kAhead = 8;
    const std::size_t mask = pairs_.size() - 1;
    for (std::size_t i = 0; i < std::min(kAhead, doc_pairs_.size()); ++i) __builtin_prefetch(&pairs_[pair_slot(doc_pairs_[i], mask)], 1);
    for (std::size_t i = 0; i < doc_pairs_.size(); ++i) {
        if (i + kAhead < doc_pairs_.size()) __builtin_prefetch(&pairs_[pair_slot(doc_pairs_[i + kAhead], mask)], 1);
        add_pair(doc_pairs_[i], sign);
    }
    // The triple table, larger still, the same way.
    reserve_triples(triple_count_ + doc_triples_.size());
    const std::size_t triple_mask = triples_.size() - 1;
    const auto slot_of = [&](const Triple& t) { return &triples_[triple_slot(t.a, t.b, t.c, triple_mask)]; };
    for (std::size_t i = 0; i < std::min(kAhead, doc_triples_.size()); ++i) __builtin_prefetch(slot_of(doc_triples_[i]), 1);
    for (std::size_t i = 0; i < doc_triples_.size(); ++i) {
        if (i + kAhead < doc_triples_.size()) __builtin_prefetch(slot_of(doc_triples_[i + kAhead]), 1);
        add_triple(doc_triples_[i]);
    }
}

void SpellingCollector::merge(SpellingCollector&& other) {
    if (spellings_.empty()) {
        std::swap(*this, other);
        other.clear();
        return;
    }
    other.settle_counts();
    std::vector<std::uint32_t> remap(other.spellings_.size());
    for (std::size_t i = 0; i < other.spellings_.size(); ++i) {
        const auto& s = other.spellings_[i];
        remap[i] = intern(other.folded_[s.folded], s.code, s.exact);
        counts_[remap[i]] += other.counts_[i];
    }
    if (other.numeral_id_ != kNoId) numeral_id_ = remap[other.numeral_id_];
    reserve_pairs(pair_count_ + other.pair_count_);
    for (const auto& [k, n] : other.pairs_)
        if (k) add_pair((std::uint64_t{remap[(k >> 32) - 1]} + 1) << 32 | (std::uint64_t{remap[(k & 0xFFFFFFFFu) - 1]} + 1), n);
    reserve_triples(triple_count_ + other.triple_count_ + other.triple_spill_.size());
    for (const auto* list : {&other.triples_, &other.triple_spill_})
        for (const Triple& t : *list)
            if (t.a != kNoId) add_triple({remap[t.a], remap[t.b], remap[t.c], t.n});
    other.clear();
}

void SpellingCollector::flush(Xapian::WritableDatabase& db, bool fresh) {
    if (spellings_.empty() && !fresh) return;
    settle_counts();
    // Entries grouped by their folded syllable or pair: (first folded, second folded or
    // none, spelling id(s), count).
    constexpr std::uint32_t kNone = 0xFFFFFFFFu;
    // Written in key order ("~s" + "a" or "a b"; folded syllables are [a-z]+, so the order
    // of the keys is that of (first syllable, then none before any second syllable)): each
    // folded syllable gets its rank, and an entry's order is rank(a) << 32 | rank(b) + 1
    // (0: no second syllable), one integer to sort by.
    std::vector<std::uint32_t> by_rank(folded_.size()), rank(folded_.size());
    for (std::uint32_t i = 0; i < by_rank.size(); ++i) by_rank[i] = i;
    std::sort(by_rank.begin(), by_rank.end(), [&](std::uint32_t x, std::uint32_t y) { return folded_[x] < folded_[y]; });
    for (std::uint32_t i = 0; i < by_rank.size(); ++i) rank[by_rank[i]] = i;
    const auto pair_order = [&](std::uint32_t first, std::uint32_t second) {
        return std::uint64_t{rank[spellings_[first].folded]} << 32 | (std::uint64_t{rank[spellings_[second].folded]} + 1);
    };
    // A triple: its pair's order, its fingerprint and its count, 16 bytes (a chunk of the
    // builder holds about as many triples as words). The table is freed once they are made.
    struct Follow {
        std::uint64_t order;
        std::uint32_t fingerprint;
        std::int32_t n;
    };
    std::vector<Follow> follows;
    follows.reserve(triple_count_ + triple_spill_.size());
    const auto follow = [&](const Triple& t) {
        if (t.a == kNoId || !t.n) return;
        follows.push_back({pair_order(t.a, t.b), triple_fingerprint(spellings_[t.a].exact, spellings_[t.b].exact, spellings_[t.c].exact), t.n});
    };
    for (const Triple& t : triples_) follow(t);
    for (const Triple& t : triple_spill_) follow(t);
    std::vector<Triple>().swap(triples_);
    triple_count_ = 0;
    triple_spill_.clear();
    std::sort(follows.begin(), follows.end(), [](const Follow& x, const Follow& y) { return x.order < y.order; });
    struct Entry {
        std::uint64_t order;
        std::uint32_t first, second;  ///< spelling ids; second kNone: a syllable
        std::int64_t n;
    };
    std::vector<Entry> entries;
    entries.reserve(spellings_.size() + pair_count_);
    std::int64_t syllables = 0;
    for (std::uint32_t i = 0; i < spellings_.size(); ++i)
        if (counts_[i]) {
            entries.push_back({std::uint64_t{rank[spellings_[i].folded]} << 32, i, kNone, counts_[i]});
            if (i != numeral_id_) syllables += counts_[i];  // the total counts syllables only
        }
    for (const auto& [k, n] : pairs_) {
        if (!k || !n) continue;
        const auto first = static_cast<std::uint32_t>((k >> 32) - 1), second = static_cast<std::uint32_t>((k & 0xFFFFFFFFu) - 1);
        entries.push_back({pair_order(first, second), first, second, n});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& x, const Entry& y) { return x.order < y.order; });
    Codes codes;
    Following following;
    std::string key, joined, stored, value;
    // One key at a time, in key order: its entries [i, j) and its triples [f, g) (a pair may
    // have either without the other in a batch whose counts cancel).
    for (std::size_t i = 0, f = 0; i < entries.size() || f < follows.size();) {
        const std::uint64_t at_order = std::min(i < entries.size() ? entries[i].order : ~std::uint64_t{0}, f < follows.size() ? follows[f].order : ~std::uint64_t{0});
        std::size_t j = i, g = f;
        while (j < entries.size() && entries[j].order == at_order) ++j;
        while (g < follows.size() && follows[g].order == at_order) ++g;
        const auto second_rank = static_cast<std::uint32_t>(at_order & 0xFFFFFFFFu);
        const bool pair = second_rank != 0;
        key.assign(scheme::kSpellingPrefix).append(folded_[by_rank[at_order >> 32]]);
        if (pair) key.append(" ").append(folded_[by_rank[second_rank - 1]]);
        if (key.size() <= scheme::kMaxMetadataKeyBytes) {
            // A pair's codes are its syllables' codes one after the other: joined first, then
            // viewed (`joined` no longer grows).
            joined.clear();
            if (pair)
                for (std::size_t k = i; k < j; ++k) joined.append(spellings_[entries[k].first].code).append(spellings_[entries[k].second].code);
            codes.clear();
            for (std::size_t k = i, at = 0; k < j; ++k) {
                std::string_view code = spellings_[entries[k].first].code;
                if (pair) {
                    const std::size_t size = code.size() + spellings_[entries[k].second].code.size();
                    code = std::string_view(joined).substr(at, size);
                    at += size;
                }
                codes.emplace_back(code, entries[k].n);
            }
            following.clear();
            for (std::size_t k = f; k < g; ++k) following.emplace_back(follows[k].fingerprint, follows[k].n);
            if (!fresh) {
                stored = db.get_metadata(key);
                std::string_view section;
                append_stored(stored, pair ? 2 : 1, codes, &section);
                append_following(section, following);
            }
            encode_value(codes, value);
            if (pair) encode_following(following, value);
            db.set_metadata(key, value);  // "" (nothing left) removes the key
        }
        i = j;
        f = g;
    }
    const std::string total_key(scheme::kSpellingKey);
    const std::string stored_total = db.get_metadata(total_key);
    if (!stored_total.empty() || fresh) {
        const std::int64_t total = static_cast<std::int64_t>(parse_total(stored_total)) + syllables;
        db.set_metadata(total_key, std::to_string(std::max<std::int64_t>(0, total)));
    }
    clear();
}

void mark_spelling_complete(Xapian::WritableDatabase& db) {
    if (db.get_metadata(std::string(scheme::kSpellingKey)).empty()) db.set_metadata(std::string(scheme::kSpellingKey), "0");
}

std::optional<std::string> merge_spelling(std::string_view key, const std::string values[], std::size_t n) {
    if (key == scheme::kSpellingKey) {
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < n; ++i) total += parse_total(values[i]);
        return std::to_string(total);
    }
    if (key.substr(0, scheme::kSpellingPrefix.size()) != scheme::kSpellingPrefix) return std::nullopt;
    const std::size_t syllables = syllables_of(key.substr(scheme::kSpellingPrefix.size()));
    Codes codes;
    Following following;
    for (std::size_t i = 0; i < n; ++i) {
        std::string_view section;
        append_stored(values[i], syllables, codes, &section);
        if (syllables == 2) append_following(section, following);
    }
    std::string out;
    encode_value(codes, out);
    if (syllables == 2) encode_following(following, out);
    return out;
}

SpellingStats::SpellingStats(const std::vector<Xapian::Database>& shards, SpellingCache* cache) : shards_(shards), cache_(cache) {
    if (cache_ && cache_->totals_) {
        available_ = cache_->totals_->available;
        total_ = cache_->totals_->total;
        return;
    }
    for (const auto& db : shards_) {
        const std::string v = db.get_metadata(std::string(scheme::kSpellingKey));
        if (v.empty()) available_ = false;
        total_ += static_cast<double>(parse_total(v));
    }
    available_ = available_ && !shards_.empty();
    if (cache_) cache_->totals_ = SpellingCache::Totals{available_, total_};
}

const SpellingStats::Entry& SpellingStats::entry(std::string_view folded) const {
    std::string key = metadata_key(folded);
    if (const auto it = held_.find(key); it != held_.end()) return *it->second;
    std::shared_ptr<const Entry> found;
    if (cache_) {
        if (const auto it = cache_->known_.find(key); it != cache_->known_.end()) found = it->second;
    }
    if (!found) {
        found = std::make_shared<const Entry>(read(key, folded));
        if (cache_) {
            const std::size_t size = found->spellings.size() + found->following.size() / 8;
            if (cache_->spellings_ + size > SpellingCache::kMaxSpellings) cache_->known_.clear(), cache_->spellings_ = 0;
            cache_->spellings_ += size;
            cache_->known_.emplace(key, found);
        }
    }
    return *held_.emplace(std::move(key), std::move(found)).first->second;
}

SpellingStats::Entry SpellingStats::read(const std::string& key, std::string_view folded) const {
    const std::size_t syllables = syllables_of(folded);
    // The values stay alive while `codes` views them.
    std::vector<std::string> values;
    values.reserve(shards_.size());
    Codes codes;
    Following following;
    for (const auto& db : shards_) {
        values.push_back(db.get_metadata(key));
        if (values.back().empty()) continue;
        std::string_view section;
        append_stored(values.back(), syllables, codes, &section);
        if (syllables == 2) append_following(section, following);
    }
    Entry entry;
    if (!following.empty()) {
        // One shard's list is in fingerprint order, each once; several shards' are summed.
        if (shards_.size() > 1) sum_by_key(following);
        entry.following.reserve(following.size());
        for (const auto& [fp, n] : following)  // a stored count is below 2^32; shards' sums stop there
            entry.following.push_back({fp, static_cast<std::uint32_t>(std::min<std::int64_t>(n, kMaxCount))});
    }
    // One shard's value lists each spelling once, most frequent first and equal counts in
    // code order; several shards' are summed into that order.
    if (shards_.size() > 1) sum_by_key(codes);
    const auto more_frequent = [](const auto& x, const auto& y) { return x.second > y.second; };
    if (!std::is_sorted(codes.begin(), codes.end(), more_frequent)) std::stable_sort(codes.begin(), codes.end(), more_frequent);
    // The folded syllables, to put the marks on.
    std::vector<std::string_view> parts;
    parts.reserve(syllables);
    for (std::size_t pos = 0;;) {
        const std::size_t sp = folded.find(' ', pos);
        parts.push_back(folded.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos));
        if (sp == std::string_view::npos) break;
        pos = sp + 1;
    }
    std::vector<Spelling>& out = entry.spellings;
    out.reserve(codes.size());
    for (const auto& [code, n] : codes) {
        Spelling s;
        s.count = static_cast<std::uint64_t>(n);
        s.exact.reserve(parts.size());
        s.cases.reserve(parts.size());
        std::size_t i = 0;
        bool ok = true;
        for (std::string_view bare : parts) {
            SeenCase c = SeenCase::lower;
            std::array<char32_t, kMaxSyllableChars> marked{};
            bool any_mark = false;
            for (; i < code.size() && code[i] != '\0'; ++i) {
                const auto b = static_cast<unsigned char>(code[i]);
                if (b == kCapital) c = SeenCase::capital;
                else if (b == kUnknownCase) c = SeenCase::unknown;
                else if (const std::size_t at = b >> 5; at < bare.size() && at < kMaxSyllableChars) {
                    if (auto m = marked_letter(bare[at], b & 0x1F)) marked[at] = *m, any_mark = true;
                    else ok = false;
                } else {
                    ok = false;
                }
            }
            ++i;  // the terminating 0
            std::string exact;
            if (any_mark) {
                for (std::size_t k = 0; k < bare.size(); ++k)
                    if (k < kMaxSyllableChars && marked[k]) text::append_utf8(exact, marked[k]);
                    else exact.push_back(bare[k]);
            } else {
                exact.assign(bare);
            }
            s.exact.push_back(std::move(exact));
            s.cases.push_back(c);
        }
        if (ok && s.exact.size() == syllables) out.push_back(std::move(s));
    }
    return entry;
}

}  // namespace vnsearch::detail
