// Ranking in two steps (lib/search/candidates.h): the default search finds candidates with the
// query's rarer terms and scores them with the whole query; SearchOptions::exhaustive ranks
// every match. On a corpus where some words are in most documents and others in a few, both
// must give the same hits, except documents that hold only the common words.
#include <catch2/catch.hpp>
#include <random>
#include <cstdio>
#include <set>
#include <thread>
#include <vnsearch/vnsearch.h>

#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

// Function words, each in most documents (well above the 10 % that makes a term common).
const std::vector<std::string> kCommon = {"của", "các", "là", "một", "và", "có", "được", "trong", "cho", "người"};
// Topic words, each in a few documents.
std::vector<std::string> topic_words() {
    std::vector<std::string> w;
    for (const char* onset : {"b", "c", "d", "đ", "g", "h", "kh", "l", "m", "n", "ph", "s", "t", "th", "v"})
        for (const char* rhyme : {"ăng", "ương", "iếm", "oạch", "uyết", "ồn", "ạnh"}) w.push_back(std::string(onset) + rhyme);
    return w;  // 105 syllables
}

struct Corpus {
    std::vector<vnsearch::Document> docs;
    std::vector<std::string> topics;
};

/// 4,000 documents of 6 common and 3 topic words each, shuffled (a common word is then in
/// about 1,900 documents, a topic word in about 110); the last 4 documents hold one common
/// word only, six times.
Corpus make_corpus() {
    Corpus c;
    c.topics = topic_words();
    std::mt19937 rng(7);
    for (int i = 0; i < 4000; ++i) {
        std::vector<std::string> words;
        for (int k = 0; k < 6; ++k) words.push_back(i < 3996 ? kCommon[rng() % kCommon.size()] : kCommon.back());
        if (i < 3996)
            for (int k = 0; k < 3; ++k) words.push_back(c.topics[rng() % c.topics.size()]);
        std::shuffle(words.begin(), words.end(), rng);
        vnsearch::Document d("doc-" + std::to_string(i));
        d.title = words[0] + " " + words[1];
        for (const auto& w : words) d.body += w + " ";
        c.docs.push_back(std::move(d));
    }
    return c;
}

/// Long queries: three topic words among nine common ones, half typed without marks.
std::vector<std::string> make_queries(const Corpus& c, int n) {
    std::mt19937 rng(11);
    std::vector<std::string> qs;
    for (int i = 0; i < n; ++i) {
        std::vector<std::string> words;
        for (int k = 0; k < 9; ++k) words.push_back(kCommon[rng() % kCommon.size()]);
        for (int k = 0; k < 3; ++k) words.push_back(c.topics[rng() % c.topics.size()]);
        std::shuffle(words.begin(), words.end(), rng);
        std::string q;
        for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
        qs.push_back(i % 2 ? vnsearch::fold(q) : q);
    }
    return qs;
}

std::vector<std::string> ids(const vnsearch::Results& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.id);
    return out;
}

vnsearch::SearchOptions bare(std::size_t limit = 10, std::size_t offset = 0) {
    vnsearch::SearchOptions o;
    o.suggest = false;
    o.snippet_chars = 0;
    o.limit = limit;
    o.offset = offset;
    return o;
}

vnsearch::SearchOptions exhaustive(std::size_t limit = 10, std::size_t offset = 0) {
    vnsearch::SearchOptions o = bare(limit, offset);
    o.exhaustive = true;
    return o;
}

void index_all(const std::string& path, const std::vector<vnsearch::Document>& docs, std::size_t shards = 0) {
    vnsearch::IndexOptions o;
    o.shards = shards;
    vnsearch::Index ix(path, o);
    for (const auto& d : docs) ix.add(d);
    ix.commit();
}

}  // namespace

