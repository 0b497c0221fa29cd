// Related articles ("more like this", Searcher::similar) on real on-disk databases: the
// neighbours of a document are the ones on its topic; the document itself and its exact
// duplicates are never among them; an unknown id is a NotFoundError.
#include <catch2/catch.hpp>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vnsearch/vnsearch.h>
#include <xapian.h>

#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "search/candidates.h"
#include "search/query_builder.h"
#include "search/similar.h"
#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

struct Article {
    const char* id;
    const char* topic;
    const char* title;
    const char* body;
};

// Three topics, four articles each, written to share the topic's words and little else.
const Article kArticles[] = {
    {"bd1", "football", "Đội tuyển bóng đá Việt Nam thắng Thái Lan",
     "Trận đấu trên sân Mỹ Đình, đội tuyển bóng đá Việt Nam ghi hai bàn thắng. Huấn luyện viên khen các cầu thủ "
     "đã chơi kỷ luật. Người hâm mộ cổ vũ suốt trận đấu."},
    {"bd2", "football", "Huấn luyện viên công bố danh sách cầu thủ dự vòng loại",
     "Danh sách gồm 23 cầu thủ, trong đó có tiền đạo ghi nhiều bàn thắng ở giải vô địch. Đội tuyển bóng đá sẽ tập "
     "trung trên sân tập trước trận đấu vòng loại."},
    {"bd3", "football", "Câu lạc bộ Hà Nội vô địch giải bóng đá quốc gia",
     "Câu lạc bộ giành chức vô địch sau trận đấu cuối mùa. Các cầu thủ và huấn luyện viên ăn mừng bàn thắng "
     "quyết định trên sân trước người hâm mộ."},
    {"bd4", "football", "Tiền đạo trẻ ghi bàn thắng đẹp nhất vòng đấu",
     "Cú sút của tiền đạo trẻ đưa bóng vào lưới, mang về bàn thắng cho đội bóng. Huấn luyện viên nói cầu thủ này "
     "sẽ được gọi lên đội tuyển bóng đá."},
    {"lua1", "rice", "Giá lúa gạo xuất khẩu tăng mạnh",
     "Giá gạo xuất khẩu của Việt Nam tăng do nhu cầu từ thị trường châu Phi. Nông dân đồng bằng sông Cửu Long "
     "phấn khởi vì lúa được giá, doanh nghiệp thu mua gạo nhiều hơn."},
    {"lua2", "rice", "Nông dân thu hoạch lúa vụ đông xuân",
     "Vụ đông xuân năm nay năng suất lúa đạt cao. Thương lái đến tận ruộng thu mua lúa, giá lúa ổn định. Nông "
     "dân lo ngại giá phân bón tăng."},
    {"lua3", "rice", "Doanh nghiệp xuất khẩu gạo tìm thị trường mới",
     "Các doanh nghiệp xuất khẩu gạo mở rộng thị trường sang châu Âu. Giá gạo và chất lượng lúa gạo Việt Nam "
     "được đánh giá cao, nông dân trồng lúa sạch để bán gạo."},
    {"lua4", "rice", "Đồng bằng sông Cửu Long chuẩn bị vụ lúa mới",
     "Nông dân đồng bằng sông Cửu Long xuống giống vụ lúa mới. Ngành nông nghiệp khuyến cáo giống lúa chất lượng "
     "cao để xuất khẩu gạo được giá."},
    {"yt1", "health", "Bệnh viện tiếp nhận nhiều bệnh nhân sốt xuất huyết",
     "Bệnh viện đa khoa tỉnh tiếp nhận hàng trăm bệnh nhân sốt xuất huyết. Bác sĩ khuyến cáo người dân diệt "
     "muỗi, đến bệnh viện khi sốt cao."},
    {"yt2", "health", "Bác sĩ cứu sống bệnh nhân nguy kịch",
     "Các bác sĩ khoa hồi sức của bệnh viện đã cấp cứu thành công bệnh nhân bị sốc. Bệnh nhân đã tỉnh và được "
     "điều trị tích cực."},
    {"yt3", "health", "Dịch sốt xuất huyết tăng, bệnh viện quá tải",
     "Số ca sốt xuất huyết tăng khiến bệnh viện quá tải, nhiều bệnh nhân nằm ghép. Bác sĩ làm việc cả ngày đêm "
     "để điều trị cho người bệnh."},
    {"yt4", "health", "Bộ Y tế hướng dẫn phòng chống dịch bệnh mùa mưa",
     "Bộ Y tế yêu cầu các bệnh viện chuẩn bị thuốc và giường bệnh. Bác sĩ khuyên người dân phòng sốt xuất huyết "
     "và đưa bệnh nhân đi khám sớm."},
};

