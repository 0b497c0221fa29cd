// The parsed query as a Xapian query. Each syllable typed with marks prefers its exact term
// and still matches the folded one at lower weight; a syllable typed without marks matches
// the folded term; adjacent syllables are looked up as indexed bigram terms.
#include "search/query_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <unordered_set>

#include "analysis/abbreviations.h"
#include "index/term_scheme.h"
#include "places/places.h"
#include "text/normalize.h"

namespace vnsearch::detail {
namespace {

struct Part {
    Xapian::Query query;
    Role role;
    /// The candidate query of a ranked free-text part (Builder::text_query), empty when all
    /// of its terms are common; unset when the part has no such split (used whole).
    std::optional<Xapian::Query> candidates;
};

class Builder {
  public:
    Builder(std::string_view text, const Analyzer& analyzer, const RankingParameters& w, BuiltQuery& out,
            const AbbreviationLookup* abbreviations, const TermStats* stats, const TermQuery* term_query)
        : text_(text), analyzer_(analyzer), w_(w), out_(out), abbreviations_(abbreviations), stats_(stats), term_query_(term_query) {}

    Xapian::Query build(const std::vector<QueryNode>& nodes) {
        const std::vector<Part> ps = parts(nodes, true);
        out_.candidates = candidate_query(ps);
        return combine(ps);
    }

  private:
    /// `top`: the query's own nodes, whose ranked free text gets a candidate query.
    std::vector<Part> parts(const std::vector<QueryNode>& nodes, bool top = false) {
        std::vector<Part> ps;
        for (const QueryNode& n : nodes) {
            std::optional<Xapian::Query> candidates;
            const bool split = top && pruning() &&
                               ((n.kind == QueryNode::Kind::text && n.role == Role::should) ||
                                (n.kind == QueryNode::Kind::phrase && ranked(n.role)));
            if (auto q = node_query(n, split ? &candidates.emplace() : nullptr); !q.empty())
                ps.push_back({q, n.role, std::move(candidates)});
        }
        return ps;
    }

    /// The query of one weighted term (the boolean source, id, year and place-filter terms
    /// stay plain terms).
    Xapian::Query leaf(const std::string& term) const {
        if (Xapian::Query q = made(term, 1.0); !q.empty()) return q;
        return Xapian::Query(term);
    }
    /// The term's query with its weight times `scale`: Xapian::Query(scale, leaf) for plain
    /// terms; a TermQuery takes the scale into its own scores.
    Xapian::Query scaled(const std::string& term, double scale) const {
        if (Xapian::Query q = made(term, scale); !q.empty()) return q;
        return Xapian::Query(scale, Xapian::Query(term));
    }
    /// The TermQuery's query of the term (empty: none, the plain term stands).
    Xapian::Query made(const std::string& term, double scale) const { return term_query_ ? (*term_query_)(term, scale) : Xapian::Query(); }
    /// The OR of the terms' leaves.
    Xapian::Query any_of(const std::vector<std::string>& terms) const {
        std::vector<Xapian::Query> qs;
        for (const std::string& t : terms) qs.push_back(leaf(t));
        return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
    }

    /// Candidate generation: the statistics say which terms are common.
    bool pruning() const { return stats_ && w_.prune_fraction > 0; }
    /// A term held by more than prune_fraction of the documents (RankingParameters) finds no
    /// candidates of its own.
    bool common(const std::string& term) const {
        const bool is = pruning() && stats_->termfreq(term) > std::max(w_.prune_fraction * stats_->documents(), w_.prune_min_documents);
        dropped_ = dropped_ || is;
        return is;
    }