TEST_CASE("Default search and exhaustive search rank the same hits on long mixed queries", "[search][candidates]") {
    TempDir dir("vnsearch-candidates");
    const Corpus c = make_corpus();
    index_all(dir.str("db"), c.docs);
    vnsearch::Searcher s(dir.str("db"));
    for (const std::string& q : make_queries(c, 20)) {
        INFO(q);
        const auto fast = s.search(q, bare()), all = s.search(q, exhaustive());
        REQUIRE(!fast.hits.empty());
        CHECK(ids(fast) == ids(all));
        for (std::size_t i = 0; i < fast.hits.size() && i < all.hits.size(); ++i)
            CHECK(fast.hits[i].score == Approx(all.hits[i].score).epsilon(1e-9));
        // The candidates are the documents holding a topic word; every match also counts the
        // documents that hold only common words.
        CHECK(fast.total < all.total);
    }
}

TEST_CASE("A document holding only common words is a match of an exhaustive search only", "[search][candidates]") {
    TempDir dir("vnsearch-candidates");
    const Corpus c = make_corpus();
    index_all(dir.str("db"), c.docs);
    vnsearch::Searcher s(dir.str("db"));
    const std::string q = "của các là một " + c.topics[0] + " và có được trong cho người";
    const std::set<std::string> only_common = {"doc-3996", "doc-3997", "doc-3998", "doc-3999"};
    auto holds_only_common = [&](const vnsearch::Results& r) {
        for (const auto& h : r.hits)
            if (only_common.count(h.id)) return true;
        return false;
    };
    CHECK_FALSE(holds_only_common(s.search(q, bare(5000))));
    CHECK(holds_only_common(s.search(q, exhaustive(5000))));
    // A query of one common word ranks every document that holds it: unmarked, in one step;
    // marked, from its exact spelling (the only one here).
    for (const char* word : {"cua", "của"}) {
        INFO(word);
        const auto fast = s.search(word, bare(5000)), all = s.search(word, exhaustive(5000));
        CHECK(ids(fast) == ids(all));
        CHECK(fast.total == all.total);
        CHECK(fast.total > 1000);
    }
}

namespace {

/// 3,000 documents all holding "thời" and "gian": half with them side by side, 1 to 6 times,
/// half apart; then 300 holding "thới" (another spelling of "thoi") alone. Every term of
/// "thời gian" is then common, its pair too (1,500 documents).
std::vector<vnsearch::Document> common_phrase_corpus() {
    std::vector<vnsearch::Document> docs;
    std::mt19937 rng(5);
    const std::vector<std::string> filler = topic_words();
    for (int i = 0; i < 3000; ++i) {
        std::vector<std::string> words;
        for (int k = 0; k < 4 + static_cast<int>(rng() % 20); ++k) words.push_back(filler[rng() % filler.size()]);
        std::string body;
        if (i % 2 == 0) {
            for (int k = 0; k <= i % 6; ++k) words.push_back("thời gian");
            std::shuffle(words.begin(), words.end(), rng);
        } else {
            std::shuffle(words.begin(), words.end(), rng);
            words.insert(words.begin(), "thời");
            words.push_back("gian");
        }
        for (const auto& w : words) body += w + " . ";
        vnsearch::Document d("doc-" + std::to_string(i));
        d.body = body;
        docs.push_back(std::move(d));
    }
    for (int i = 3000; i < 3300; ++i) {
        vnsearch::Document d("doc-" + std::to_string(i));
        d.body = "thới . " + filler[static_cast<std::size_t>(i) % filler.size()];
        docs.push_back(std::move(d));
    }
    return docs;
}

}  // namespace

