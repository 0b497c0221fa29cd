// "Did you mean": diacritics restored from the index's own text, Telex/VNI decoded.
#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>

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

TEST_CASE("queries typed in Telex or VNI are decoded when that finds much more", "[suggest]") {
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
