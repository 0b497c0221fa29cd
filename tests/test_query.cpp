// The parsed query (lib/search/query.h) and everything derived from it: golden tables of
// trees, Xapian queries and document terms (the scheme pinned), suggestions that respell
// free text only, snippets chosen from the parsed query, and the caps that keep every pass
// linear in the query's length.
#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

#include <chrono>
#include <map>
#include <random>
#include <string>

#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "search/query.h"
#include "search/query_builder.h"
#include "search/snippet.h"
#include "test_support.h"

using vnsearch::detail::describe;
using vnsearch::detail::parse_query;

namespace {

std::string tree(const std::string& q) { return describe(parse_query(q, vnsearch::Analyzer())); }

std::string xapian_query(const std::string& q) {
    const vnsearch::Analyzer a;
    return vnsearch::detail::build_query(parse_query(q, a), a).query.get_description();
}

std::string terms(const vnsearch::Document& d) {
    const auto x = vnsearch::detail::build_document(d, vnsearch::Analyzer());
    std::string out;
    for (auto it = x.termlist_begin(); it != x.termlist_end(); ++it)
        out += (out.empty() ? "" : " ") + *it + ":" + std::to_string(it.get_wdf());
    return out;
}

}  // namespace

TEST_CASE("one parser owns the query syntax: golden trees", "[query]") {
    const std::pair<const char*, const char*> table[] = {
        {"chi lang", "should:text[chi lang]"},
        {"Chi  Lăng", "should:text[chi lăng]"},
        {"\"Nghị quyết 22\" -lạng", "must:phrase[nghị quyết 22] must_not:text[lạng]"},
        {"“Nghị quyết” +hòa", "must:phrase[nghị quyết] must:text[hoà]"},
        {"title:chi lang OR \"thach that\" source:\"Báo Lạng Sơn\"",
         "must:title=chi[chi] must:either(should:text[lang] must:phrase[thach that]) filter:source=\"Báo Lạng Sơn\""},
        {"(a OR b) AND c NOT d", "must:group(should:either(should:text[a] should:text[b])) must:text[c] must_not:text[d]"},
        {"date:2018..2020 03-NQ/HU", "filter:date=2018..2020 should:text[03-nq/hu{03,nq,hu}]"},
        {"foo:bar id:\"x/Chinh tri/y\"", "should:text[foo bar] filter:id=\"x/Chinh tri/y\""},
        {"-source:VNE author:\"Hoàng Anh\"", "filter_not:source=VNE filter:author=\"Hoàng Anh\"[hoàng anh]"},
        {"a || b && c", "must:either(should:text[a] should:text[b]) must:text[c]"},
        {"chi\u00A0lang\u3000son", "should:text[chi lang son]"},  // Unicode spaces are spaces
        {"", ""},
        {"((( \"\" )))", ""},
        {"date:abc chi", "should:text[chi]"},
    };
    for (const auto& [query, expected] : table) {
        CAPTURE(query);
        CHECK(tree(query) == expected);
    }
    const auto p = parse_query("date:abc ) chi \"lang", vnsearch::Analyzer());
    CHECK(p.warnings == std::vector<std::string>{"unbalanced quote: phrase runs to the end of the query",
                                                 "cannot read the date 'abc' (use 2019, 2019-05, 2018..2020); ignored",
                                                 "unbalanced ')' ignored"});
    // A filter that can match nothing is not dropped in silence: a range that ends before it
    // starts, a source with no letters or digits.
    CHECK(tree("hà date:2019..2018 source:\"!!!\"") == "should:text[hà]");
    CHECK(parse_query("hà date:2019..2018 -source:!!!", vnsearch::Analyzer()).warnings ==
          std::vector<std::string>{"the dates 2019..2018 end before they start; ignored",
                                   "field 'source:' names no source (no letters or digits); ignored"});
    CHECK(parse_query("year:2018..2019 date:2019-05..2019-05 date:..2018", vnsearch::Analyzer()).warnings.empty());
    // A lone operator is dropped and said so, at either end.
    for (const char* q : {"AND hà", "hà AND", "OR hà", "hà OR", "hà NOT", "hà &&", "|| hà"}) {
        CAPTURE(q);
        const auto w = parse_query(q, vnsearch::Analyzer()).warnings;
        REQUIRE(w.size() == 1);
        CHECK(w[0].find("with nothing") != std::string::npos);
        CHECK(tree(q) == "should:text[hà]");
    }
    // Offsets point into the query text, for every word.
    const auto q = parse_query("title:chi \"Lạng Sơn\"", vnsearch::Analyzer());
    q.visit([&](const vnsearch::detail::QueryNode& n, bool) {
        for (const auto& w : n.words) CHECK(q.text.substr(w.token.start, w.token.end - w.token.start) == w.token.text);
    });
}

