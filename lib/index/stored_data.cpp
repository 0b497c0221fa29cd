#include "index/stored_data.h"

#include <zstd.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>

#include "index/varint.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {

namespace {

/// The record's first byte. JSON text never starts with either (a JSON object starts with
/// '{', after optional white space), so the forms cannot be mistaken for each other; a later
/// layout takes the next value. Version 1 stores the body as it is; version 2 as an encoding
/// byte, its length, and its bytes (raw, or one zstd frame).
constexpr char kRecordV1 = '\x01';
constexpr char kRecordV2 = '\x02';

enum BodyEncoding : unsigned char { kBodyRaw = 0, kBodyZstd = 1 };

/// Bodies shorter than this are stored as they are: a frame's header and Xapian's own
/// compression of the record leave nothing to gain.
constexpr std::size_t kCompressFrom = 128;
/// zstd's level for bodies: its default, which decodes several times faster than the zlib
/// Xapian applies to the whole record, at a similar size (docs/term-scheme.md).
constexpr int kZstdLevel = 3;

struct CCtxFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
    void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

/// One context per thread, reused: creating one for each document costs more than
/// compressing a short article.
ZSTD_CCtx* compressor() {
    thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> c(ZSTD_createCCtx());
    return c.get();
}
ZSTD_DCtx* decompressor() {
    thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> d(ZSTD_createDCtx());
    return d.get();
}

/// Appends `body` (valid UTF-8) in version 2's form.
void append_body(std::string& out, std::string_view body) {
    if (body.size() >= kCompressFrom) {
        if (ZSTD_CCtx* c = compressor()) {
            std::string frame(ZSTD_compressBound(body.size()), '\0');
            const std::size_t n = ZSTD_compressCCtx(c, frame.data(), frame.size(), body.data(), body.size(), kZstdLevel);
            if (!ZSTD_isError(n) && n < body.size()) {
                out.push_back(static_cast<char>(kBodyZstd));
                append_varint(out, body.size());
                append_varint(out, n);
                out.append(frame.data(), n);
                return;
            }
        }
    }
    out.push_back(static_cast<char>(kBodyRaw));
    append_varint(out, body.size());
    append_varint(out, body.size());
    out.append(body.data(), body.size());
}

/// Decodes version 2's body of `size` bytes from `stored` (its encoding `encoding`) into
/// `out`, or only its first `want` bytes when that is fewer. False when the bytes are not
/// what the record says.
bool read_body(unsigned char encoding, std::uint64_t size, std::string_view stored, std::size_t want, std::string& out) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, want));
    if (encoding == kBodyRaw) {
        if (stored.size() != size) return false;
        out.assign(stored.data(), n);
        return true;
    }
    if (encoding != kBodyZstd) return false;
    ZSTD_DCtx* d = decompressor();
    if (!d) return false;
    const unsigned long long content = ZSTD_getFrameContentSize(stored.data(), stored.size());
    // A damaged length is refused before anything is allocated for it: no frame expands
    // more than zstd's blocks allow (128 KiB from a few bytes).
    if (content != size || size / 32768 > stored.size()) return false;
    out.resize(n);
    if (n == size) {
        const std::size_t got = ZSTD_decompressDCtx(d, out.data(), n, stored.data(), stored.size());
        if (ZSTD_isError(got) || got != n) return false;
        return true;
    }
    // Only a prefix: the stream stops once the output is full, decoding no further.
    ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
    ZSTD_inBuffer in{stored.data(), stored.size(), 0};
    ZSTD_outBuffer o{out.data(), n, 0};
    while (o.pos < o.size) {
        const std::size_t r = ZSTD_decompressStream(d, &o, &in);
        if (ZSTD_isError(r)) return false;
        if (r == 0 || in.pos == in.size) break;
    }
    ZSTD_DCtx_reset(d, ZSTD_reset_session_only);
    return o.pos == n;
}

/// `s` as stored: itself when valid UTF-8, else repaired into `repaired`.
std::string_view stored_text(const std::string& s, std::string& repaired) {
    if (is_valid_utf8(s)) return s;
    repaired = repair_utf8(s);
    return repaired;
}

void append_text(std::string& out, const std::string& s) {
    std::string repaired;
    const std::string_view t = stored_text(s, repaired);
    append_varint(out, t.size());
    out += t;
}

