// "Did you mean": diacritics restored from the index's own text, Telex/VNI decoded.
#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>
#include <xapian.h>

#include "index/term_scheme.h"
#include "search/suggest.h"
#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

std::string suggestion(const vnsearch::Searcher& s, const std::string& q) { return s.suggest(q).text; }

void add(vnsearch::Index& ix, const std::string& id, const std::string& body) {
    vnsearch::Document d(id);
    d.body = body;
    ix.add(d);
}

}  // namespace

TEST_CASE("unaccented queries get their marks back, names their capitals", "[suggest]") {
    vnsearch::Searcher s(vnsearch_test::seed_db());
    CHECK(suggestion(s, "chi lang") == "Chi Lăng");
    CHECK(suggestion(s, "nghi quyet") == "nghị quyết");
    CHECK(suggestion(s, "thach that") == "Thạch Thất");
    CHECK(suggestion(s, "lang son") == "Lạng Sơn");
    CHECK(suggestion(s, "nghi quyet 22") == "nghị quyết 22");
    CHECK(suggestion(s, "to chuc co so dang") == "tổ chức cơ sở đảng");
    CHECK(s.suggest("chi lang").reason == vnsearch::SuggestionReason::diacritics);
    // Capitals typed are kept; marks typed are kept and steer their neighbours.
    CHECK(suggestion(s, "CHI LANG") == "CHI LĂNG");
    CHECK(suggestion(s, "lạng son") == "lạng sơn");
    // Query syntax survives byte for byte around the restored words.
    CHECK(suggestion(s, "title:chi lang OR \"thach that\" -nghi") == "title:Chi Lăng OR \"Thạch Thất\" -nghị");
    // Nothing to suggest: already accented, nothing known, empty, punctuation only.
    CHECK_FALSE(s.suggest("Chi Lăng"));
    CHECK_FALSE(s.suggest("Thạch Thất"));
    CHECK_FALSE(s.suggest("xyzzy qwerty"));
    CHECK_FALSE(s.suggest(""));
    CHECK_FALSE(s.suggest("((( \"\" )))"));
}

TEST_CASE("search results carry the suggestion unless it is turned off", "[suggest]") {
    vnsearch::Searcher s(vnsearch_test::seed_db());
    auto r = s.search("thach that");
    CHECK(r.suggestion == "Thạch Thất");
    CHECK(r.suggestion_reason == vnsearch::SuggestionReason::diacritics);
    vnsearch::SearchOptions o;
    o.suggest = false;
    CHECK(s.search("thach that", o).suggestion.empty());
    CHECK(s.search("Thạch Thất").suggestion.empty());
}

TEST_CASE("suggestions follow what is added to and deleted from the index", "[suggest]") {
    TempDir dir("vnsearch-suggest");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        for (int i = 0; i < 4; ++i) add(ix, "table-" + std::to_string(i), "Nhà tôi mới mua bàn ghế, bàn ghế bằng gỗ.");
        add(ix, "sell-0", "Chợ quê bán ghế gỗ.");
    }
    vnsearch::Searcher s(db);
    CHECK(suggestion(s, "ban ghe") == "bàn ghế");
    {
        vnsearch::Index ix(db);
        for (int i = 0; i < 4; ++i) ix.remove("table-" + std::to_string(i));
        for (int i = 1; i < 4; ++i) add(ix, "sell-" + std::to_string(i), "Người ta bán ghế ở chợ, bán ghế rẻ.");
    }
    s.reopen();
    CHECK(suggestion(s, "ban ghe") == "bán ghế");
}

TEST_CASE("the syllable after a pair decides between the pair's spellings", "[suggest][spelling]") {
    TempDir dir("vnsearch-suggest");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        // "bản đồ" (map) five times, "bán đồ" (to sell things) three times, always before "cũ".
        add(ix, "map-0", "Xem bản đồ hành chính. Tải bản đồ số.");
        add(ix, "map-1", "Bản đồ mới in. Một tấm bản đồ lớn.");
        add(ix, "map-2", "Mua bản đồ thế giới.");
        for (int i = 0; i < 3; ++i) add(ix, "shop-" + std::to_string(i), "Chợ phiên có người bán đồ cũ.");
    }
    vnsearch::Searcher s(db);
    CHECK(suggestion(s, "ban do") == "bản đồ");     // the pairs alone
    CHECK(suggestion(s, "ban do cu") == "bán đồ cũ");  // what followed each pair
    CHECK(suggestion(s, "ban do hanh chinh") == "bản đồ hành chính");
    CHECK(suggestion(s, "nguoi ban do cu") == "người bán đồ cũ");
    // An index whose pairs keep no continuations (written before they were counted) decodes
    // by the pairs: the values are cut where their continuations start.
    {
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        const std::string prefix(vnsearch::scheme::kSpellingPrefix);
        std::size_t cut = 0;
        for (auto it = w.metadata_keys_begin(prefix); it != w.metadata_keys_end(prefix); ++it) {
            if ((*it).find(' ') == std::string::npos) continue;
            const std::string v = w.get_metadata(*it);
            std::size_t i = 0;
            while (i < v.size() && v[i] != '\xFF') {  // a pair's entries: two codes, then a count
                for (int syllable = 0; syllable < 2; ++syllable) i = v.find('\0', i) + 1;
                while (static_cast<unsigned char>(v[i]) & 0x80) ++i;
                ++i;
            }
            if (i < v.size()) w.set_metadata(*it, v.substr(0, i)), ++cut;
        }
        w.commit();
        CHECK(cut > 0);
    }
    s.reopen();
    CHECK(suggestion(s, "ban do cu") == "bản đồ cũ");
    CHECK(suggestion(s, "ban do") == "bản đồ");
}

