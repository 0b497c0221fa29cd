// The query syntax: lexer, then the tree (see query.h). Linear in the query's length: one
// scan for the lexemes, one analysis per run of text, and caps on words, nodes and depth.
#include "search/query.h"

#include <algorithm>
#include <optional>

#include "index/term_scheme.h"
#include "text/normalize.h"
#include "text/utf8.h"
#include "vnsearch/text.h"

namespace vnsearch::detail {
namespace {

enum class Mod { none, must, must_not };

struct Lexeme {
    enum Type { word, phrase, field, lparen, rparen, op_or, op_and, op_not } type = word;
    std::size_t begin = 0, end = 0;  // the word, the phrase's content, the field's value
    std::string name;                // Type field: the field name, lowercase
    bool quoted = false;             // Type field: a quoted value
    Mod mod = Mod::none;
    bool unknown_field = false;      // Type word: "foo:bar" with an unknown field name
};

/// Length of the white space at s[i] (0: none). White space is what the text layer calls
/// space: ASCII and Unicode spaces, line breaks and other control characters.
std::size_t space_len(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return (c <= ' ' || c == 0x7F) ? 1 : 0;
    std::size_t len = 0;
    bool invalid = false;
    const char32_t cp = text::decode_utf8(reinterpret_cast<const unsigned char*>(s.data()) + i, s.size() - i, len, invalid);
    return !invalid && text::classify(cp) == text::kSpace ? len : 0;
}

/// Opening and closing quotes: ASCII ", and the curly “ ” (U+201C/U+201D).
std::size_t quote_len(std::string_view s, std::size_t i) {
    if (s[i] == '"') return 1;
    if (s.substr(i, 3) == "\xE2\x80\x9C" || s.substr(i, 3) == "\xE2\x80\x9D") return 3;
    return 0;
}

bool blank_value(std::string_view v) { return v.find_first_not_of(" \t\r\n") == std::string_view::npos; }

bool known_field(std::string_view name) {
    static constexpr std::string_view kFields[] = {"title", "source", "author", "id", "year", "date"};
    return std::find(std::begin(kFields), std::end(kFields), name) != std::end(kFields) || scheme::is_place_field(name);
}

class Warnings {
  public:
    explicit Warnings(std::vector<std::string>& out) : out_(out) {}
    void add(std::string w) {
        if (out_.size() >= QueryLimits::kMaxWarnings) return;
        if (std::find(out_.begin(), out_.end(), w) == out_.end()) out_.push_back(std::move(w));
    }

  private:
    std::vector<std::string>& out_;
};

class Lexer {
  public:
    Lexer(std::string_view q, Warnings& warnings, const FieldLookup& custom)
        : q_(q), warnings_(warnings), custom_(custom) {}

    std::vector<Lexeme> run() {
        std::vector<Lexeme> out;
        std::size_t i = 0;
        while (i < q_.size()) {
            if (std::size_t n = space_len(q_, i)) {
                i += n;
                continue;
            }
            Mod mod = Mod::none;
            if (q_[i] == '-' || q_[i] == '+') {
                if (i + 1 >= q_.size() || space_len(q_, i + 1)) {
                    warnings_.add(std::string("ignored a lone '") + q_[i] + "'");
                    ++i;
                    continue;
                }
                mod = q_[i] == '-' ? Mod::must_not : Mod::must;
                ++i;
            }
            if (std::size_t ql = quote_len(q_, i)) {
                Lexeme l = make(Lexeme::phrase, i, i, mod);
                read_phrase(i, ql, l);
                out.push_back(std::move(l));
                continue;
            }
            if (q_[i] == '(' || q_[i] == ')') {
                out.push_back(make(q_[i] == '(' ? Lexeme::lparen : Lexeme::rparen, i, i + 1, mod));
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < q_.size() && !space_len(q_, j) && !quote_len(q_, j) && q_[j] != '(' && q_[j] != ')') ++j;
            const std::string_view word = q_.substr(i, j - i);
            Lexeme l = make(Lexeme::word, i, j, mod);
            i = j;
            if (mod == Mod::none && (word == "OR" || word == "||" || word == "AND" || word == "&&" || word == "NOT")) {
                l.type = word == "NOT" ? Lexeme::op_not : (word == "OR" || word == "||") ? Lexeme::op_or : Lexeme::op_and;
                out.push_back(l);
                continue;
            }
            const std::size_t colon = word.find(':');
            const auto name_char = [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            };
            if (colon != std::string_view::npos && colon > 0 && name_char(word[0]) && !(word[0] >= '0' && word[0] <= '9') &&
                word[0] != '_' && std::all_of(word.begin(), word.begin() + static_cast<std::ptrdiff_t>(colon), name_char)) {
                std::string name(word.substr(0, colon));
                for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                const std::string custom = known_field(name) ? std::string() : scheme::field_name(name);
                if (known_field(name) || (!custom.empty() && custom_ && custom_(custom))) {
                    l.type = Lexeme::field;
                    l.name = name;
                    l.begin = l.begin + colon + 1;
                    if (l.begin == l.end && i < q_.size()) {
                        if (std::size_t ql = quote_len(q_, i)) {
                            read_phrase(i, ql, l);
                            l.quoted = true;
                        }
                    }
                    if (l.begin == l.end) {
                        warnings_.add("field '" + name + ":' has no value; ignored");
                        continue;
                    }
                    out.push_back(std::move(l));
                    continue;
                }
                warnings_.add("unknown field '" + name + ":'; searched as text");
                l.unknown_field = true;
            }
            out.push_back(std::move(l));
        }
        return out;
    }