TEST_CASE("the Xapian query of each parsed query: golden descriptions", "[query][scheme]") {
    const std::pair<const char*, const char*> table[] = {
        // A run naming a unit also looks up its place term (Chi Lăng, district 187).
        {"chi lang", "Query((chi OR lang OR 1 * XPO187 OR 3 * Bchi lang))"},
        {"nghi quyet", "Query((nghi OR quyet OR 3 * Bnghi quyet))"},
        // A name with two readings looks up both; a bare commune name (an everyday phrase
        // here) or a district name that is an everyday phrase widens nothing.
        {"cho moi", "Query((cho OR moi OR 1 * (XPO065 OR XPO893) OR 3 * Bcho moi))"},
        {"an ninh", "Query((an OR ninh OR 3 * Ban ninh))"},
        {"lang", "Query(lang)"},
        {"thong nhat", "Query((thong OR nhat OR 3 * Bthong nhat))"},
        // A province's name on both maps: both terms.
        {"thai nguyen", "Query((thai OR nguyen OR 1 * (XPN19 OR XPO19) OR 3 * Bthai nguyen))"},
        // Exclusions and required words never widen by place.
        {"đảng -\"chi lang\"", "Query(((1 * Eđảng OR 0.3499999999999999778 * dang) AND_NOT (chi AND lang AND 3 * Bchi lang)))"},
        {"lạng", "Query((1 * Elạng OR 0.3499999999999999778 * lang))"},
        {"\"chi lang\"", "Query((chi AND lang AND 3 * Bchi lang))"},
        {"03-NQ/HU", "Query((03-nq/hu OR (03 AND nq AND hu AND B03 nq AND Bnq hu)))"},
        {"title:lang year:2019", "Query((Slang FILTER Y2019))"},
        {"chi year:2018..2020", "Query((chi FILTER (Y2018 OR Y2019 OR Y2020)))"},
        {"chi date:2019-05", "Query((chi FILTER VALUE_RANGE 0 20190501000000 20190531235959))"},
        {"chi -lang", "Query((chi AND_NOT lang))"},
        {"id:abc", "Query((<alldocuments> FILTER Qabc))"},
    };
    for (const auto& [query, expected] : table) {
        CAPTURE(query);
        CHECK(xapian_query(query) == expected);
    }
}

namespace {

/// Term statistics of a pretend index of 100,000 documents: a term is common above 10,000
/// (RankingParameters::prune_fraction); terms not listed are held by 10 documents.
class TableStats : public vnsearch::detail::TermStats {
  public:
    double documents() const override { return 100000; }
    double termfreq(const std::string& term) const override {
        static const std::map<std::string, double> df = {
            {"Ecó", 60000}, {"co", 70000},   {"cong", 50000}, {"Ecông", 45000}, {"an", 40000}, {"Bcong an", 15000},
            {"trung", 30000}, {"tam", 20000}, {"Etâm", 12000}, {"Btrung tam", 11000}, {"Bchi lang", 60}, {"chi", 30000},
            {"lang", 5000}, {"khong", 60000}, {"the", 50000}, {"Bkhong the", 20000}, {"Ecủa", 80000}, {"cua", 85000}};
        const auto it = df.find(term);
        return it == df.end() ? 10 : it->second;
    }
};

std::string candidate_query(const std::string& q) {
    const vnsearch::Analyzer a;
    const TableStats stats;
    return vnsearch::detail::build_query(parse_query(q, a), a, {}, nullptr, &stats).candidates.get_description();
}

}  // namespace

