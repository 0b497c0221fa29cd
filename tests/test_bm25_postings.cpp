// BM25 over posting sources with the document lengths held in memory (lib/search/bm25_postings.h):
// on real on-disk databases, an OR of such terms must rank and score every document as Xapian's
// own BM25Weight does on the OR of the plain terms — over one database and over shards, for
// the top few (where Xapian prunes with each source's bound) and for every match, and when
// the lengths are not at hand; and every query the query builder makes, its terms made so.
#include <catch2/catch.hpp>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <thread>
#include <map>
#include <random>
#include <string>
#include <vector>
#include <vnsearch/vnsearch.h>

#include "index/abbreviation_store.h"
#include "index/term_scheme.h"
#include "search/bm25_postings.h"
#include "search/query.h"
#include "search/query_builder.h"
#include "search/term_frequencies.h"
#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

const std::vector<std::string> kWords = {"sông", "núi", "biển", "rừng", "đồng", "lúa", "gạo", "cá", "tôm", "muối", "chè", "cà",
                                         "phê", "điện", "than", "dầu", "khí", "gió", "mưa", "nắng", "bão", "lũ", "hạn", "mặn"};

/// Documents of 1 to 300 words, a few words repeated many times, so lengths and wdf vary widely.
void build(const std::string& path, int count, unsigned seed, const std::string& prefix) {
    std::mt19937 rng(seed);
    vnsearch::Index ix(path);
    for (int i = 0; i < count; ++i) {
        vnsearch::Document d(prefix + std::to_string(i));
        const std::size_t words = 1 + rng() % (i % 7 == 0 ? 300 : 40);
        // Zipf-like: low word indexes far more often.
        for (std::size_t k = 0; k < words; ++k) d.body += kWords[std::min<std::size_t>(rng() % 6 * (rng() % 5), kWords.size() - 1)] + " ";
        if (i % 11 == 0) d.body += std::string(" ") + kWords[20 + i % 4] + " " + kWords[20 + i % 4];
        ix.add(d);
    }
    ix.commit();
}

/// The folded syllable terms of the database (no prefix), each with its frequency.
std::vector<std::string> syllable_terms(const Xapian::Database& db) {
    std::vector<std::string> out;
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
        const std::string t = *it;
        if (!t.empty() && static_cast<unsigned char>(t[0]) >= 'a' && static_cast<unsigned char>(t[0]) <= 'z' && t.find(' ') == std::string::npos)
            out.push_back(t);
    }
    return out;
}

using Ranking = std::vector<std::pair<Xapian::docid, double>>;

/// Bm25Terms' lists to read whole and hold: every one the table lets it (a search holds one).
constexpr int kEveryList = 1 << 30;

Ranking ranked(const Xapian::Database& db, const Xapian::Query& q, const Xapian::Weight& w, Xapian::doccount k) {
    Xapian::Enquire e(db);
    e.set_query(q);
    e.set_weighting_scheme(w);
    Ranking out;
    const Xapian::MSet m = e.get_mset(0, k);
    for (auto it = m.begin(); it != m.end(); ++it) out.emplace_back(*it, it.get_weight());
    return out;
}