TEST_CASE("A phrase, and words whose every term is common, rank as an exhaustive search does", "[search][candidates]") {
    TempDir dir("vnsearch-candidates");
    const std::vector<vnsearch::Document> docs = common_phrase_corpus();
    index_all(dir.str("db"), docs);
    vnsearch::Searcher s(dir.str("db"));
    auto side_by_side = [&](const std::string& id) { return std::stoi(id.substr(4)) % 2 == 0 && std::stoi(id.substr(4)) < 3000; };
    for (const char* q : {"thời gian", "thoi gian", "\"thời gian\"", "\"thoi gian\""}) {
        INFO(q);
        const auto fast = s.search(q, bare(20)), all = s.search(q, exhaustive(20));
        REQUIRE(fast.hits.size() == 20);
        CHECK(ids(fast) == ids(all));
        for (std::size_t i = 0; i < fast.hits.size(); ++i) {
            CHECK(fast.hits[i].score == Approx(all.hits[i].score).epsilon(1e-9));
            CHECK(side_by_side(fast.hits[i].id));
        }
    }
    // One word typed with marks: its candidates are the documents with that spelling, the
    // other spelling ranks below them (and is a match of an exhaustive search only).
    const auto fast = s.search("thời", bare(20)), all = s.search("thời", exhaustive(20));
    CHECK(ids(fast) == ids(all));
    CHECK(fast.total == 3000);
    CHECK(all.total == 3300);
    // A phrase's candidates are its matches: a page past the first block still holds the
    // phrase only.
    const auto deep = s.search("\"thoi gian\"", bare(100, 1400));
    REQUIRE(deep.hits.size() == 100);
    for (const auto& h : deep.hits) CHECK(side_by_side(h.id));
    CHECK(s.search("\"thoi gian\"", bare(100, 1500)).hits.empty());
}

TEST_CASE("Pages of the default search never overlap and follow one ranking", "[search][candidates]") {
    TempDir dir("vnsearch-candidates");
    const Corpus c = make_corpus();
    index_all(dir.str("db"), c.docs);
    vnsearch::Searcher s(dir.str("db"));
    // Twelve topic words: more candidates than one block of 50.
    std::string q = "của các là";
    for (int k = 0; k < 12; ++k) q += " " + c.topics[static_cast<std::size_t>(k * 8)];
    const auto whole = s.search(q, bare(120));
    REQUIRE(whole.hits.size() == 120);
    REQUIRE(whole.total > 120);
    // Pages of 10, and pages of 7 (some of them across the blocks' borders), put together.
    for (std::size_t size : {10, 7}) {
        std::vector<std::string> paged;
        for (std::size_t offset = 0; offset < 120; offset += size) {
            const auto page = s.search(q, bare(std::min<std::size_t>(size, 120 - offset), offset));
            for (std::size_t i = 0; i < page.hits.size(); ++i) CHECK(page.hits[i].rank == offset + i + 1);
            const auto got = ids(page);
            paged.insert(paged.end(), got.begin(), got.end());
        }
        CHECK(paged == ids(whole));
    }
    // Within a block, best first; the first page is the exhaustive one's.
    for (std::size_t i = 1; i < 50; ++i) CHECK(whole.hits[i - 1].score >= whole.hits[i].score);
    CHECK(ids(s.search(q, bare())) == ids(s.search(q, exhaustive())));
}

TEST_CASE("The candidate step keeps filters and works across shards", "[search][candidates][shards]") {
    TempDir dir("vnsearch-candidates");
    Corpus c = make_corpus();
    for (std::size_t i = 0; i < c.docs.size(); ++i) c.docs[i].source = i % 3 ? "Báo A" : "Báo B";
    index_all(dir.str("one"), c.docs);
    index_all(dir.str("set"), c.docs, 3);
    vnsearch::Searcher one(dir.str("one")), set(dir.str("set"));
    for (const std::string& q : make_queries(c, 10)) {
        INFO(q);
        const auto a = one.search(q, bare()), b = set.search(q, bare());
        REQUIRE(!a.hits.empty());
        CHECK(ids(a) == ids(b));
        CHECK(ids(b) == ids(set.search(q, exhaustive())));
        // Filtered: every hit from source B, the same as an exhaustive filtered search.
        vnsearch::SearchOptions f = bare(), fe = exhaustive();
        f.filters = fe.filters = {{"source", "Báo B"}};
        const auto fb = set.search(q, f);
        for (const auto& h : fb.hits) CHECK(h.source == "Báo B");
        CHECK(ids(fb) == ids(set.search(q, fe)));
        CHECK(ids(fb) == ids(one.search(q, f)));
    }
}