TEST_CASE("queries typed in Telex or VNI are decoded when that reading is much more likely", "[suggest]") {
    vnsearch::Searcher s(vnsearch_test::seed_db());
    auto telex = s.suggest("nghij quyeets");
    CHECK(telex.text == "nghị quyết");
    CHECK(telex.reason == vnsearch::SuggestionReason::telex);
    CHECK(suggestion(s, "Thachj Thaats") == "Thạch Thất");
    auto vni = s.suggest("nghi5 quye6t1 22");
    CHECK(vni.text == "nghị quyết 22");
    CHECK(vni.reason == vnsearch::SuggestionReason::vni);
    CHECK(s.search("dduowngf").suggestion_reason == vnsearch::SuggestionReason::telex);

    // Words that merely look like Telex stay when their literal reading finds them.
    TempDir dir("vnsearch-telex");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        add(ix, "en-1", "The test of the class was a success, said the boss.");
        add(ix, "en-2", "Another test: the class passed the test.");
        add(ix, "vi-1", "Tết này cả lớp về quê.");
    }
    vnsearch::Searcher en(db);
    CHECK_FALSE(en.suggest("test"));
    CHECK_FALSE(en.suggest("class test"));
    CHECK(en.suggest("teets").text == "tết");  // found nowhere as typed, "tết" is there
}

TEST_CASE("a word that only looks like Telex or VNI keeps its letters where its context says so", "[suggest]") {
    TempDir dir("vnsearch-telex-context");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        // "môn" and "bú" (the Telex readings of "Moon" and "bus") are far commoner than those
        // words, and in the same documents as "khu dân cư" and "xe", but never next to them.
        // "A4" reads "ã" in VNI: no document writes it, though many hold "giấy" and a word
        // that folds to "a".
        for (int i = 0; i < 30; ++i)
            add(ix, "common-" + std::to_string(i),
                "Khu dân cư mới có môn bơi, môn cờ và môn võ. Xe đưa trẻ về, trẻ bú sữa, bé bú bình. "
                "Giấy khen cho bé à, nhận ạ.");
        add(ix, "moon-1", "Khu dân cư Moon Lake mở bán. Khu dân cư Moon Lake ở ven sông.");
        add(ix, "bus-1", "Xe bus nhanh chạy từ sân bay, xe bus số 7 đông khách.");
        add(ix, "a4-1", "Giấy A4 tăng giá, giấy A4 bán chạy.");
    }
    vnsearch::Searcher s(db);
    CHECK(suggestion(s, "khu dan cu Moon") == "khu dân cư Moon");
    CHECK(suggestion(s, "xe bus chay") == "xe bus chạy");
    CHECK(suggestion(s, "giay A4") == "giấy A4");
    CHECK(s.suggest("giay A4").reason == vnsearch::SuggestionReason::diacritics);
    // Alone, the commoner reading wins, as it would for a user with the input method off.
    CHECK(s.suggest("bus").text == "bú");
    CHECK(s.suggest("bus").reason == vnsearch::SuggestionReason::telex);
    // One reading in a query typed without marks does not make it a Telex query: the other
    // words still get their marks, and the word its letters.
    CHECK(suggestion(s, "tre bus sua khu dan cu") == "trẻ bus sữa khu dân cư");
}

TEST_CASE("in a query typed in Telex, the words typed without keys are meant without marks", "[suggest]") {
    TempDir dir("vnsearch-telex-plain");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        for (int i = 0; i < 20; ++i) add(ix, "market-" + std::to_string(i), "Thị trường chứng khoán tăng, thị trường vàng giảm.");
        add(ix, "exam-1", "Kỳ thi tốt nghiệp ở trường làng, thi xong về nhà.");
        add(ix, "lang-1", "Lạng Sơn, Lạng Giang và Chi Lăng.");
    }
    vnsearch::Searcher s(db);
    // Typed without marks: the commonest spelling.
    CHECK(suggestion(s, "thi truong") == "thị trường");
    // Typed in Telex: "thi" would have been "thij"; and the capitals are the user's own.
    auto typed = s.suggest("thi truwowngf");
    CHECK(typed.text == "thi trường");
    CHECK(typed.reason == vnsearch::SuggestionReason::telex);
    CHECK(suggestion(s, "lajng") == "lạng");
    CHECK(suggestion(s, "lang") == "Lạng");
    // ... even a word the index never writes without marks.
    CHECK(suggestion(s, "lang truwowngf") == "lang trường");
    // A reading the index lacks is still read in a query that is typed so.
    CHECK(suggestion(s, "thij truwowngf ddaats") == "thị trường đất");
}

TEST_CASE("the text a sampled document gives the statistics ends at a character boundary", "[suggest]") {
    // Two-byte and three-byte letters, so every cut falls inside one for some length.
    const std::string title = "Chi Lăng", body = "Lạng Sơn ăn ở Chi Lăng, đường lớn.";
    const std::string whole = title + "\n" + body;
    for (std::size_t bytes = 0; bytes <= whole.size() + 2; ++bytes) {
        INFO(bytes);
        const std::string t = vnsearch::detail::suggestion_text(title, body, bytes);
        CHECK(t.size() <= bytes);
        CHECK(vnsearch::is_valid_utf8(t));
        CHECK(whole.compare(0, t.size(), t) == 0);
        CHECK(t.size() + 3 >= std::min(bytes, whole.size()));  // nothing more is dropped than a character's bytes
    }
}