/// Every subset size, k and parameter set: the sources' ranking equals BM25Weight's.
void check_same(const Xapian::Database& db, const std::vector<std::string>& terms,
                std::shared_ptr<const vnsearch::detail::DocumentLengths> lengths) {
    REQUIRE(terms.size() >= 8);
    std::mt19937 rng(3);
    vnsearch::detail::ScoreAccumulator scratch;
    for (const vnsearch::detail::Bm25Parameters p : {vnsearch::detail::Bm25Parameters{1.2, 0.5, 0.5}, vnsearch::detail::Bm25Parameters{2.0, 0.9, 0.1},
                                                     vnsearch::detail::Bm25Parameters{0.8, 0.0, 0.5}}) {
        vnsearch::detail::TermFrequencies freqs(db);
        const vnsearch::detail::Bm25Terms scored(freqs, p, lengths, kEveryList);
        const Xapian::BM25Weight weight(p.k1, 0, 1, p.b, p.min_normlen);
        for (const std::size_t size : {std::size_t{1}, std::size_t{3}, terms.size()}) {
            std::vector<std::string> pick = terms;
            std::shuffle(pick.begin(), pick.end(), rng);
            pick.resize(size);
            std::vector<Xapian::Query> plain, ours;
            for (const auto& t : pick) {
                plain.emplace_back(t);
                ours.push_back(scored(t));
            }
            const Xapian::Query qp(Xapian::Query::OP_OR, plain.begin(), plain.end());
            const Xapian::Query qo(Xapian::Query::OP_OR, ours.begin(), ours.end());
            // add_scores: each term's score in given documents, matching or not.
            std::vector<Xapian::docid> docids;
            for (Xapian::docid d = 1; d <= db.get_lastdocid(); d += 1 + d % 3) docids.push_back(d);
            for (const auto& t : pick) {
                std::vector<double> scores(docids.size(), 0.0);
                scored.add_scores(t, docids, scores);
                std::map<Xapian::docid, double> want;
                for (const auto& [docid, w] : ranked(db, Xapian::Query(t), weight, 100000)) want[docid] = w;
                for (std::size_t i = 0; i < docids.size(); ++i) {
                    INFO("add_scores " << t << " in document " << docids[i]);
                    const auto it = want.find(docids[i]);
                    CHECK(scores[i] == Approx(it == want.end() ? 0.0 : it->second).epsilon(1e-12));
                }
            }
            const Ranking every = ranked(db, qp, weight, 100000);
            for (const Xapian::doccount k : {1u, 3u, 10u, 100000u}) {
                INFO("k1 " << p.k1 << " b " << p.b << ", " << size << " terms, top " << k);
                const Ranking want = ranked(db, qp, weight, k), got = ranked(db, qo, weight, k);
                REQUIRE(got.size() == want.size());
                for (std::size_t i = 0; i < got.size(); ++i) {
                    CHECK(got[i].first == want[i].first);
                    CHECK(got[i].second == Approx(want[i].second).epsilon(1e-12));
                }
                // top(): the same ranking without one document (none, the best, one further
                // down, one the terms do not match), from one scratch reused by every call.
                CHECK(scored.can_rank() == (lengths && lengths->covers(db)));
                if (!scored.can_rank()) continue;
                std::vector<Xapian::docid> excluded = {0, every.front().first, every[every.size() / 2].first};
                for (Xapian::docid d = 1; d <= db.get_lastdocid(); ++d)
                    if (std::none_of(every.begin(), every.end(), [&](const auto& e) { return e.first == d; })) {
                        excluded.push_back(d);
                        break;
                    }
                for (const Xapian::docid exclude : excluded) {
                    INFO("top() without document " << exclude);
                    Ranking expected;
                    for (const auto& e : every)
                        if (e.first != exclude) expected.push_back(e);
                    const auto matched = expected.size();
                    if (expected.size() > k) expected.resize(k);
                    const vnsearch::detail::TopDocuments top = scored.top(pick, exclude, k, scratch);
                    CHECK(top.matched == matched);
                    REQUIRE(top.ranked.size() == expected.size());
                    // The same scores rank by rank; the documents too, but where two score the
                    // same up to the last bits (a sum taken in another order: over shards,
                    // Xapian's tree of ORs differs from shard to shard), either may come first.
                    std::map<Xapian::docid, double> score_of(expected.begin(), expected.end());
                    for (std::size_t i = 0; i < expected.size(); ++i) {
                        const auto [docid, score] = top.ranked[i];
                        CHECK(score == Approx(expected[i].second).epsilon(1e-12));
                        const auto it = score_of.find(docid);
                        CHECK(score == Approx(it != score_of.end() ? it->second : expected.back().second).epsilon(1e-12));
                    }
                }
            }
        }
    }
}

}  // namespace