TEST_CASE("the candidate query of each parsed query: golden descriptions", "[query][scheme][candidates]") {
    // A phrase whose rarest pair is common enough finds its candidates by its pairs alone
    // (they imply their syllables); a rare phrase is matched in one step.
    CHECK(candidate_query("\"trung tâm\"") == "Query(3 * Btrung tam)");
    CHECK(candidate_query("\"trung tâm\" lang") == "Query((3 * Btrung tam AND_MAYBE lang))");
    CHECK(candidate_query("\"chi lang\"") == "Query()");
    // Beside common words, a rarer phrase finds candidates whole.
    CHECK(candidate_query("\"chi lang\" co") == "Query((chi AND lang AND 3 * Bchi lang))");
    // One word typed with marks whose every term is common: its exact spelling finds the
    // candidates. Several common words, or one common term alone, rank every match.
    CHECK_THAT(candidate_query("có"), Catch::StartsWith("Query(0.") && Catch::EndsWith(" * Ecó)"));
    CHECK(candidate_query("co") == "Query()");
    CHECK(candidate_query("công an") == "Query()");
    CHECK(candidate_query("khong the") == "Query()");
    // Common terms left out beside rarer ones, as before.
    CHECK(candidate_query("co lang") == "Query((lang OR 3 * Bco lang))");
    // Required words keep the query in one step; an excluded phrase stays whole.
    CHECK(candidate_query("+cong +an") == "Query()");
    CHECK(candidate_query("lang -\"trung tâm\"") == "Query()");
}

TEST_CASE("the terms of a document: golden table with wdf", "[query][scheme]") {
    vnsearch::Document d("doc-1");
    d.title = "Chi Lăng";
    d.body = "Huyện uỷ Chi Lăng, ngày 25/07/2024: Nghị quyết 03-NQ/HU.";
    d.date = "2024-07-25";
    d.source = "Báo Lạng Sơn";
    d.author = "Hoàng Anh";
    CHECK(terms(d) ==
          "03:1 03-nq/hu:1 07:1 2024:1 25:1 25/07/2024:1 Aanh:1 Ahoang:1 B03 nq:1 B07 2024:1 B2024 nghi:1 B25 07:1 "
          "Bchi lang:4 Bhuyen uy:1 Blang ngay:1 Bngay 25:1 Bngay 25/07/2024:1 Bnghi quyet:1 Bnq hu:1 Bquyet 03:1 "
          "Bquyet 03-nq/hu:1 Buy chi:1 Ehuyện:1 Elăng:4 Enghị:1 Engày:1 Equyết:1 Euỷ:1 Qdoc-1:0 Schi:1 Slang:1 "
          "XPN20:2 XPO187:2 XPO20:2 XSRCbaolangson:0 XSlăng:1 Y2024:0 chi:4 hu:1 huyen:1 lang:4 ngay:1 nghi:1 nq:1 quyet:1 uy:1");
    vnsearch::Document e("doc-2");
    e.body = "hòa HOÀ hoà";  // both tone placements, any case: one exact term
    CHECK(terms(e) == "Bhoa hoa:2 Ehoà:3 Qdoc-2:0 hoa:3");
}

TEST_CASE("a suggestion respells free text only, keeping every other byte", "[query][suggest]") {
    vnsearch::Searcher s(vnsearch_test::seed_db());
    auto suggestion = [&](const std::string& q) { return s.suggest(q).text; };
    // Field values, dates, numbers and codes are never touched.
    CHECK(suggestion("id:\"x/Chinh tri Xa hoi/y\" chi lang") == "id:\"x/Chinh tri Xa hoi/y\" Chi Lăng");
    CHECK(suggestion("source:\"Bao Lang Son\" nghi quyet") == "source:\"Bao Lang Son\" nghị quyết");
    CHECK(suggestion("author:thach chi lang") == "author:thach Chi Lăng");
    CHECK(suggestion("nghi quyet 22 date:2018..2020") == "nghị quyết 22 date:2018..2020");
    CHECK(suggestion("chi lang 25/07/2024 03-NQ/HU") == "Chi Lăng 25/07/2024 03-NQ/HU");
    CHECK(suggestion("  chi   lang  ") == "  Chi   Lăng  ");
    CHECK_FALSE(s.suggest("id:chi source:lang"));
    // Telex and VNI: the words of the free text, operators and fields kept.
    CHECK(suggestion("nghij quyeets 22") == "nghị quyết 22");
    CHECK(suggestion("nghi5 quye6t1 22") == "nghị quyết 22");
    CHECK(suggestion("(ddaats OR nuwowcs) -lajng") == "(đất OR nước) -lạng");
}