std::string topic_of(const std::string& id) {
    for (const auto& a : kArticles)
        if (id == a.id) return a.topic;
    return "";
}

vnsearch::Document document(const Article& a) {
    vnsearch::Document d(a.id);
    d.title = a.title;
    d.body = a.body;
    d.source = "Báo " + std::string(a.topic);
    d.date = "2024-07-25";
    return d;
}

void build(const std::string& path, bool with_duplicate) {
    vnsearch::Index ix(path);
    for (const auto& a : kArticles) ix.add(document(a));
    if (with_duplicate) {  // bd1 again under other ids: same title and body
        for (const char* id : {"bd1-copy", "bd1-again"}) {
            vnsearch::Document d(id);
            d.title = kArticles[0].title;
            d.body = kArticles[0].body;
            ix.add(d);
        }
        // The same body under another title is not a duplicate.
        vnsearch::Document d("bd1-retitled");
        d.title = "Việt Nam thắng Thái Lan trên sân Mỹ Đình";
        d.body = kArticles[0].body;
        ix.add(d);
    }
    ix.commit();
}

}  // namespace

TEST_CASE("similar finds the articles of the same topic first", "[similar]") {
    TempDir dir("vnsearch-similar");
    build(dir.str("db"), false);
    vnsearch::Searcher s(dir.str("db"));
    for (const auto& a : kArticles) {
        INFO(a.id);
        vnsearch::SimilarOptions o;
        o.limit = 2;  // of the three others on its topic
        const vnsearch::Results r = s.similar(a.id, o);
        REQUIRE(r.hits.size() == 2);
        CHECK(r.query == a.id);
        for (const auto& h : r) {
            CHECK(h.id != a.id);
            CHECK(topic_of(h.id) == a.topic);
        }
        CHECK(r.hits[0].rank == 1);
        CHECK(r.hits[1].rank == 2);
        CHECK(r.hits[0].score >= r.hits[1].score);
    }
}

TEST_CASE("similar leaves out the document and its exact duplicates", "[similar]") {
    TempDir dir("vnsearch-similar");
    build(dir.str("db"), true);
    vnsearch::Searcher s(dir.str("db"));
    vnsearch::SimilarOptions o;
    o.limit = 100;
    for (const char* id : {"bd1", "bd1-copy"}) {
        INFO(id);
        const vnsearch::Results r = s.similar(id, o);
        std::set<std::string> got;
        for (const auto& h : r) got.insert(h.id);
        CHECK(got.count("bd1") == 0);
        CHECK(got.count("bd1-copy") == 0);
        CHECK(got.count("bd1-again") == 0);
        // Another title makes another article: it is the closest one.
        REQUIRE_FALSE(r.hits.empty());
        CHECK(r.hits[0].id == "bd1-retitled");
        CHECK(got.count("bd2") == 1);
        // Ranks stay 1, 2, 3... over the skipped duplicates.
        for (std::size_t i = 0; i < r.hits.size(); ++i) CHECK(r.hits[i].rank == i + 1);
    }
    // Paging: offset 1 continues where the first page stopped.
    o.limit = 3;
    const auto first = s.similar("bd1", o);
    o.offset = 1;
    const auto next = s.similar("bd1", o);
    REQUIRE(first.hits.size() == 3);
    REQUIRE(next.hits.size() == 3);
    CHECK(next.hits[0].id == first.hits[1].id);
    CHECK(next.hits[1].id == first.hits[2].id);
    CHECK(next.hits[0].rank == 2);
}

