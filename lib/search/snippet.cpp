#include "search/snippet.h"

#include <algorithm>
#include <vector>

namespace vnsearch::detail {
namespace {

struct Match {
    std::size_t start, end;
    const std::string* term;
};

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/// Byte offset `chars` UTF-8 characters after `from` (or the end).
std::size_t advance_chars(std::string_view s, std::size_t from, std::size_t chars) {
    std::size_t i = from;
    while (i < s.size() && chars > 0) {
        ++i;
        while (i < s.size() && is_continuation(static_cast<unsigned char>(s[i]))) ++i;
        --chars;
    }
    return i;
}

std::size_t back_chars(std::string_view s, std::size_t from, std::size_t chars) {
    std::size_t i = from;
    while (i > 0 && chars > 0) {
        --i;
        while (i > 0 && is_continuation(static_cast<unsigned char>(s[i]))) --i;
        --chars;
    }
    return i;
}

/// Collapses runs of white space (newlines included) into single spaces.
void append_flat(std::string& out, std::string_view s) {
    bool space = !out.empty() && out.back() == ' ';
    for (char c : s) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            if (!space) out.push_back(' ');
            space = true;
        } else {
            out.push_back(c);
            space = false;
        }
    }
}

}  // namespace

std::string make_snippet(std::string_view text, const HighlightTerms& terms, const Analyzer& analyzer,
                         const SnippetOptions& opt) {
    if (opt.chars == 0 || text.empty()) return {};
    std::vector<Match> folded_matches;
    std::vector<bool> exact;  // per folded match: its exact form was typed
    std::unordered_set<const std::string*> has_exact;  // keys whose exact form occurs
    std::vector<std::pair<std::size_t, std::size_t>> token_bounds;
    analyzer.analyze(text, [&](const Token& t) {
        if (t.part) return;
        token_bounds.emplace_back(t.start, t.end);
        auto it = terms.find(t.folded);
        if (it == terms.end()) return;
        bool any = it->second.count(std::string()) > 0;
        bool is_exact = any || it->second.count(t.exact) > 0;
        folded_matches.push_back({t.start, t.end, &it->first});
        exact.push_back(is_exact);
        if (is_exact) has_exact.insert(&it->first);
    });
    std::vector<Match> matches;
    for (std::size_t k = 0; k < folded_matches.size(); ++k)
        if (exact[k] || !has_exact.count(folded_matches[k].term)) matches.push_back(folded_matches[k]);
    // Choose the window: the one starting at a match that covers the most distinct terms,
    // then the most matches.
    std::size_t best_begin = 0, best_end = advance_chars(text, 0, opt.chars);
    if (!matches.empty()) {
        std::size_t best_distinct = 0, best_count = 0;
        for (std::size_t i = 0; i < matches.size(); ++i) {
            std::size_t begin = back_chars(text, matches[i].start, opt.chars / 6);
            std::size_t end = advance_chars(text, begin, opt.chars);
            std::vector<const std::string*> seen;
            std::size_t count = 0;
            for (std::size_t j = i; j < matches.size() && matches[j].end <= end; ++j) {
                ++count;
                if (std::find(seen.begin(), seen.end(), matches[j].term) == seen.end()) seen.push_back(matches[j].term);
            }
            if (seen.size() > best_distinct || (seen.size() == best_distinct && count > best_count)) {
                best_distinct = seen.size();
                best_count = count;
                best_begin = begin;
                best_end = end;
            }
        }
    }
    // A window that runs into the end of the text uses its spare room before the match.
    if (best_end >= text.size()) {
        std::size_t used = 0;
        for (std::size_t i = best_begin; i < text.size(); ++i) used += !is_continuation(static_cast<unsigned char>(text[i]));
        if (used < opt.chars) best_begin = back_chars(text, best_begin, opt.chars - used);
    }
    // Snap the window to token boundaries so no word is cut.
    for (auto [s, e] : token_bounds) {
        if (s < best_begin && e > best_begin) best_begin = s;
        if (s < best_end && e > best_end) best_end = e;
    }
    if (best_end > text.size()) best_end = text.size();
    // Skip leading white space and punctuation-only lead-in.
    while (best_begin < best_end && (text[best_begin] == ' ' || text[best_begin] == '\n' || text[best_begin] == '\r'))
        ++best_begin;

    std::string out;
    if (best_begin > 0) out += opt.ellipsis;
    std::size_t cur = best_begin;
    for (const Match& m : matches) {
        if (m.start < best_begin || m.end > best_end) continue;
        append_flat(out, text.substr(cur, m.start - cur));
        out += opt.start;
        out.append(text.substr(m.start, m.end - m.start));
        out += opt.end;
        cur = m.end;
    }
    append_flat(out, text.substr(cur, best_end - cur));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (best_end < text.size()) out += opt.ellipsis;
    return out;
}

}  // namespace vnsearch::detail