TEST_CASE("BM25 posting sources with lengths in memory score as Xapian's BM25Weight", "[search][bm25]") {
    TempDir dir("vnsearch-bm25");
    build(dir.str("a"), 600, 1, "a-");
    build(dir.str("b"), 400, 2, "b-");

    SECTION("one database") {
        const Xapian::Database db(dir.str("a"));
        const auto lengths = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{db});
        REQUIRE(lengths->available());
        REQUIRE(lengths->of(db.get_uuid()) != nullptr);
        CHECK(lengths->of(db.get_uuid())->size() == db.get_lastdocid() + 1);
        check_same(db, syllable_terms(db), lengths);
    }
    SECTION("two shards searched as one") {
        const Xapian::Database a(dir.str("a")), b(dir.str("b"));
        Xapian::Database both;
        both.add_database(a);
        both.add_database(b);
        const auto lengths = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{a, b});
        check_same(both, syllable_terms(both), lengths);
    }
    SECTION("block bounds: whole blocks stepped over, the same rankings") {
        // Every term gets bounds (a minimum of 1 posting); the common words' lists span
        // several blocks of 128, and the top few need scores most blocks cannot give.
        build(dir.str("c"), 3000, 3, "c-");
        const Xapian::Database c(dir.str("c")), b(dir.str("b"));
        const auto lengths = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{c}, 1);
        check_same(c, syllable_terms(c), lengths);
        CHECK(lengths->bounds_read() > 0);
        CHECK(lengths->blocks_skipped() > 0);
        Xapian::Database both;
        both.add_database(c);
        both.add_database(b);
        const auto shard_lengths =
            std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{c, b}, 1);
        check_same(both, syllable_terms(both), shard_lengths);
        CHECK(shard_lengths->blocks_skipped() > 0);
        // The default minimum leaves the shorter lists alone.
        const auto plain = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{c});
        check_same(c, syllable_terms(c), plain);
        std::size_t long_lists = 0;
        for (const std::string& t : syllable_terms(c))
            if (c.get_termfreq(t) >= vnsearch::detail::DocumentLengths::kBoundsMinPostings) ++long_lists;
        CHECK(long_lists < syllable_terms(c).size());
        CHECK(plain->bounds_read() <= long_lists);
    }
    SECTION("held postings: read from memory, the same rankings and skips") {
        // Every term of 1 posting or more gets bounds, and its postings are held from the first
        // time a search opens it: every source reads its list from memory.
        build(dir.str("c"), 3000, 3, "c-");
        const Xapian::Database c(dir.str("c")), b(dir.str("b"));
        const auto held = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{c}, 1, 1);
        check_same(c, syllable_terms(c), held);
        CHECK(held->held_bytes() > 0);
        CHECK(held->blocks_skipped() > 0);
        // Skips (an AND of every pair, a filter to given documents, as match_candidates'
        // rescoring runs), from memory, rank as Xapian's own lists.
        vnsearch::detail::TermFrequencies freqs(c);
        const vnsearch::detail::Bm25Parameters p{1.2, 0.5, 0.5};
        const vnsearch::detail::Bm25Terms scored(freqs, p, held, kEveryList);
        const Xapian::BM25Weight weight(p.k1, 0, 1, p.b, p.min_normlen);
        const std::vector<std::string> terms = syllable_terms(c);
        std::vector<Xapian::Query> some;
        for (int d = 7; d < 3000; d += 97) some.emplace_back(vnsearch::scheme::id_term("c-" + std::to_string(d)));
        const Xapian::Query few(Xapian::Query::OP_OR, some.begin(), some.end());
        for (std::size_t i = 0; i + 1 < terms.size(); ++i) {
            INFO(terms[i] << " AND " << terms[i + 1]);
            const Xapian::Query plain(Xapian::Query::OP_AND, Xapian::Query(terms[i]), Xapian::Query(terms[i + 1]));
            const Xapian::Query ours(Xapian::Query::OP_AND, scored(terms[i]), scored(terms[i + 1]));
            for (const auto& [want_q, got_q] : {std::pair{plain, ours}, std::pair{Xapian::Query(Xapian::Query::OP_FILTER, plain, few),
                                                                                   Xapian::Query(Xapian::Query::OP_FILTER, ours, few)}}) {
                const Ranking want = ranked(c, want_q, weight, 100000), got = ranked(c, got_q, weight, 100000);
                REQUIRE(got.size() == want.size());
                for (std::size_t k = 0; k < got.size(); ++k) {
                    CHECK(got[k].first == want[k].first);
                    CHECK(got[k].second == Approx(want[k].second).epsilon(1e-12));
                }
            }
        }
        // Over two shards each shard's lists are held apart.
        Xapian::Database both;
        both.add_database(c);
        both.add_database(b);
        const auto shards_held =
            std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{c, b}, 1, 1);
        check_same(both, syllable_terms(both), shards_held);
        CHECK(shards_held->held_bytes() > 0);
        // By default a list is held only once searches have opened it many times: a few
        // searches read none whole.
        const auto fresh = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{c}, 1);
        vnsearch::detail::TermFrequencies fresh_freqs(c);
        const vnsearch::detail::Bm25Terms fresh_scored(fresh_freqs, p, fresh);
        for (int k = 0; k + 1 < static_cast<int>(vnsearch::detail::DocumentLengths::kHoldAfterOpens); ++k)
            (void)ranked(c, Xapian::Query(Xapian::Query::OP_FILTER, fresh_scored(terms[0]), few), weight, 10);
        CHECK(fresh->held_bytes() == 0);
        (void)ranked(c, Xapian::Query(Xapian::Query::OP_FILTER, fresh_scored(terms[0]), few), weight, 10);
        CHECK(fresh->held_bytes() > 0);
        // A search reads at most one list whole to hold it (Bm25Terms::kHoldReadsPerSearch):
        // the OR of every term holds one more list each search.
        const auto table = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{c}, 1, 1);
        std::vector<std::size_t> held_after;
        for (int search = 0; search < 3; ++search) {
            const vnsearch::detail::Bm25Terms one_search(fresh_freqs, p, table);
            std::vector<Xapian::Query> all;
            for (const std::string& t : terms) all.push_back(one_search(t));
            const Xapian::Query q(Xapian::Query::OP_OR, all.begin(), all.end());
            std::vector<Xapian::Query> plain_terms(terms.begin(), terms.end());
            const Ranking want = ranked(c, Xapian::Query(Xapian::Query::OP_OR, plain_terms.begin(), plain_terms.end()), weight, 10);
            const Ranking got = ranked(c, q, weight, 10);
            REQUIRE(got.size() == want.size());
            for (std::size_t k = 0; k < got.size(); ++k) CHECK(got[k].second == Approx(want[k].second).epsilon(1e-12));
            held_after.push_back(table->held_bytes());
        }
        CHECK(held_after[0] > 0);
        CHECK(held_after[1] > held_after[0]);
        CHECK(held_after[2] > held_after[1]);
    }
    SECTION("a table tells the revisions it was read from (handles on them share it)") {
        Xapian::Database a(dir.str("a"));
        const Xapian::Database b(dir.str("b"));
        const vnsearch::detail::DocumentLengths lengths(std::vector<Xapian::Database>{a});
        CHECK(lengths.read_from({a}));
        CHECK(lengths.read_from({Xapian::Database(dir.str("a"))}));  // another handle, same revision
        CHECK_FALSE(lengths.read_from({b}));
        CHECK_FALSE(lengths.read_from({a, b}));
        CHECK_FALSE(lengths.read_from({}));
        {
            vnsearch::Index ix(dir.str("a"));
            vnsearch::Document d("a-new");
            d.body = "sông núi sông";
            ix.add(d);
            ix.commit();
        }
        CHECK(lengths.read_from({a}));  // `a` still reads the revision the table was read from
        a.reopen();
        CHECK_FALSE(lengths.read_from({a}));
        CHECK(vnsearch::detail::DocumentLengths(std::vector<Xapian::Database>{a}).read_from({a}));
    }
    SECTION("without the lengths (none read, or another database's): read from the posting lists") {
        const Xapian::Database a(dir.str("a")), b(dir.str("b"));
        check_same(a, syllable_terms(a), nullptr);
        check_same(a, syllable_terms(a), std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{b}));
    }
}

