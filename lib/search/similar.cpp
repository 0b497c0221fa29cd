#include "search/similar.h"

#include <algorithm>

#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "vnsearch/error.h"

namespace vnsearch::detail {

namespace {

/// Only the topic families enter the expansion: folded syllables and bigrams (scheme.h).
/// Exact forms would count each marked syllable twice; boolean id/source/year terms and
/// title-only and author terms say nothing about the topic that the body families do not.
/// A term in fewer than `min_termfreq` documents is left out too: with one relevant
/// document the ESet ranks the rarest terms first, and a term only this document holds
/// (a name, most of its bigrams) finds no neighbour at all.
class TopicTerms : public Xapian::ExpandDecider {
  public:
    TopicTerms(const Xapian::Database& db, Xapian::doccount min_termfreq) : db_(db), min_(min_termfreq) {}
    bool operator()(const std::string& term) const override {
        return scheme::is_topic_term(term) && db_.get_termfreq(term) >= min_;
    }

  private:
    const Xapian::Database& db_;
    Xapian::doccount min_;
};

}  // namespace

SimilarQuery similar_query(const Xapian::Database& db, std::string_view id, const SimilarParameters& params) {
    const std::string id_term = scheme::id_term(id);
    Xapian::PostingIterator p = db.postlist_begin(id_term);
    if (p == db.postlist_end(id_term)) throw NotFoundError("no document with id \"" + std::string(id) + "\"");
    SimilarQuery sq;
    sq.docid = *p;
    sq.doclength = db.get_doclength(sq.docid);
    Document stored = stored_document(db.get_document(sq.docid));
    sq.title = std::move(stored.title);
    sq.body = std::move(stored.body);

    // Relevance feedback with one relevant document: the ESet ranks its terms by how
    // often they occur in it (titles count kTitleWdf times) against how often in the index.
    Xapian::Enquire enquire(db);
    Xapian::RSet rset;
    rset.add_document(sq.docid);
    enquire.set_expansion_scheme(params.expansion_scheme);
    const Xapian::doccount min_termfreq =
        std::clamp<Xapian::doccount>(db.get_doccount() / params.docs_per_min_termfreq, 2, std::max<Xapian::doccount>(2, params.min_termfreq));
    const TopicTerms decider(db, min_termfreq);
    const Xapian::ESet eset = enquire.get_eset(params.terms, rset, &decider);
    // A neighbour shares at least one of the terms in at most boost_fraction of the
    // documents; the commoner terms only add to its score (AND_MAYBE), so the matcher never
    // walks their long posting lists for documents sharing nothing rarer.
    std::vector<Xapian::Query> parts, common;
    const double common_limit = params.boost_fraction * static_cast<double>(db.get_doccount());
    for (auto it = eset.begin(); it != eset.end(); ++it) {
        sq.terms.push_back(*it);
        const bool is_common = params.boost_fraction > 0 && static_cast<double>(db.get_termfreq(*it)) > common_limit;
        (is_common ? common : parts).emplace_back(*it);
    }
    if (parts.empty()) parts.swap(common);  // every term common: the plain OR
    if (parts.empty()) return sq;
    Xapian::Query any(Xapian::Query::OP_OR, parts.begin(), parts.end());
    if (!common.empty())
        any = Xapian::Query(Xapian::Query::OP_AND_MAYBE, any, Xapian::Query(Xapian::Query::OP_OR, common.begin(), common.end()));
    sq.query = Xapian::Query(Xapian::Query::OP_AND_NOT, any, Xapian::Query(id_term));
    return sq;
}

SnippetTerms similar_snippet_terms(const std::vector<std::string>& terms) {
    SnippetTerms st;
    auto id_of = [&](std::string_view folded) {
        auto [it, fresh] = st.ids.try_emplace(std::string(folded), static_cast<std::uint32_t>(st.terms.size()));
        if (fresh) {
            st.terms.emplace_back();
            st.terms.back().any_form = true;  // every spelling of a shared syllable is shown
        }
        return it->second;
    };
    for (const std::string& t : terms) {
        const auto [first, second] = scheme::bigram_parts(t);
        if (first.empty() && second.empty()) {
            id_of(t);
        } else {
            const std::uint32_t a = id_of(first), b = id_of(second);
            st.pairs.insert(std::uint64_t{a} << 32 | b);
        }
    }
    return st;
}

}  // namespace vnsearch::detail