TEST_CASE("similar highlights the shared words in snippets", "[similar]") {
    TempDir dir("vnsearch-similar");
    build(dir.str("db"), false);
    vnsearch::Searcher s(dir.str("db"));
    vnsearch::SimilarOptions o;
    o.limit = 1;
    o.highlight_start = "[";
    o.highlight_end = "]";
    const auto r = s.similar("lua1", o);
    REQUIRE(r.hits.size() == 1);
    CHECK(r.hits[0].snippet.find("[") != std::string::npos);
    o.snippet_chars = 0;
    CHECK(s.similar("lua1", o).hits[0].snippet.empty());
}

TEST_CASE("similar with an unknown id is a NotFoundError", "[similar]") {
    TempDir dir("vnsearch-similar");
    build(dir.str("db"), false);
    vnsearch::Searcher s(dir.str("db"));
    CHECK_THROWS_AS(s.similar("no-such-id"), vnsearch::NotFoundError);
    CHECK_THROWS_WITH(s.similar(""), Catch::Contains("no document with id"));
    // The searcher still works after the error.
    CHECK_FALSE(s.similar("yt1").hits.empty());
}

TEST_CASE("similar over two shards equals one database", "[similar][shards]") {
    TempDir dir("vnsearch-similar");
    build(dir.str("one"), false);
    {
        vnsearch::Index a(dir.str("a")), b(dir.str("b"));
        bool odd = false;
        for (const auto& art : kArticles) {
            (odd ? b : a).add(document(art));
            odd = !odd;
        }
        a.commit();
        b.commit();
    }
    vnsearch::Searcher one(dir.str("one"));
    vnsearch::Searcher sharded(std::vector<std::string>{dir.str("a"), dir.str("b")});
    for (const auto& art : kArticles) {
        INFO(art.id);
        const auto x = one.similar(art.id), y = sharded.similar(art.id);
        REQUIRE(x.hits.size() == y.hits.size());
        for (std::size_t i = 0; i < x.hits.size(); ++i) {
            CHECK(x.hits[i].id == y.hits[i].id);
            CHECK(x.hits[i].score == Approx(y.hits[i].score));
        }
    }
}

TEST_CASE("similar on the seed paragraphs finds paragraphs of the same article", "[similar]") {
    TempDir dir("vnsearch-similar");
    const auto docs = vnsearch_test::seed_paragraph_docs();
    REQUIRE(docs.size() > 20);
    {
        vnsearch::Index ix(dir.str("db"));
        for (auto d : docs) {
            d.title.clear();  // the body alone: each paragraph repeats its article's title
            ix.add(d);
        }
        ix.commit();
    }
    vnsearch::Searcher s(dir.str("db"));
    auto article = [](const std::string& id) { return id.substr(0, id.find('#')); };
    std::size_t same = 0, total = 0;
    vnsearch::SimilarOptions o;
    o.limit = 3;
    o.snippet_chars = 0;
    for (const auto& d : docs) {
        for (const auto& h : s.similar(d.id, o)) {
            CHECK(h.id != d.id);
            same += article(h.id) == article(d.id);
            ++total;
        }
    }
    REQUIRE(total > 0);
    const double precision = static_cast<double>(same) / static_cast<double>(total);
    // What random neighbours would score: the chance that another paragraph is of the same
    // article. The seed articles all speak of party work in districts, and one article has
    // most of the paragraphs, so the margin is modest: measured 0.43 against 0.30.
    std::map<std::string, double> per_article;
    for (const auto& d : docs) per_article[article(d.id)] += 1;
    double chance = 0;
    for (const auto& d : docs) chance += (per_article[article(d.id)] - 1) / static_cast<double>(docs.size() - 1);
    chance /= static_cast<double>(docs.size());
    INFO("precision@3 " << precision << ", random " << chance);
    CHECK(precision > 1.5 * chance);
}