  private:
    static Lexeme make(Lexeme::Type type, std::size_t begin, std::size_t end, Mod mod) {
        Lexeme l;
        l.type = type;
        l.begin = begin;
        l.end = end;
        l.mod = mod;
        return l;
    }

    void read_phrase(std::size_t& i, std::size_t open_len, Lexeme& l) {
        std::size_t start = i + open_len, j = start;
        while (j < q_.size() && !quote_len(q_, j)) ++j;
        l.begin = start;
        l.end = j;
        if (j >= q_.size()) {
            warnings_.add("unbalanced quote: phrase runs to the end of the query");
            i = j;
        } else {
            i = j + quote_len(q_, j);
        }
    }

    std::string_view q_;
    Warnings& warnings_;
    const FieldLookup& custom_;
};

Role signed_role(Mod mod, Role positive) {
    if (mod == Mod::must_not) return positive == Role::filter ? Role::filter_not : Role::must_not;
    if (mod == Mod::must && positive == Role::should) return Role::must;
    return positive;
}

/// Builds the tree from the lexemes, analyzing each run of text once.
class TreeBuilder {
  public:
    TreeBuilder(std::string_view q, const Analyzer& analyzer, ParsedQuery& out, Warnings& warnings)
        : q_(q), analyzer_(analyzer), out_(out), warnings_(warnings) {}

    std::vector<QueryNode> build(const std::vector<Lexeme>& lex) {
        std::size_t i = 0;
        auto nodes = sequence(lex, i, 0);
        if (i < lex.size()) warnings_.add("unbalanced ')' ignored");
        return nodes;
    }

  private:
    /// The words of q_[begin, end): its tokens, parts attached to their compound.
    std::vector<QueryWord> words(std::size_t begin, std::size_t end) {
        std::vector<QueryWord> ws;
        if (out_.words >= QueryLimits::kMaxWords) {
            note_truncated();
            return ws;
        }
        std::uint32_t last_position = 0;
        bool kept = false;  // the last whole token was kept (its parts follow it)
        analyzer_.analyze(q_.substr(begin, end - begin), [&](const Token& t) {
            if (t.part) {
                if (kept) {
                    Token p = t;
                    p.start += begin;
                    p.end += begin;
                    ws.back().parts.push_back(std::move(p));
                }
                return;
            }
            kept = out_.words < QueryLimits::kMaxWords;
            if (!kept) {
                note_truncated();
                return;
            }
            ++out_.words;
            QueryWord w;
            w.token = t;
            w.token.start += begin;
            w.token.end += begin;
            w.follows_previous = !ws.empty() && t.position == last_position + 1;
            last_position = t.position;
            ws.push_back(std::move(w));
        });
        return ws;
    }

    void note_truncated() {
        warnings_.add("query too long: only its first " + std::to_string(QueryLimits::kMaxWords) + " words are used");
    }

