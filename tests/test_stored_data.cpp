// The stored data of a document: the record build_document writes, read back whole or
// without its body, the JSON object of older databases, and damaged data.
#include <catch2/catch.hpp>
#include <xapian.h>

#include <nlohmann/json.hpp>
#include <vnsearch/vnsearch.h>

#include "index/document_builder.h"
#include "index/stored_data.h"
#include "index/term_scheme.h"
#include "index/varint.h"
#include "test_support.h"
#include "text/utf8.h"

using vnsearch::Document;
using vnsearch::detail::decode_stored;
using vnsearch::detail::encode_stored;
using vnsearch::detail::append_varint;
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

/// `data` reads back as `d`, whole (with the place keys `keys`) and without its body.
void check_reads_back(std::string_view data, const Document& d, const std::vector<std::string>& keys) {
    Document all, head;
    std::vector<std::string> read_keys;
    REQUIRE(decode_stored(data, StoredParts::all, all, &read_keys));
    check_same(all, d, true);
    CHECK(read_keys == keys);
    REQUIRE(decode_stored(data, StoredParts::without_body, head, nullptr));
    check_same(head, d, false);
}

}  // namespace

TEST_CASE("stored data: the record reads back whole, or without its body", "[stored]") {
    const Document d = sample();
    const std::vector<std::string> places = {"o:065", "n:19"};
    const std::string data = encode_stored(d, places);
    CHECK(data[0] == '\x02');  // never '{': an old database's JSON reads apart from it
    check_reads_back(data, d, places);
    // An empty document too.
    check_reads_back(encode_stored(Document(), {}), Document(), {});
}

namespace {

/// A long body: Vietnamese paragraphs, each a little different, as an article has.
std::string long_body(std::size_t paragraphs) {
    std::string body;
    for (std::size_t k = 0; k < paragraphs; ++k)
        body += "Đoạn " + std::to_string(k) + ": Huyện Chi Lăng, tỉnh Lạng Sơn, đón " + std::to_string(k * 37 % 1000) +
                " khách; Nghị quyết 22 được thảo luận.\n\n";
    return body;
}

}  // namespace

TEST_CASE("stored data: a long body is stored compressed and read whole or as far as asked", "[stored]") {
    Document d = sample();
    d.body = long_body(400);
    const std::string data = encode_stored(d, {"n:19"});
    // Compressed: the record is much shorter than the body it holds.
    CHECK(data.size() < d.body.size() / 4);
    check_reads_back(data, d, {"n:19"});
    // A prefix: whatever the cut, the caller's UTF-8 prefix of what is read equals that
    // of the whole body, also when the cut falls inside a character.
    for (std::size_t cut : {std::size_t(0), std::size_t(1), std::size_t(5), std::size_t(6), std::size_t(7), std::size_t(100),
                            std::size_t(4095), std::size_t(4096), std::size_t(4097), d.body.size() - 1, d.body.size(),
                            d.body.size() + 10}) {
        INFO(cut);
        Document part;
        REQUIRE(decode_stored(data, StoredParts::all, part, nullptr, cut));
        CHECK(part.body.size() <= cut + 4);
        CHECK(vnsearch::text::utf8_prefix(part.body, cut) == vnsearch::text::utf8_prefix(d.body, cut));
        if (cut >= d.body.size()) CHECK(part.body == d.body);
        CHECK(part.title == d.title);
    }
    // Every cut of the compressed record is refused whole too.
    for (std::size_t n = 0; n < data.size(); n += 7) {
        Document back;
        CHECK_FALSE(decode_stored(std::string_view(data.data(), n), StoredParts::all, back, nullptr));
        CHECK(back.id.empty());
    }
    // A changed byte in the frame either reads as damaged or as some body, never past it.
    const std::size_t frame_at = data.size() - data.size() / 2;
    for (std::size_t k = frame_at; k < data.size(); k += 3) {
        std::string bad = data;
        bad[k] = static_cast<char>(bad[k] ^ 0x5A);
        Document back;
        if (decode_stored(bad, StoredParts::all, back, nullptr)) CHECK(back.body.size() == d.body.size());
        else CHECK(back.id.empty());
    }
}

TEST_CASE("stored data: a format-1 record (body as it is) reads as before", "[stored]") {
    const Document d = sample();
    std::string v1(1, '\x01');
    auto text = [&](const std::string& t) {
        append_varint(v1, t.size());
        v1 += t;
    };
    for (const std::string* t : {&d.id, &d.title, &d.date, &d.source, &d.url, &d.author}) text(*t);
    append_varint(v1, d.fields.size());
    for (const auto& [k, v] : d.fields) text(k), text(v);
    append_varint(v1, 1);
    text("o:065");
    text(d.body);
    check_reads_back(v1, d, {"o:065"});
    Document part;
    REQUIRE(decode_stored(v1, StoredParts::all, part, nullptr, 6));
    CHECK(vnsearch::text::utf8_prefix(part.body, 6) == vnsearch::text::utf8_prefix(d.body, 6));
    CHECK_FALSE(decode_stored(v1 + "x", StoredParts::all, part, nullptr));
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
    check_reads_back(data, d, {"o:065", "n:19"});
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
        CHECK(x.get_document(*x.postlist_begin(term)).get_data()[0] == '\x02');
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