namespace {

/// The query builder's statistics, from a database's frequencies.
class Stats : public vnsearch::detail::TermStats {
  public:
    explicit Stats(vnsearch::detail::TermFrequencies& f) : f_(f) {}
    double documents() const override { return static_cast<double>(f_.database().get_doccount()); }
    double termfreq(const std::string& term) const override { return static_cast<double>(f_.get(term).documents); }

  private:
    vnsearch::detail::TermFrequencies& f_;
};

}  // namespace

TEST_CASE("every query the builder makes ranks the same with its terms scored from lengths in memory", "[search][bm25]") {
    TempDir dir("vnsearch-bm25-queries");
    {
        vnsearch::Index ix(dir.str("paragraphs"));
        for (const vnsearch::Document& d : vnsearch_test::seed_paragraph_docs()) ix.add(d);
        ix.commit();
    }
    const Xapian::Database a(dir.str("paragraphs")), b(vnsearch_test::seed_db());
    Xapian::Database both;
    both.add_database(a);
    both.add_database(b);
    const vnsearch::detail::RankingParameters params;
    const vnsearch::Analyzer analyzer;
    // Free text with and without marks, question words, phrases, abbreviations both ways,
    // places, fields, operators, groups, required and excluded words, filters.
    const std::vector<std::string> seed_queries = {
        "chi lang", "Chi Lăng", "lạng sơn", "\"Nghị quyết 22\"", "nghị quyết số 22 là gì", "HĐND", "hội đồng nhân dân huyện",
        "TCCSĐ", "Thạch Thất", "quế phong nghệ an", "title:\"xây dựng Đảng\"", "title:đảng viên", "xây dựng -chi bộ",
        "(chi bộ OR đảng bộ) huyện uỷ", "+đảng viên mới", "đảng viên year:2018", "công tác cán bộ date:2018..2019",
        "chợ mới an giang", "hoà bình", "uỷ ban nhân dân xã", "kết nạp đảng viên như thế nào ở Thạch Thất"};
    // Longer lists (3,000 documents of a few words): the common words span many blocks.
    build(dir.str("words"), 3000, 3, "w-");
    const Xapian::Database words(dir.str("words"));
    const std::vector<std::string> word_queries = {"sông núi biển", "sông núi", "song nui", "\"sông núi\"", "cá tôm muối", "gió mưa nắng bão",
                                                   "điện than dầu khí", "lúa gạo -cá", "rừng", "rung", "sông núi rừng đồng lúa gạo cá tôm"};
    // Sets 3-5 are 0-2 again with every list's postings held in memory from its first use.
    for (const int each : {0, 1, 2, 3, 4, 5}) {
        const int set = each % 3;
        const unsigned hold_after = each < 3 ? vnsearch::detail::DocumentLengths::kHoldAfterOpens : 1;
        const bool shards = set == 1;
        const Xapian::Database& db = set == 2 ? words : shards ? both : a;
        const std::vector<Xapian::Database> parts = set == 2 ? std::vector<Xapian::Database>{words}
                                                    : shards ? std::vector<Xapian::Database>{a, b}
                                                             : std::vector<Xapian::Database>{a};
        const std::vector<std::string>& queries = set == 2 ? word_queries : seed_queries;
        vnsearch::detail::TermFrequencies freqs(db);
        const Stats stats(freqs);
        const vnsearch::detail::AbbreviationLookup abbreviations(parts);
        // Block bounds for every term (a minimum of 1 posting): the top few of each query are
        // found stepping over blocks, through the builder's scaled terms and groups.
        const auto lengths = std::make_shared<const vnsearch::detail::DocumentLengths>(parts, 1, hold_after);
        vnsearch::detail::Bm25Terms scored(freqs, {params.bm25_k1, params.bm25_b, params.bm25_min_normlen}, lengths, kEveryList);
        scored.set_group_scale(std::max(params.place, params.abbreviation));
        const vnsearch::detail::TermQuery term_query = [&](const std::string& t, double scale) { return scored(t, scale); };
        const Xapian::BM25Weight weight(params.bm25_k1, 0, 1, params.bm25_b, params.bm25_min_normlen);
        std::size_t compared = 0;
        for (const std::string& q : queries) {
            INFO((shards ? "two shards: " : "one database: ") << q << (hold_after == 1 ? " (postings held)" : ""));
            const vnsearch::detail::ParsedQuery parsed = vnsearch::detail::parse_query(q, analyzer);
            const auto plain = vnsearch::detail::build_query(parsed, analyzer, params, &abbreviations, &stats);
            const auto ours = vnsearch::detail::build_query(parsed, analyzer, params, &abbreviations, &stats, &term_query);
            REQUIRE(ours.empty == plain.empty);
            CHECK(ours.query.get_description() != plain.query.get_description());  // the terms were made by term_query
            CHECK(ours.candidates.empty() == plain.candidates.empty());
            for (const bool candidates : {false, true}) {
                const Xapian::Query& want_q = candidates ? plain.candidates : plain.query;
                if (want_q.empty()) continue;
                const Ranking every = ranked(db, want_q, weight, 100000);
                const std::map<Xapian::docid, double> score_of(every.begin(), every.end());
                for (const Xapian::doccount k : {1u, 3u, 10u, 100000u}) {
                    INFO("top " << k);
                    const Ranking want = ranked(db, want_q, weight, k);
                    const Ranking got = ranked(db, candidates ? ours.candidates : ours.query, weight, k);
                    REQUIRE(got.size() == want.size());
                    for (std::size_t i = 0; i < want.size(); ++i) {
                        CHECK(got[i].second == Approx(want[i].second).epsilon(1e-12));
                        const auto it = score_of.find(got[i].first);
                        REQUIRE(it != score_of.end());
                        CHECK(got[i].second == Approx(it->second).epsilon(1e-12));
                    }
                    compared += want.size();
                }
            }
        }
        CHECK(compared > 200);
        if (set == 2) CHECK(lengths->blocks_skipped() > 0);
        if (hold_after == 1) CHECK(lengths->held_bytes() > 0);
    }
}

