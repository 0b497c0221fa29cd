// The stored data of a document: the record build_document writes, read back whole or
// without its body, the JSON object of older databases, and damaged data.
#include <catch2/catch.hpp>
#include <xapian.h>

#include <nlohmann/json.hpp>
#include <vnsearch/vnsearch.h>

#include "index/document_builder.h"
#include "index/stored_data.h"
#include "index/term_scheme.h"
#include "test_support.h"

using vnsearch::Document;
using vnsearch::detail::decode_stored;
using vnsearch::detail::encode_stored;
using vnsearch::detail::StoredParts;

namespace {

Document sample() {
    Document d("vn/2024/07/25-chi-lang");
    d.title = "Huyện Chi Lăng \"đón\" khách";
    d.body = std::string("Đoạn một.\n\nĐoạn hai có \\ và \"ngoặc\" và một byte ") + '\0' + " ở giữa.";
    d.date = "2024-07-25T08:00:00";
    d.source = "Báo Lạng Sơn";
    d.url = "https://example.vn/a?b=1&c=2";
    d.author = "Nguyễn Văn A";
    d.fields = {{"label", "thể thao"}, {"empty", ""}};
    return d;
}

void check_same(const Document& a, const Document& b, bool with_body) {
    CHECK(a.id == b.id);
    CHECK(a.title == b.title);
    CHECK(a.date == b.date);
    CHECK(a.source == b.source);
    CHECK(a.url == b.url);
    CHECK(a.author == b.author);
    CHECK(a.fields == b.fields);
    if (with_body) CHECK(a.body == b.body);
    else CHECK(a.body.empty());
}

}  // namespace

TEST_CASE("stored data: the record reads back whole, or without its body", "[stored]") {
    const Document d = sample();
    const std::vector<std::string> places = {"o:065", "n:19"};
    const std::string data = encode_stored(d, places);
    CHECK(data[0] == '\x01');  // never '{': an old database's JSON reads apart from it
    Document all, head;
    std::vector<std::string> keys, no_keys;
    REQUIRE(decode_stored(data, StoredParts::all, all, &keys));
    check_same(all, d, true);
    CHECK(keys == places);
    REQUIRE(decode_stored(data, StoredParts::without_body, head, nullptr));
    check_same(head, d, false);
    // An empty document too.
    Document empty;
    REQUIRE(decode_stored(encode_stored(Document(), {}), StoredParts::all, empty, &no_keys));
    check_same(empty, Document(), true);
    CHECK(no_keys.empty());
}

TEST_CASE("stored data: invalid UTF-8 is stored repaired, as it always was", "[stored]") {
    Document d("bad");
    d.title = std::string("Chi L\xC4") + "ng";
    d.body = "x\xFF\xFEy";
    d.fields["k\x80"] = "v\xC0";
    Document back;
    REQUIRE(decode_stored(encode_stored(d, {}), StoredParts::all, back, nullptr));
    CHECK(vnsearch::is_valid_utf8(back.title));
    CHECK(back.title == vnsearch::repair_utf8(d.title));
    CHECK(back.body == vnsearch::repair_utf8(d.body));
    REQUIRE(back.fields.size() == 1);
    CHECK(vnsearch::is_valid_utf8(back.fields.begin()->first));
    CHECK(vnsearch::is_valid_utf8(back.fields.begin()->second));
}

TEST_CASE("stored data: the JSON object of older databases reads as before", "[stored]") {
    const Document d = sample();
    // What build_document wrote before the record (term-scheme.md, "Document data").
    const nlohmann::json old = {{"id", d.id},         {"title", d.title}, {"body", d.body},   {"date", d.date},
                                {"source", d.source}, {"url", d.url},     {"author", d.author}, {"fields", d.fields},
                                {"places", {"o:065", "n:19"}}};
    const std::string data = old.dump();
    Document all, head;
    std::vector<std::string> keys;
    REQUIRE(decode_stored(data, StoredParts::all, all, &keys));
    check_same(all, d, true);
    CHECK(keys == std::vector<std::string>{"o:065", "n:19"});
    REQUIRE(decode_stored(data, StoredParts::without_body, head, nullptr));
    check_same(head, d, false);
    // Through a Xapian document, with places turned back into units.
    Xapian::Document x;
    x.set_data(data);
    std::vector<vnsearch::Place> places;
    const Document stored = vnsearch::detail::stored_document(x, &places);
    check_same(stored, d, true);
    CHECK(places.size() == 2);
}

TEST_CASE("stored data: damaged or foreign data reads as nothing, never past its end", "[stored]") {
    const std::string data = encode_stored(sample(), {"o:065"});
    // Every cut of the record is refused whole: nothing half-read is returned.
    for (std::size_t n = 0; n < data.size(); ++n) {
        Document d;
        std::vector<std::string> keys = {"kept"};
        CHECK_FALSE(decode_stored(std::string_view(data.data(), n), StoredParts::all, d, &keys));
        check_same(d, Document(), true);
        CHECK(keys == std::vector<std::string>{"kept"});
    }
    Document d;
    CHECK_FALSE(decode_stored(data + "x", StoredParts::all, d, nullptr));  // trailing bytes
    CHECK_FALSE(decode_stored("\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", StoredParts::all, d, nullptr));
    CHECK_FALSE(decode_stored("plain text", StoredParts::all, d, nullptr));
    CHECK_FALSE(decode_stored("[1, 2]", StoredParts::all, d, nullptr));
    CHECK(d.id.empty());
}

TEST_CASE("stored data: a search without snippets reads no body and shows the same hits", "[stored][search]") {
    vnsearch_test::TempDir dir("vnsearch-stored");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        for (const Document& d : vnsearch_test::seed_paragraph_docs()) ix.add(d);
        Document d = sample();
        ix.add(d);
        ix.commit();
    }
    {
        // What the index holds is the record.
        Xapian::Database x(db);
        const std::string term = vnsearch::scheme::id_term(sample().id);
        REQUIRE(x.postlist_begin(term) != x.postlist_end(term));
        CHECK(x.get_document(*x.postlist_begin(term)).get_data()[0] == '\x01');
    }
    vnsearch::Searcher s(db);
    for (const char* q : {"Chi Lăng", "chi lang", "nghị quyết", "label:thể"}) {
        INFO(q);
        vnsearch::SearchOptions with, without;
        without.snippet_chars = 0;
        const vnsearch::Results a = s.search(q, with), b = s.search(q, without);
        REQUIRE(a.hits.size() == b.hits.size());
        CHECK(!a.hits.empty());
        for (std::size_t k = 0; k < a.hits.size(); ++k) {
            CHECK(a.hits[k].id == b.hits[k].id);
            CHECK(a.hits[k].title == b.hits[k].title);
            CHECK(a.hits[k].date == b.hits[k].date);
            CHECK(a.hits[k].source == b.hits[k].source);
            CHECK(a.hits[k].url == b.hits[k].url);
            CHECK(a.hits[k].author == b.hits[k].author);
            CHECK(a.hits[k].fields == b.hits[k].fields);
            CHECK(a.hits[k].places.size() == b.hits[k].places.size());
            CHECK(b.hits[k].snippet.empty());
            CHECK_FALSE(a.hits[k].snippet.empty());
        }
    }
}