TEST_CASE("similar from several threads while a writer commits", "[similar][concurrency]") {
    TempDir dir("vnsearch-similar");
    build(dir.str("db"), false);
    vnsearch::Searcher s(dir.str("db"));
    std::atomic<int> errors{0}, empty{0}, missing{0};
    std::mutex first_error_mutex;
    std::string first_error;  // what the first failed call said, for the report
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t)
        readers.emplace_back([&, t] {
            for (int k = 0; k < 30; ++k) {
                try {
                    const std::string id = kArticles[(t + k) % 12].id;
                    if (s.similar(id).hits.empty()) ++empty;
                    if (!s.document(id)) ++missing;  // the same lookup by id
                } catch (const std::exception& e) {
                    if (errors++ == 0) {
                        std::lock_guard<std::mutex> lock(first_error_mutex);
                        first_error = e.what();
                    }
                }
            }
        });
    {
        vnsearch::Index ix(dir.str("db"));
        for (int k = 0; k < 10; ++k) {
            vnsearch::Document d = document(kArticles[k % 12]);
            d.id = "more-" + std::to_string(k);
            d.body += " Bài viết thêm số " + std::to_string(k) + ".";
            ix.add(d);
            ix.commit();
        }
    }
    for (auto& r : readers) r.join();
    INFO("first error: " << first_error);
    CHECK(errors == 0);
    CHECK(empty == 0);
    CHECK(missing == 0);
    s.reopen();
    CHECK_FALSE(s.similar("more-3").hits.empty());
}