TEST_CASE("block bounds and held postings shared by threads: read once each, the same rankings", "[search][bm25][threads]") {
    TempDir dir("vnsearch-bm25-threads");
    build(dir.str("c"), 2000, 5, "c-");
    const vnsearch::detail::Bm25Parameters p{1.2, 0.5, 0.5};
    const Xapian::BM25Weight weight(p.k1, 0, 1, p.b, p.min_normlen);
    const Xapian::Database first(dir.str("c"));
    const std::vector<std::string> terms = syllable_terms(first);
    // One table of lengths (and of bounds, every term bounded) for every thread, as handles
    // of one Searcher on one revision share it.
    // Every list held from its second use: threads read lists others are holding.
    const auto lengths = std::make_shared<const vnsearch::detail::DocumentLengths>(std::vector<Xapian::Database>{first}, 1, 2);
    std::vector<Ranking> want;
    for (const std::string& t : terms) want.push_back(ranked(first, Xapian::Query(t), weight, 5));
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k)
        threads.emplace_back([&, k] {
            const Xapian::Database db(dir.str("c"));  // a handle of its own
            vnsearch::detail::TermFrequencies freqs(db);
            const vnsearch::detail::Bm25Terms scored(freqs, p, lengths, kEveryList);
            for (int round = 0; round < 3; ++round)
                for (std::size_t i = 0; i < terms.size(); ++i) {
                    const std::size_t at = (i + static_cast<std::size_t>(k) * 7) % terms.size();
                    const Ranking got = ranked(db, scored(terms[at]), weight, 5);
                    bool same = got.size() == want[at].size();
                    for (std::size_t r = 0; same && r < got.size(); ++r)
                        same = got[r].first == want[at][r].first && std::abs(got[r].second - want[at][r].second) < 1e-9;
                    if (!same) ++wrong;
                }
        });
    for (auto& t : threads) t.join();
    CHECK(wrong == 0);
    CHECK(lengths->bounds_read() == terms.size());
    CHECK(lengths->blocks_skipped() > 0);
    CHECK(lengths->held_bytes() > 0);
}