/// Reads the record's fields, advancing `p`.
class Reader {
  public:
    Reader(const char* p, const char* end) : p_(p), end_(end) {}
    /// The next field's bytes; false at a malformed or truncated field.
    bool view(std::string_view& out) {
        std::uint64_t n = 0;
        if (!read_varint(p_, end_, n) || n > static_cast<std::uint64_t>(end_ - p_)) return false;
        out = std::string_view(p_, static_cast<std::size_t>(n));
        p_ += n;
        return true;
    }
    bool text(std::string& out) {
        std::string_view v;
        if (!view(v)) return false;
        out.assign(v.data(), v.size());
        return true;
    }
    bool count(std::uint64_t& n) { return read_varint(p_, end_, n); }
    bool byte(unsigned char& b) {
        if (p_ == end_) return false;
        b = static_cast<unsigned char>(*p_++);
        return true;
    }
    bool at_end() const { return p_ == end_; }

  private:
    const char* p_;
    const char* end_;
};

bool decode_record(std::string_view data, StoredParts parts, std::size_t body_bytes, Document& doc,
                   std::vector<std::string>* place_keys) {
    Reader r(data.data() + 1, data.data() + data.size());
    if (!r.text(doc.id) || !r.text(doc.title) || !r.text(doc.date) || !r.text(doc.source) || !r.text(doc.url) ||
        !r.text(doc.author))
        return false;
    std::uint64_t n = 0;
    if (!r.count(n)) return false;
    for (std::uint64_t k = 0; k < n; ++k) {
        std::string key, value;
        if (!r.text(key) || !r.text(value)) return false;
        doc.fields[std::move(key)] = std::move(value);
    }
    if (!r.count(n)) return false;
    for (std::uint64_t k = 0; k < n; ++k) {
        std::string_view key;
        if (!r.view(key)) return false;
        if (place_keys) place_keys->emplace_back(key);
    }
    if (data[0] == kRecordV1) {
        std::string_view body;
        if (!r.view(body) || !r.at_end()) return false;
        if (parts == StoredParts::all) doc.body.assign(body.data(), std::min(body.size(), body_bytes));
        return true;
    }
    unsigned char encoding = 0;
    std::uint64_t size = 0;
    std::string_view body;
    if (!r.byte(encoding) || !r.count(size) || !r.view(body) || !r.at_end()) return false;
    if (parts != StoredParts::all) return encoding == kBodyRaw || encoding == kBodyZstd;
    return read_body(encoding, size, body, body_bytes, doc.body);
}

/// The JSON object of databases written before the record (term-scheme.md).
bool decode_json(std::string_view data, StoredParts parts, Document& doc, std::vector<std::string>* place_keys) {
    const nlohmann::json j = nlohmann::json::parse(data.begin(), data.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    auto get = [&](const char* k) {
        const auto it = j.find(k);
        return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    doc.id = get("id");
    doc.title = get("title");
    if (parts == StoredParts::all) doc.body = get("body");
    doc.date = get("date");
    doc.source = get("source");
    doc.url = get("url");
    doc.author = get("author");
    if (const auto f = j.find("fields"); f != j.end() && f->is_object())
        for (const auto& [k, v] : f->items())
            if (v.is_string()) doc.fields[k] = v.get<std::string>();
    if (const auto p = j.find("places"); place_keys && p != j.end() && p->is_array())
        for (const auto& k : *p)
            if (k.is_string()) place_keys->push_back(k.get<std::string>());
    return true;
}

}  // namespace

std::string encode_stored(const Document& doc, const std::vector<std::string>& place_keys) {
    std::string out;
    out.reserve(doc.body.size() + doc.title.size() + doc.id.size() + doc.url.size() + 64);
    out.push_back(kRecordV2);
    for (const std::string* s : {&doc.id, &doc.title, &doc.date, &doc.source, &doc.url, &doc.author}) append_text(out, *s);
    append_varint(out, doc.fields.size());
    for (const auto& [k, v] : doc.fields) {
        append_text(out, k);
        append_text(out, v);
    }
    append_varint(out, place_keys.size());
    for (const std::string& k : place_keys) append_text(out, k);
    std::string repaired;
    append_body(out, stored_text(doc.body, repaired));
    return out;
}

bool decode_stored(std::string_view data, StoredParts parts, Document& doc, std::vector<std::string>* place_keys,
                   std::size_t body_bytes) {
    const std::size_t places_before = place_keys ? place_keys->size() : 0;
    // A prefix ends where a whole read would have a character boundary: one more
    // character's bytes are kept for text::utf8_prefix to find it.
    if (body_bytes < std::numeric_limits<std::size_t>::max() - 4) body_bytes += 4;
    const bool ok = !data.empty() && (data[0] == kRecordV1 || data[0] == kRecordV2)
                        ? decode_record(data, parts, body_bytes, doc, place_keys)
                        : decode_json(data, parts, doc, place_keys);
    if (!ok) {
        doc = Document();
        if (place_keys) place_keys->resize(places_before);
    }
    return ok;
}

}  // namespace vnsearch::detail
