#include "search/suggest.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "text/utf8.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {

namespace {

constexpr std::size_t kOrder = 4;          // longest run of syllables scored together
constexpr double kLambda2 = 0.8;           // weight of the pair estimate over the single syllable
constexpr double kLambdaN = 0.6;           // weight of each longer run over the shorter
constexpr std::size_t kBeam = 48;          // hypotheses kept per syllable

/// Whole tokens only: codes and dates are one token, as users type them.
Analyzer whole_token_analyzer() {
    AnalyzerOptions o;
    o.emit_parts = false;
    return Analyzer(o);
}

struct QueryToken {
    std::string folded, exact;
    std::size_t start = 0, end = 0;
    std::uint32_t position = 0;
    bool marked = false;     // typed with marks: kept, and constrains its neighbours
    bool has_upper = false;  // typed with capitals: its case pattern is kept
};

/// Case pattern of `surface` put on `lower` (same number of code points), else `lower`.
std::string with_case_of(std::string_view surface, const std::string& lower) {
    std::u32string s = text::to_u32(surface), l = text::to_u32(lower);
    if (s.size() != l.size()) return lower;
    for (std::size_t i = 0; i < l.size(); ++i)
        if (u_isupper(static_cast<UChar32>(s[i]))) l[i] = static_cast<char32_t>(u_toupper(static_cast<UChar32>(l[i])));
    return text::to_utf8(l);
}

bool any_upper(std::string_view s) {
    for (char32_t c : text::to_u32(s))
        if (u_isupper(static_cast<UChar32>(c))) return true;
    return false;
}

/// Counts of the spellings seen for each window [a, a+len) of one query segment.
struct WindowStats {
    explicit WindowStats(std::size_t n) : counts(n * kOrder), totals(n * kOrder, -1.0), case_votes(n) {}
    std::unordered_map<std::string, double>& at(std::size_t a, std::size_t len) { return counts[a * kOrder + len - 1]; }
    double get(std::size_t a, std::size_t len, const std::string& key) const {
        const auto& m = counts[a * kOrder + len - 1];
        auto it = m.find(key);
        return it == m.end() ? 0 : it->second;
    }
    /// Runs seen in window (a, len), whatever their spelling.
    double window_total(std::size_t a, std::size_t len) {
        double& t = totals[a * kOrder + len - 1];
        if (t < 0) {
            t = 0;
            for (const auto& [key, c] : counts[a * kOrder + len - 1]) t += c;
        }
        return t;
    }
    std::vector<std::unordered_map<std::string, double>> counts;
    std::vector<double> totals;  // memo of window_total (-1: not yet)
    /// Per syllable: spelling -> surface case pattern ("Lăng") -> votes (not sentence starts).
    std::vector<std::unordered_map<std::string, std::unordered_map<std::string, int>>> case_votes;
};

struct DocToken {
    std::string folded, exact, surface;
    bool sentence_start = false;
};

/// Hypothesis of the decoder: the spellings chosen so far.
struct Hyp {
    double score = 0;
    std::vector<const std::string*> chosen;
};

std::string join(const std::vector<const std::string*>& v, std::size_t from, std::size_t to) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        if (i > from) out += ' ';
        out += *v[i];
    }
    return out;
}

}  // namespace

