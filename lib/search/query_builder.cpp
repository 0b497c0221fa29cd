// The query language (docs/guide.md):
//   free text            ranked OR of syllables; more (and rarer) syllables rank higher,
//                        adjacent syllables get a phrase boost
//   "quoted phrase"      required phrase;   -word / -"phrase"  excluded;  +word required
//   a OR b               either neighbouring group;  ( ... ) grouping
//   title:  source:  author:  id:  year:  date:2018..2020 / date:2019-05 / date:..2020
// Each syllable typed with marks prefers its exact term and still matches the folded one
// at lower weight; a syllable typed without marks matches the folded term.
// Malformed input never throws: it is understood as well as possible, with a warning.
#include "search/query_builder.h"

#include <algorithm>
#include <optional>

#include "analysis/abbreviations.h"
#include "index/term_scheme.h"
#include "text/normalize.h"
#include "text/utf8.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {
namespace {

constexpr std::size_t kMaxSyllables = 64;
constexpr int kMaxDepth = 16;

enum class Mod { none, must, must_not };
enum class Role { should, must, must_not, filter, filter_not };

struct Lexeme {
    enum Type { word, phrase, field, lparen, rparen, op_or, op_and, op_not } type;
    std::string text;
    std::string name;  // for type field: the field name
    bool field_phrase = false;
    Mod mod = Mod::none;
};

bool is_space_at(std::string_view s, std::size_t i, std::size_t& len) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        len = 1;
        return true;
    }
    if (s.substr(i, 2) == "\xC2\xA0") {  // NBSP
        len = 2;
        return true;
    }
    if (s.substr(i, 3) == "\xE3\x80\x80") {  // ideographic space
        len = 3;
        return true;
    }
    return false;
}

// Opening and closing quotes: ASCII ", and the curly “ ” (U+201C/U+201D).
std::size_t quote_len(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    if (s.substr(i, 3) == "\xE2\x80\x9C" || s.substr(i, 3) == "\xE2\x80\x9D") return 3;
    return 0;
}

const std::vector<std::string_view>& known_fields() {
    static const std::vector<std::string_view> f = {"title", "source", "author", "id", "year", "date"};
    return f;
}

class Lexer {
  public:
    Lexer(std::string_view q, std::vector<std::string>& warnings) : q_(q), warnings_(warnings) {}

    std::vector<Lexeme> run() {
        std::vector<Lexeme> out;
        std::size_t i = 0, len = 0;
        while (i < q_.size()) {
            if (is_space_at(q_, i, len)) {
                i += len;
                continue;
            }
            Mod mod = Mod::none;
            if (q_[i] == '-' || q_[i] == '+') {
                bool lone = i + 1 >= q_.size() || is_space_at(q_, i + 1, len);
                if (lone) {
                    warnings_.push_back(std::string("ignored a lone '") + q_[i] + "'");
                    ++i;
                    continue;
                }
                mod = q_[i] == '-' ? Mod::must_not : Mod::must;
                ++i;
            }
            if (std::size_t ql = quote_len(q_, i)) {
                out.push_back({Lexeme::phrase, read_phrase(i, ql), {}, false, mod});
                continue;
            }
            if (q_[i] == '(') {
                out.push_back({Lexeme::lparen, "(", {}, false, mod});
                ++i;
                continue;
            }
            if (q_[i] == ')') {
                out.push_back({Lexeme::rparen, ")", {}, false, mod});
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < q_.size() && !is_space_at(q_, j, len) && !quote_len(q_, j) && q_[j] != '(' && q_[j] != ')') ++j;
            std::string word(q_.substr(i, j - i));
            i = j;
            if (mod == Mod::none && (word == "OR" || word == "||")) {
                out.push_back({Lexeme::op_or, word, {}, false, mod});
                continue;
            }
            if (mod == Mod::none && (word == "AND" || word == "&&")) {
                out.push_back({Lexeme::op_and, word, {}, false, mod});
                continue;
            }
            if (mod == Mod::none && word == "NOT") {
                out.push_back({Lexeme::op_not, word, {}, false, mod});
                continue;
            }
            std::size_t colon = word.find(':');
            if (colon != std::string::npos && colon > 0 &&
                std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(colon),
                            [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); })) {
                std::string name = word.substr(0, colon);
                std::transform(name.begin(), name.end(), name.begin(),
                               [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
                std::string value = word.substr(colon + 1);
                if (std::find(known_fields().begin(), known_fields().end(), name) != known_fields().end()) {
                    bool phrase = false;
                    if (value.empty() && i < q_.size()) {
                        if (std::size_t ql = quote_len(q_, i)) {
                            value = read_phrase(i, ql);
                            phrase = true;
                        }
                    }
                    if (value.empty()) {
                        warnings_.push_back("field '" + name + ":' has no value; ignored");
                        continue;
                    }
                    out.push_back({Lexeme::field, value, name, phrase, mod});
                    continue;
                }
                warnings_.push_back("unknown field '" + name + ":'; searched as text");
                word[colon] = ' ';
            }
            out.push_back({Lexeme::word, word, {}, false, mod});
        }
        return out;
    }

