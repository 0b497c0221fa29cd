// Internal: THE query syntax — the one place that knows quotes, fields, OR/AND/NOT, -/+,
// parentheses and ranges. A query is parsed once per search into a small tree whose
// leaves are analyzed syllables (exact form, folded form, kind, offsets in the query text);
// everything else derives from that tree: the Xapian query (query_builder.h), the
// Telex/VNI reading and the diacritic suggestion (suggest.h), the snippet terms
// (snippet.h) and the warnings. No other file re-detects operators, fields or quotes.
//
// The grammar (docs/guide.md):
//   free text            words side by side: a ranked OR, adjacent words boost each other
//   "quoted phrase"      required phrase (ASCII quotes or “curly” ones)
//   -x / +x / NOT x      x excluded / required / excluded   (x: a word, phrase, group)
//   a OR b, a || b       either neighbouring node;  a AND b, a && b: both required
//   ( ... )              grouping (at most 16 deep)
//   title:  source:  author:  id:  year:  date:   a field; its value is one word or a
//                        quoted phrase; year/date take 2019, 2019-05, 2018..2020, ..2020
//   label:  NAME:        a custom field (Document::fields) the index holds: every word of
//                        the value required in that field, marks preferred like title:
// Malformed input never throws: it is understood as well as possible, with a warning.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/analysis.h"

namespace vnsearch::detail {

/// Limits that keep every pass over a query linear in its length.
struct QueryLimits {
    static constexpr std::size_t kMaxWords = 64;     ///< analyzed words used, in all
    static constexpr int kMaxDepth = 16;             ///< nested parentheses
    static constexpr std::size_t kMaxNodes = 256;    ///< nodes (words, phrases, fields, groups)
    static constexpr std::size_t kMaxWarnings = 16;  ///< warnings kept
};

/// One analyzed word of the query: a syllable, or a compound (date, code) with its parts.
/// Offsets (token.start/end, parts' too) are byte offsets into ParsedQuery::text.
struct QueryWord {
    Token token;
    std::vector<Token> parts;
    /// Adjacent to the word before it in the same node (no gap, same run of text):
    /// such pairs get the adjacency boost and are scored together by suggestions.
    bool follows_previous = false;
    /// Only white space stands between this word and the query's word before it, in this
    /// node or the one before ("title:chi lang"): the words were typed as one run.
    bool typed_after_previous = false;
};

/// How a node takes part in the match.
enum class Role {
    should,      ///< ranked, optional (free text)
    must,        ///< required and ranked (+x, phrases, title:, AND)
    must_not,    ///< excluded (-x, NOT x)
    filter,      ///< required, not ranked (source:, id:, author:, year:, date:)
    filter_not,  ///< excluded filter (-source:…)
};

/// Whether a node of this role is ranked (should, must).
inline bool ranked(Role r) { return r == Role::should || r == Role::must; }

struct QueryNode {
    enum class Kind {
        text,    ///< free text (words); Role::must: every word required
        phrase,  ///< "quoted": every word and every adjacent pair required
        field,   ///< name:value
        group,   ///< ( children )
        either,  ///< children joined by OR
    };
    Kind kind = Kind::text;
    Role role = Role::should;
    std::string field;        ///< Kind::field: title, source, author, id, year, date, or a custom field
    std::string value;        ///< Kind::field: the value as typed (quotes removed)
    bool quoted = false;      ///< Kind::field: the value was a quoted phrase
    /// year:/date: fields: the range as date slot values (scheme::date_value), inclusive.
    std::string range_begin, range_end;
    std::size_t begin = 0;    ///< byte range of the node's text (a field's value) in the query
    std::size_t end = 0;
    bool custom = false;      ///< Kind::field: a custom field (scheme::field_name)
    std::vector<QueryWord> words;     ///< text, phrase, and title:/author:/custom fields
    std::vector<QueryNode> children;  ///< group, either
};

struct ParsedQuery {
    std::string text;  ///< the query as parsed (invalid UTF-8 replaced): offsets point here
    std::vector<QueryNode> nodes;  ///< the top-level sequence
    std::vector<std::string> warnings;
    std::size_t words = 0;  ///< analyzed words kept (≤ QueryLimits::kMaxWords)

    /// Whether a node's words are free text a user typed to be matched in any spelling
    /// (free text, phrases and title: values, excluded ones too): the words a suggestion may
    /// respell. Field values such as id:, source:, author:, dates never.
    static bool is_free_text(const QueryNode& n) {
        return n.kind == QueryNode::Kind::text || n.kind == QueryNode::Kind::phrase ||
               (n.kind == QueryNode::Kind::field && n.field == "title");
    }
    /// Calls f(node, excluded) for every node, depth first, in query order; `excluded`:
    /// the node or a group around it is excluded (-x, NOT x), so its words are not looked for.
    template <class F>
    void visit(F&& f) const {
        for (const QueryNode& n : nodes) visit_node(n, false, f);
    }

    /// Calls f(word, node) for each word of the free text that is looked for (not excluded):
    /// the words snippets highlight.
    template <class F>
    void for_each_wanted_word(F&& f) const {
        visit([&](const QueryNode& n, bool excluded) {
            if (excluded || !is_free_text(n)) return;
            for (const QueryWord& w : n.words) f(w, n);
        });
    }

  private:
    template <class F>
    static void visit_node(const QueryNode& n, bool excluded, F& f) {
        excluded = excluded || n.role == Role::must_not || n.role == Role::filter_not;
        f(n, excluded);
        for (const QueryNode& c : n.children) visit_node(c, excluded, f);
    }
};

/// Whether the index holds custom field `name` (lowercase, scheme::field_name): `name:`
/// in a query is then that field; other unknown names are searched as text.
using FieldLookup = std::function<bool(const std::string& name)>;

/// Parses `query` with `analyzer` (the indexing analyzer: same words as the documents).
ParsedQuery parse_query(std::string_view query, const Analyzer& analyzer, const FieldLookup& custom_fields = {});

/// A structured filter (SearchOptions::filters) as a Role::filter field node, read as
/// `field:"value"` is in a query but with the value taken whole (spaces, quotes and
/// colons are part of it). nullopt, with `error` set, for a field name that is neither
/// built-in nor a custom field name, an empty value, or a date that cannot be read.
std::optional<QueryNode> filter_node(std::string_view field, std::string_view value, const Analyzer& analyzer,
                                     std::string& error);

/// A compact description of the tree, for tests and debugging:
/// `should:text[chi lang] must:phrase[nghị quyết 22] filter:id=x either(...)`.
std::string describe(const ParsedQuery& query);

/// The query's text with some byte ranges replaced (ranges must not overlap).
struct TextEdit {
    std::size_t start = 0, end = 0;
    std::string text;
};
std::string apply_edits(std::string_view text, std::vector<TextEdit> edits);

}  // namespace vnsearch::detail