TEST_CASE("snippets come from the parsed query: phrases, literal forms, adjacency", "[query][snippet]") {
    vnsearch::Searcher s(vnsearch_test::seed_db());
    vnsearch::SearchOptions o;
    o.suggest = false;
    auto snippet_of = [&](const std::string& q, const std::string& id) {
        for (const auto& h : s.search(q, o))
            if (h.id == id) return h.snippet;
        return std::string("(not found)");
    };
    // A phrase: the passage that holds it, highlighted whole.
    CHECK_THAT(snippet_of("\"Nghị quyết 22\"", "002_e8d5dcae7cb99294"),
               Catch::Contains("<b>Nghị</b> <b>quyết</b> <b>22</b>"));
    // A literal abbreviation beats the passages of its expansion.
    CHECK_THAT(snippet_of("TCCSĐ", "003_6d84db7008b6e36f"), Catch::Contains("<b>TCCSĐ</b>"));
    // Adjacent query words are preferred to scattered ones.
    CHECK_THAT(snippet_of("chi lang", "000_36fbaf0990d157c1"), Catch::Contains("<b>Chi</b> <b>Lăng</b>"));
    // Excluded words are not highlighted.
    CHECK_THAT(snippet_of("Chi Lăng -huyện", "000_36fbaf0990d157c1"), !Catch::Contains("<b>huyện</b>"));
}

TEST_CASE("an abbreviation's expansion shows only where its whole phrase stands", "[query][snippet]") {
    const vnsearch::Analyzer a;
    const vnsearch::detail::SnippetTerms st =
        vnsearch::detail::snippet_terms(parse_query("Viện KSND tối cao", a), {"kiểm sát nhân dân"}, a);
    vnsearch::detail::SnippetOptions o{400, "…"};
    auto shown = [&](const std::string& text) {
        const auto sn = vnsearch::detail::make_snippet(text, st, a, o);
        return vnsearch::detail::marked(sn, "[", "]");
    };
    // "kiểm sát" and "nhân" apart from the phrase are not the expansion.
    CHECK(shown("Ông Hải phụ trách kiểm sát án hình sự của Viện KSND tỉnh, cùng hai nhân viên.") ==
          "Ông Hải phụ trách kiểm sát án hình sự của [Viện] [KSND] tỉnh, cùng hai nhân viên.");
    // The whole phrase is.
    CHECK(shown("Viện kiểm sát nhân dân tối cao và nhân viên") == "[Viện] [kiểm] [sát] [nhân] [dân] [tối] [cao] và nhân viên");
    // The passage with the whole expansion beats one with its words scattered.
    const std::string scattered = "nhân dân đi kiểm tra, sát cánh cùng nhân viên. ";
    std::string filler;
    for (int i = 0; i < 40; ++i) filler += "tin khác trong ngày. ";
    vnsearch::detail::SnippetOptions small{60, "…"};
    const auto sn = vnsearch::detail::make_snippet(scattered + filler + "Hôm qua Viện kiểm sát nhân dân đã họp.", st, a, small);
    CHECK_THAT(vnsearch::detail::marked(sn, "[", "]"), Catch::Contains("[kiểm] [sát] [nhân] [dân]"));
}

TEST_CASE("a word inside a compound shows where the search found it", "[query][snippet]") {
    // The index holds a compound's parts ("3-BLHS": "3", "BLHS"), so a search for a part
    // finds the document; its snippet shows the part, and a compound the query holds whole
    // shows whole.
    const vnsearch::Analyzer a;
    auto shown = [&](const std::string& query, const std::string& text) {
        const auto st = vnsearch::detail::snippet_terms(parse_query(query, a), {}, a);
        return vnsearch::detail::marked(vnsearch::detail::make_snippet(text, st, a, {400, "…"}), "[", "]");
    };
    const std::string law = "Bị truy tố theo Điều 240, khoản 3-BLHS 1999 về tội vi phạm quy định.";
    CHECK(shown("BLHS", law) == "Bị truy tố theo Điều 240, khoản 3-[BLHS] 1999 về tội vi phạm quy định.");
    CHECK(shown("blhs 1999", law) == "Bị truy tố theo Điều 240, khoản 3-[BLHS] [1999] về tội vi phạm quy định.");
    CHECK(shown("khoản 3", law) == "Bị truy tố theo Điều 240, [khoản] [3]-BLHS 1999 về tội vi phạm quy định.");
    CHECK(shown("HIV", "Bệnh nhân HIV/AIDS được điều trị.") == "Bệnh nhân [HIV]/AIDS được điều trị.");
    CHECK(shown("HIV/AIDS", "Bệnh nhân HIV/AIDS được điều trị.") == "Bệnh nhân [HIV/AIDS] được điều trị.");  // not [HIV]/[AIDS]
    CHECK(shown("giá đồng", "Giá vàng 12 triệu đồng/lượng.") == "[Giá] vàng 12 triệu [đồng]/lượng.");
    // The passage that holds the part is chosen over the text's head.
    std::string filler;
    for (int i = 0; i < 40; ++i) filler += "tin khác trong ngày. ";
    const auto st = vnsearch::detail::snippet_terms(parse_query("BLHS", a), {}, a);
    const auto sn = vnsearch::detail::make_snippet(filler + law, st, a, {60, "…"});
    CHECK_THAT(vnsearch::detail::marked(sn, "[", "]"), Catch::Contains("3-[BLHS]"));
}