    /// The candidate query: the ranked free text without its common terms and the phrases
    /// without the syllables their pairs imply (phrase_query), with the other parts whole; it
    /// matches no document the query does not. When the ranked text is one word typed with
    /// marks whose spellings are all common ("có"), its exact term finds the candidates alone:
    /// one posting list is read instead of both. Text of several common words ("công
    /// an") ranks every match: a known item's words all count, and one of its terms alone
    /// (its pair) lost 0.004 of MRR@10 on headline spans (docs/relevance.md). Empty when
    /// nothing was left out (the query itself finds the same documents as cheaply) or when
    /// the ranked text is one common term.
    Xapian::Query candidate_query(const std::vector<Part>& ps) const {
        if (!dropped_) return {};
        std::vector<Part> cs;
        for (const Part& p : ps) {
            const Xapian::Query& q = p.candidates ? *p.candidates : p.query;
            // A required part stays in, whole when it has no candidate form ("+x").
            if (p.role == Role::must && q.empty()) return {};
            if (!q.empty()) cs.push_back({q, p.role, std::nullopt});
        }
        const bool any_ranked = std::any_of(cs.begin(), cs.end(), [](const Part& p) { return ranked(p.role); });
        if (!any_ranked) {
            if (!common_exact_ || ranked_words_ != 1) return {};
            cs.push_back({*common_exact_, Role::should, std::nullopt});
        }
        return combine(cs);
    }

    Xapian::Query node_query(const QueryNode& n, Xapian::Query* candidates = nullptr) {
        switch (n.kind) {
            case QueryNode::Kind::text:
                // Free text ranks; +x requires every word; -x excludes any of them.
                return text_query(n.words, false, n.role == Role::must, n.role == Role::should, candidates);
            case QueryNode::Kind::phrase:
                return phrase_query(n.words, false, candidates);
            case QueryNode::Kind::field:
                return field_query(n);
            case QueryNode::Kind::group:
                return combine(parts(n.children));
            case QueryNode::Kind::either: {
                std::vector<Xapian::Query> qs;
                for (const QueryNode& c : n.children)
                    if (auto q = node_query(c); !q.empty()) qs.push_back(q);
                return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
            }
        }
        return {};
    }

    // The query of one word, in the body families or (title) the title families; with
    // `candidates`, also its terms that are not common (empty when none is).
    Xapian::Query word_query(const QueryWord& u, bool title, Xapian::Query* candidates = nullptr) const {
        const Token& t = u.token;
        auto folded = [&](const Token& x) { return title ? scheme::title_folded_term(x) : scheme::folded_term(x); };
        if (!u.parts.empty()) {
            // A compound whole, or its parts side by side: every part and every pair of
            // adjacent parts (the index has no positions; the pairs are its adjacency).
            std::vector<Xapian::Query> ps;
            for (const Token& p : u.parts) ps.push_back(leaf(folded(p)));
            if (!title) {
                scheme::BigramChain chain;
                for (const Token& p : u.parts) chain.feed(p, [&](const std::string& pair) { ps.push_back(leaf(pair)); });
            }
            Xapian::Query q(Xapian::Query::OP_OR, leaf(folded(t)), Xapian::Query(Xapian::Query::OP_AND, ps.begin(), ps.end()));
            if (candidates) *candidates = q;
            return q;
        }
        if (scheme::has_exact(t)) {
            std::string exact = title ? scheme::title_exact_term(t) : scheme::exact_term(t);
            // One vote per syllable: a document with the exact spelling (which also holds the
            // folded term) weighs what the exact term weighs, one with another spelling a share
            // of the folded term: a preference between spellings, not an extra vote.
            const std::string f = folded(t);
            double exact_scale = w_.exact;
            if (stats_) {
                const double ie = idf(title ? scheme::exact_term(t) : exact), i_f = idf(title ? scheme::folded_term(t) : f);
                if (ie > 0) exact_scale = std::max(0.0, w_.exact - w_.folded_accented * i_f / ie);
            }
            Xapian::Query e = scaled(exact, exact_scale), fq = scaled(f, w_.folded_accented);
            if (candidates) {
                // A rare spelling of a common folded form ("lạng" of "lang") finds its
                // candidates by its exact term alone.
                const bool ce = common(exact), cf = common(f);
                // One word of the ranked text whose spellings are all common: its exact
                // term, should it be the text's only word (candidate_query).
                if (ce && cf && in_ranked_words_) common_exact_ = e;
                *candidates = ce && cf ? Xapian::Query() : ce ? fq : cf ? e : Xapian::Query(Xapian::Query::OP_OR, e, fq);
            }
            return Xapian::Query(Xapian::Query::OP_OR, e, fq);
        }
        Xapian::Query q = w_.folded == 1.0 ? leaf(folded(t)) : scaled(folded(t), w_.folded);
        if (candidates) *candidates = common(folded(t)) ? Xapian::Query() : q;
        return q;
    }

