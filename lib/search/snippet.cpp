#include "search/snippet.h"

#include "analysis/scan.h"
#include "text/utf8.h"

#include <algorithm>
#include <array>
#include <vector>

namespace vnsearch::detail {
namespace {

/// A query word found in the text, or (pair) two adjacent query words.
struct Match {
    std::size_t start, end;            // bytes
    std::size_t char_start, char_end;  // characters
    std::uint32_t term;                // index in SnippetTerms::terms, or in pair_ids (pair)
    int level;                         // 3 exact literal, 2 folded literal, 1 expansion, 0 pair
    bool in_phrase = false;            // (level 1) inside a whole occurrence of its expansion
};

/// Weight of a term seen in a window at its best level (index: level). Expansions only break
/// ties between windows that hold the same literal words.
constexpr double kLevelWeight[] = {0.0, 0.001, 0.7, 1.0};
/// Weight of an adjacent query pair seen in a window (a phrase of n words: n-1 pairs), and
/// of a pair inside an abbreviation's expansion.
constexpr double kPairWeight = 1.5;
constexpr double kExpansionPairWeight = 0.002;

using text::is_continuation;

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

SnippetTerms snippet_terms(const ParsedQuery& query, const std::vector<std::string>& expansions, const Analyzer& analyzer) {
    SnippetTerms st;
    auto id_of = [&](const std::string& folded) {
        auto [it, fresh] = st.ids.try_emplace(folded, static_cast<std::uint32_t>(st.terms.size()));
        if (fresh) st.terms.emplace_back();
        return it->second;
    };
    auto note = [&](const Token& t, bool expansion) {
        const std::uint32_t id = id_of(t.folded);
        SnippetTerms::Term& term = st.terms[id];
        if (expansion && (term.any_form || !term.exact.empty()) && !term.expansion) return id;  // a literal word already
        term.expansion = expansion;
        if (t.exact == t.folded) term.any_form = true;
        else term.exact.insert(t.exact);
        return id;
    };
    query.for_each_wanted_word([&](const QueryWord& w, const QueryNode&) {
        const std::uint32_t id = note(w.token, false);
        for (const Token& p : w.parts) note(p, false);
        (void)id;
    });
    // Adjacent pairs, in a second pass so that every term's id is known.
    query.visit([&](const QueryNode& n, bool excluded) {
        if (excluded || !ParsedQuery::is_free_text(n)) return;
        for (std::size_t i = 1; i < n.words.size(); ++i)
            if (n.words[i].follows_previous)
                st.pairs.insert(std::uint64_t{st.ids[n.words[i - 1].token.folded]} << 32 | st.ids[n.words[i].token.folded]);
    });
    for (const std::string& e : expansions) {
        std::vector<std::uint32_t> phrase;
        analyzer.analyze(e, [&](const Token& t) {
            if (t.part) return;
            const std::uint32_t id = note(t, true);
            if (!phrase.empty()) st.pairs.insert(std::uint64_t{phrase.back()} << 32 | id);
            phrase.push_back(id);
        });
        if (!phrase.empty()) st.expansion_phrases.push_back(std::move(phrase));
    }
    return st;
}

std::string marked(const Snippet& snippet, std::string_view start, std::string_view end) {
    std::string out;
    out.reserve(snippet.text.size() + snippet.spans.size() * (start.size() + end.size()));
    std::size_t cur = 0;
    for (const auto& [s, e] : snippet.spans) {
        out.append(snippet.text, cur, s - cur);
        out += start;
        out.append(snippet.text, s, e - s);
        out += end;
        cur = e;
    }
    out.append(snippet.text, cur, std::string::npos);
    return out;
}

Snippet make_snippet(std::string_view text, const SnippetTerms& terms, const Analyzer& analyzer,
                     const SnippetOptions& opt) {
    if (opt.chars == 0 || text.empty()) return {};
    // One pass: the matches, with their character offsets, and adjacent query pairs.
    std::vector<Match> matches, pairs;
    std::vector<bool> exact_seen(terms.terms.size(), false);
    std::vector<std::pair<std::size_t, std::size_t>> token_bounds;
    std::unordered_map<std::uint64_t, std::uint32_t> pair_ids;
    std::vector<double> pair_weight;  // per pair id
    std::size_t chars_before = 0, counted_to = 0;
    auto char_offset = [&](std::size_t byte) {
        if (byte > counted_to) {
            chars_before += text::count_chars(text.substr(counted_to, byte - counted_to));
            counted_to = byte;
        }
        return chars_before;
    };
    constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::size_t last = kNone;  // index in matches of the previous token, when it matched
    std::uint32_t last_position = 0;
    std::size_t run = 0;  // matches side by side ending with the last one
    // The expansions' phrases by their last word (a query's handful: a scan of each).
    std::vector<std::vector<const std::vector<std::uint32_t>*>> phrases_ending(terms.terms.size());
    for (const auto& phrase : terms.expansion_phrases) phrases_ending[phrase.back()].push_back(&phrase);
    // Most words of a text are no query word: the analysis builds no terms for them, and
    // the set rules them out before a hash lookup.
    FoldedSet wanted;
    for (const auto& entry : terms.ids)
        if (!entry.first.empty()) wanted.insert(entry.first);
    LookingFor looking(wanted);
    looking.bounds = &token_bounds;
    const std::size_t span = opt.chars - opt.chars / 6;  // the window starts a little before its first match
    // Reading stops early once some window holds every term at its best level and every
    // query pair (no window can score more), and the text has been read past that window's
    // reach: the windows up to it, and so the one chosen, are then exactly what a full read
    // gives. Kept per term and pair: the character span of its last such occurrence.
    std::vector<std::pair<std::size_t, std::size_t>> term_last(terms.terms.size(), {kNone, kNone}), pair_last;
    std::size_t terms_at_best = 0, stop_char = kNone;
    auto note_best = [&](std::pair<std::size_t, std::size_t>& slot, std::size_t cs, std::size_t ce, bool is_term) {
        if (is_term && slot.first == kNone) ++terms_at_best;
        slot = {cs, ce};
        if (!opt.stop_early || stop_char != kNone || terms_at_best < term_last.size() || pair_last.size() < terms.pairs.size())
            return;
        std::size_t first = kNone, last_end = 0;
        for (const auto* v : {&term_last, &pair_last})
            for (const auto& [s, e] : *v) first = std::min(first, s), last_end = std::max(last_end, e);
        if (last_end > first + span) return;
        stop_char = first + opt.chars + 1;
        // The scan ends before the first token from stop_char on: the windows up to it only
        // hold matches before (the note above). Counted from the last match, which the scan
        // has just passed (stop_char lies past it: a window is shorter than opt.chars).
        if (stop_char > chars_before) looking.stop_at = advance_chars(text, counted_to, stop_char - chars_before);
    };
    // Only the query words and the tokens that are not plain words come (scan.h); a word in
    // between shows as a gap in the positions.
    // Returns whether the token matched.
    auto scan = [&](const Token& t) {
        const bool adjacent = last != kNone && t.position == last_position + 1;
        last_position = t.position;
        auto it = wanted.contains(t.folded) ? terms.ids.find(t.folded) : terms.ids.end();
        if (it == terms.ids.end()) {
            last = kNone;
            run = 0;
            return false;
        }
        const SnippetTerms::Term& term = terms.terms[it->second];
        const bool literal_form = term.any_form || term.exact.count(t.exact) > 0;
        if (term.expansion && !literal_form) {  // an expansion matches in its own spelling only
            last = kNone;
            run = 0;
            return false;
        }
        const int level = term.expansion ? 1 : literal_form ? 3 : 2;
        if (level == 3) exact_seen[it->second] = true;
        const std::size_t cs = char_offset(t.start), ce = char_offset(t.end);
        if (adjacent) {
            const Match& prev = matches[last];
            const std::uint64_t key = std::uint64_t{prev.term} << 32 | it->second;
            if (terms.pairs.count(key)) {
                auto pid = pair_ids.try_emplace(key, static_cast<std::uint32_t>(pair_ids.size())).first;
                if (pid->second == pair_weight.size()) {
                    pair_weight.push_back(prev.level == 1 || level == 1 ? kExpansionPairWeight : kPairWeight);
                    pair_last.emplace_back(kNone, kNone);
                }
                pairs.push_back({prev.start, t.end, prev.char_start, ce, pid->second, 0});
                note_best(pair_last[pid->second], prev.char_start, ce, false);
            }
        }
        matches.push_back({t.start, t.end, cs, ce, it->second, level});
        last = matches.size() - 1;
        run = adjacent ? run + 1 : 1;
        if (level == 3) note_best(term_last[it->second], cs, ce, true);
        // An expansion's words count where the whole phrase ends here (level 1: their best).
        for (const std::vector<std::uint32_t>* phrase : phrases_ending[it->second]) {
            const std::size_t n = phrase->size();
            if (n > run) continue;
            const std::size_t from = matches.size() - n;
            bool whole = true;
            for (std::size_t k = 0; k < n && whole; ++k) whole = matches[from + k].term == (*phrase)[k];
            if (!whole) continue;
            for (std::size_t k = from; k < matches.size(); ++k) {
                Match& m = matches[k];
                if (m.level != 1 || m.in_phrase) continue;
                m.in_phrase = true;
                note_best(term_last[m.term], m.char_start, m.char_end, true);
            }
        }
        return true;
    };
    // A compound ("3-BLHS", "HIV/AIDS", "đồng/lượng") matches whole, or else by its parts, as
    // the search matches it: its parts are read after it, from where the scan stood before it
    // (so "khoản 3-BLHS" holds the pair "khoản 3").
    bool whole_matched = false;
    std::size_t parts_read = 0;
    struct {
        std::size_t last, run;
        std::uint32_t last_position;
    } before_whole{kNone, 0, 0};
    analyze_looking_for(analyzer, text, looking, [&](const Token& t) {
        if (!t.part) {
            before_whole = {last, run, last_position};
            parts_read = 0;
            whole_matched = scan(t);
        } else if (!whole_matched) {
            if (parts_read++ == 0) last = before_whole.last, run = before_whole.run, last_position = before_whole.last_position;
            scan(t);
        }
        return true;
    });
    // Folded matches of a word typed with marks count only where the text lacks its exact form.
    std::vector<Match> events;
    events.reserve(matches.size() + pairs.size());
    for (const Match& m : matches)
        if ((m.level != 2 || !exact_seen[m.term]) && (m.level != 1 || m.in_phrase)) events.push_back(m);
    std::vector<Match> shown = events;
    events.insert(events.end(), pairs.begin(), pairs.end());
    std::stable_sort(events.begin(), events.end(), [](const Match& a, const Match& b) { return a.char_start < b.char_start; });

    // The best window: two pointers over the events, scoring distinct terms at their best
    // level and distinct adjacent pairs (linear in the number of events).
    std::size_t best_begin = 0, best_end = advance_chars(text, 0, opt.chars);
    if (!events.empty()) {
        std::vector<std::array<std::uint32_t, 4>> level_count(terms.terms.size(), {0, 0, 0, 0});
        std::vector<std::uint32_t> pair_count(pair_ids.size(), 0);
        double score = 0, best_score = -1;
        std::size_t best_first = 0;
        auto term_weight = [&](std::uint32_t t) {
            for (int l = 3; l >= 1; --l)
                if (level_count[t][static_cast<std::size_t>(l)]) return kLevelWeight[l];
            return 0.0;
        };
        auto change = [&](const Match& m, int delta) {
            if (m.level == 0) {
                std::uint32_t& c = pair_count[m.term];
                if (delta > 0 && c++ == 0) score += pair_weight[m.term];
                if (delta < 0 && --c == 0) score -= pair_weight[m.term];
                return;
            }
            const double before = term_weight(m.term);
            level_count[m.term][static_cast<std::size_t>(m.level)] += static_cast<std::uint32_t>(delta);
            score += term_weight(m.term) - before;
        };
        std::size_t j = 0;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (i > 0) change(events[i - 1], -1);
            if (j < i) j = i;
            const std::size_t limit = events[i].char_start + span;
            while (j < events.size() && events[j].char_end <= limit) change(events[j++], +1);
            if (j == i) {  // a match longer than the window: count it alone
                change(events[j++], +1);
            }
            if (score > best_score + 1e-9) {
                best_score = score;
                best_first = i;
            }
        }
        best_begin = back_chars(text, events[best_first].start, opt.chars / 6);
        best_end = advance_chars(text, best_begin, opt.chars);
    }
    // A window that runs into the end of the text uses its spare room before the match.
    if (best_end >= text.size()) {
        const std::size_t used = text::count_chars(text.substr(best_begin));
        if (used < opt.chars) best_begin = back_chars(text, best_begin, opt.chars - used);
    }
    // Snap the window to token boundaries so no word is cut.
    for (auto [s, e] : token_bounds) {
        if (s < best_begin && e > best_begin) best_begin = s;
        if (s < best_end && e > best_end) best_end = e;
    }
    if (best_end > text.size()) best_end = text.size();
    // Skip leading white space.
    while (best_begin < best_end && (text[best_begin] == ' ' || text[best_begin] == '\n' || text[best_begin] == '\r'))
        ++best_begin;

    Snippet snippet;
    std::string& out = snippet.text;
    if (best_begin > 0) out += opt.ellipsis;
    std::size_t cur = best_begin;
    for (const Match& m : shown) {
        if (m.start < best_begin || m.end > best_end) continue;
        append_flat(out, text.substr(cur, m.start - cur));
        const std::size_t start = out.size();
        out.append(text.substr(m.start, m.end - m.start));
        snippet.spans.emplace_back(start, out.size());
        cur = m.end;
    }
    append_flat(out, text.substr(cur, best_end - cur));
    while (!out.empty() && out.back() == ' ') out.pop_back();  // after the last span: tokens never end in a space
    if (best_end < text.size()) out += opt.ellipsis;
    return snippet;
}

}  // namespace vnsearch::detail