  private:
    std::string read_phrase(std::size_t& i, std::size_t open_len) {
        std::size_t start = i + open_len, j = start;
        while (j < q_.size() && !quote_len(q_, j)) ++j;
        std::string text(q_.substr(start, j - start));
        if (j >= q_.size()) {
            warnings_.push_back("unbalanced quote: phrase runs to the end of the query");
            i = j;
        } else {
            i = j + quote_len(q_, j);
        }
        return text;
    }

    std::string_view q_;
    std::vector<std::string>& warnings_;
};

// A query syllable (or compound) with the terms it may match.
struct Unit {
    Token token;
    std::vector<Token> parts;
};

struct Part {
    Xapian::Query query;
    Role role;
};

class Builder {
  public:
    Builder(const Analyzer& analyzer, const QueryWeights& w, BuiltQuery& out, const AbbreviationLookup* abbreviations)
        : analyzer_(analyzer), w_(w), out_(out), abbreviations_(abbreviations) {}

    Xapian::Query build(const std::vector<Lexeme>& lex) {
        std::size_t i = 0;
        auto parts = sequence(lex, i, 0);
        if (i < lex.size()) out_.warnings.push_back("unbalanced ')' ignored");
        return combine(parts);
    }

  private:
    std::vector<Unit> units(std::string_view text) {
        std::vector<Unit> us;
        analyzer_.analyze(text, [&](const Token& t) {
            if (t.part && !us.empty()) {
                us.back().parts.push_back(t);
                return;
            }
            if (syllables_ >= kMaxSyllables) {
                if (!truncated_) out_.warnings.push_back("query too long: only its first 64 words are used");
                truncated_ = true;
                return;
            }
            ++syllables_;
            us.push_back({t, {}});
        });
        return us;
    }

    void note_highlight(const Unit& u) {
        note_highlight(u.token);
        for (const Token& p : u.parts) note_highlight(p);
    }
    void note_highlight(const Token& t) {
        auto [it, fresh] = out_.highlight.try_emplace(t.folded);
        // A syllable typed without marks anywhere in the query matches every form.
        if (!scheme::has_exact(t)) {
            it->second.clear();
            it->second.insert(std::string());
        } else if (!it->second.count(std::string())) {
            it->second.insert(t.exact);
        }
        (void)fresh;
    }