    bool room() {
        if (nodes_ < QueryLimits::kMaxNodes) {
            ++nodes_;
            return true;
        }
        note_truncated();
        return false;
    }

    std::optional<QueryNode> text_node(std::size_t begin, std::size_t end, QueryNode::Kind kind, Role role) {
        if (!room()) return std::nullopt;
        QueryNode n;
        n.kind = kind;
        n.role = role;
        n.begin = begin;
        n.end = end;
        n.words = words(begin, end);
        if (n.words.empty()) return std::nullopt;
        return n;
    }

    std::optional<QueryNode> field_node(const Lexeme& l) {
        if (!room()) return std::nullopt;
        QueryNode n;
        n.kind = QueryNode::Kind::field;
        n.field = l.name;
        n.value = std::string(q_.substr(l.begin, l.end - l.begin));
        n.quoted = l.quoted;
        n.begin = l.begin;
        n.end = l.end;
        std::string error;
        if (!complete_field(n, error)) {
            warnings_.add(error + "; ignored");
            return std::nullopt;
        }
        n.role = signed_role(l.mod, n.field == "title" || n.custom ? Role::must : Role::filter);
        return n;
    }

  public:
    /// Reads a field node's value (words, date range); false with `error` when unusable.
    bool complete_field(QueryNode& n, std::string& error) {
        n.custom = !known_field(n.field);
        if (n.field == "title" || n.field == "author" || n.custom) {
            n.words = words(n.begin, n.end);
            if (n.words.empty()) {
                error = "field '" + n.field + ":' has no words to look for";
                return false;
            }
        }
        if (scheme::is_place_field(n.field) && scheme::place_filter_units(n.field, n.value).empty()) {
            error = scheme::place_filter_error(n.field, n.value);
            return false;
        }
        if ((n.field == "year" || n.field == "date") && !read_range(n)) {
            error = "cannot read the date '" + n.value + "' (use 2019, 2019-05, 2018..2020)";
            return false;
        }
        // Filters that could match nothing: said, not dropped in silence.
        if (!n.range_begin.empty() && !n.range_end.empty() && n.range_begin > n.range_end) {
            error = "the dates " + n.value + " end before they start";
            return false;
        }
        if (n.field == "source" && scheme::source_key(n.value).empty()) {
            error = "field 'source:' names no source (no letters or digits)";
            return false;
        }
        return true;
    }

  private:
    /// A date or a range of dates: 2019, 2019-05, 2018..2020, ..2020, 2019-05-01..
    static bool read_range(QueryNode& n) {
        const std::string& v = n.value;
        const std::size_t dots = v.find("..");
        if (dots == std::string::npos) {
            n.range_begin = scheme::date_value(v);
            n.range_end = scheme::date_value_end(v);
        } else {
            const std::string a = v.substr(0, dots), b = v.substr(dots + 2);
            n.range_begin = a.empty() ? std::string(14, '0') : scheme::date_value(a);
            n.range_end = b.empty() ? std::string(14, '9') : scheme::date_value_end(b);
        }
        return !n.range_begin.empty() && !n.range_end.empty();
    }

