// Known-item relevance on VietNews: vnsearch, plain Xapian (TermGenerator + QueryParser) and
// SQLite FTS5 (unicode61 remove_diacritics 2), same documents and queries, one run.
//   vnsearch-bench-relevance [--docs 50000] [--queries 1000] [--seed 42] [--field title|summary|question]
// Queries: 3-5 consecutive syllables of a sampled document's headline (or summary), as
// written (accented) and folded (unaccented). With --field question, the summaries are not
// indexed (title + body only) and the query is the first sentence of the document's summary
// (6-30 words): a long natural-language description, ranked by every engine as an OR of its
// words (FTS5 with OR; Xapian's QueryParser defaults to OR). Metric: MRR@10 and Recall@10 of
// the target, where exact duplicates of the target's text count as the target (VietNews has ~6.9k).
// With --field entity (same index as question): a name (a capitalized word without marks;
// half in 3-60 documents: "Messi", "Zuckerberg"; half in 61-1,500: "Obama") inside a
// question frame of common words ("{} đã nói như thế nào về việc này"); every document
// naming it is relevant. Metric:
// precision@10 (of min(10, documents naming it)) and MRR@10 of the first such document.
// Plain BM25 lets the name's rarity decide; common question words must not outvote it.
#include <sqlite3.h>
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <unordered_map>
#include <vnsearch/vnsearch.h>

#include "corpus_reader.h"