    // The query of one unit, in the body families or (title) the title families.
    Xapian::Query unit_query(const Unit& u, bool title) {
        const Token& t = u.token;
        auto folded = [&](const Token& x) { return title ? scheme::title_folded_term(x) : scheme::folded_term(x); };
        if (!u.parts.empty()) {
            std::vector<Xapian::Query> ps;
            for (const Token& p : u.parts) ps.emplace_back(folded(p));
            return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(folded(t)),
                                 Xapian::Query(Xapian::Query::OP_PHRASE, ps.begin(), ps.end(), ps.size()));
        }
        if (scheme::has_exact(t)) {
            std::string exact = title ? scheme::title_exact_term(t) : scheme::exact_term(t);
            return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(w_.exact, Xapian::Query(exact)),
                                 Xapian::Query(w_.folded_accented, Xapian::Query(folded(t))));
        }
        return w_.folded == 1.0 ? Xapian::Query(folded(t)) : Xapian::Query(w_.folded, Xapian::Query(folded(t)));
    }

    // Free text: ranked OR of its units plus a boost for each adjacent pair, looked up as
    // an indexed bigram term (cheap, unlike a positional phrase check on every candidate).
    Xapian::Query text_query(const std::vector<Unit>& us, bool title, bool all_required) {
        std::vector<Xapian::Query> qs;
        for (const Unit& u : us) qs.push_back(unit_query(u, title));
        if (abbreviations_ && !title && !all_required) expand_abbreviations(us, qs);
        Xapian::Query q(all_required ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, qs.begin(), qs.end());
        if (us.size() < 2 || title) return q;
        std::vector<Xapian::Query> pairs;
        scheme::BigramChain chain;
        auto add = [&](const std::string& pair) { pairs.emplace_back(w_.adjacency, Xapian::Query(pair)); };
        for (const Unit& u : us) {
            chain.feed(u.token, add);
            for (const Token& p : u.parts) chain.feed(p, add);
        }
        if (pairs.empty()) return q;
        if (!all_required) {
            // One flat OR: a document holding a pair holds both its syllables, so this matches
            // exactly what OR(syllables) does, with the same weights — but Xapian's matcher
            // can then skip a common syllable's long posting list once it cannot reach the
            // top hits (query latency, docs/performance.md).
            qs.insert(qs.end(), pairs.begin(), pairs.end());
            return Xapian::Query(Xapian::Query::OP_OR, qs.begin(), qs.end());
        }
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, q,
                             Xapian::Query(Xapian::Query::OP_OR, pairs.begin(), pairs.end()));
    }

    // Abbreviations, both ways, weighted below the literal words: an abbreviation also
    // matches its expansions as phrases ("HĐND" -> "hội đồng nhân dân"), and a run of
    // syllables that spells out a known abbreviation also matches the abbreviation.
    void expand_abbreviations(const std::vector<Unit>& us, std::vector<Xapian::Query>& qs) {
        for (std::size_t i = 0; i < us.size(); ++i) {
            const Token& t = us[i].token;
            const bool candidate = t.kind == TokenKind::abbreviation || analysis::looks_like_abbreviation(t.text) ||
                                   (t.kind == TokenKind::word && !text::is_syllable(t.folded));
            if (!candidate || !us[i].parts.empty()) continue;
            std::vector<Xapian::Query> alts{qs[i]};
            for (const std::string& expansion : abbreviations_->expansions(t.folded)) {
                std::vector<Unit> eu;
                analyzer_.analyze(expansion, [&](const Token& x) { eu.push_back({x, {}}); });
                if (eu.empty() || eu.size() > 12) continue;
                for (const Unit& u : eu) note_highlight(u);
                // A phrase of n syllables weighs about n terms and n-1 pairs (adjacency each):
                // scaled to w_.abbreviation of one term, below the literal abbreviation.
                const double size = static_cast<double>(eu.size()) + w_.adjacency * static_cast<double>(eu.size() - 1);
                alts.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, phrase_query(eu, false), w_.abbreviation / size);
            }
            if (alts.size() > 1) qs[i] = Xapian::Query(Xapian::Query::OP_OR, alts.begin(), alts.end());
        }
        constexpr std::size_t kMaxRun = 8;
        for (std::size_t a = 0; a + 1 < us.size(); ++a) {
            std::string key = us[a].token.folded;
            for (std::size_t b = a + 1; b < us.size() && b - a < kMaxRun; ++b) {
                if (!us[b].parts.empty() || us[b].token.position != us[b - 1].token.position + 1) break;
                key += ' ';
                key += us[b].token.folded;
                for (const std::string& abbr : abbreviations_->abbreviations(key))
                    // The other way round: the abbreviation stands for the whole run, weighted
                    // as w_.abbreviation of its syllables counted twice (a rare abbreviation's weight is
                    // already high, so the run's pair boosts are left out).
                    qs.emplace_back(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(scheme::term(scheme::kFolded, abbr)),
                                    w_.abbreviation * 2.0 * static_cast<double>(b - a + 1));
            }
        }
    }

    // A phrase: every syllable, and every adjacent pair as an indexed bigram (which is what
    // makes them a phrase); exact forms typed add weight.
    Xapian::Query phrase_query(const std::vector<Unit>& us, bool title) {
        if (us.size() == 1) return unit_query(us[0], title);
        std::vector<Xapian::Query> all, exact;
        for (const Unit& u : us) {
            all.push_back(unit_query(u, title));
            if (u.parts.empty() && scheme::has_exact(u.token))
                exact.emplace_back(w_.exact, Xapian::Query(title ? scheme::title_exact_term(u.token)
                                                                 : scheme::exact_term(u.token)));
        }
        scheme::BigramChain chain;
        auto add = [&](const std::string& pair) { all.emplace_back(w_.adjacency, Xapian::Query(pair)); };
        for (const Unit& u : us) {
            chain.feed(u.token, add);
            for (const Token& p : u.parts) chain.feed(p, add);
        }
        Xapian::Query phrase(Xapian::Query::OP_AND, all.begin(), all.end());
        if (exact.empty()) return phrase;
        return Xapian::Query(Xapian::Query::OP_AND_MAYBE, phrase,
                             Xapian::Query(Xapian::Query::OP_OR, exact.begin(), exact.end()));
    }

    static Role signed_role(Mod mod, Role positive) {
        if (mod == Mod::must_not) return positive == Role::filter ? Role::filter_not : Role::must_not;
        if (mod == Mod::must && positive == Role::should) return Role::must;
        return positive;
    }

    std::optional<Part> field_part(const Lexeme& l) {
        if (l.name == "title") {
            auto us = units(l.text);
            if (us.empty()) return std::nullopt;
            if (l.mod != Mod::must_not) for (const Unit& u : us) note_highlight(u);
            Xapian::Query q = l.field_phrase ? phrase_query(us, true) : text_query(us, true, true);
            return Part{q, signed_role(l.mod, Role::must)};
        }
        if (l.name == "source") {
            std::string key = scheme::source_key(l.text);
            if (key.empty()) return std::nullopt;
            return Part{Xapian::Query(scheme::term(scheme::kSource, key)), signed_role(l.mod, Role::filter)};
        }
        if (l.name == "id") return Part{Xapian::Query(scheme::id_term(l.text)), signed_role(l.mod, Role::filter)};
        if (l.name == "author") {
            std::vector<Xapian::Query> qs;
            analyzer_.analyze(l.text, [&](const Token& t) { qs.emplace_back(scheme::term(scheme::kAuthor, t.folded)); });
            if (qs.empty()) return std::nullopt;
            return Part{Xapian::Query(Xapian::Query::OP_AND, qs.begin(), qs.end()), signed_role(l.mod, Role::filter)};
        }
        if (l.name == "year" || l.name == "date") {
            std::string v = l.text;
            std::string lo, hi;
            std::size_t dots = v.find("..");
            if (dots == std::string::npos) {
                lo = scheme::date_value(v);
                hi = scheme::date_value_end(v);
            } else {
                std::string a = v.substr(0, dots), b = v.substr(dots + 2);
                lo = a.empty() ? std::string(14, '0') : scheme::date_value(a);
                hi = b.empty() ? std::string(14, '9') : scheme::date_value_end(b);
            }
            if (lo.empty() || hi.empty()) {
                out_.warnings.push_back("cannot read the date '" + v + "' (use 2019, 2019-05, 2018..2020); ignored");
                return std::nullopt;
            }
            return Part{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, scheme::kDateSlot, lo, hi),
                        signed_role(l.mod, Role::filter)};
        }
        return std::nullopt;
    }

    std::vector<Part> sequence(const std::vector<Lexeme>& lex, std::size_t& i, int depth) {
        std::vector<Part> parts;
        std::string run;
        bool pending_or = false, pending_not = false, pending_and = false;
        auto add = [&](std::optional<Part> p) {
            if (!p) return;
            if (pending_not) {
                p->role = p->role == Role::filter ? Role::filter_not : Role::must_not;
                pending_not = false;
            }
            if (pending_and) {
                if (p->role == Role::should) p->role = Role::must;
                if (!parts.empty() && parts.back().role == Role::should) parts.back().role = Role::must;
                pending_and = false;
            }
            if (pending_or && !parts.empty()) {
                Part& prev = parts.back();
                bool positive = (prev.role == Role::should || prev.role == Role::must) &&
                                (p->role == Role::should || p->role == Role::must);
                if (positive) {
                    Role r = (prev.role == Role::must || p->role == Role::must) ? Role::must : Role::should;
                    prev = Part{Xapian::Query(Xapian::Query::OP_OR, prev.query, p->query), r};
                    pending_or = false;
                    return;
                }
                out_.warnings.push_back("OR between a filter or exclusion and a term is not supported; read as AND");
            }
            pending_or = false;
            parts.push_back(*p);
        };
        auto flush = [&]() {
            if (run.empty()) return;
            auto us = units(run);
            run.clear();
            if (us.empty()) return;
            for (const Unit& u : us) note_highlight(u);
            add(Part{text_query(us, false, false), Role::should});
        };
        while (i < lex.size()) {
            const Lexeme& l = lex[i];
            if (l.type == Lexeme::rparen) {
                if (depth > 0) break;
                out_.warnings.push_back("unbalanced ')' ignored");
                ++i;
                continue;
            }
            ++i;
            switch (l.type) {
                case Lexeme::word:
                    if (l.mod == Mod::none && !pending_not) {
                        if (!run.empty()) run.push_back(' ');
                        run += l.text;
                        break;
                    }
                    flush();
                    {
                        auto us = units(l.text);
                        if (us.empty()) break;
                        Mod mod = pending_not ? Mod::must_not : l.mod;
                        pending_not = false;
                        if (mod != Mod::must_not) for (const Unit& u : us) note_highlight(u);
                        add(Part{mod == Mod::must_not ? text_query(us, false, false) : text_query(us, false, true),
                                 signed_role(mod, Role::should)});
                    }
                    break;
                case Lexeme::phrase: {
                    flush();
                    auto us = units(l.text);
                    if (us.empty()) break;
                    if (l.mod != Mod::must_not) for (const Unit& u : us) note_highlight(u);
                    add(Part{phrase_query(us, false), signed_role(l.mod, Role::must)});
                    break;
                }
                case Lexeme::field:
                    flush();
                    add(field_part(l));
                    break;
                case Lexeme::lparen: {
                    flush();
                    if (depth + 1 > kMaxDepth) {
                        if (depth + 1 == kMaxDepth + 1)
                            out_.warnings.push_back("parentheses nested too deeply; inner ones ignored");
                        break;
                    }
                    auto inner = sequence(lex, i, depth + 1);
                    if (i < lex.size() && lex[i].type == Lexeme::rparen)
                        ++i;
                    else
                        out_.warnings.push_back("unbalanced '(': group runs to the end of the query");
                    if (inner.empty()) break;
                    bool any_must = std::any_of(inner.begin(), inner.end(), [](const Part& p) { return p.role == Role::must; });
                    Xapian::Query q = combine(inner);
                    if (q.empty()) break;
                    add(Part{q, signed_role(l.mod, any_must ? Role::must : Role::should)});
                    break;
                }
                case Lexeme::op_or:
                    flush();
                    if (parts.empty())
                        out_.warnings.push_back("'OR' with nothing before it ignored");
                    else
                        pending_or = true;
                    break;
                case Lexeme::op_and:
                    flush();
                    if (parts.empty())
                        out_.warnings.push_back("'AND' with nothing before it ignored");
                    else
                        pending_and = true;
                    break;
                case Lexeme::op_not:
                    flush();
                    pending_not = true;
                    break;
                case Lexeme::rparen:
                    break;
            }
        }
        flush();
        if (pending_or) out_.warnings.push_back("'OR' with nothing after it ignored");
        if (pending_not) out_.warnings.push_back("'NOT' with nothing after it ignored");
        return parts;
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

    const Analyzer& analyzer_;
    const QueryWeights& w_;
    BuiltQuery& out_;
    std::size_t syllables_ = 0;
    bool truncated_ = false;
    const AbbreviationLookup* abbreviations_ = nullptr;
};

}  // namespace

BuiltQuery build_query(std::string_view text, const Analyzer& analyzer, const QueryWeights& weights,
                       const AbbreviationLookup* abbreviations) {
    BuiltQuery out;
    std::size_t repaired = 0;
    std::string q = repair_utf8(text, &repaired);
    if (repaired) out.warnings.push_back("invalid UTF-8 in the query was replaced");
    auto lex = Lexer(q, out.warnings).run();
    out.query = Builder(analyzer, weights, out, abbreviations).build(lex);
    out.empty = out.query.empty();
    return out;
}

}  // namespace vnsearch::detail
