#include "search/suggest.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analysis/typing.h"
#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "text/normalize.h"
#include "text/utf8.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {

namespace {

constexpr std::size_t kOrder = 4;          // longest run of syllables scored together
constexpr double kLambda2 = 0.8;           // weight of the pair estimate over the single syllable
constexpr double kLambdaN = 0.6;           // weight of each longer run over the shorter
constexpr std::size_t kBeam = 48;          // hypotheses kept per syllable
constexpr std::size_t kEnoughRuns = 3;     // runs of a pair in the caller's texts that make sampling it needless

/// Whole tokens only: codes and dates are one token, as users type them.
Analyzer whole_token_analyzer() {
    AnalyzerOptions o;
    o.emit_parts = false;
    return Analyzer(o);
}

struct QueryToken {
    std::string folded, exact;
    std::size_t start = 0, end = 0;
    bool marked = false;     // typed with marks, or not a word (number, code): kept, constrains its neighbours
    bool has_upper = false;  // typed with capitals: its case pattern is kept
    bool word = true;        // a syllable (not a number, date, code or abbreviation)
    bool numeral = false;    // counted as kNumeral by the spelling statistics ("2006", "21-4")
};

/// Case pattern of `surface` put on `lower` (same number of code points), else `lower`.
std::string with_case_of(std::string_view surface, const std::string& lower) {
    std::u32string s = text::to_u32(surface), l = text::to_u32(lower);
    if (s.size() != l.size()) return lower;
    for (std::size_t i = 0; i < l.size(); ++i)
        if (u_isupper(static_cast<UChar32>(s[i]))) l[i] = static_cast<char32_t>(u_toupper(static_cast<UChar32>(l[i])));
    return text::to_utf8(l);
}

/// "lăng" -> "Lăng".
std::string capitalized(const std::string& lower) {
    std::u32string l = text::to_u32(lower);
    if (!l.empty()) l[0] = static_cast<char32_t>(u_toupper(static_cast<UChar32>(l[0])));
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
    /// Runs seen in window (a, len), whatever their spelling (not memoized: counting may go on).
    double runs(std::size_t a, std::size_t len) const {
        double t = 0;
        for (const auto& [key, c] : counts[a * kOrder + len - 1]) t += c;
        return t;
    }
    /// The same, memoized once counting is over.
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


/// Telex/VNI: a reading is offered when it is this many times likelier than the word as
/// typed (the stored statistics' bigram model), or, without statistics, when it matches this
/// many times more documents than the literal reading (both counted up to kTypingCheck).
constexpr std::size_t kTypingRatio = 4;
constexpr std::size_t kTypingCheck = 1000;

using Segment = std::vector<QueryToken>;

/// Step 1: the runs of adjacent free-text words. Words (syllables) typed without marks may
/// be respelled; numbers, codes, abbreviations and words typed with marks are kept and give
/// context; other scripts break a run.
std::vector<Segment> collect_segments(const ParsedQuery& query) {
    std::vector<Segment> segments;
    bool open = false;  // the last segment may go on (a run of words typed side by side)
    query.visit([&](const QueryNode& n, bool) {
        if (!ParsedQuery::is_free_text(n)) return;  // words typed apart never form a run
        for (const QueryWord& w : n.words) {
            const Token& t = w.token;
            if (t.kind == TokenKind::foreign) {
                open = false;
                continue;
            }
            if (!open || !(w.follows_previous || w.typed_after_previous)) segments.emplace_back();
            open = true;
            QueryToken qt;
            qt.folded = t.folded;
            qt.exact = t.exact;
            qt.start = t.start;
            qt.end = t.end;
            // An abbreviation typed in capitals is a word typed without marks when it may
            // take one: its D may be Đ ("HDND" may be "HĐND"; "TPHCM" has nothing to restore).
            const bool abbreviation = t.kind == TokenKind::abbreviation;
            qt.word = t.kind == TokenKind::word || abbreviation;
            qt.marked = t.exact != t.folded || !qt.word || (abbreviation && t.folded.find('d') == std::string::npos);
            qt.has_upper = any_upper(t.text);
            qt.numeral = is_numeral(t);
            segments.back().push_back(std::move(qt));
        }
    });
    return segments;
}

bool anything_unmarked(const std::vector<Segment>& segments) {
    for (const auto& seg : segments)
        for (const QueryToken& t : seg)
            if (!t.marked) return true;
    return false;
}

/// Step 2: the documents to read: those holding each adjacent pair, then each syllable no
/// pair covers; every pair gets its share of max_docs, so long queries are covered to the end.
/// With `known` (the runs already counted in other texts), only what they leave uncovered.
std::vector<Xapian::docid> sample_documents(const Xapian::Database& db, const std::vector<Segment>& segments,
                                            const RestoreOptions& options, const std::vector<WindowStats>* known = nullptr) {
    std::vector<Xapian::docid> docs;
    std::unordered_set<Xapian::docid> seen;
    // Up to `max` documents holding `term`, spread evenly over the docid range: the first ones
    // would be whatever happened to be indexed first (one source, one topic, one year).
    const Xapian::docid last = std::max<Xapian::docid>(1, db.get_lastdocid());
    auto take = [&](const std::string& term, std::size_t max) {
        std::size_t n = 0;
        const Xapian::doccount tf = db.get_termfreq(term);
        if (tf == 0 || max == 0) return n;
        const double step = tf <= max ? 0.0 : static_cast<double>(last) / static_cast<double>(max);
        auto it = db.postlist_begin(term);
        const auto end = db.postlist_end(term);
        for (std::size_t i = 0; it != end && n < max && docs.size() < options.max_docs; ++i) {
            if (step > 0) {
                const auto target = static_cast<Xapian::docid>(1 + step * static_cast<double>(i));
                if (*it < target) it.skip_to(target);
                if (it == end) break;
            }
            if (seen.insert(*it).second) docs.push_back(*it);
            ++n;
            ++it;
        }
        return n;
    };
    std::size_t pairs = 0;
    for (const auto& seg : segments) pairs += seg.empty() ? 0 : seg.size() - 1;
    const std::size_t per_pair =
        std::max<std::size_t>(4, std::min(options.docs_per_pair, options.max_docs / std::max<std::size_t>(1, pairs)));
    for (std::size_t s = 0; s < segments.size(); ++s) {
        const auto& seg = segments[s];
        std::vector<std::size_t> covered(seg.size(), 0);
        for (std::size_t k = 0; k + 1 < seg.size(); ++k) {
            const std::size_t already = known ? static_cast<std::size_t>((*known)[s].runs(k, 2)) : 0;
            const std::size_t n =
                already >= kEnoughRuns ? already : take(scheme::bigram_term(seg[k].folded, seg[k + 1].folded), per_pair);
            covered[k] += n;
            covered[k + 1] += n;
        }
        for (std::size_t k = 0; k < seg.size(); ++k) {
            if (known) covered[k] += static_cast<std::size_t>((*known)[s].runs(k, 1));
            if (covered[k] < options.docs_per_syllable / 2)
                take(scheme::term(scheme::kFolded, seg[k].folded), options.docs_per_syllable);
        }
    }
    return docs;
}

/// Step 2b: the sampled documents' texts.
std::vector<std::string> read_texts(const Xapian::Database& db, const std::vector<Xapian::docid>& docs,
                                    const RestoreOptions& options) {
    std::vector<std::string> texts;
    texts.reserve(docs.size());
    for (Xapian::docid id : docs) {
        const Document doc = stored_document(db.get_document(id), nullptr, StoredParts::all, options.bytes_per_doc);
        texts.push_back(suggestion_text(doc.title, doc.body, options.bytes_per_doc));
    }
    return texts;
}

/// Step 3: every run of each segment's folded syllables found in the texts, counted with
/// the marks it has there (and the capitalisation, away from sentence starts).
std::vector<WindowStats> empty_stats(const std::vector<Segment>& segments) {
    std::vector<WindowStats> stats;
    for (const auto& seg : segments) stats.emplace_back(seg.size());
    return stats;
}

/// Adds to `stats` (one per segment, empty_stats) the runs found in `texts`.
void count_runs(const std::vector<std::string>& texts, const std::vector<Segment>& segments, std::vector<WindowStats>& stats) {
    const Analyzer analyzer = whole_token_analyzer();
    std::vector<std::unordered_map<std::string, std::vector<std::size_t>>> where;  // per segment
    std::unordered_set<std::string> wanted;
    for (const auto& seg : segments) {
        where.emplace_back();
        for (std::size_t k = 0; k < seg.size(); ++k) {
            where.back()[seg[k].folded].push_back(k);
            wanted.insert(seg[k].folded);
        }
    }
    std::vector<DocToken> d;
    for (const std::string& body : texts) {
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
                dt.sentence_start = d.empty() || text::ends_sentence(between);
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
                    if (i > 0 && p > 0 && !run_start[p] && d[p - 1].folded == seg[i - 1].folded) continue;
                    std::size_t len = 1;
                    while (i + len < seg.size() && p + len < d.size() && !run_start[p + len] &&
                           d[p + len].folded == seg[i + len].folded)
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
}

/// Step 4: the spellings of one segment under an interpolated language model, decoded by
/// beam search under the constraint that each syllable folds to what was typed:
///   P(z | x y) = l3 * P3 + (1 - l3) * (l2 * P2(z | y) + (1 - l2) * P1(z))
/// P1 from the whole index (collection frequency of each spelling's exact term; the
/// unmarked spelling gets what its folded term has left over); P2 from the whole index too:
/// the folded pair's bigram-term frequency shared out among spellings as in the documents
/// read; P3 (and longer) from the runs counted in those documents.
std::vector<std::string> decode_segment(const Xapian::Database& db, const Segment& seg, WindowStats& st) {
    std::vector<std::vector<std::string>> cands(seg.size());
    for (std::size_t k = 0; k < seg.size(); ++k) {
        const QueryToken& t = seg[k];
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
    const double tokens = std::max(1.0, static_cast<double>(db.get_total_length()) / 3.0);
    std::vector<std::unordered_map<std::string, double>> unigram(seg.size());
    for (std::size_t k = 0; k < seg.size(); ++k) {
        const QueryToken& t = seg[k];
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
            unigram[k][t.folded] =
                std::max(0.0, static_cast<double>(db.get_collection_freq(scheme::term(scheme::kFolded, t.folded))) - marked);
    }
    std::vector<double> pair_freq(seg.size(), 0);  // [k]: folded pair (k-1, k) in the index
    for (std::size_t k = 1; k < seg.size(); ++k)
        pair_freq[k] = static_cast<double>(
            db.get_collection_freq(scheme::bigram_term(seg[k - 1].folded, seg[k].folded)));
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
    std::vector<std::string> out;
    for (const std::string* s : beam.front().chosen) out.push_back(*s);
    return out;
}

/// Step 5: the edits for one decoded segment. Case: as typed; capitals from the documents
/// only when the user typed the run plain (no marks, no capitals): "chi lang" -> "Chi
/// Lăng", but "lạng son" -> "lạng sơn"; and only when nearly all documents agree (names,
/// not "Nghị quyết", capitalised only at the start of a title).
void add_edits(std::string_view text, const Segment& seg, const std::vector<std::string>& spelling, const WindowStats& st,
               std::vector<TextEdit>& edits, const std::vector<std::string>* cased_as = nullptr) {
    bool changed = false;
    for (std::size_t k = 0; k < seg.size(); ++k) changed = changed || spelling[k] != seg[k].exact;
    if (!changed) return;
    bool segment_plain = true;
    for (const QueryToken& t : seg) segment_plain = segment_plain && (!t.word || (!t.marked && !t.has_upper));
    for (std::size_t k = 0; k < seg.size(); ++k) {
        const QueryToken& t = seg[k];
        if (t.marked && spelling[k] == t.exact) continue;
        std::string cased = spelling[k];
        const std::string_view typed = text.substr(t.start, t.end - t.start);
        if (cased_as && !(*cased_as)[k].empty()) {
            cased = (*cased_as)[k];
        } else if (t.has_upper) {
            cased = with_case_of(typed, spelling[k]);
        } else if (segment_plain) {
            const auto& votes = st.case_votes[k];
            auto it = votes.find(spelling[k]);
            if (it != votes.end()) {
                int total = 0, best_n = 0;
                std::string best_surface;
                for (const auto& [surface, n] : it->second) {
                    total += n;
                    if (n > best_n || (n == best_n && surface < best_surface)) best_n = n, best_surface = surface;
                }
                if (best_n * 10 >= total * 9) cased = with_case_of(best_surface, spelling[k]);
            }
        }
        if (cased != typed) edits.push_back({t.start, t.end, cased});
    }
}

/// Documents matching every folded term (at least `check` counted).
std::size_t and_matches(const Xapian::Database& db, const std::vector<std::string>& terms, std::size_t check) {
    if (terms.empty()) return 0;
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, static_cast<Xapian::doccount>(check)).get_matches_estimated();
}

bool plain_ascii_word(std::string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

/// A word typed without an input method, read as Telex or VNI ("quyeets" -> "quyết"): the
/// syllable it spells (one whole token) and the text, with the typed capitals ("Quyết").
/// Only whole ASCII words are read.
struct TypedWord {
    Token token;
    std::string cased;
};

std::optional<TypedWord> read_typed(std::string_view typed, analysis::InputMethod method) {
    if (!plain_ascii_word(typed)) return std::nullopt;
    std::optional<std::string> d = analysis::decode_word(typed, method);
    if (!d) return std::nullopt;
    static const Analyzer analyzer = whole_token_analyzer();
    std::vector<Token> tokens = analyzer.analyze(*d);
    if (tokens.size() != 1 || tokens[0].kind != TokenKind::word) return std::nullopt;
    return TypedWord{std::move(tokens[0]), std::move(*d)};
}

/// The Telex or VNI reading of the free-text words (whole ASCII words only; field values,
/// operators and other syntax are not words of the tree, so they stay as typed).
struct Reading {
    std::vector<TextEdit> edits;
    std::vector<std::string> literal_terms, decoded_terms;
};

Reading typed_reading(const ParsedQuery& query, analysis::InputMethod method) {
    Reading r;
    query.visit([&](const QueryNode& n, bool excluded) {
        if (!ParsedQuery::is_free_text(n)) return;
        for (const QueryWord& w : n.words) {
            const Token& t = w.token;
            std::optional<TypedWord> d = read_typed(std::string_view(query.text).substr(t.start, t.end - t.start), method);
            if (!excluded) {
                r.literal_terms.push_back(scheme::folded_term(t));
                r.decoded_terms.push_back(scheme::folded_term(d ? d->token : t));
            }
            if (d) r.edits.push_back({t.start, t.end, std::move(d->cased)});
        }
    });
    return r;
}

bool may_be_typed(const ParsedQuery& query) {
    bool any = false;
    query.visit([&](const QueryNode& n, bool) {
        if (any || !ParsedQuery::is_free_text(n)) return;
        for (const QueryWord& w : n.words) {
            const std::string_view typed = std::string_view(query.text).substr(w.token.start, w.token.end - w.token.start);
            if (read_typed(typed, analysis::InputMethod::telex) || read_typed(typed, analysis::InputMethod::vni)) {
                any = true;
                return;
            }
        }
    });
    return any;
}

/// The restoration from the index's spelling statistics (lib/index/spelling_store.h): each
/// unmarked syllable may take the spellings the index has for it, and the spelling of the
/// segment is the most likely under a trigram model of the stored counts,
///   P(z | x y) = l3 * c(x y z) / c(x y) + (1 - l3) * P(z | y)   where x y was seen and what
///                                                                followed it is stored,
///   P(z | y) = l2 * c(y z) / c(y) + (1 - l2) * P1(z),   P1(z) = c(z) / syllables counted,
/// decoded exactly (Viterbi over pairs of candidates). Cost: one lookup per syllable and per
/// adjacent pair (a pair's value holds what followed it), and a fingerprint probe per triple
/// of candidates whose two pairs were seen.
/// Spellings tried per syllable, the most frequent first. A syllable such as "do" or "a" has
/// more than 12 spellings, and the one meant was sometimes cut. On the development samples
/// (seeds 7, 11, 13, 17, 19; `vntc` and `vietnews` indexes) 12 / 16 restored 96.82 / 96.87 %
/// and 94.44 / 94.49 % on average, no sample worse; 24 was no better than 16. The Viterbi
/// pass grows with its square (a 5-syllable suggestion: about 5 % dearer).
constexpr std::size_t kMaxCandidates = 16;
/// Weight of the pair estimate over the single syllable. Chosen on development samples
/// (VietNews index, VNTC headlines drawn with seeds 7 and 11, never the reported seed 42):
/// 0.6 / 0.8 / 0.9 / 0.97 restored 92.57 / 92.97 / 93.21 / 93.21 % (seed 7); weights that
/// grow with the context's count (Witten-Bell-like) and a model conditioned on the folded
/// pair did worse.
constexpr double kStatsLambda2 = 0.9;
/// Weight of the triple estimate over the pair's, where the pair was seen with what followed
/// it. Chosen on a development sample (VNTC index, headlines drawn with seed 7): 0.3 / 0.5 /
/// 0.7 / 0.9 restored 97.31 / 97.34 / 97.18 / 96.97 % of the syllables of the headlines a
/// query holds whole (95.46 % with pairs alone).
constexpr double kStatsLambda3 = 0.5;
constexpr std::size_t kMaxLookups = 64;     // syllables restored per query (the rest stay as typed)

/// A reading of a word typed without an input method, as a candidate spelling.
struct TypedReading {
    std::string cased;  ///< as decoded, with the typed capitals ("Quyết")
    SuggestionReason kind = SuggestionReason::none;
};

/// A typed reading counts for this many fewer uses than the literal word: the user typed
/// the letters, so they are what was meant unless the reading is much more likely.
constexpr double kTypedPenalty = static_cast<double>(kTypingRatio);

struct StoredSyllable {
    std::vector<std::string> cands;                // spellings tried here
    std::unordered_map<std::string, double> count;  // spelling -> times seen (any case)
    std::unordered_map<std::string, std::array<double, 2>> cases;  // spelling -> (lower, capital)
    std::unordered_map<std::string, TypedReading> typed;  // spelling -> the Telex/VNI reading it is
    std::vector<std::string> keys;                 // the folded forms looked up (for the pairs)
    bool numeral = false;  // a numeral read as its class: one candidate, kNumeral, spelled as typed
    std::unordered_map<std::string, std::string> written;  // spelling -> the known abbreviation it is ("HĐND")
};

/// A known abbreviation counts as seen this often when the statistics never saw it: above a
/// word as typed that was never seen either ("nld" -> "NLĐ"), below one seen once or more.
constexpr double kAbbreviationPrior = 1;

/// The Telex and VNI readings of one word (none for a word that is not plain ASCII).
using Readings = std::vector<std::pair<TypedWord, SuggestionReason>>;

Readings typed_readings(std::string_view typed) {
    Readings out;
    for (auto [method, kind] : {std::pair{analysis::InputMethod::telex, SuggestionReason::telex},
                                std::pair{analysis::InputMethod::vni, SuggestionReason::vni}})
        if (std::optional<TypedWord> d = read_typed(typed, method)) out.emplace_back(std::move(*d), kind);
    return out;
}

/// Adds the case votes of syllable `k` of a spelling seen `n` times.
void add_case(std::unordered_map<std::string, std::array<double, 2>>& cases, const Spelling& s, std::size_t k) {
    if (s.cases[k] == SeenCase::unknown) return;
    cases[s.exact[k]][s.cases[k] == SeenCase::capital ? 1 : 0] += static_cast<double>(s.count);
}

struct StoredRestoration {
    std::vector<TextEdit> edits;
    SuggestionReason kind = SuggestionReason::none;  ///< telex/vni when a typed reading was chosen
};

/// Step 3 of the stored restoration: the spellings each syllable of `seg` may take, with
/// their counts. `readings[k]`: the Telex/VNI readings of word k (none unless the caller
/// asked for them); a literal the statistics do not count (a code, "A4") that has some is
/// weighed by its collection frequency in `db`.
std::vector<StoredSyllable> stored_candidates(const SpellingStats& stats, const Segment& seg, std::vector<Readings>& readings,
                                              const Xapian::Database* db, const AbbreviationLookup* abbreviations) {
    std::vector<StoredSyllable> syl(seg.size());
    for (std::size_t k = 0; k < seg.size(); ++k) {
        const QueryToken& t = seg[k];
        StoredSyllable& y = syl[k];
        if (t.numeral && readings[k].empty()) {
            // Read as the statistics count it: its class (spelled() puts the numeral back).
            y.numeral = true;
            y.keys = {std::string(kNumeral)};
            y.cands = {std::string(kNumeral)};
            for (const Spelling& s : stats.lookup(kNumeral)) y.count[s.exact[0]] += static_cast<double>(s.count);
            continue;
        }
        if (t.word || !readings[k].empty()) {
            y.keys.push_back(t.folded);
            for (const Spelling& s : stats.lookup(t.folded)) {
                if (t.word && !t.marked && y.count.find(s.exact[0]) == y.count.end() && y.cands.size() < kMaxCandidates)
                    y.cands.push_back(s.exact[0]);
                y.count[s.exact[0]] += static_cast<double>(s.count);
                add_case(y.cases, s, 0);
            }
        }
        if (t.marked || y.cands.empty()) y.cands = {t.exact};
        // The letters as typed stay a candidate (a query typed in Telex keeps them).
        if (std::find(y.cands.begin(), y.cands.end(), t.exact) == y.cands.end()) y.cands.push_back(t.exact);
        // A word that is no syllable may be a known abbreviation typed without its marks.
        if (abbreviations && t.word && !t.marked && !text::is_syllable(t.folded))
            for (const std::string& abbr : abbreviations->written(t.folded)) {
                std::string exact = vnsearch::lower(abbr);
                y.written.emplace(exact, abbr);
                if (exact == t.exact || std::find(y.cands.begin(), y.cands.end(), exact) != y.cands.end()) continue;
                double& n = y.count[exact];
                n = std::max(n, kAbbreviationPrior);
                y.cands.push_back(std::move(exact));
            }
        if (readings[k].empty()) continue;
        if (!t.word && y.count[t.exact] == 0)
            y.count[t.exact] = static_cast<double>(db->get_collection_freq(scheme::term(scheme::kFolded, t.folded)));
        for (auto& [reading, kind] : readings[k]) {
            const Token& token = reading.token;
            if (y.count.count(token.exact)) continue;  // a spelling the literal has (cannot be: decoding changes letters)
            y.keys.push_back(token.folded);
            double n = 0;
            for (const Spelling& s : stats.lookup(token.folded))
                if (s.exact[0] == token.exact) {
                    n += static_cast<double>(s.count);
                    add_case(y.cases, s, 0);
                }
            y.count[token.exact] = n;  // 0: a reading the index lacks, chosen only in a typed query
            y.cands.push_back(token.exact);
            y.typed.emplace(token.exact, TypedReading{std::move(reading.cased), kind});
        }
    }
    return syl;
}

/// The spelling of a pair of candidates as stored, for the case votes.
struct PairCase {
    std::size_t first = 0, second = 0;  ///< the candidates' indices
    SeenCase first_case = SeenCase::unknown, second_case = SeenCase::unknown;
    double count = 0;
};

/// One segment of the stored restoration with the counts it is decoded from, by candidate
/// index, so decoding compares numbers rather than building and hashing spellings.
struct StoredSegment {
    Segment seg;
    std::vector<StoredSyllable> syl;
    std::vector<std::vector<double>> cand_count;  ///< k -> per candidate: times seen (StoredSyllable::count)
    std::vector<std::vector<char>> cand_typed;    ///< k -> per candidate: a Telex/VNI reading
    /// (k-1, k) -> times each pair of candidates was seen, row i (candidate of k-1), column j.
    std::vector<std::vector<double>> pair;
    std::vector<std::vector<PairCase>> pair_cases;  ///< (k-1, k) -> the pairs of candidates as stored
    /// (k-2, k-1, k) -> times each triple of candidates was seen, for the pairs (h, i) of
    /// k-2 and k-1 seen with continuations stored: row row_of[k][h * |k-1| + i] (-1: none)
    /// holds column j (candidate of k).
    std::vector<std::vector<int>> row_of;
    std::vector<std::vector<double>> triple;
};

/// The index of `x` among `cands` (cands.size() when absent). A handful of candidates: a scan.
std::size_t candidate_index(const std::vector<std::string>& cands, const std::string& x) {
    return static_cast<std::size_t>(std::find(cands.begin(), cands.end(), x) - cands.begin());
}

StoredSegment stored_segment(const SpellingStats& stats, Segment seg, std::vector<Readings> readings, const Xapian::Database* db,
                             const AbbreviationLookup* abbreviations) {
    StoredSegment out;
    const std::size_t n = seg.size();
    out.syl = stored_candidates(stats, seg, readings, db, abbreviations);
    out.seg = std::move(seg);
    out.cand_count.resize(n);
    out.cand_typed.resize(n);
    for (std::size_t k = 0; k < n; ++k)
        for (const std::string& c : out.syl[k].cands) {
            const auto it = out.syl[k].count.find(c);
            out.cand_count[k].push_back(it == out.syl[k].count.end() ? 0.0 : it->second);
            out.cand_typed[k].push_back(out.syl[k].typed.count(c) != 0);
        }
    // Over every folded form each side was looked up by; only pairs of candidates can count.
    out.pair.resize(n);
    out.pair_cases.resize(n);
    for (std::size_t k = 1; k < n; ++k) {
        const std::vector<std::string>& left = out.syl[k - 1].cands;
        const std::vector<std::string>& right = out.syl[k].cands;
        out.pair[k].assign(left.size() * right.size(), 0.0);
        for (const std::string& a : out.syl[k - 1].keys)
            for (const std::string& b : out.syl[k].keys)
                for (const Spelling& s : stats.lookup(a + " " + b)) {
                    const std::size_t i = candidate_index(left, s.exact[0]), j = candidate_index(right, s.exact[1]);
                    if (i == left.size() || j == right.size()) continue;
                    out.pair[k][i * right.size() + j] += static_cast<double>(s.count);
                    out.pair_cases[k].push_back({i, j, s.cases[0], s.cases[1], static_cast<double>(s.count)});
                }
    }
    // What followed each pair of candidates seen: one fingerprint probe per triple.
    out.row_of.resize(n);
    out.triple.resize(n);
    for (std::size_t k = 2; k < n; ++k) {
        std::vector<const Continuations*> lists;
        for (const std::string& a : out.syl[k - 2].keys)
            for (const std::string& b : out.syl[k - 1].keys)
                if (const Continuations& l = stats.following(a + " " + b); !l.empty()) lists.push_back(&l);
        const std::vector<std::string>& first = out.syl[k - 2].cands;
        const std::vector<std::string>& second = out.syl[k - 1].cands;
        const std::vector<std::string>& third = out.syl[k].cands;
        out.row_of[k].assign(first.size() * second.size(), -1);
        if (lists.empty()) continue;  // an index without continuations: the pairs decide
        for (std::size_t hi = 0; hi < out.row_of[k].size(); ++hi) {
            if (out.pair[k - 1][hi] <= 0) continue;
            out.row_of[k][hi] = static_cast<int>(out.triple[k].size() / third.size());
            const std::size_t i = hi % second.size();
            for (std::size_t j = 0; j < third.size(); ++j) {
                // A triple is seen at most as often as each of its pairs: a pair never seen
                // needs no probe, and a count above either pair's is a fingerprint's collision.
                const double cyz = out.pair[k][i * third.size() + j];
                double c = 0;
                if (cyz > 0) {
                    const std::uint32_t fp = triple_fingerprint(first[hi / second.size()], second[i], third[j]);
                    for (const Continuations* l : lists) c += static_cast<double>(continuation_count(*l, fp));
                    if (c > std::min(cyz, out.pair[k - 1][hi])) c = 0;
                }
                out.triple[k].push_back(c);
            }
        }
    }
    return out;
}

/// How a query was typed, as the stored restoration decodes it.
enum class Typing {
    undecided,  ///< the first decoding: Telex/VNI readings compete with the other spellings
    plain,      ///< without marks and without keys: readings are not tried
    /// With Telex/VNI keys: a word without keys keeps its letters (it is meant without
    /// marks), and of a word with a reading it is the literal that needs kTypedPenalty times
    /// the evidence, not the reading.
    keys,
};

/// Step 4 of the stored restoration: the most likely spelling of the segment (Viterbi over
/// pairs of candidates, a second-order chain), as the index of each syllable's candidate.
std::vector<std::size_t> decode_stored(const StoredSegment& g, double total, Typing typing) {
    const std::size_t n = g.seg.size();
    const auto& syl = g.syl;
    auto size = [&](std::size_t k) { return syl[k].cands.size(); };
    // P(z | y), interpolated with P1(z), for candidate j of syllable k after candidate i of
    // k - 1 (none at k = 0); without the penalty of a typed reading.
    auto p2 = [&](std::size_t k, std::optional<std::size_t> i, std::size_t j) {
        double p = (g.cand_count[k][j] + 0.1) / (total + 0.1);
        if (i) {
            const double cy = g.cand_count[k - 1][*i];
            if (cy > 0) {
                const double cyz = g.pair[k][*i * size(k) + j];
                p = kStatsLambda2 * std::min(1.0, cyz / cy) + (1 - kStatsLambda2) * p;
            }
        }
        return p;
    };
    // The typed reading's penalty, as a factor.
    auto penalty = [&](std::size_t k, std::size_t j) {
        const bool reading = g.cand_typed[k][j] != 0;
        return (typing == Typing::keys ? !reading && !syl[k].typed.empty() : reading) ? kTypedPenalty : 1.0;
    };
    auto allowed = [&](std::size_t k, std::size_t j) {
        const bool reading = g.cand_typed[k][j] != 0;
        switch (typing) {
            case Typing::plain: return !reading;
            case Typing::keys: return reading || syl[k].numeral || syl[k].cands[j] == g.seg[k].exact;
            default: return true;
        }
    };
    constexpr double kNone = -1e300;
    if (n == 1) {
        std::size_t best = 0;
        double best_score = kNone;
        for (std::size_t j = 0; j < size(0); ++j) {
            if (!allowed(0, j)) continue;
            const double v = std::log(p2(0, std::nullopt, j) / penalty(0, j));
            if (v > best_score) best_score = v, best = j;
        }
        return {best};
    }
    // score[k][i * |k| + j]: the best path ending with candidate i at k - 1 and j at k (k >= 1);
    // back[k][i * |k| + j]: its candidate at k - 2.
    std::vector<std::vector<double>> score(n);
    std::vector<std::vector<std::size_t>> back(n);
    score[1].assign(size(0) * size(1), kNone);
    back[1].assign(size(0) * size(1), 0);
    for (std::size_t i = 0; i < size(0); ++i) {
        if (!allowed(0, i)) continue;
        const double first = std::log(p2(0, std::nullopt, i) / penalty(0, i));
        for (std::size_t j = 0; j < size(1); ++j)
            if (allowed(1, j)) score[1][i * size(1) + j] = first + std::log(p2(1, i, j) / penalty(1, j));
    }
    std::vector<double> log_p2;
    for (std::size_t k = 2; k < n; ++k) {
        const std::size_t I = size(k - 1), J = size(k);
        log_p2.assign(I * J, kNone);
        for (std::size_t i = 0; i < I; ++i)
            for (std::size_t j = 0; j < J; ++j)
                if (allowed(k, j)) log_p2[i * J + j] = std::log(p2(k, i, j) / penalty(k, j));
        score[k].assign(I * J, kNone);
        back[k].assign(I * J, 0);
        for (std::size_t h = 0; h < size(k - 2); ++h)
            for (std::size_t i = 0; i < I; ++i) {
                const double before = score[k - 1][h * I + i];
                if (before <= kNone) continue;
                // P(z | x y) = l3 * c(x y z) / c(x y) + (1 - l3) * P(z | y) where the pair x y
                // was seen with continuations stored; else P(z | y).
                const int row = g.row_of[k][h * I + i];
                const double cxy = g.pair[k - 1][h * I + i];
                for (std::size_t j = 0; j < J; ++j) {
                    double lp = log_p2[i * J + j];
                    if (lp <= kNone) continue;
                    if (row >= 0) {
                        const double cxyz = g.triple[k][static_cast<std::size_t>(row) * J + j];
                        lp = cxyz > 0 ? std::log((kStatsLambda3 * std::min(1.0, cxyz / cxy) + (1 - kStatsLambda3) * p2(k, i, j)) / penalty(k, j))
                                      : lp + std::log(1 - kStatsLambda3);
                    }
                    const double v = before + lp;
                    if (v > score[k][i * J + j]) score[k][i * J + j] = v, back[k][i * J + j] = h;
                }
            }
    }
    const std::size_t last = static_cast<std::size_t>(std::max_element(score[n - 1].begin(), score[n - 1].end()) - score[n - 1].begin());
    std::vector<std::size_t> choice(n);
    choice[n - 1] = last % size(n - 1);
    choice[n - 2] = last / size(n - 1);
    for (std::size_t k = n - 1; k >= 2; --k) choice[k - 2] = back[k][choice[k - 1] * size(k) + choice[k]];
    return choice;
}

/// The spellings of a decoding.
std::vector<std::string> spelled(const StoredSegment& g, const std::vector<std::size_t>& choice) {
    std::vector<std::string> out;
    out.reserve(choice.size());
    for (std::size_t k = 0; k < choice.size(); ++k)
        out.push_back(g.syl[k].numeral ? g.seg[k].exact : g.syl[k].cands[choice[k]]);
    return out;
}

/// How a first decoding explains the words typed without marks: `typed` of them read as
/// Telex/VNI keys, `restored` given marks they were typed without.
struct Explained {
    std::size_t typed = 0, restored = 0;
};

void explain(const StoredSegment& g, const std::vector<std::string>& spelling, Explained& e) {
    for (std::size_t k = 0; k < spelling.size(); ++k) {
        if (g.syl[k].typed.count(spelling[k])) ++e.typed;
        else if (!g.seg[k].marked && spelling[k] != g.seg[k].exact) ++e.restored;
    }
}

StoredRestoration restore_stored(const SpellingStats& stats, const ParsedQuery& query, const Xapian::Database* typed_db,
                                 const AbbreviationLookup* abbreviations) {
    StoredRestoration out;
    std::vector<StoredSegment> segments;
    std::size_t looked_up = 0;
    for (Segment& seg : collect_segments(query)) {
        if (looked_up >= kMaxLookups) break;
        if (seg.size() > kMaxLookups - looked_up) seg.resize(kMaxLookups - looked_up);
        looked_up += seg.size();
        // Each word's readings, read once: they decide whether the segment may change at all.
        std::vector<Readings> readings(seg.size());
        bool may_change = false;
        for (std::size_t k = 0; k < seg.size(); ++k) {
            const QueryToken& t = seg[k];
            if (typed_db) readings[k] = typed_readings(std::string_view(query.text).substr(t.start, t.end - t.start));
            may_change = may_change || !t.marked || !readings[k].empty();
        }
        if (may_change) segments.push_back(stored_segment(stats, std::move(seg), std::move(readings), typed_db, abbreviations));
    }
    const double total = std::max(1.0, stats.total());
    std::vector<std::vector<std::size_t>> choices;
    // A query is typed one way. With Telex/VNI keys when they explain at least as many of
    // its words as restored marks do: a user who types the keys types them on most words
    // ("thi truwowngf"). Else without: a stray reading in a query typed without marks
    // ("phim sex hoa hau", if "sex" read "sẽ") is dropped and its words restored.
    Explained explained;
    for (const StoredSegment& g : segments) {
        choices.push_back(decode_stored(g, total, Typing::undecided));
        explain(g, spelled(g, choices.back()), explained);
    }
    const bool typed = explained.typed > 0 && explained.typed >= explained.restored;
    if (explained.typed > 0)
        for (std::size_t s = 0; s < segments.size(); ++s)
            choices[s] = decode_stored(segments[s], total, typed ? Typing::keys : Typing::plain);
    for (std::size_t s = 0; s < segments.size(); ++s) {
        const StoredSegment& g = segments[s];
        const std::vector<std::size_t>& choice = choices[s];
        const std::vector<std::string> spelling = spelled(g, choice);
        const std::size_t n = g.seg.size();
        // Case votes for the chosen spelling: from the pairs it forms with its chosen
        // neighbours (a name is capitalised together: "Chi Lăng"), else from the syllable
        // alone. Not in a typed query: who types the marks types the capitals too.
        WindowStats st(n);
        std::vector<std::string> cased(n);  // a typed reading's own capitals
        for (std::size_t k = 0; k < n; ++k) {
            if (auto it = g.syl[k].typed.find(spelling[k]); it != g.syl[k].typed.end()) {
                if (out.kind == SuggestionReason::none) out.kind = it->second.kind;
                cased[k] = it->second.cased;
            }
            if (typed) continue;
            std::array<double, 2> votes{0, 0};
            for (std::size_t at : {k, k + 1}) {
                if (at == 0 || at >= n) continue;
                for (const PairCase& pc : g.pair_cases[at])
                    if (pc.first == choice[at - 1] && pc.second == choice[at]) {
                        const SeenCase c = at == k ? pc.second_case : pc.first_case;
                        if (c != SeenCase::unknown) votes[c == SeenCase::capital ? 1 : 0] += pc.count;
                    }
            }
            if (n == 1) {
                auto it = g.syl[k].cases.find(spelling[k]);
                if (it != g.syl[k].cases.end()) votes = it->second;
            }
            auto& v = st.case_votes[k][spelling[k]];
            if (auto w = g.syl[k].written.find(spelling[k]); w != g.syl[k].written.end()) {
                v[w->second] = 1;  // an abbreviation is written as it is known, whatever the documents' case
                continue;
            }
            if (votes[0] > 0) v[spelling[k]] = static_cast<int>(std::min(votes[0], 1e9));
            if (votes[1] > 0) v[capitalized(spelling[k])] = static_cast<int>(std::min(votes[1], 1e9));
        }
        add_edits(query.text, g.seg, spelling, st, out.edits, &cased);
    }
    return out;
}

/// Steps 4 and 5 over the counted runs.
std::vector<TextEdit> decode(const Xapian::Database& db, const ParsedQuery& query, const std::vector<Segment>& segments,
                             std::vector<WindowStats>& stats) {
    std::vector<TextEdit> edits;
    for (std::size_t s = 0; s < segments.size(); ++s)
        add_edits(query.text, segments[s], decode_segment(db, segments[s], stats[s]), stats[s], edits);
    return edits;
}

/// A Telex/VNI reading, offered only when it finds much more than the literal one, so
/// ordinary words that happen to decode ("test" -> "tét") stay; else the diacritics that
/// `restore` gives.
template <class Restore>
SuggestionResult suggest_with(const Xapian::Database& db, const ParsedQuery& query, Restore&& restore) {
    SuggestionResult out;
    std::size_t literal = 0, best = 0;
    bool literal_known = false;
    std::vector<TextEdit> typed;  // the edits of the best typed reading
    for (auto [method, kind] : {std::pair{analysis::InputMethod::telex, SuggestionReason::telex},
                                std::pair{analysis::InputMethod::vni, SuggestionReason::vni}}) {
        Reading r = typed_reading(query, method);
        if (r.edits.empty()) continue;
        if (!literal_known) literal = and_matches(db, r.literal_terms, kTypingCheck), literal_known = true;
        const std::size_t found = and_matches(db, r.decoded_terms, kTypingCheck);
        if (found > best && found >= kTypingRatio * literal + 1) {
            best = found;
            typed = std::move(r.edits);
            out.kind = kind;
        }
    }
    std::vector<TextEdit> edits = restore();
    if (!typed.empty()) {
        // The words the reading decodes, and the marks of the other unmarked words, so the
        // whole query comes back right ("phim sex" stays where "hoa hau" gets its marks).
        for (TextEdit& e : edits) {
            const bool overlaps = std::any_of(typed.begin(), typed.end(), [&](const TextEdit& t) { return e.start < t.end && t.start < e.end; });
            if (!overlaps) typed.push_back(std::move(e));
        }
        out.text = apply_edits(query.text, std::move(typed));
        return out;
    }
    if (edits.empty()) return out;
    out.text = apply_edits(query.text, std::move(edits));
    if (out.text == query.text) out.text.clear();
    else out.kind = SuggestionReason::diacritics;
    return out;
}

}  // namespace

std::string suggestion_text(std::string_view title, std::string_view body, std::size_t bytes) {
    std::string t;
    t.reserve(std::min(title.size() + 1 + body.size(), bytes));
    t.append(title).push_back('\n');
    // Cut at a character boundary: the body's own, and the whole text's when the title
    // alone fills it.
    if (t.size() < bytes) t.append(text::utf8_prefix(body, bytes - t.size()));
    text::truncate_utf8(t, bytes);
    return t;
}

bool may_suggest(const ParsedQuery& query) { return anything_unmarked(collect_segments(query)) || may_be_typed(query); }

std::vector<TextEdit> restore_diacritics(const Xapian::Database& db, const ParsedQuery& query, const RestoreOptions& options) {
    const std::vector<Segment> segments = collect_segments(query);
    if (!anything_unmarked(segments)) return {};
    const std::vector<Xapian::docid> docs = sample_documents(db, segments, options);
    if (docs.empty()) return {};
    std::vector<WindowStats> stats = empty_stats(segments);
    count_runs(read_texts(db, docs, options), segments, stats);
    return decode(db, query, segments, stats);
}

std::vector<TextEdit> restore_diacritics(const Xapian::Database& db, const ParsedQuery& query,
                                         const std::vector<std::string>& texts, const RestoreOptions& gaps) {
    const std::vector<Segment> segments = collect_segments(query);
    if (!anything_unmarked(segments)) return {};
    std::vector<WindowStats> stats = empty_stats(segments);
    count_runs(texts, segments, stats);
    const std::vector<Xapian::docid> docs = sample_documents(db, segments, gaps, &stats);
    count_runs(read_texts(db, docs, gaps), segments, stats);
    return decode(db, query, segments, stats);
}

std::vector<TextEdit> restore_diacritics(const SpellingStats& stats, const ParsedQuery& query, const AbbreviationLookup* abbreviations) {
    return restore_stored(stats, query, nullptr, abbreviations).edits;
}

SuggestionResult suggest(const Xapian::Database& db, const SpellingStats& stats, const ParsedQuery& query,
                         const AbbreviationLookup* abbreviations) {
    StoredRestoration r = restore_stored(stats, query, &db, abbreviations);
    SuggestionResult out;
    if (r.edits.empty()) return out;
    out.text = apply_edits(query.text, std::move(r.edits));
    if (out.text == query.text) out.text.clear();
    else out.kind = r.kind == SuggestionReason::none ? SuggestionReason::diacritics : r.kind;
    return out;
}

SuggestionResult suggest(const Xapian::Database& db, const ParsedQuery& query, const RestoreOptions& options) {
    return suggest_with(db, query, [&] { return restore_diacritics(db, query, options); });
}

SuggestionResult suggest(const Xapian::Database& db, const ParsedQuery& query, const std::vector<std::string>& texts,
                         const RestoreOptions& gaps) {
    return suggest_with(db, query, [&] { return restore_diacritics(db, query, texts, gaps); });
}

}  // namespace vnsearch::detail