namespace {

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

struct Query {
    std::size_t target;  // document index (entity: the entity's index)
    std::string accented, unaccented;
};

// Question frames for --field entity: common words around a name ({}).
const char* const kEntityFrames[] = {
    "{} là ai",
    "{} có nghĩa là gì với đội bóng",
    "{} đã nói như thế nào về việc này",
    "{} phổ biến như thế nào ở Việt Nam",
    "vì sao {} lại được nhiều người quan tâm",
    "những điều cần biết về {}",
    "{} có ảnh hưởng như thế nào đến cuộc sống của người dân",
    "tại sao {} không được nhắc đến trong năm nay",
    "{} đang làm gì và ở đâu",
    "thông tin mới nhất về {} là gì",
};

struct Score {
    double mrr = 0, recall = 0, seconds = 0;  // recall: P@10 in entity mode
    std::size_t n = 0;
    /// `rank`: of the first relevant hit (0: none in the top 10); `found`: the share of the
    /// relevant documents in the top 10 (Recall@10 of one target: 0 or 1).
    void add(int rank, double found, double secs) {
        ++n;
        seconds += secs;
        if (rank > 0) mrr += 1.0 / rank;
        recall += found;
    }
};

struct Engine {
    std::string name;
    double index_seconds = 0;
    std::function<std::vector<std::size_t>(const std::string&)> search;  // top-10 doc indexes
};

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "sqlite %s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Known-item relevance: vnsearch vs plain Xapian vs SQLite FTS5"};
    std::size_t n_docs = 50000, n_queries = 1000;
    unsigned seed = 42;
    std::string field = "title", shared = VNSEARCH_BENCH_SHARED, work = "bench-relevance-work", out_json;
    app.add_option("--docs", n_docs, "Documents (the first N of VietNews)")->capture_default_str();
    app.add_option("--queries", n_queries, "Queries to sample")->capture_default_str();
    app.add_option("--seed", seed, "Random seed")->capture_default_str();
    app.add_option("--field", field, "Where spans come from: title or summary")->check(CLI::IsMember({"title", "summary", "question", "entity"}));
    app.add_option("--shared", shared, "The shared data directory")->capture_default_str();
    app.add_option("--work", work, "Directory for the three indexes")->capture_default_str();
    app.add_option("--json", out_json, "Also write the results as JSON to this file");
    bool reuse = false, only_vnsearch = false;
    app.add_flag("--only-vnsearch", only_vnsearch, "Measure vnsearch alone, default and exhaustive (tuning runs; the anchors need a full run)");
    app.add_flag("--reuse", reuse, "Keep the indexes in --work and reuse them when built for the same documents (tuning runs)");
    CLI11_PARSE(app, argc, argv);

    auto docs = vnsearch_bench::read_vietnews(shared, n_docs);
    if (docs.empty()) {
        std::printf("shared corpus absent (%s/corpus/vietnews.jsonl.zst): relevance benchmark skipped\n", shared.c_str());
        return 0;
    }
    const bool entity = field == "entity";
    const bool question = field == "question" || entity;
    std::vector<std::string> summaries;  // question mode: each document's summary, not indexed
    if (question) {
        summaries.reserve(docs.size());
        for (auto& d : docs) {
            const std::size_t cut = d.body.find("\n\n");
            summaries.push_back(d.body.substr(0, cut));
            d.body = cut == std::string::npos ? std::string() : d.body.substr(cut + 2);
        }
    }
    // Exact duplicates form one item.
    std::vector<std::size_t> group(docs.size());
    {
        std::unordered_map<std::string, std::size_t> first;
        for (std::size_t i = 0; i < docs.size(); ++i)
            group[i] = first.emplace(docs[i].title + "\x1f" + docs[i].body, i).first->second;
    }
    // Queries.
    std::mt19937 rng(seed);
    vnsearch::Analyzer analyzer;
    std::vector<Query> queries;
    // Entity mode: the documents naming each entity (sorted), by entity index.
    std::vector<std::vector<std::size_t>> named;
    if (entity) {
        std::unordered_map<std::string, std::vector<std::size_t>> docs_of;
        std::unordered_map<std::string, std::string> spelling;
        for (std::size_t i = 0; i < docs.size(); ++i) {
            std::set<std::string> seen;
            for (const std::string* text : {&docs[i].title, &docs[i].body})
                for (const auto& tok : analyzer.analyze(*text)) {
                    if (tok.part || tok.kind != vnsearch::TokenKind::word || tok.text.size() < 4) continue;
                    if (!(tok.text[0] >= 'A' && tok.text[0] <= 'Z') || tok.folded.size() != tok.text.size()) continue;
                    bool ascii = true;
                    for (unsigned char ch : tok.text) ascii = ascii && ch < 0x80;
                    if (!ascii || !seen.insert(tok.folded).second) continue;
                    docs_of[tok.folded].push_back(i);
                    spelling.emplace(tok.folded, tok.text);
                }
        }
        // Half the queries name a rare entity (3-60 documents: "Messi"), half a well-known one
        // (61-1,500: "Obama", "Putin"), whose name may be as common as a question word.
        std::vector<std::string> rare, known;
        for (const auto& [w, ds] : docs_of) {
            // A capitalized word without marks in 3-1,500 documents is a name: a word that is
            // capitalized only at the start of sentences is in far more.
            if (ds.size() >= 3 && ds.size() <= 60) rare.push_back(w);
            else if (ds.size() > 60 && ds.size() <= 1500) known.push_back(w);
        }
        for (auto* names : {&rare, &known}) {
            std::sort(names->begin(), names->end());
            std::shuffle(names->begin(), names->end(), rng);
        }
        for (std::size_t k = 0; queries.size() < n_queries && k < std::max(rare.size(), known.size()); ++k)
            for (const auto* names : {&rare, &known}) {
                if (k >= names->size() || queries.size() >= n_queries) continue;
                const std::string& w = (*names)[k];
                std::string frame = kEntityFrames[queries.size() % (sizeof kEntityFrames / sizeof *kEntityFrames)];
                frame.replace(frame.find("{}"), 2, spelling[w]);
                Query q{named.size(), frame, vnsearch::fold(frame)};
                named.push_back(docs_of[w]);
                queries.push_back(std::move(q));
            }
    }
    for (std::size_t attempts = 0; !entity && queries.size() < n_queries && attempts < n_queries * 20; ++attempts) {
        std::size_t t = rng() % docs.size();
        std::string src = docs[t].title;
        if (field == "summary") src = docs[t].body.substr(0, docs[t].body.find("\n\n"));
        if (question) {
            // The first sentence of the summary, as written (words and numbers, no punctuation).
            const std::string& sum = summaries[t];
            std::size_t end = sum.find(" . ");
            std::string sentence = sum.substr(0, end);
            std::vector<std::string> ws;
            for (const auto& tok : analyzer.analyze(sentence))
                if (!tok.part) ws.push_back(tok.text);
            if (ws.size() < 6) continue;
            if (ws.size() > 30) ws.resize(30);
            Query q{t, "", ""};
            for (std::size_t k = 0; k < ws.size(); ++k) q.accented += (k ? " " : "") + ws[k];
            q.unaccented = vnsearch::fold(q.accented);
            queries.push_back(std::move(q));
            continue;
        }
        std::vector<std::string> words;
        for (const auto& tok : analyzer.analyze(src))
            if (!tok.part && tok.kind == vnsearch::TokenKind::word) words.push_back(tok.text);
        if (words.size() < 3) continue;
        std::size_t len = std::min<std::size_t>(3 + rng() % 3, words.size());
        std::size_t start = rng() % (words.size() - len + 1);
        Query q{t, "", ""};
        for (std::size_t k = start; k < start + len; ++k) q.accented += (k > start ? " " : "") + words[k];
        q.unaccented = vnsearch::fold(q.accented);
        queries.push_back(std::move(q));
    }
    const std::string marker = work + "/built-for";
    const std::string wanted = std::to_string(docs.size()) + (question ? " question" : " spans");
    bool built = false;
    if (reuse) {
        std::string have;
        if (std::FILE* f = std::fopen(marker.c_str(), "r")) {
            char buf[64] = {0};
            if (std::fgets(buf, sizeof buf, f)) have = buf;
            std::fclose(f);
        }
        built = have == wanted;
    }
    if (!built) {
        std::filesystem::remove_all(work);
        std::filesystem::create_directories(work);
    }
    std::vector<Engine> engines;

    {  // vnsearch
        auto t0 = clock_type::now();
        if (!built) {
            vnsearch::Index ix(work + "/vnsearch");
            for (std::size_t i = 0; i < docs.size(); ++i) {
                vnsearch::Document d(std::to_string(i));
                d.title = docs[i].title;
                d.body = docs[i].body;
                ix.add(d);
            }
            ix.commit();
        }
        auto searcher = std::make_shared<vnsearch::Searcher>(work + "/vnsearch");
        auto ranking = [searcher](bool exhaustive) {
            return [searcher, exhaustive](const std::string& q) {
                std::vector<std::size_t> ids;
                vnsearch::SearchOptions o;
                o.suggest = false;  // ranking only
                o.limit = 10;
                o.snippet_chars = 0;
                o.exhaustive = exhaustive;
                for (const auto& h : searcher->search(q, o)) ids.push_back(std::stoul(h.id));
                return ids;
            };
        };
        const double seconds = since(t0);
        engines.push_back({"vnsearch", seconds, ranking(false)});
        // The same index, every match ranked (no candidate step): what the candidates cost or gain.
        engines.push_back({"vnsearch, exhaustive = true (same index)", seconds, ranking(true)});
    }
    {  // plain Xapian
        auto t0 = clock_type::now();
        if (!built) {
            Xapian::WritableDatabase db(work + "/xapian", Xapian::DB_CREATE_OR_OVERWRITE);
            Xapian::TermGenerator tg;
            for (const auto& d : docs) {
                Xapian::Document doc;
                tg.set_document(doc);
                tg.index_text(d.title);
                tg.increase_termpos();
                tg.index_text(d.body);
                db.add_document(doc);
            }
            db.commit();
        }
        Engine e{"plain Xapian (TermGenerator + QueryParser)", since(t0), {}};
        auto db = std::make_shared<Xapian::Database>(work + "/xapian");
        e.search = [db](const std::string& q) {
            Xapian::QueryParser qp;
            qp.set_database(*db);
            Xapian::Enquire enq(*db);
            enq.set_query(qp.parse_query(q));
            std::vector<std::size_t> ids;
            for (auto it = enq.get_mset(0, 10).begin(); it != enq.get_mset(0, 10).end(); ++it) ids.push_back(*it - 1);
            return ids;
        };
        engines.push_back(std::move(e));
    }
    sqlite3* sq = nullptr;
    {  // SQLite FTS5
        auto t0 = clock_type::now();
        check(sqlite3_open((work + "/fts5.db").c_str(), &sq), sq, "open");
        if (!built) {
        check(sqlite3_exec(sq, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                               "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='unicode61 remove_diacritics 2');"
                               "BEGIN;", nullptr, nullptr, nullptr), sq, "create");
        sqlite3_stmt* ins = nullptr;
        check(sqlite3_prepare_v2(sq, "INSERT INTO docs(rowid, title, body) VALUES(?, ?, ?)", -1, &ins, nullptr), sq, "prepare");
        for (std::size_t i = 0; i < docs.size(); ++i) {
            sqlite3_bind_int64(ins, 1, static_cast<sqlite3_int64>(i + 1));
            sqlite3_bind_text(ins, 2, docs[i].title.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(ins, 3, docs[i].body.c_str(), -1, SQLITE_STATIC);
            check(sqlite3_step(ins), sq, "insert");
            sqlite3_reset(ins);
        }
        sqlite3_finalize(ins);
        check(sqlite3_exec(sq, "COMMIT;", nullptr, nullptr, nullptr), sq, "commit");
        }
        Engine e{question ? "SQLite FTS5 (unicode61 remove_diacritics 2, OR)" : "SQLite FTS5 (unicode61 remove_diacritics 2, AND)",
                 since(t0), {}};
        e.search = [sq, question](const std::string& q) {
            // Each syllable as a quoted string, implicit AND (FTS5's own query syntax), or
            // joined by OR for questions.
            std::string match;
            std::size_t i = 0;
            while (i < q.size()) {
                std::size_t j = q.find(' ', i);
                if (j == std::string::npos) j = q.size();
                if (j > i) {
                    std::string word = q.substr(i, j - i);
                    for (std::size_t k = 0; (k = word.find('"', k)) != std::string::npos; k += 2) word.insert(k, "\"");
                    match += (match.empty() ? "\"" : question ? " OR \"" : " \"") + word + "\"";
                }
                i = j + 1;
            }
            std::vector<std::size_t> ids;
            sqlite3_stmt* st = nullptr;
            sqlite3_prepare_v2(sq, "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10", -1, &st, nullptr);
            sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
            while (sqlite3_step(st) == SQLITE_ROW) ids.push_back(static_cast<std::size_t>(sqlite3_column_int64(st, 0) - 1));
            sqlite3_finalize(st);
            return ids;
        };
        engines.push_back(std::move(e));
    }

    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    if (entity)
        std::printf("VietNews, first %zu documents (title + body; summaries not indexed); %zu queries: a name (half in 3-60 documents, half in 61-1,500) "
                    "in one of %zu question frames; seed %u. P@10 counts the documents naming it (of min(10, all))\n\n",
                    docs.size(), queries.size(), sizeof kEntityFrames / sizeof *kEntityFrames, seed);
    else if (question)
        std::printf("VietNews, first %zu documents (title + body; summaries not indexed); %zu queries: the first "
                    "sentence of a document's summary (6-30 words); seed %u\n\n", docs.size(), queries.size(), seed);
    else
        std::printf("VietNews, first %zu documents; %zu queries of 3-5 consecutive syllables of the %s; seed %u\n\n",
                    docs.size(), queries.size(), field.c_str(), seed);
    const char* third = entity ? "P@10" : "Recall@10";
    std::printf("| engine | MRR@10 accented | MRR@10 unaccented | %s accented | %s unaccented | index s | ms/query |\n", third, third);
    std::printf("|---|---|---|---|---|---|---|\n");
    for (const auto& e : engines) {
        if (only_vnsearch && e.name.rfind("vnsearch", 0) != 0) continue;
        Score acc, una;
        for (const auto& q : queries) {
            for (auto* sc : {&acc, &una}) {
                const std::string& text = sc == &acc ? q.accented : q.unaccented;
                auto t0 = clock_type::now();
                auto ids = e.search(text);
                double secs = since(t0);
                int rank = 0;
                if (entity) {
                    // MRR of the first document naming the entity; P@10 in place of recall.
                    const auto& relevant = named[q.target];
                    std::size_t found = 0;
                    for (std::size_t r = 0; r < ids.size(); ++r)
                        if (std::binary_search(relevant.begin(), relevant.end(), ids[r])) {
                            if (!found++) rank = static_cast<int>(r) + 1;
                        }
                    sc->add(rank, static_cast<double>(found) / static_cast<double>(std::min<std::size_t>(10, relevant.size())), secs);
                    continue;
                }
                for (std::size_t r = 0; r < ids.size(); ++r)
                    if (ids[r] < docs.size() && group[ids[r]] == group[q.target]) {
                        rank = static_cast<int>(r) + 1;
                        break;
                    }
                sc->add(rank, rank > 0 ? 1.0 : 0.0, secs);
            }
        }
        const double n = static_cast<double>(queries.size());
        std::printf("| %s | %.3f | %.3f | %.3f | %.3f | %.1f | %.2f |\n", e.name.c_str(), acc.mrr / n, una.mrr / n,
                    acc.recall / n, una.recall / n, e.index_seconds, (acc.seconds + una.seconds) / (2 * n) * 1000);
        results.push_back({{"engine", e.name},
                           {"mrr10_accented", acc.mrr / n},
                           {"mrr10_unaccented", una.mrr / n},
                           {entity ? "p10_accented" : "recall10_accented", acc.recall / n},
                           {entity ? "p10_unaccented" : "recall10_unaccented", una.recall / n},
                           {"index_seconds", e.index_seconds},
                           {"ms_per_query", (acc.seconds + una.seconds) / (2 * n) * 1000}});
    }
    sqlite3_close(sq);
    if (!out_json.empty()) {
        nlohmann::ordered_json j = {{"corpus", "vietnews"}, {"documents", docs.size()}, {"queries", queries.size()},
                                    {"span_field", field}, {"seed", seed}, {"results", results}};
        std::FILE* f = std::fopen(out_json.c_str(), "w");
        if (f) {
            std::fputs(j.dump(2).c_str(), f);
            std::fclose(f);
        }
    }
    if (reuse) {
        if (std::FILE* f = std::fopen(marker.c_str(), "w")) {
            std::fputs(wanted.c_str(), f);
            std::fclose(f);
        }
    } else {
        std::filesystem::remove_all(work);
    }
    return 0;
}