TEST_CASE("similar: terms in many documents only add to neighbours sharing a rarer one", "[similar]") {
    // 400 filler articles share a few everyday words with every topic article, so those
    // words are in far more than 1 % of the documents; the topic words are in 4 each.
    TempDir dir("vnsearch-similar");
    {
        vnsearch::Index ix(dir.str("db"));
        for (const auto& a : kArticles) {
            vnsearch::Document d = document(a);
            d.body += " Năm nay người dân cả nước theo dõi tin tức hằng ngày.";
            ix.add(d);
        }
        for (int k = 0; k < 400; ++k) {
            vnsearch::Document d("filler-" + std::to_string(k));
            d.title = "Tin tức hằng ngày";
            d.body = "Năm nay người dân cả nước theo dõi tin tức hằng ngày.";
            ix.add(d);
        }
        ix.commit();
    }
    const Xapian::Database db(dir.str("db"));
    vnsearch::detail::SimilarParameters plain, boosted;
    plain.boost_fraction = 0;
    plain.terms = boosted.terms = 200;  // every term of these short articles
    for (const auto& a : kArticles) {
        INFO(a.id);
        const auto p = vnsearch::detail::similar_query(db, a.id, plain);
        const auto b = vnsearch::detail::similar_query(db, a.id, boosted);
        REQUIRE(p.terms == b.terms);  // the same expansion terms, queried differently
        auto ranked = [&](const Xapian::Query& q) {
            Xapian::Enquire e(db);
            e.set_query(q);
            std::vector<std::pair<Xapian::docid, double>> out;
            const Xapian::MSet m = e.get_mset(0, 1000);
            for (auto it = m.begin(); it != m.end(); ++it) out.emplace_back(*it, it.get_weight());
            return out;
        };
        const auto all = ranked(p.query), kept = ranked(b.query);
        // Plain OR: the fillers match through the everyday words. Boosted: only articles
        // sharing a topic word, each with the score the plain OR gives it, in its order.
        CHECK(all.size() > 400);
        REQUIRE(kept.size() >= 3);
        CHECK(kept.size() < all.size());
        std::size_t at = 0;
        for (const auto& [docid, score] : kept) {
            CHECK_FALSE(topic_of(vnsearch::detail::stored_document(db.get_document(docid)).id).empty());
            while (at < all.size() && all[at].first != docid) ++at;
            REQUIRE(at < all.size());
            CHECK(score == Approx(all[at].second));
        }
    }    // Searcher::similar ranks them in two steps (the rarer terms pick candidates, the whole
    // query ranks them): the same documents, order and scores as the whole query with BM25
    // over every match.
    vnsearch::Searcher searcher(dir.str("db"));
    const vnsearch::detail::RankingParameters rp;
    for (const auto& a : kArticles) {
        INFO(a.id);
        const auto b = vnsearch::detail::similar_query(db, a.id, vnsearch::detail::SimilarParameters{});
        REQUIRE_FALSE(b.candidates.empty());  // the everyday words only add
        Xapian::Enquire e(db);
        e.set_query(b.query);
        e.set_weighting_scheme(Xapian::BM25Weight(rp.bm25_k1, 0, 1, rp.bm25_b, rp.bm25_min_normlen));
        const Xapian::MSet m = e.get_mset(0, 100);
        vnsearch::SimilarOptions o;
        o.limit = 100;
        o.snippet_chars = 0;
        const auto hits = searcher.similar(a.id, o).hits;
        REQUIRE(hits.size() == m.size());
        for (std::size_t i = 0; i < hits.size(); ++i) {
            CHECK(hits[i].id == vnsearch::detail::stored_document(m[static_cast<Xapian::doccount>(i)].get_document()).id);
            CHECK(hits[i].score == Approx(m[static_cast<Xapian::doccount>(i)].get_weight()));
        }
        // In blocks of any size, each candidate's score is the whole query's: the common terms'
        // scores are added to the rarer terms' (CandidateScoring::add).
        std::map<Xapian::docid, double> whole;
        for (auto it = m.begin(); it != m.end(); ++it) whole[*it] = it.get_weight();
        const Xapian::BM25Weight w(rp.bm25_k1, 0, 1, rp.bm25_b, rp.bm25_min_normlen);
        for (const Xapian::doccount block : {1u, 2u, 5u, 400u}) {
            const auto found = vnsearch::detail::match_candidates(db, {db}, b.candidates, b.common, w, 0, 1000, block,
                                                                  vnsearch::detail::CandidateScoring::add);
            REQUIRE(found);
            REQUIRE(found->hits.size() == whole.size());
            for (const auto& hit : found->hits) {
                REQUIRE(whole.count(hit.docid));
                CHECK(hit.weight == Approx(whole[hit.docid]));
            }
        }
    }
}

