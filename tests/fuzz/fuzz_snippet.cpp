// libFuzzer target: a snippet's scan and window over untrusted text (internal, like
// fuzz_stored: it links the static library with lib/ headers).
// The first byte picks the words looked for and where the scan may stop; the rest is the
// text. Checks, beyond "no crash, no leak, no UB":
//  * analyze_looking_for sends exactly analyze's tokens but the plain words not looked for,
//    keeps every token's bounds up to its stop offset, and reads nothing from there on;
//  * make_snippet gives the same snippet reading early-stopped as reading the text whole,
//    valid UTF-8, its spans in order inside its text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "analysis/scan.h"
#include "search/query.h"
#include "search/snippet.h"
#include "vnsearch/vnsearch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const unsigned pick = data[0];
    const std::string raw(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::string text = vnsearch::decode(raw).text;  // stored bodies are valid UTF-8
    const vnsearch::Analyzer analyzer;
    const std::vector<vnsearch::Token> all = analyzer.analyze(text);

    // The words looked for: every (pick % 4 + 2)-th token's folded form (all built before the
    // set takes views of them).
    std::vector<std::string> forms;
    for (std::size_t k = 0; k < all.size(); k += pick % 4 + 2)
        if (!all[k].folded.empty()) forms.push_back(all[k].folded);
    vnsearch::detail::FoldedSet wanted;
    for (const std::string& f : forms) wanted.insert(f);
    std::vector<std::pair<std::size_t, std::size_t>> bounds;
    vnsearch::detail::LookingFor looking(wanted);
    looking.bounds = &bounds;
    if (pick & 0x80) looking.stop_at = text.size() * (pick & 0x7f) / 128;
    std::vector<vnsearch::Token> got;
    vnsearch::detail::analyze_looking_for(analyzer, text, looking, [&](const vnsearch::Token& t) {
        got.push_back(t);
        return true;
    });
    std::size_t k = 0;
    std::vector<std::pair<std::size_t, std::size_t>> expected;
    for (const vnsearch::Token& y : all) {
        if (y.start >= looking.stop_at && !y.part) break;
        if (!y.part) expected.emplace_back(y.start, y.end);
        if (k < got.size() && got[k].start == y.start && got[k].end == y.end && got[k].part == y.part) {
            const vnsearch::Token& x = got[k++];
            if (x.position != y.position || x.exact != y.exact || x.folded != y.folded || x.text != y.text) std::abort();
        } else if (y.part || wanted.contains(y.folded)) {
            std::abort();  // only a plain word not looked for may be left out
        }
    }
    if (k != got.size() || bounds != expected) std::abort();

    // A snippet for a query of up to four of those words, one in two typed without marks.
    std::string q;
    for (std::size_t i = 0; i < forms.size() && i < 4; ++i) {
        const vnsearch::Token& t = all[i * (pick % 4 + 2)];
        q += (i % 2 ? t.folded : t.exact) + " ";
    }
    if (pick & 0x40) q = "\"" + q + "\"";
    const vnsearch::detail::SnippetTerms st =
        vnsearch::detail::snippet_terms(vnsearch::detail::parse_query(q, analyzer), {}, analyzer);
    for (const std::size_t chars : {std::size_t{12}, std::size_t{240}}) {
        const vnsearch::detail::SnippetOptions early{chars, "…"}, whole{chars, "…", false};
        const vnsearch::detail::Snippet a = vnsearch::detail::make_snippet(text, st, analyzer, early);
        const vnsearch::detail::Snippet b = vnsearch::detail::make_snippet(text, st, analyzer, whole);
        if (a.text != b.text || a.spans != b.spans) std::abort();
        if (!vnsearch::is_valid_utf8(a.text)) std::abort();
        std::size_t prev = 0;
        for (const auto& [s, e] : a.spans) {
            if (s < prev || s >= e || e > a.text.size()) std::abort();
            prev = e;
        }
    }
    return 0;
}