TEST_CASE("a snippet stops reading where the rest cannot change it: the same snippet as a whole read",
          "[query][snippet]") {
    // Random texts over the query words in every form (exact, folded, capitals, other marks),
    // an abbreviation's expansion, codes and separators; each snippet is made twice, once
    // reading the text whole, and must come out the same, text and spans.
    const vnsearch::Analyzer a;
    const std::vector<std::string> words = {"Chi", "chi", "CHI", "Lăng", "lăng", "lang", "lạng", "Lạng", "Sơn", "sơn",
                                            "huyện", "tỉnh", "bộ", "Nghị", "nghi", "quyết", "22", "TCCSĐ", "tổ",
                                            "chức", "cơ", "sở", "đảng", "và", "của", "03-NQ/HU", "xã", "ấp",
                                            // NFD, a zero-width joiner inside a word, invalid UTF-8, another script
                                            "La\u0306ng", "chi\u200D", "\xC3\x28", "\xFF", "京都", "hoà", "hòa"};
    const std::vector<std::string> separators = {" ", " ", " ", " ", ", ", ". ", "\n", " - ", " (", ") "};
    const std::vector<std::pair<std::string, std::vector<std::string>>> queries = {
        {"chi lang", {}},           {"Chi Lăng", {}},          {"lạng sơn", {}},
        {"\"nghị quyết 22\"", {}},  {"TCCSĐ huyện", {"tổ chức cơ sở đảng"}},
        {"chi lang son huyen", {}}, {"lăng", {}},              {"\"chi bộ\" xã", {}},
        {"03-NQ/HU ấp", {}},        {"tổ chức", {"TCCSĐ"}},    {"sơn sơn chi", {}},
    };
    std::mt19937 rng(20261203);
    std::size_t compared = 0;
    for (int i = 0; i < 1500; ++i) {
        std::string text;
        const std::size_t n = 1 + rng() % 300;
        for (std::size_t k = 0; k < n; ++k) text += words[rng() % words.size()] + separators[rng() % separators.size()];
        const auto& [q, expansions] = queries[static_cast<std::size_t>(i) % queries.size()];
        const vnsearch::detail::SnippetTerms st = vnsearch::detail::snippet_terms(parse_query(q, a), expansions, a);
        for (const std::size_t chars : {12, 40, 240}) {
            vnsearch::detail::SnippetOptions early{chars, "…"}, whole{chars, "…", false};
            const auto x = vnsearch::detail::make_snippet(text, st, a, early);
            const auto y = vnsearch::detail::make_snippet(text, st, a, whole);
            if (x.text != y.text || x.spans != y.spans) {
                INFO("query " << q << ", " << chars << " chars, text: " << text);
                CHECK(x.text == y.text);
                CHECK(x.spans == y.spans);
            }
            ++compared;
        }
    }
    CHECK(compared == 4500);
}