    double idf(const std::string& term) const {
        const double n = stats_->documents();
        return std::max(0.0, std::log((n + 0.5) / (stats_->termfreq(term) + 0.5)));
    }

    // The bigram terms of adjacent words (and of compounds' parts), spelled as indexed.
    std::vector<Xapian::Query> pair_queries(const std::vector<QueryWord>& us, std::vector<std::string>* terms = nullptr) const {
        std::vector<Xapian::Query> pairs;
        scheme::BigramChain chain;
        auto add = [&](const std::string& pair) {
            if (terms) terms->push_back(pair);
            pairs.push_back(scaled(pair, w_.adjacency));
        };
        for (const QueryWord& u : us) {
            chain.feed(u.token, add);
            for (const Token& p : u.parts) chain.feed(p, add);
        }
        return pairs;
    }

    // Free text: ranked OR of its words plus a boost for each adjacent pair, looked up as an
    // indexed bigram term (cheap, unlike a positional phrase check on every candidate).
    // With `candidates` (ranked text only): the same OR without its common terms.
    Xapian::Query text_query(const std::vector<QueryWord>& us, bool title, bool all_required, bool with_places = false,
                             Xapian::Query* candidates = nullptr) {
        std::vector<Xapian::Query> qs, cs;  // cs[i]: the candidate query of qs[i] (empty: common)
        std::vector<Xapian::Query>* kept = candidates && !title && !all_required ? &cs : nullptr;
        in_ranked_words_ = kept != nullptr;
        for (const QueryWord& u : us) {
            qs.push_back(word_query(u, title, kept ? &cs.emplace_back() : nullptr));
            ranked_words_ += kept ? 1 : 0;
        }
        in_ranked_words_ = false;
        // Whether the text's own terms find candidates (its words here, its pairs below).
        // Expansions widen a search: when every word and pair of the text is common, the
        // text ranks every match, as text of common words does, rather than letting an
        // expansion's rarer terms choose its documents ("BV" for "bệnh viện" would list
        // only the articles that abbreviate it).
        const auto found_any = [](const std::vector<Xapian::Query>& v) {
            return std::any_of(v.begin(), v.end(), [](const Xapian::Query& c) { return !c.empty(); });
        };
        bool own_candidates = kept && found_any(cs);
        if (abbreviations_ && !title && !all_required) expand_abbreviations(us, qs, kept);
        // Places widen a ranked search only: "-Lạng Sơn" excludes the words, not the province.
        if (with_places && !title && !all_required) expand_places(us, qs, kept);
        auto finish = [&](Xapian::Query q) {
            if (kept && !own_candidates) {
                *candidates = Xapian::Query();
            } else if (kept) {
                std::vector<Xapian::Query> found;
                for (const Xapian::Query& c : cs)
                    if (!c.empty()) found.push_back(c);
                *candidates = found.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_OR, found.begin(), found.end());
            }
            return q;
        };
        if (us.size() < 2 || title)
            return finish(Xapian::Query(all_required ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, qs.begin(), qs.end()));
        std::vector<std::string> pair_terms;
        const std::vector<Xapian::Query> pairs = pair_queries(us, &pair_terms);
        if (kept)
            for (const std::string& p : pair_terms) own_candidates = own_candidates || !common(p);
        if (!all_required) {
            double pair_limit = 0;
            if (const auto common_words = question_words(us, pair_limit); !common_words.empty()) {
                Xapian::Query q = anchored_query(us, qs, kept ? &cs : nullptr, pairs, pair_terms, common_words, pair_limit, candidates);
                if (kept && !own_candidates) *candidates = Xapian::Query();
                return q;
            }
            // One flat OR: a document holding a pair holds both its syllables, so this matches
            // exactly what OR(syllables) does, with the same weights — but Xapian's matcher
            // can then skip a common syllable's long posting list once it cannot reach the
            // top hits (query latency, docs/performance.md).
            qs.insert(qs.end(), pairs.begin(), pairs.end());
            if (kept)
                for (std::size_t i = 0; i < pairs.size(); ++i) cs.push_back(common(pair_terms[i]) ? Xapian::Query() : pairs[i]);
            return finish(Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end()));
        }
        Xapian::Query q(Xapian::Query::OP_AND, qs.begin(), qs.end());
        if (pairs.empty()) return q;
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end()));
    }

    /// The folded forms of a ranked text's common words, when it also holds rarer ones;
    /// empty otherwise (one word, no statistics). A word is rarer — an anchor — when at most
    /// common_fraction of the documents hold it, or at most anchor_ratio times as many as
    /// hold the text's rarest word: "Messi" (13 of 50k) in "Messi là ai", and "Obama" (3 %)
    /// in "thông tin mới nhất về Obama là gì", whose other words are in 12-90 %.
    /// `pair_limit`: set to the document frequency up to which a pair of two common words
    /// is an anchor all the same: a phrase an order of magnitude rarer than every word of
    /// the text (RankingParameters::phrase_anchor_ratio) is as telling as a rare word,
    /// whatever its syllables: "chó cắn" (146 of 16k law and health articles) in "chó cắn
    /// như thế nào", whose rarest word is "nào" (4,957).
    std::unordered_set<std::string> question_words(const std::vector<QueryWord>& us, double& pair_limit) const {
        std::unordered_set<std::string> common_words;
        if (!stats_ || w_.common_fraction <= 0) return common_words;
        std::vector<double> dfs;
        double rarest = -1;
        for (const QueryWord& u : us) {
            // By the folded form: a query gets the same anchors typed with marks or without.
            dfs.push_back(stats_->termfreq(scheme::folded_term(u.token)));
            if (u.parts.empty() && (rarest < 0 || dfs.back() < rarest)) rarest = dfs.back();
        }
        const double limit = std::max(w_.common_fraction * stats_->documents(), w_.anchor_ratio * rarest);
        pair_limit = w_.phrase_anchor_ratio > 0 ? rarest / w_.phrase_anchor_ratio : -1;
        for (std::size_t i = 0; i < us.size(); ++i)
            if (us[i].parts.empty() && dfs[i] > limit) common_words.insert(us[i].token.folded);
        return common_words;
    }

    /// Ranked text holding anchors among common words (question_words; "Messi có nghĩa là
    /// gì với đội bóng"): a pair of two common syllables ("là gì", "có nghĩa") counts, at
    /// its full adjacency weight, only in documents that hold an anchor or one of its pairs
    /// (a pair held by at most `pair_limit` documents is an anchor itself):
    /// OR(AND_MAYBE(OR(anchors and their pairs), OR(common pairs)), common words...). A
    /// document with the common phrases but no anchor scores what plain BM25 gives its
    /// words, so the anchor's idf decides, as in BM25; an article holding the anchor and the
    /// phrases around it keeps every pair. `qs` (and `cs`, their candidate queries, in step)
    /// are the words' queries followed by their expansions; common pairs find no candidates.
    Xapian::Query anchored_query(const std::vector<QueryWord>& us, const std::vector<Xapian::Query>& qs,
                                 const std::vector<Xapian::Query>* cs, const std::vector<Xapian::Query>& pairs,
                                 const std::vector<std::string>& pair_terms,
                                 const std::unordered_set<std::string>& common_words, double pair_limit,
                                 Xapian::Query* candidates) const {
        struct Sides {
            std::vector<Xapian::Query> top, anchor, boost;
            Xapian::Query assemble() {
                if (!anchor.empty()) {
                    Xapian::Query a(Xapian::Query::OP_OR, anchor.begin(), anchor.end());
                    if (!boost.empty())
                        a = Xapian::Query(Xapian::Query::OP_AND_MAYBE, a, Xapian::Query(Xapian::Query::OP_OR, boost.begin(), boost.end()));
                    top.push_back(a);
                }
                return top.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_OR, top.begin(), top.end());
            }
        } query, found;  // found: the candidate query (terms common in the index left out)
        for (std::size_t i = 0; i < qs.size(); ++i) {
            // Expansions (i >= us.size()) stand beside the words, as in the flat query.
            const bool rare = i < us.size() && (!us[i].parts.empty() || !common_words.count(us[i].token.folded));
            (rare ? query.anchor : query.top).push_back(qs[i]);
            if (cs && !(*cs)[i].empty()) (rare ? found.anchor : found.top).push_back((*cs)[i]);
        }
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            const auto [a, b] = scheme::bigram_parts(pair_terms[i]);
            const bool both_common = common_words.count(std::string(a)) && common_words.count(std::string(b)) &&
                                     stats_->termfreq(pair_terms[i]) > pair_limit;
            (both_common ? query.boost : query.anchor).push_back(pairs[i]);
            if (cs && !common(pair_terms[i])) (both_common ? found.boost : found.anchor).push_back(pairs[i]);
        }
        if (cs) *candidates = found.assemble();
        return query.assemble();
    }

    // Abbreviations, both ways, weighted below the literal words: an abbreviation also
    // matches its expansions as phrases ("HĐND" -> "hội đồng nhân dân"), and a run of
    // syllables that spells out a known abbreviation also matches the abbreviation.
    // `cs`: the candidate queries of qs, kept in step (an expansion's, phrase_query's candidate form).
    void expand_abbreviations(const std::vector<QueryWord>& us, std::vector<Xapian::Query>& qs, std::vector<Xapian::Query>* cs) {
        for (std::size_t i = 0; i < us.size(); ++i) {
            const Token& t = us[i].token;
            const bool candidate = t.kind == TokenKind::abbreviation || analysis::looks_like_abbreviation(t.text) ||
                                   (t.kind == TokenKind::word && !text::is_syllable(t.folded));
            if (!candidate || !us[i].parts.empty()) continue;
            std::vector<Xapian::Query> alts{qs[i]}, found;  // found: their candidate queries
            if (cs && !(*cs)[i].empty()) found.push_back((*cs)[i]);
            for (const std::string& expansion : abbreviations_->expansions(t.folded)) {
                std::vector<QueryWord> eu;
                std::uint32_t last = 0;
                analyzer_.analyze(expansion, [&](const Token& x) {
                    QueryWord w{x, {}, !eu.empty() && x.position == last + 1};
                    last = x.position;
                    eu.push_back(std::move(w));
                });
                if (eu.empty() || eu.size() > 12) continue;
                out_.expansions.push_back(expansion);
                // A phrase of n syllables weighs about n terms and n-1 pairs (adjacency each):
                // scaled to w_.abbreviation of one term, below the literal abbreviation.
                const double size = static_cast<double>(eu.size()) + w_.adjacency * static_cast<double>(eu.size() - 1);
                Xapian::Query c;
                alts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, phrase_query(eu, false, cs ? &c : nullptr), w_.abbreviation / size);
                if (!c.empty()) found.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, c, w_.abbreviation / size);
            }
            if (alts.size() > 1) {
                qs[i] = Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
                if (cs) (*cs)[i] = found.empty() ? Xapian::Query() : Xapian::Query(Xapian::Query::OP_OR, found.begin(), found.end());
            }
        }
        constexpr std::size_t kMaxRun = 8;
        for (std::size_t a = 0; a + 1 < us.size(); ++a) {
            std::string key = us[a].token.folded;
            for (std::size_t b = a + 1; b < us.size() && b - a < kMaxRun; ++b) {
                if (!us[b].parts.empty() || !us[b].follows_previous) break;
                key += ' ';
                key += us[b].token.folded;
                for (const std::string& abbr : abbreviations_->abbreviations(key))
                    // The other way round: the abbreviation stands for the whole run, weighted
                    // as w_.abbreviation of its syllables counted twice (a rare abbreviation's weight is
                    // already high, so the run's pair boosts are left out).
                {
                    const std::string term = scheme::term(scheme::kFolded, abbr);
                    qs.push_back(scaled(term, w_.abbreviation * 2.0 * static_cast<double>(b - a + 1)));
                    if (cs) cs->push_back(common(term) ? Xapian::Query() : qs.back());
                }
            }
        }
    }

    // Places: a run of words that names an administrative unit also finds the documents
    // naming a unit inside it (a district of a province, a commune of a district), which
    // are tagged with the unit's term at indexing (scheme::place_terms), weighted like one
    // word (w_.place) — below the documents that name the unit, whose words and pair match
    // too. A name that is also a current unit's name ("Thái Nguyên") looks up that unit's
    // term as well, so the articles of what is now in it (Bắc Kạn's) are found.
    void expand_places(const std::vector<QueryWord>& us, std::vector<Xapian::Query>& qs, std::vector<Xapian::Query>* cs) const {
        if (w_.place <= 0) return;
        std::vector<Token> tokens;
        tokens.reserve(us.size());
        std::uint32_t position = 0;
        for (const QueryWord& u : us) {
            tokens.push_back(u.token);
            position += (u.follows_previous || tokens.size() == 1) ? 1 : 2;
            tokens.back().position = position;
        }
        PlaceOptions options;
        options.bare_names = true;
        // One alternative per span of words: a name with several readings ("chợ mới": two
        // districts) looks up all of them at once.
        std::vector<std::pair<std::size_t, std::vector<std::string>>> spans;  // start, terms
        for (const PlaceMention& m : places::recognize(tokens, text_, options)) {
            if (spans.empty() || spans.back().first != m.start) spans.push_back({m.start, {}});
            std::vector<std::string>& terms = spans.back().second;
            terms.push_back(scheme::place_term(m.place.unit));
            // A province of the old map that is also one of today's (same name): both.
            if (m.place.unit.geography != Geography::current && m.place.unit.level == PlaceLevel::province)
                for (const PlaceUnit& now : find_places(m.place.unit.name, Geography::current))
                    if (now.level == PlaceLevel::province) terms.push_back(scheme::place_term(now));
        }
        for (auto& [start, terms] : spans) {
            std::sort(terms.begin(), terms.end());
            terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
            qs.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, any_of(terms), w_.place);
            if (cs) {
                // A place held by many documents (a big province) finds no candidates of its own.
                std::vector<std::string> rare;
                for (const std::string& t : terms)
                    if (!common(t)) rare.push_back(t);
                cs->push_back(rare.empty() ? Xapian::Query()
                                           : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, any_of(rare), w_.place));
            }
        }
    }

    // A phrase: every syllable, and every adjacent pair as an indexed bigram (which is what
    // makes them a phrase); exact forms typed add weight.
    //
    // With `candidates` (body phrases): the phrase's candidate query, which matches the same
    // documents from fewer posting lists. A document holding a pair holds both its syllables,
    // so the syllables a pair covers are left out ("trung tâm": its pair alone, not the long
    // lists of "trung" and "tam" walked in step with it), and so is the exact forms'
    // preference; the whole phrase then scores the candidates (match_candidates). Only when
    // even the rarest pair is held by more than prune_min_documents: a rarer phrase ("Nghị
    // quyết 22") costs less in one step than a candidate step and a scoring step.
    Xapian::Query phrase_query(const std::vector<QueryWord>& us, bool title, Xapian::Query* candidates = nullptr) const {
        if (us.size() == 1) return word_query(us[0], title, candidates);
        std::vector<Xapian::Query> all, exact;
        for (const QueryWord& u : us) {
            all.push_back(word_query(u, title));
            if (u.parts.empty() && scheme::has_exact(u.token))
                exact.push_back(scaled(title ? scheme::title_exact_term(u.token) : scheme::exact_term(u.token), w_.exact));
        }
        std::vector<std::string> pair_terms;
        std::vector<Xapian::Query> pairs = pair_queries(us, &pair_terms);
        double rarest_pair = -1;
        if (candidates && stats_)
            for (const std::string& p : pair_terms) {
                const double df = stats_->termfreq(p);
                rarest_pair = rarest_pair < 0 ? df : std::min(rarest_pair, df);
            }
        const bool split = candidates && rarest_pair > w_.prune_min_documents;
        if (split) {
            std::unordered_set<std::string_view> covered;
            for (const std::string& p : pair_terms) {
                const auto [a, b] = scheme::bigram_parts(p);
                covered.insert(a), covered.insert(b);
            }
            std::vector<Xapian::Query> kept = pairs;
            for (std::size_t i = 0; i < us.size(); ++i) {
                const bool implied = !title && us[i].parts.empty() && covered.count(us[i].token.folded);
                if (!implied) kept.push_back(all[i]);
                dropped_ = dropped_ || implied;
            }
            *candidates = Xapian::Query(Xapian::Query::OP_AND, kept.begin(), kept.end());
        }
        all.insert(all.end(), pairs.begin(), pairs.end());
        Xapian::Query phrase(Xapian::Query::OP_AND, all.begin(), all.end());
        if (!exact.empty())
            phrase = Xapian::Query(Xapian::Query::OP_AND_MAYBE, phrase, Xapian::Query(Xapian::Query::OP_OR, exact.begin(), exact.end()));
        if (candidates && !split) *candidates = phrase;  // a rarer phrase: whole
        return phrase;
    }

    Xapian::Query field_query(const QueryNode& n) const {
        if (scheme::is_place_field(n.field)) {
            // A place filter: the documents naming any unit of that name, or a unit inside it.
            std::vector<Xapian::Query> qs;
            for (const PlaceUnit& u : scheme::place_filter_units(n.field, n.value)) qs.emplace_back(scheme::place_term(u));
            return qs.empty() ? Xapian::Query::MatchNothing : Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
        }
        if (n.custom) {
            // A custom field: every word required in it; marks typed prefer the exact form.
            std::vector<Xapian::Query> qs;
            for (const QueryWord& u : n.words) {
                const Token& t = u.token;
                const std::string folded = scheme::field_term(n.field, t.folded);
                qs.push_back(scheme::has_exact(t) ? Xapian::Query(Xapian::Query::OP_OR, scaled(scheme::field_term(n.field, t.exact), w_.exact),
                                                                  scaled(folded, w_.folded_accented))
                                                  : leaf(folded));
            }
            return Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
        }
        if (n.field == "title") return n.quoted ? phrase_query(n.words, true) : text_query_title(n.words);
        if (n.field == "source") {
            std::string key = scheme::source_key(n.value);
            if (key.empty()) return {};
            return Xapian::Query(scheme::term(scheme::kSource, key));
        }
        if (n.field == "id") return Xapian::Query(scheme::id_term(n.value));
        if (n.field == "author") {
            std::vector<Xapian::Query> qs;
            for (const QueryWord& w : n.words) qs.push_back(leaf(scheme::author_term(w.token)));
            return Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
        }
        if (n.field == "year") {
            // Whole years are looked up as their boolean year terms (one posting list each,
            // cheaper than a scan of the date values); other spans as a value range.
            const int from = std::atoi(n.range_begin.substr(0, 4).c_str()), to = std::atoi(n.range_end.substr(0, 4).c_str());
            const bool whole_years = n.range_begin.compare(4, std::string::npos, "0101000000") == 0 &&
                                     n.range_end.compare(4, std::string::npos, "1231235959") == 0;
            if (whole_years && from >= 1 && to >= from && to - from < 200) {
                std::vector<Xapian::Query> years;
                for (int y = from; y <= to; ++y) years.emplace_back(scheme::term(scheme::kYear, std::to_string(y)));
                return Xapian::Query(Xapian::Query::OP_OR, years.begin(), years.end());
            }
        }
        if (n.field == "year" || n.field == "date") {
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, scheme::kDateSlot, n.range_begin, n.range_end);
        }
        return {};
    }

    Xapian::Query text_query_title(const std::vector<QueryWord>& us) const {
        std::vector<Xapian::Query> qs;
        for (const QueryWord& u : us) qs.push_back(word_query(u, true));
        return Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end());
    }

    static Xapian::Query combine(const std::vector<Part>& parts) {
        std::vector<Xapian::Query> should, must, must_not, filter, filter_not;
        for (const Part& p : parts) {
            switch (p.role) {
                case Role::should: should.push_back(p.query); break;
                case Role::must: must.push_back(p.query); break;
                case Role::must_not: must_not.push_back(p.query); break;
                case Role::filter: filter.push_back(p.query); break;
                case Role::filter_not: filter_not.push_back(p.query); break;
            }
        }
        Xapian::Query q;
        if (!must.empty()) {
            q = Xapian::Query(Xapian::Query::OP_AND, must.begin(), must.end());
            if (!should.empty())
                q = Xapian::Query(Xapian::Query::OP_AND_MAYBE, q, Xapian::Query(Xapian::Query::OP_OR, should.begin(), should.end()));
        } else if (!should.empty()) {
            q = Xapian::Query(Xapian::Query::OP_OR, should.begin(), should.end());
        } else if (!filter.empty() || !filter_not.empty() || !must_not.empty()) {
            q = Xapian::Query::MatchAll;
        } else {
            return Xapian::Query();
        }
        if (!filter.empty())
            q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(Xapian::Query::OP_AND, filter.begin(), filter.end()));
        must_not.insert(must_not.end(), filter_not.begin(), filter_not.end());
        if (!must_not.empty())
            q = Xapian::Query(Xapian::Query::OP_AND_NOT, q, Xapian::Query(Xapian::Query::OP_OR, must_not.begin(), must_not.end()));
        return q;
    }

    std::string_view text_;
    const Analyzer& analyzer_;
    const RankingParameters& w_;
    BuiltQuery& out_;
    const AbbreviationLookup* abbreviations_ = nullptr;
    const TermStats* stats_ = nullptr;
    const TermQuery* term_query_ = nullptr;
    mutable bool dropped_ = false;  ///< a term was left out of a candidate query (common, or implied)
    mutable bool in_ranked_words_ = false;  ///< word_query is making the ranked text's own words (not expansions)
    mutable std::size_t ranked_words_ = 0;  ///< words of the ranked free text
    mutable std::optional<Xapian::Query> common_exact_;  ///< a ranked word's exact term, all its spellings common
};

}  // namespace

BuiltQuery build_query(const ParsedQuery& parsed, const Analyzer& analyzer, const RankingParameters& params,
                       const AbbreviationLookup* abbreviations, const TermStats* stats, const TermQuery* term_query) {
    BuiltQuery out;
    out.query = Builder(parsed.text, analyzer, params, out, abbreviations, stats, term_query).build(parsed.nodes);
    out.empty = out.query.empty();
    return out;
}

}  // namespace vnsearch::detail