TEST_CASE("block bounds: each block's bound is the most any of its postings reaches, exactly", "[search][bm25]") {
    TempDir dir("vnsearch-bm25-block-max");
    build(dir.str("m"), 3000, 9, "m-");
    const Xapian::Database db(dir.str("m"));
    const vnsearch::detail::DocumentLengths lengths(std::vector<Xapian::Database>{db}, 1);
    const std::vector<Xapian::termcount>* shard_lengths = lengths.of(db.get_uuid());
    REQUIRE(shard_lengths != nullptr);
    const double len_factor = 1.0 / db.get_avlength();
    std::size_t blocks = 0;
    for (const vnsearch::detail::Bm25Parameters& p :
         {vnsearch::detail::Bm25Parameters{1.2, 0.75, 0.5}, vnsearch::detail::Bm25Parameters{0.9, 0.3, 0.2}})
        for (const std::string& term : syllable_terms(db)) {
            const auto b = lengths.bounds(db, *shard_lengths, term, db.get_termfreq(term), p, len_factor);
            REQUIRE(b != nullptr);
            // The same blocks from Xapian's list, the maximum of every posting's ratio.
            std::vector<Xapian::docid> last;
            std::vector<double> max;
            std::size_t in_block = 0;
            for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
                const double r = vnsearch::detail::bm25_ratio(p, len_factor, it.get_wdf(), (*shard_lengths)[*it]);
                if (in_block++ == 0) {
                    last.push_back(*it);
                    max.push_back(r);
                } else {
                    last.back() = *it;
                    max.back() = std::max(max.back(), r);
                }
                if (in_block == vnsearch::detail::BlockBounds::kPostings) in_block = 0;
            }
            CHECK(b->last == last);
            CHECK(b->max_ratio == max);  // bit for bit
            blocks += max.size();
        }
    CHECK(blocks > 100);
}