    std::vector<QueryNode> sequence(const std::vector<Lexeme>& lex, std::size_t& i, int depth) {
        std::vector<QueryNode> nodes;
        std::size_t run_begin = 0, run_end = 0;
        bool in_run = false;
        bool pending_or = false, pending_not = false, pending_and = false;
        auto add = [&](std::optional<QueryNode> p) {
            if (!p) return;
            if (pending_not) {
                p->role = p->role == Role::filter ? Role::filter_not : Role::must_not;
                pending_not = false;
            }
            if (pending_and) {
                if (p->role == Role::should) p->role = Role::must;
                if (!nodes.empty() && nodes.back().role == Role::should) nodes.back().role = Role::must;
                pending_and = false;
            }
            if (pending_or && !nodes.empty()) {
                QueryNode& prev = nodes.back();
                pending_or = false;
                if (ranked(prev.role) && ranked(p->role)) {
                    const Role r = (prev.role == Role::must || p->role == Role::must) ? Role::must : Role::should;
                    if (prev.kind != QueryNode::Kind::either) {
                        QueryNode e;
                        e.kind = QueryNode::Kind::either;
                        e.begin = prev.begin;
                        e.children.push_back(std::move(prev));
                        prev = std::move(e);
                    }
                    prev.role = r;
                    prev.end = p->end;
                    prev.children.push_back(std::move(*p));
                    return;
                }
                warnings_.add("OR between a filter or exclusion and a term is not supported; read as AND");
            }
            pending_or = false;
            nodes.push_back(std::move(*p));
        };
        auto flush = [&]() {
            if (!in_run) return;
            in_run = false;
            add(text_node(run_begin, run_end, QueryNode::Kind::text, Role::should));
        };
        while (i < lex.size()) {
            const Lexeme& l = lex[i];
            if (l.type == Lexeme::rparen) {
                if (depth > 0) break;
                warnings_.add("unbalanced ')' ignored");
                ++i;
                continue;
            }
            ++i;
            switch (l.type) {
                case Lexeme::word:
                    if (l.mod == Mod::none && !pending_not) {
                        if (!in_run) run_begin = l.begin;
                        in_run = true;
                        run_end = l.end;
                        break;
                    }
                    flush();
                    {
                        const Mod mod = pending_not ? Mod::must_not : l.mod;
                        pending_not = false;
                        add(text_node(l.begin, l.end, QueryNode::Kind::text, signed_role(mod, Role::should)));
                    }
                    break;
                case Lexeme::phrase:
                    flush();
                    add(text_node(l.begin, l.end, QueryNode::Kind::phrase, signed_role(l.mod, Role::must)));
                    break;
                case Lexeme::field:
                    flush();
                    add(field_node(l));
                    break;
                case Lexeme::lparen: {
                    flush();
                    if (depth + 1 > QueryLimits::kMaxDepth) {
                        warnings_.add("parentheses nested too deeply; inner ones ignored");
                        break;
                    }
                    const std::size_t open = l.begin;
                    auto inner = sequence(lex, i, depth + 1);
                    std::size_t close = q_.size();
                    if (i < lex.size() && lex[i].type == Lexeme::rparen) {
                        close = lex[i].end;
                        ++i;
                    } else {
                        warnings_.add("unbalanced '(': group runs to the end of the query");
                    }
                    if (inner.empty() || !room()) break;
                    const bool any_must =
                        std::any_of(inner.begin(), inner.end(), [](const QueryNode& n) { return n.role == Role::must; });
                    QueryNode g;
                    g.kind = QueryNode::Kind::group;
                    g.begin = open;
                    g.end = close;
                    g.children = std::move(inner);
                    g.role = signed_role(l.mod, any_must ? Role::must : Role::should);
                    add(std::move(g));
                    break;
                }
                case Lexeme::op_or:
                    flush();
                    if (nodes.empty())
                        warnings_.add("'OR' with nothing before it ignored");
                    else
                        pending_or = true;
                    break;
                case Lexeme::op_and:
                    flush();
                    if (nodes.empty())
                        warnings_.add("'AND' with nothing before it ignored");
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
        if (pending_or) warnings_.add("'OR' with nothing after it ignored");
        if (pending_and) warnings_.add("'AND' with nothing after it ignored");
        if (pending_not) warnings_.add("'NOT' with nothing after it ignored");
        return nodes;
    }

    std::string_view q_;
    const Analyzer& analyzer_;
    ParsedQuery& out_;
    Warnings& warnings_;
    std::size_t nodes_ = 0;
};

/// Sets QueryWord::typed_after_previous over the whole tree, in query order.
void mark_typed(std::vector<QueryNode>& nodes, std::string_view text, std::size_t& last_end, bool& have_last) {
    for (QueryNode& n : nodes) {
        for (QueryWord& w : n.words) {
            bool spaces = have_last && last_end <= w.token.start;
            for (std::size_t i = last_end; spaces && i < w.token.start;) {
                const std::size_t len = space_len(text, i);
                spaces = len > 0;
                i += len;
            }
            w.typed_after_previous = spaces && (w.follows_previous || last_end < w.token.start);
            last_end = w.token.end;
            have_last = true;
        }
        mark_typed(n.children, text, last_end, have_last);
    }
}

void mark_typed_runs(ParsedQuery& q) {
    std::size_t last_end = 0;
    bool have_last = false;
    mark_typed(q.nodes, q.text, last_end, have_last);
}

}  // namespace

ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer, const FieldLookup& custom_fields) {
    ParsedQuery out;
    Warnings warnings(out.warnings);
    std::size_t repaired = 0;
    out.text = repair_utf8(query, &repaired);
    if (repaired) warnings.add("invalid UTF-8 in the query was replaced");
    auto lex = Lexer(out.text, warnings, custom_fields).run();
    out.nodes = TreeBuilder(out.text, analyzer, out, warnings).build(lex);
    mark_typed_runs(out);
    return out;
}

std::optional<QueryNode> filter_node(std::string_view field, std::string_view value, const Analyzer& analyzer,
                                     std::string& error) {
    std::string name(field);
    for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (!known_field(name)) name = scheme::field_name(name);
    if (name.empty()) {
        error = "filter field '" + std::string(field) +
                "' is not a field name (title, source, author, id, year, date, province, old_province, old_district, or a "
                "custom field: a letter, then letters, "
                "digits or '_')";
        return std::nullopt;
    }
    // The value is parsed on its own, as the text of a one-node query (offsets point there).
    ParsedQuery holder;
    std::vector<std::string> ignored;
    Warnings warnings(ignored);
    holder.text = repair_utf8(value);
    QueryNode n;
    n.kind = QueryNode::Kind::field;
    n.field = name;
    n.value = holder.text;
    n.quoted = true;
    n.begin = 0;
    n.end = holder.text.size();
    n.role = Role::filter;
    // A value that spells no term would drop the filter and let everything through
    // (complete_field also refuses a source without letters or digits, and dates that end
    // before they start).
    if (blank_value(n.value)) {
        error = "filter '" + name + "' has an empty value";
        return std::nullopt;
    }
    TreeBuilder builder(holder.text, analyzer, holder, warnings);
    if (!builder.complete_field(n, error)) return std::nullopt;
    return n;
}

namespace {

std::string_view role_name(Role r) {
    switch (r) {
        case Role::should: return "should";
        case Role::must: return "must";
        case Role::must_not: return "must_not";
        case Role::filter: return "filter";
        case Role::filter_not: return "filter_not";
    }
    return "";
}

void describe_nodes(const std::vector<QueryNode>& nodes, std::string& out) {
    for (const QueryNode& n : nodes) {
        if (&n != &nodes.front()) out += ' ';
        out += role_name(n.role);
        out += ':';
        switch (n.kind) {
            case QueryNode::Kind::text: out += "text"; break;
            case QueryNode::Kind::phrase: out += "phrase"; break;
            case QueryNode::Kind::field: out += n.field + (n.quoted ? "=\"" + n.value + "\"" : "=" + n.value); break;
            case QueryNode::Kind::group: out += "group"; break;
            case QueryNode::Kind::either: out += "either"; break;
        }
        if (!n.words.empty()) {
            out += '[';
            for (const QueryWord& w : n.words) {
                if (&w != &n.words.front()) out += w.follows_previous ? " " : " | ";
                out += w.token.exact;
                if (!w.parts.empty()) {
                    out += '{';
                    for (const Token& p : w.parts) out += (&p == &w.parts.front() ? "" : ",") + p.exact;
                    out += '}';
                }
            }
            out += ']';
        }
        if (!n.children.empty()) {
            out += '(';
            describe_nodes(n.children, out);
            out += ')';
        }
    }
}

}  // namespace

std::string describe(const ParsedQuery& query) {
    std::string out;
    describe_nodes(query.nodes, out);
    return out;
}

std::string apply_edits(std::string_view text, std::vector<TextEdit> edits) {
    std::sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) { return a.start < b.start; });
    std::string out;
    out.reserve(text.size() + 16);
    std::size_t cur = 0;
    for (const TextEdit& e : edits) {
        if (e.start < cur || e.end > text.size()) continue;  // overlapping: keep the first
        out.append(text.substr(cur, e.start - cur));
        out += e.text;
        cur = e.end;
    }
    out.append(text.substr(cur));
    return out;
}

}  // namespace vnsearch::detail