TEST_CASE("every pass over a query is linear in its length", "[query][limits]") {
    vnsearch::Searcher s(vnsearch_test::seed_db());
    auto repeat = [](const std::string& unit, int n) {
        std::string q;
        for (int i = 0; i < n; ++i) q += unit;
        return q;
    };
    using Clock = std::chrono::steady_clock;
    auto seconds = [&](const std::string& q) {
        const auto t0 = Clock::now();
        auto r = s.search(q);
        CHECK(!r.warnings.empty());  // "query too long" (or a similar note): never silent
        return std::chrono::duration<double>(Clock::now() - t0).count();
    };
    for (const std::string unit : {"chi lang ", "25/07/2024 ", "\"chi lang\" ", "title:chi ", "(chi OR lang) "}) {
        CAPTURE(unit);
        const auto p = parse_query(repeat(unit, 4000), vnsearch::Analyzer());
        CHECK(p.words <= vnsearch::detail::QueryLimits::kMaxWords);
        // 10 times the text may cost about 10 times the scan, never 100 times (a ratio in one
        // run, not a wall-clock limit); the minimum of three runs damps noise.
        double small = 1e9, large = 1e9;
        for (int k = 0; k < 3; ++k) {
            small = std::min(small, seconds(repeat(unit, 400)));
            large = std::min(large, seconds(repeat(unit, 4000)));
        }
        CHECK(large < 25 * small + 0.05);
    }
}

TEST_CASE("custom fields: name:value only for fields the index holds, filters from structured values", "[query][fields]") {
    const vnsearch::Analyzer a;
    const vnsearch::detail::FieldLookup holds_label = [](const std::string& name) { return name == "label"; };
    // Without the field in the index, the text is searched, with a warning, as before.
    auto p = parse_query("label:thao", a);
    CHECK(describe(p) == "should:text[label thao]");
    CHECK(p.warnings.size() == 1);
    p = parse_query("Label:\"thể thao\" bóng", a, holds_label);
    CHECK(describe(p) == "must:label=\"thể thao\"[thể thao] should:text[bóng]");
    CHECK(p.warnings.empty());
    CHECK(p.nodes[0].custom);
    CHECK(describe(parse_query("-label:thao", a, holds_label)) == "must_not:label=thao[thao]");
    CHECK(describe(parse_query("topic:x", a, holds_label)) == "should:text[topic x]");
    // The Xapian query: every word in the field, the exact form preferred.
    CHECK(vnsearch::detail::build_query(parse_query("label:\"thể thao\"", a, holds_label), a).query.get_description() ==
          "Query(((1 * XFlabel:thể OR 0.3499999999999999778 * XFlabel:the) AND XFlabel:thao))");
    // Structured filters take the value whole.
    std::string error;
    auto f = vnsearch::detail::filter_node("source", "Báo \"Lạng\" Sơn: x", a, error);
    REQUIRE(f);
    CHECK(f->role == vnsearch::detail::Role::filter);
    CHECK(f->value == "Báo \"Lạng\" Sơn: x");
    f = vnsearch::detail::filter_node("LABEL", "the thao", a, error);
    REQUIRE(f);
    CHECK(f->field == "label");
    CHECK(f->custom);
    CHECK(f->words.size() == 2);
    CHECK_FALSE(vnsearch::detail::filter_node("no such", "x", a, error));
    CHECK(error.find("not a field name") != std::string::npos);
    CHECK_FALSE(vnsearch::detail::filter_node("label", " ", a, error));
    CHECK_FALSE(vnsearch::detail::filter_node("source", "!!!", a, error));  // would filter nothing out
    CHECK_FALSE(vnsearch::detail::filter_node("title", "!!!", a, error));
    CHECK_FALSE(vnsearch::detail::filter_node("year", "soon", a, error));
    CHECK(error.find("cannot read the date") != std::string::npos);
}

TEST_CASE("custom field terms and slots in the document", "[scheme][fields]") {
    vnsearch::Document d("x");
    d.title = "t";
    d.fields = {{"Label", "Thể thao"}, {"tác giả", "không"}, {"title", "không"}, {"n2", ""}};
    const std::string t = terms(d);
    CHECK(t.find("XFlabel:the") != std::string::npos);
    CHECK(t.find("XFlabel:thể") != std::string::npos);
    CHECK(t.find("XFlabel:thao") != std::string::npos);
    CHECK(t.find("khong") == std::string::npos);  // names that are not field names, and built-in names, are stored only
    CHECK(vnsearch::scheme::field_name("Label") == "label");
    CHECK(vnsearch::scheme::field_name("title").empty());
    CHECK(vnsearch::scheme::field_name("a-b").empty());
    CHECK(vnsearch::scheme::field_name("2x").empty());
    // The slot is a fixed function of the name (databases depend on it): FNV-1a 32-bit.
    CHECK(vnsearch::scheme::field_slot("label") == 16u + (0xF69717FDu & 0x7FFFFFFFu));
}
