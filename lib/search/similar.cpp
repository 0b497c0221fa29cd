#include "search/similar.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "vnsearch/error.h"

namespace vnsearch::detail {

namespace {

/// Bo1, the Bose-Einstein model of divergence from randomness, as Xapian's Bo1EWeight weighs a
/// term for a relevance set of one document: r log2((1 + m) / m) + log2(1 + m), where r is the
/// term's wdf in the document and m its collection frequency over the number of documents.
double bo1(double wdf, double collection_freq, double documents) {
    const double m = collection_freq / documents;
    return wdf * std::log2((1.0 + m) / m) + std::log2(1.0 + m);
}

/// The better of two expansion terms: the higher weight, then the lexically smaller term.
bool better(const ExpansionTerm& a, const ExpansionTerm& b) { return a.weight != b.weight ? a.weight > b.weight : a.term < b.term; }

}  // namespace

// Each term weighed costs two frequency lookups (one B-tree descent, about 5 µs at 235k
// documents: most of the expansion's time), so not every term is weighed. Bo1 rises with r;
// as F grows it falls while m < r and rises after, so over max(r, min_termfreq) <= F <= the
// index's total length it is highest at one end. The terms are weighed by falling wdf, and
// once `count` terms are kept and the weakest outweighs the best a term of the current wdf
// could reach, the rest are never looked up: about 40 % fewer lookups at 235k documents.
// A Searcher passes the frequencies it keeps (term_frequencies.h): most of an article's
// terms were read for earlier articles, 72 % of the lookups at 235k.
std::vector<ExpansionTerm> expansion_terms(const Xapian::Database& db, Xapian::docid docid, std::size_t count,
                                           Xapian::doccount min_termfreq, TermFrequencies* freqs) {
    if (count == 0) return {};
    std::optional<TermFrequencies> own;
    if (!freqs) freqs = &own.emplace(db);
    // The topic terms in the term list's (alphabetical) order, then their indexes by falling
    // wdf (a stable sort of small pairs: equal wdfs stay alphabetical).
    std::vector<std::string> names;
    std::vector<std::pair<Xapian::termcount, std::uint32_t>> terms;  // (wdf, index in names)
    for (auto it = db.termlist_begin(docid); it != db.termlist_end(docid); ++it) {
        std::string term = *it;
        if (!scheme::is_topic_term(term)) continue;
        terms.emplace_back(it.get_wdf(), static_cast<std::uint32_t>(names.size()));
        names.push_back(std::move(term));
    }
    std::stable_sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    const double documents = static_cast<double>(db.get_doccount());
    const double most = static_cast<double>(db.get_total_length());  // no term's F is higher
    // A heap whose top is the weakest term kept.
    std::vector<ExpansionTerm> kept;
    for (const auto& [wdf, index] : terms) {
        std::string& term = names[index];
        if (kept.size() == count) {
            const double rarest = std::max<double>(wdf, min_termfreq);
            const double reachable = std::max(bo1(wdf, rarest, documents), bo1(wdf, std::max(rarest, most), documents));
            if (kept.front().weight > reachable) break;
        }
        const TermFrequencies::Frequencies f = freqs->get(term);
        if (f.documents < min_termfreq) continue;
        ExpansionTerm w{bo1(wdf, static_cast<double>(f.occurrences), documents), std::move(term), f.documents};
        if (kept.size() < count) {
            kept.push_back(std::move(w));
            std::push_heap(kept.begin(), kept.end(), better);
        } else if (better(w, kept.front())) {
            std::pop_heap(kept.begin(), kept.end(), better);
            kept.back() = std::move(w);
            std::push_heap(kept.begin(), kept.end(), better);
        }
    }
    std::sort(kept.begin(), kept.end(), better);
    return kept;
}

SimilarQuery similar_query(const Xapian::Database& db, std::string_view id, const SimilarParameters& params,
                           TermFrequencies* freqs, const Bm25Terms* scored) {
    const std::string id_term = scheme::id_term(id);
    Xapian::PostingIterator p = db.postlist_begin(id_term);
    if (p == db.postlist_end(id_term)) throw NotFoundError("no document with id \"" + std::string(id) + "\"");
    SimilarQuery sq;
    sq.docid = *p;
    sq.doclength = db.get_doclength(sq.docid);

    // Relevance feedback with one relevant document: its terms ranked by how often they
    // occur in it (titles count kTitleWdf times) against how often in the index.
    const Xapian::doccount min_termfreq =
        std::clamp<Xapian::doccount>(db.get_doccount() / params.docs_per_min_termfreq, 2, std::max<Xapian::doccount>(2, params.min_termfreq));
    // A neighbour shares at least one of the terms in at most boost_fraction of the
    // documents; the commoner terms only add to its score (AND_MAYBE), so the matcher never
    // walks their long posting lists for documents sharing nothing rarer.
    std::vector<std::string> parts, common;
    const double common_limit = params.boost_fraction * static_cast<double>(db.get_doccount());
    for (ExpansionTerm& t : expansion_terms(db, sq.docid, params.terms, min_termfreq, freqs)) {
        const bool is_common = params.boost_fraction > 0 && static_cast<double>(t.termfreq) > common_limit;
        (is_common ? common : parts).push_back(t.term);
        sq.terms.push_back(std::move(t.term));
    }
    if (parts.empty()) parts.swap(common);  // every term common: the plain OR
    if (parts.empty()) return sq;
    auto any_of = [&](const std::vector<std::string>& terms, bool plain) {
        std::vector<Xapian::Query> q;
        for (const std::string& t : terms) q.push_back(plain || !scored ? Xapian::Query(t) : (*scored)(t));
        return Xapian::Query(Xapian::Query::OP_OR, q.begin(), q.end());
    };
    const Xapian::Query exclude(id_term);
    const Xapian::Query any = any_of(parts, true);
    if (common.empty()) {
        sq.query = Xapian::Query(Xapian::Query::OP_AND_NOT, any, exclude);
        if (scored) {
            sq.candidates = Xapian::Query(Xapian::Query::OP_AND_NOT, any_of(parts, false), exclude);
            sq.candidate_terms = parts;
        }
    } else {
        // The same documents match with and without the common terms: the rarer terms alone
        // pick the candidates (match_candidates), to whose scores the common terms' add.
        sq.candidates = Xapian::Query(Xapian::Query::OP_AND_NOT, any_of(parts, false), exclude);
        sq.common = any_of(common, true);
        sq.candidate_terms = parts;
        sq.common_terms = common;
        sq.query = Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query(Xapian::Query::OP_AND_MAYBE, any, sq.common), exclude);
    }
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
