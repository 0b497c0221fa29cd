// Decoding bytes to UTF-8: BOM sniffing, UTF-8 repair, UTF-16 via ICU, the Vietnamese legacy
// charsets (detected conservatively, text/legacy.cpp), other named charsets
// via Boost.Locale.
#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <boost/locale/encoding.hpp>

#include "text/legacy.h"
#include "text/utf8.h"
#include "vnsearch/error.h"
#include "vnsearch/text.h"

namespace vnsearch {
namespace {

// ICU conversion of a whole buffer; ill-formed input (an odd trailing byte, an unpaired
// surrogate) becomes U+FFFD through ICU's default substitution callback, and is counted.
Decoded from_utf16(std::string_view bytes, Encoding enc) {
    const char* name = enc == Encoding::utf16le ? "UTF-16LE" : "UTF-16BE";
    icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), name);
    if (u.isBogus()) throw EncodingError(std::string("cannot decode ") + name);
    Decoded d;
    u.toUTF8String(d.text);
    d.encoding = enc;
    d.had_bom = true;
    // Count U+FFFD produced by ICU (an odd trailing byte, unpaired surrogates).
    d.repaired = 0;
    for (int32_t i = 0; i < u.length(); ++i)
        if (u.charAt(i) == 0xFFFD) ++d.repaired;
    return d;
}

}  // namespace

Decoded decode(std::string_view bytes) {
    auto starts = [&](std::string_view bom) { return bytes.substr(0, bom.size()) == bom; };
    if (starts("\xEF\xBB\xBF")) {
        Decoded d;
        d.had_bom = true;
        d.text = repair_utf8(bytes.substr(3), &d.repaired);
        return d;
    }
    if (starts("\xFF\xFE")) return from_utf16(bytes.substr(2), Encoding::utf16le);
    if (starts("\xFE\xFF")) return from_utf16(bytes.substr(2), Encoding::utf16be);
    Decoded d;
    d.text = repair_utf8(bytes, &d.repaired);
    return d;
}

Decoded decode(std::string_view bytes, const std::string& charset) {
    std::string lowered;
    for (char c : charset) lowered.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    if (lowered == "utf-8" || lowered == "utf8") return decode(bytes);
    if (lowered == "utf-16le" || lowered == "utf-16be") {
        auto enc = lowered == "utf-16le" ? Encoding::utf16le : Encoding::utf16be;
        std::string_view body = bytes;
        bool bom = body.size() >= 2 && ((enc == Encoding::utf16le && body.substr(0, 2) == "\xFF\xFE") ||
                                        (enc == Encoding::utf16be && body.substr(0, 2) == "\xFE\xFF"));
        if (bom) body.remove_prefix(2);
        Decoded d = from_utf16(body, enc);
        d.had_bom = bom;
        return d;
    }
    Decoded d;
    d.encoding = Encoding::legacy;
    d.charset = charset;
    if (auto cs = text::legacy_by_name(lowered)) {
        d.text = text::decode_legacy(bytes, *cs);
        d.charset = text::legacy_name(*cs);
        return d;
    }
    try {
        std::string utf8 = boost::locale::conv::to_utf<char>(bytes.data(), bytes.data() + bytes.size(),
                                                             charset, boost::locale::conv::default_method);
        d.text = repair_utf8(utf8, &d.repaired);
    } catch (const boost::locale::conv::invalid_charset_error&) {
        throw EncodingError("unknown charset: " + charset);
    } catch (const std::exception& e) {
        throw EncodingError("cannot decode as " + charset + ": " + e.what());
    }
    return d;
}

Decoded decode_detect(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF" || bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF")
        return decode(bytes);
    if (auto cs = text::detect_legacy(bytes)) {
        Decoded d;
        d.encoding = Encoding::legacy;
        d.charset = text::legacy_name(*cs);
        d.text = text::decode_legacy(bytes, *cs);
        return d;
    }
    return decode(bytes);
}

}  // namespace vnsearch