// The candidate step clones a posting source per shard and per block: one Searcher shared by
// threads must give each thread the answers a single thread gets (run under TSan in stage 3).
TEST_CASE("One Searcher shared by 4 threads ranks candidates as a single thread does", "[search][candidates][threads]") {
    TempDir dir("vnsearch-candidates");
    const Corpus c = make_corpus();
    index_all(dir.str("set"), c.docs, 3);
    const vnsearch::Searcher shared(dir.str("set"));
    const std::vector<std::string> queries = make_queries(c, 8);
    // The default options (snippets, "did you mean"), and a second page of 7.
    auto answer = [&](const std::string& q) {
        std::vector<std::string> out = ids(shared.search(q));
        for (const auto& id : ids(shared.search(q, bare(7, 7)))) out.push_back(id);
        return out;
    };
    std::vector<std::vector<std::string>> expected;
    for (const auto& q : queries) expected.push_back(answer(q));
    for (const auto& e : expected) REQUIRE(e.size() == 17);
    std::vector<int> mismatches(4, 0), errors(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < 4; ++k)
        threads.emplace_back([&, k] {
            try {
                for (int round = 0; round < 2; ++round)
                    for (std::size_t i = 0; i < queries.size(); ++i) {
                        const std::size_t j = (i + k) % queries.size();
                        if (answer(queries[j]) != expected[j]) ++mismatches[k];
                    }
            } catch (const std::exception& e) {
                std::fprintf(stderr, "candidate search error: %s\n", e.what());
                ++errors[k];
            }
        });
    for (auto& t : threads) t.join();
    for (std::size_t k = 0; k < 4; ++k) {
        CHECK(mismatches[k] == 0);
        CHECK(errors[k] == 0);
    }
}

TEST_CASE("An expansion widens a search of common words, it never narrows it", "[search][candidates]") {
    // 3,000 documents all about "bệnh viện" (every word and the pair common), 30 of them
    // abbreviating it "BV"; "BHYT" in half of them (common), spelt out "bảo hiểm y tế" in 20
    // others. The rarer terms of an expansion must not choose the documents of a search
    // whose own terms are all common: it ranks every match, as text of common words does.
    TempDir dir("vnsearch-candidates");
    std::vector<vnsearch::Document> docs;
    constexpr int kDocs = 3000;
    for (int i = 0; i < kDocs; ++i) {
        vnsearch::Document d("doc-" + std::to_string(i));
        d.body = "tin số " + std::to_string(i) + " về bệnh viện" + (i % 100 == 0 ? ", BV tỉnh" : "") +
                 (i % 2 == 0 ? " và thẻ BHYT" : "") + (i % 150 == 1 ? " và thẻ bảo hiểm y tế" : "");
        docs.push_back(std::move(d));
    }
    index_all(dir.str("db"), docs);
    vnsearch::Searcher s(dir.str("db"));
    for (const char* q : {"bệnh viện", "benh vien", "BHYT"}) {
        INFO(q);
        const auto fast = s.search(q, bare(kDocs)), all = s.search(q, exhaustive(kDocs));
        CHECK(fast.hits.size() == all.hits.size());
        CHECK(fast.hits.size() == (std::string(q) == "BHYT" ? std::size_t{kDocs / 2 + kDocs / 150} : std::size_t{kDocs}));
        CHECK(ids(fast) == ids(all));
        const auto counted = s.search(q, bare(0));
        CHECK(counted.total == fast.hits.size());
    }
    // With a rare word the candidates are chosen (the expansion's included), and the
    // articles with the literal word come first.
    const auto fast = s.search("BV tỉnh", bare(40)), all = s.search("BV tỉnh", exhaustive(40));
    CHECK(ids(fast) == ids(all));
    for (std::size_t i = 0; i < 30 && i < fast.hits.size(); ++i) CHECK(std::stoi(fast.hits[i].id.substr(4)) % 100 == 0);
}
