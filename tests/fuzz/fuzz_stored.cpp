// libFuzzer target: the stored-data codec (lib/index/stored_data.h). Any bytes read as a
// record are either refused, leaving the document empty, or read without reading past
// them, whole, without the body, or as a body prefix; and any bytes stored as a document's
// text read back as they were (repaired to valid UTF-8).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "index/stored_data.h"
#include "text/utf8.h"
#include "vnsearch/text.h"

using vnsearch::Document;
using vnsearch::detail::decode_stored;
using vnsearch::detail::encode_stored;
using vnsearch::detail::StoredParts;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // As a record.
    Document whole, head, part;
    std::vector<std::string> keys;
    const bool ok = decode_stored(bytes, StoredParts::all, whole, &keys);
    if (!ok && (!whole.id.empty() || !whole.body.empty() || !keys.empty())) std::abort();
    if (decode_stored(bytes, StoredParts::without_body, head, nullptr) && !head.body.empty()) std::abort();
    const std::size_t cut = size ? data[0] * 7u : 0;
    if (decode_stored(bytes, StoredParts::all, part, nullptr, cut) && ok &&
        vnsearch::text::utf8_prefix(part.body, cut) != vnsearch::text::utf8_prefix(whole.body, cut))
        std::abort();
    // As a document's text: stored and read back.
    Document d("id");
    d.title = std::string(bytes.substr(0, size / 4));
    d.body = std::string(bytes.substr(size / 4));
    Document back;
    if (!decode_stored(encode_stored(d, {"n:19"}), StoredParts::all, back, nullptr)) std::abort();
    if (back.body != vnsearch::repair_utf8(d.body) || back.title != vnsearch::repair_utf8(d.title)) std::abort();
    return 0;
}