TEST_CASE("similar: the expansion terms are Xapian's Bo1 ESet, fewer of them weighed", "[similar]") {
    // Real text (the seed articles' paragraphs), the topic articles, and articles that repeat
    // one word hundreds of times (a term whose collection frequency exceeds the documents
    // many times over, where Bo1 grows with the frequency again).
    TempDir dir("vnsearch-similar");
    {
        vnsearch::Index ix(dir.str("db"));
        for (const auto& d : vnsearch_test::seed_paragraph_docs()) ix.add(d);
        for (const auto& a : kArticles) ix.add(document(a));
        for (int k = 0; k < 6; ++k) {
            vnsearch::Document d("repeat-" + std::to_string(k));
            for (int n = 0; n < 400; ++n) d.body += "xã ";
            d.body += kArticles[k].body;
            ix.add(d);
        }
        ix.commit();
    }
    const Xapian::Database db(dir.str("db"));
    struct Topic : Xapian::ExpandDecider {
        const Xapian::Database& db;
        Xapian::doccount min;
        Topic(const Xapian::Database& d, Xapian::doccount m) : db(d), min(m) {}
        bool operator()(const std::string& t) const override { return vnsearch::scheme::is_topic_term(t) && db.get_termfreq(t) >= min; }
    };
    std::size_t compared = 0;
    for (Xapian::docid docid = 1; docid <= db.get_lastdocid(); ++docid) {
        for (const std::size_t count : {std::size_t{3}, std::size_t{40}, std::size_t{500}}) {
            for (const Xapian::doccount min : {Xapian::doccount{1}, Xapian::doccount{3}}) {
                INFO("document " << docid << ", " << count << " terms, in at least " << min << " documents");
                const auto ours = vnsearch::detail::expansion_terms(db, docid, count, min);
                Xapian::Enquire e(db);
                e.set_expansion_scheme("bo1");
                Xapian::RSet rset;
                rset.add_document(docid);
                const Topic topic(db, min);
                const Xapian::ESet eset = e.get_eset(static_cast<Xapian::termcount>(count), rset, &topic);
                REQUIRE(ours.size() == eset.size());
                std::set<std::string> xapian_above, ours_above;  // terms outweighing the last kept
                for (std::size_t i = 0; i < ours.size(); ++i) {
                    CHECK(ours[i].weight == Approx(eset[static_cast<Xapian::termcount>(i)].get_weight()).epsilon(1e-12));
                    CHECK(ours[i].termfreq == db.get_termfreq(ours[i].term));
                    if (ours[i].weight > ours.back().weight * (1 + 1e-12)) ours_above.insert(ours[i].term);
                    if (eset[static_cast<Xapian::termcount>(i)].get_weight() > ours.back().weight * (1 + 1e-12))
                        xapian_above.insert(*eset[static_cast<Xapian::termcount>(i)]);
                }
                CHECK(ours_above == xapian_above);
                ++compared;
            }
        }
    }
    CHECK(compared > 100);
}

TEST_CASE("a reopened Searcher weighs with the new revision's frequencies, not remembered ones", "[similar]") {
    // The Searcher keeps the term frequencies it has read (per handle). After a commit that
    // makes the football words common, similar() and search() on the reopened Searcher must
    // equal those of a Searcher opened afresh.
    TempDir dir("vnsearch-similar");
    build(dir.str("db"), false);
    vnsearch::Searcher s(dir.str("db"));
    const char* queries[] = {"bóng đá việt nam", "huấn luyện viên cầu thủ", "giá lúa gạo xuất khẩu"};
    for (const auto& a : kArticles) (void)s.similar(a.id);
    for (const char* q : queries) (void)s.search(q);
    {
        vnsearch::Index ix(dir.str("db"));
        for (int k = 0; k < 300; ++k) {
            vnsearch::Document d("more-" + std::to_string(k));
            d.title = "Trận đấu của đội tuyển bóng đá";
            d.body = "Huấn luyện viên và các cầu thủ đội tuyển bóng đá chuẩn bị trận đấu trên sân.";
            ix.add(d);
        }
        ix.commit();
    }
    s.reopen();
    vnsearch::Searcher fresh(dir.str("db"));
    auto same = [](const vnsearch::Results& x, const vnsearch::Results& y) {
        REQUIRE(x.hits.size() == y.hits.size());
        for (std::size_t i = 0; i < x.hits.size(); ++i) {
            CHECK(x.hits[i].id == y.hits[i].id);
            CHECK(x.hits[i].score == Approx(y.hits[i].score).epsilon(1e-12));
        }
    };
    vnsearch::SimilarOptions o;
    o.limit = 20;
    for (const auto& a : kArticles) {
        INFO(a.id);
        same(s.similar(a.id, o), fresh.similar(a.id, o));
    }
    for (const char* q : queries) {
        INFO(q);
        same(s.search(q), fresh.search(q));
    }
}