std::string restore_diacritics(const Xapian::Database& db, std::string_view query, const RestoreOptions& options) {
    const Analyzer analyzer = whole_token_analyzer();
    std::vector<QueryToken> q;
    analyzer.analyze(query, [&](const Token& t) {
        if (t.kind == TokenKind::foreign) return;
        QueryToken qt;
        qt.folded = t.folded;
        qt.exact = t.exact;
        qt.start = t.start;
        qt.end = t.end;
        qt.position = t.position;
        qt.marked = t.exact != t.folded;
        qt.has_upper = any_upper(t.text);
        q.push_back(std::move(qt));
    });
    // Field names ("title:") and operators (OR, AND, NOT) are not words to restore.
    std::vector<bool> skip(q.size(), false);
    for (std::size_t i = 0; i < q.size(); ++i) {
        std::string_view word = query.substr(q[i].start, q[i].end - q[i].start);
        if (q[i].end < query.size() && query[q[i].end] == ':') skip[i] = true;
        if (word == "OR" || word == "AND" || word == "NOT") skip[i] = true;
    }
    // Segments: runs of consecutive positions.
    std::vector<std::vector<std::size_t>> segments;
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (skip[i]) continue;
        if (segments.empty() || segments.back().empty() || i == 0 || skip[i - 1] ||
            q[i].position != q[i - 1].position + 1)
            segments.emplace_back();
        segments.back().push_back(i);
    }
    bool anything_unmarked = false;
    for (const auto& seg : segments)
        for (std::size_t i : seg) anything_unmarked = anything_unmarked || !q[i].marked;
    if (!anything_unmarked) return "";

    // The documents to read: those holding each adjacent pair, then each uncovered syllable.
    std::vector<Xapian::docid> docs;
    std::unordered_set<Xapian::docid> seen;
    auto take = [&](const std::string& term, std::size_t max) {
        std::size_t n = 0;
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term) && n < max && docs.size() < options.max_docs;
             ++it, ++n)
            if (seen.insert(*it).second) docs.push_back(*it);
        return n;
    };
    // Every pair gets its share of max_docs, so that long queries are covered to the end.
    std::size_t pairs = 0;
    for (const auto& seg : segments) pairs += seg.empty() ? 0 : seg.size() - 1;
    const std::size_t per_pair =
        std::max<std::size_t>(4, std::min(options.docs_per_pair, options.max_docs / std::max<std::size_t>(1, pairs)));
    for (const auto& seg : segments) {
        std::vector<std::size_t> covered(seg.size(), 0);
        for (std::size_t k = 0; k + 1 < seg.size(); ++k) {
            const std::size_t n =
                take(scheme::term(scheme::kBigram, q[seg[k]].folded + " " + q[seg[k + 1]].folded), per_pair);
            covered[k] += n;
            covered[k + 1] += n;
        }
        for (std::size_t k = 0; k < seg.size(); ++k)
            if (covered[k] < options.docs_per_syllable / 2)
                take(scheme::term(scheme::kFolded, q[seg[k]].folded), options.docs_per_syllable);
    }
    if (docs.empty()) return "";

    // Count every run of the query's folded syllables found in them, with its marks there.
    std::vector<WindowStats> stats;
    std::vector<std::unordered_map<std::string, std::vector<std::size_t>>> where;  // per segment
    for (const auto& seg : segments) {
        stats.emplace_back(seg.size());
        where.emplace_back();
        for (std::size_t k = 0; k < seg.size(); ++k) where.back()[q[seg[k]].folded].push_back(k);
    }
    std::unordered_set<std::string> wanted;
    for (const auto& seg : segments)
        for (std::size_t i : seg) wanted.insert(q[i].folded);
    std::vector<DocToken> d;
    for (Xapian::docid id : docs) {
        const Document doc = stored_document(db.get_document(id));
        std::string body = doc.title + "\n" + doc.body;
        if (body.size() > options.bytes_per_doc) {
            body.resize(options.bytes_per_doc);
            text::truncate_utf8(body, options.bytes_per_doc);
        }
        d.clear();
        std::vector<std::size_t> breaks;  // indexes where a new run starts
        std::uint32_t last_pos = 0;
        std::size_t last_end = 0;
        analyzer.analyze(body, [&](const Token& t) {
            if (d.empty() || t.position != last_pos + 1) breaks.push_back(d.size());
            DocToken dt;  // a syllable the query does not have stays empty: it only breaks runs
            if (wanted.count(t.folded)) {
                dt = DocToken{t.folded, t.exact, t.text, false};
                std::string_view between = std::string_view(body).substr(last_end, t.start - last_end);
                dt.sentence_start = d.empty() || between.find_first_of(".!?:\n\"“") != std::string_view::npos;
            }
            last_pos = t.position;
            last_end = t.end;
            d.push_back(std::move(dt));
        });
        std::vector<bool> run_start(d.size() + 1, false);
        for (std::size_t b : breaks) run_start[b] = true;
        for (std::size_t s = 0; s < segments.size(); ++s) {
            const auto& seg = segments[s];
            auto& st = stats[s];
            for (std::size_t p = 0; p < d.size(); ++p) {
                auto hit = where[s].find(d[p].folded);
                if (hit == where[s].end()) continue;
                for (std::size_t i : hit->second) {
                    // Only maximal runs, so each occurrence is counted once.
                    if (i > 0 && p > 0 && !run_start[p] && d[p - 1].folded == q[seg[i - 1]].folded) continue;
                    std::size_t len = 1;
                    while (i + len < seg.size() && p + len < d.size() && !run_start[p + len] &&
                           d[p + len].folded == q[seg[i + len]].folded)
                        ++len;
                    for (std::size_t a = 0; a < len; ++a) {
                        std::string key;
                        for (std::size_t l = 1; l <= kOrder && a + l <= len; ++l) {
                            if (l > 1) key += ' ';
                            key += d[p + a + l - 1].exact;
                            st.at(i + a, l)[key] += 1;
                        }
                        if (!d[p + a].sentence_start && (len >= 2 || seg.size() == 1))
                            ++st.case_votes[i + a][d[p + a].exact][vnsearch::normalize(d[p + a].surface)];
                    }
                }
            }
        }
    }

    // Decode each segment: beam search under a stupid-backoff model of the counts.
    std::string out(query);
    struct Edit {
        std::size_t start, end;
        std::string text;
    };
    std::vector<Edit> edits;
    for (std::size_t s = 0; s < segments.size(); ++s) {
        const auto& seg = segments[s];
        auto& st = stats[s];
        std::vector<std::vector<std::string>> cands(seg.size());
        for (std::size_t k = 0; k < seg.size(); ++k) {
            const QueryToken& t = q[seg[k]];
            if (t.marked) {
                cands[k].push_back(t.exact);
                continue;
            }
            std::vector<std::pair<double, std::string>> c;
            for (const auto& [spelling, n] : st.counts[k * kOrder]) c.emplace_back(n, spelling);
            std::sort(c.begin(), c.end(), [](const auto& x, const auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
            for (std::size_t j = 0; j < c.size() && j < 12; ++j) cands[k].push_back(c[j].second);
            if (cands[k].empty()) cands[k].push_back(t.exact);
        }
        // An interpolated language model over spellings, decoded under the constraint that
        // each syllable folds to what was typed:
        //   P(z | x y) = l3 * P3 + (1 - l3) * (l2 * P2(z | y) + (1 - l2) * P1(z))
        // P1 from the whole index (collection frequency of each spelling's exact term; the
        // unmarked spelling gets what its folded term has left over); P2 from the whole
        // index too: the folded pair's bigram-term frequency shared out among spellings as
        // in the documents read; P3 (and longer) from the runs counted in those documents.
        const double tokens = std::max(1.0, static_cast<double>(db.get_total_length()) / 3.0);
        std::vector<std::unordered_map<std::string, double>> unigram(seg.size());
        for (std::size_t k = 0; k < seg.size(); ++k) {
            const QueryToken& t = q[seg[k]];
            double marked = 0;
            bool has_unmarked = false;
            for (const std::string& x : cands[k]) {
                if (x == t.folded) {
                    has_unmarked = true;
                    continue;
                }
                const auto cf = static_cast<double>(db.get_collection_freq(scheme::term(scheme::kExact, x)));
                unigram[k][x] = cf;
                marked += cf;
            }
            if (has_unmarked)
                unigram[k][t.folded] = std::max(
                    0.0, static_cast<double>(db.get_collection_freq(scheme::term(scheme::kFolded, t.folded))) - marked);
        }
        std::vector<double> pair_freq(seg.size(), 0);  // [k]: folded pair (k-1, k) in the index
        for (std::size_t k = 1; k < seg.size(); ++k)
            pair_freq[k] = static_cast<double>(
                db.get_collection_freq(scheme::term(scheme::kBigram, q[seg[k - 1]].folded + " " + q[seg[k]].folded)));
        auto count1 = [&](std::size_t k, const std::string& x) {
            auto it = unigram[k].find(x);
            return it == unigram[k].end() ? 0.0 : it->second;
        };
        auto logp = [&](const std::vector<const std::string*>& chosen, std::size_t k) {
            const std::string& z = *chosen[k];
            double p = (count1(k, z) + 0.1) / (tokens + 0.1);
            if (k >= 1) {
                const double cx = count1(k - 1, *chosen[k - 1]);
                const double pairs_read = st.window_total(k - 1, 2);
                if (cx > 0 && pairs_read > 0) {
                    const double cxz = pair_freq[k] * st.get(k - 1, 2, *chosen[k - 1] + " " + z) / pairs_read;
                    p = kLambda2 * std::min(1.0, cxz / cx) + (1 - kLambda2) * p;
                }
            }
            for (std::size_t n = 3; n <= std::min(kOrder, k + 1); ++n) {
                const std::size_t a = k + 1 - n;
                const double den = st.get(a, n - 1, join(chosen, a, k));
                if (den <= 0) break;
                p = kLambdaN * (st.get(a, n, join(chosen, a, k + 1)) / den) + (1 - kLambdaN) * p;
            }
            return std::log(p);
        };
        std::vector<Hyp> beam{Hyp{}};
        for (std::size_t k = 0; k < seg.size(); ++k) {
            std::vector<Hyp> next;
            for (const Hyp& h : beam)
                for (const std::string& c : cands[k]) {
                    Hyp n = h;
                    n.chosen.push_back(&c);
                    n.score += logp(n.chosen, k);
                    next.push_back(std::move(n));
                }
            std::sort(next.begin(), next.end(), [](const Hyp& x, const Hyp& y) { return x.score > y.score; });
            if (next.size() > kBeam) next.resize(kBeam);
            beam = std::move(next);
        }
        const Hyp& best = beam.front();
        // Capitals from the documents only when the user typed the run plain (no marks, no
        // capitals): "chi lang" -> "Chi Lăng", but "lạng son" -> "lạng sơn".
        bool segment_plain = true;
        for (std::size_t i : seg) segment_plain = segment_plain && !q[i].marked && !q[i].has_upper;
        bool changed = false;
        for (std::size_t k = 0; k < seg.size(); ++k) changed = changed || *best.chosen[k] != q[seg[k]].exact;
        if (!changed) continue;
        for (std::size_t k = 0; k < seg.size(); ++k) {
            const QueryToken& t = q[seg[k]];
            if (t.marked) continue;
            const std::string& spelling = *best.chosen[k];
            std::string cased = spelling;
            std::string_view typed = query.substr(t.start, t.end - t.start);
            if (t.has_upper) {
                cased = with_case_of(typed, spelling);
            } else if (segment_plain) {
                // The capitalisation the documents give it away from sentence starts, when nearly
                // all agree (names: "Chi Lăng"; not "Nghị quyết", capitalised only as a title).
                const auto& votes = st.case_votes[k];
                auto it = votes.find(spelling);
                if (it != votes.end()) {
                    int total = 0, best_n = 0;
                    std::string best_surface;
                    for (const auto& [surface, n] : it->second) {
                        total += n;
                        if (n > best_n || (n == best_n && surface < best_surface)) best_n = n, best_surface = surface;
                    }
                    if (best_n * 10 >= total * 9) cased = with_case_of(best_surface, spelling);
                }
            }
            if (cased != query.substr(t.start, t.end - t.start)) edits.push_back({t.start, t.end, cased});
        }
    }
    if (edits.empty()) return "";
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.start > b.start; });
    for (const Edit& e : edits) out.replace(e.start, e.end - e.start, e.text);
    return out == query ? "" : out;
}

std::size_t and_matches(const Xapian::Database& db, std::string_view query, std::size_t check) {
    std::vector<std::string> terms;
    whole_token_analyzer().analyze(query, [&](const Token& t) { terms.push_back(scheme::folded_term(t)); });
    if (terms.empty()) return 0;
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, static_cast<Xapian::doccount>(check)).get_matches_estimated();
}

}  // namespace vnsearch::detail
