// The spelling statistics "did you mean" reads (lib/index/spelling_store.h): counted from the
// indexed text, kept on add, replace and delete, merged by the builder and compaction, read
// over shards, and a database without them still gets suggestions by sampling.
#include <catch2/catch.hpp>
#include <vnsearch/vnsearch.h>
#include <xapian.h>

#include <map>
#include <random>

#include "index/spelling_store.h"
#include "index/term_scheme.h"
#include "search/query.h"
#include "search/suggest.h"
#include "test_support.h"

using vnsearch_test::TempDir;

namespace {

using vnsearch::detail::continuation_count;
using vnsearch::detail::SeenCase;
using vnsearch::detail::SpellingStats;
using vnsearch::detail::triple_fingerprint;

/// Every spelling key and value of a database (or a set's shards), as stored.
std::map<std::string, std::string> spelling_metadata(const std::string& path) {
    Xapian::Database db(path);
    std::map<std::string, std::string> out;
    const std::string prefix(vnsearch::scheme::kSpellingPrefix);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) out[*it] = db.get_metadata(*it);
    out[std::string(vnsearch::scheme::kSpellingKey)] = db.get_metadata(std::string(vnsearch::scheme::kSpellingKey));
    return out;
}

/// Spelling -> count of a folded syllable or pair ("chi lang" -> {"chi lăng": 3}), any case.
std::map<std::string, std::uint64_t> spellings(const std::string& path, const std::string& folded) {
    std::vector<Xapian::Database> shards{Xapian::Database(path)};
    SpellingStats stats(shards);
    std::map<std::string, std::uint64_t> out;
    for (const auto& s : stats.lookup(folded)) {
        std::string joined;
        for (const auto& e : s.exact) joined += (joined.empty() ? "" : " ") + e;
        out[joined] += s.count;
    }
    return out;
}

vnsearch::Document doc(const std::string& id, const std::string& title, const std::string& body) {
    vnsearch::Document d(id);
    d.title = title;
    d.body = body;
    return d;
}

}  // namespace

TEST_CASE("the index counts each syllable and pair with its marks and capitals", "[spelling]") {
    TempDir dir("vnsearch-spelling");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        ix.add(doc("a", "Ải Chi Lăng", "Trận Chi Lăng năm 1427. Chi bộ xã họp. Lạng Sơn có ải Chi Lăng."));
        ix.add(doc("b", "", "Chi lăng nhăng, chi tiêu ít. Lăng Bác."));
    }
    // NFD input and the other tone placement count as the same spelling.
    CHECK(spellings(db, "chi lang") == std::map<std::string, std::uint64_t>{{"chi lăng", 4}});
    CHECK(spellings(db, "lang") == std::map<std::string, std::uint64_t>{{"lăng", 5}, {"lạng", 1}});
    CHECK(spellings(db, "chi bo") == std::map<std::string, std::uint64_t>{{"chi bộ", 1}});
    // Numbers are not syllables: every numeral is one class, "0", which pairs with its neighbours.
    CHECK(spellings(db, "1427").empty());
    CHECK(spellings(db, "nam 1427").empty());
    CHECK(spellings(db, "0") == std::map<std::string, std::uint64_t>{{"0", 1}});
    CHECK(spellings(db, "nam 0") == std::map<std::string, std::uint64_t>{{"năm 0", 1}});
    // Capitals are told apart from sentence starts: "Chi Lăng" inside a sentence is a name.
    std::vector<Xapian::Database> shards{Xapian::Database(db)};
    SpellingStats stats(shards);
    REQUIRE(stats.available());
    std::map<std::pair<int, int>, std::uint64_t> cases;  // (case of chi, case of lăng) -> count
    for (const auto& s : stats.lookup("chi lang")) cases[{static_cast<int>(s.cases[0]), static_cast<int>(s.cases[1])}] += s.count;
    CHECK(cases[{static_cast<int>(SeenCase::capital), static_cast<int>(SeenCase::capital)}] == 3);  // title's "Ải Chi Lăng", 2 in text
    CHECK(cases[{static_cast<int>(SeenCase::unknown), static_cast<int>(SeenCase::lower)}] == 1);    // "Chi lăng nhăng" starts a text
    // The total counts syllables.
    CHECK(std::stoull(Xapian::Database(db).get_metadata(std::string(vnsearch::scheme::kSpellingKey))) > 20);
}

TEST_CASE("a numeral gives its neighbours context", "[spelling][suggest]") {
    // "nam" (south, a name) is written more often than "năm" (year) here, and "thu"
    // (autumn) more than "thứ" (ordinal); next to a number the other spelling is the rule.
    // Numbers, dates, times and codes without letters count as one class, "0", so "5 năm"
    // and "thứ 3" are pairs; a code with letters ("H5N1") still breaks the run.
    TempDir dir("vnsearch-spelling-numerals");
    const std::string db = dir.str("db");
    const auto numbers = doc("numbers", "Sau 5 năm",
                             "Anh làm ở đó 5 năm, chị 12 năm. Ngày 21-4 là lần thứ 3, còn ngày 2/9/2006 là lần thứ 12. "
                             "Lúc 10:30 họ họp lần thứ 2 trong 10 năm.");
    {
        vnsearch::Index ix(db);
        ix.add(doc("south", "Miền Nam", "Phía nam có gió nam. Bạn Nam ở miền Nam, quê Nam Định, đi về phía nam. Mùa thu ở phía nam."));
        ix.add(doc("autumn", "Mùa thu", "Mùa thu về, lá thu vàng. Trời thu xanh, thu sang, thu qua. Thu hoạch mùa thu."));
        ix.add(doc("flu", "Cúm", "Virus H5N1 nam tiến, thu hẹp vùng dịch."));
    }
    const auto total = [&] { return std::stoull(Xapian::Database(db).get_metadata(std::string(vnsearch::scheme::kSpellingKey))); };
    const std::uint64_t total_before = total();
    {
        vnsearch::Index ix(db);
        ix.add(numbers);
    }
    CHECK(spellings(db, "0 nam") == std::map<std::string, std::uint64_t>{{"0 năm", 4}});  // title and body apart
    CHECK(spellings(db, "thu 0") == std::map<std::string, std::uint64_t>{{"thứ 0", 3}});
    CHECK(spellings(db, "ngay 0") == std::map<std::string, std::uint64_t>{{"ngày 0", 2}});  // a code of digits, a date
    CHECK(spellings(db, "luc 0") == std::map<std::string, std::uint64_t>{{"lúc 0", 1}});    // a time
    CHECK(spellings(db, "0 la") == std::map<std::string, std::uint64_t>{{"0 là", 2}});      // after "21-4" and "2/9/2006"
    CHECK(spellings(db, "h5n1 nam").empty());
    CHECK(spellings(db, "0 nam").size() == 1);
    // The total counts syllables, not numerals: the 25 words of the added document.
    CHECK(total() - total_before == 25);
    vnsearch::Searcher s(db);
    CHECK(s.suggest("nam").text != "năm");        // alone: the common spelling
    CHECK(s.suggest("40 nam").text == "40 năm");  // after a number: the year
    CHECK(s.suggest("lan thu 7").text == "lần thứ 7");
    CHECK(s.suggest("thu 7 nam 2020").text == "thứ 7 năm 2020");
    CHECK(s.suggest("h5n1 nam").text.find("năm") == std::string::npos);
    // Numerals are never respelled, and are kept byte for byte.
    CHECK(s.suggest("ngay 21-4, lan thu 12").text == "ngày 21-4, lần thứ 12");
    // Replace and delete take away exactly what was counted.
    const auto before = spelling_metadata(db);
    {
        vnsearch::Index ix(db);
        ix.add(numbers);  // the same document again: a replace
    }
    CHECK(spelling_metadata(db) == before);
    {
        vnsearch::Index ix(db);
        ix.remove("numbers");
    }
    CHECK(spellings(db, "0 nam").empty());
    CHECK(spellings(db, "0").empty());
    CHECK(total() == total_before);
}

TEST_CASE("a word that is no syllable is restored as the abbreviation it is known as", "[spelling][suggest]") {
    // "hdnd" or "nld" can be no Vietnamese syllable: typed without marks, it is an
    // abbreviation. Its spellings come from the statistics like any word's, and from the
    // abbreviations the index knows (shipped, learnt, added), counted as seen once where the
    // text never wrote them; an abbreviation restored is written as it is known, in capitals.
    TempDir dir("vnsearch-spelling-abbreviations");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        ix.add(doc("council", "Kỳ họp HĐND tỉnh", "HĐND tỉnh họp. Chủ tịch HĐND tỉnh phát biểu trước HĐND tỉnh."));
        ix.add(doc("workers", "Quyền lợi", "Quyền lợi của người lao động. Bảo đảm quyền lợi ở Hà Nội."));
        ix.add(doc("myanmar", "Đảng NLD", "Đảng NLD thắng cử. Đảng NLD của bà Suu Kyi."));
        ix.add(doc("travel", "Du lịch", "Du lịch hè. Đi du lịch ở Hà Nội, du lịch biển."));
        ix.add_abbreviation("ĐHKT", "đại học kinh tế");
    }
    vnsearch::Searcher s(db);
    CHECK(s.suggest("hdnd tinh").text == "HĐND tỉnh");   // the statistics' spelling, in capitals
    CHECK(s.search("hdnd tinh").suggestion == "HĐND tỉnh");
    CHECK(s.suggest("quyen loi kcn").text == "quyền lợi KCN");  // known, never written: no marks to add, capitals
    CHECK(s.suggest("dhkt ha noi").text == "ĐHKT Hà Nội");       // added by the user
    CHECK(s.suggest("HDND tinh").text == "HĐND tỉnh");           // typed in capitals
    // An abbreviation in capitals without a D ("TPHCM") has nothing to restore: a query of it and of
    // words typed with their marks does no suggestion work.
    const vnsearch::Analyzer analyzer;
    CHECK_FALSE(vnsearch::detail::may_suggest(vnsearch::detail::parse_query("TPHCM và Hà Tây", analyzer)));
    CHECK(vnsearch::detail::may_suggest(vnsearch::detail::parse_query("HDND tỉnh Hà Tây", analyzer)));
    CHECK(s.suggest("HDND tỉnh").text == "HĐND tỉnh");
    // Where the text writes the word as it was typed, the evidence wins over the dictionary:
    // "NLD" (Myanmar's party) is not "NLĐ" (người lao động) here.
    CHECK(s.suggest("dang nld").text == "đảng nld");
    // Only a word that is no syllable: "du" (ĐU = đảng uỷ) stays a word.
    CHECK(s.suggest("du lich ha noi").text == "du lịch Hà Nội");
    // Without the statistics' word, the shipped dictionary decides.
    vnsearch::Index ix(db);
    ix.remove("myanmar");
    ix.commit();
    vnsearch::Searcher fresh(db);
    CHECK(fresh.suggest("quyen loi nld").text == "quyền lợi NLĐ");
    CHECK(fresh.suggest("nld").text == "NLĐ");
}

TEST_CASE("text typed without marks is no evidence of spelling", "[spelling]") {
    TempDir dir("vnsearch-spelling-unmarked");
    const std::string db = dir.str("db");
    // A forum post typed without marks under an accented title, a news text with one such
    // sentence, and a short unmarked phrase inside accented text.
    const auto post = doc("post", "Hỏi về nhà máy thủy điện", "Xin chao. Toi dang tim hieu ve nha may thuy dien Hoa Binh. Nha may thuy dien nay co lon khong?");
    const auto news = doc("news", "Nhà máy thủy điện Hòa Bình",
                          "Nhà máy thủy điện Hòa Bình phát điện từ năm 1988. Toi muon biet nha may thuy dien hoa binh o dau va co tham quan duoc khong. "
                          "Bạn đọc hỏi: tham quan được không?");
    const auto phrase = doc("phrase", "", "Sáng nay, nha may chạy thử tổ máy mới của nhà máy thủy điện.");
    {
        vnsearch::Index ix(db);
        ix.add(post);
        ix.add(news);
        ix.add(phrase);
    }
    // The post counts nothing (its text is under one syllable in five marked, title and all);
    // the news text's unmarked sentence counts nothing; its accented sentences count.
    CHECK(spellings(db, "nha may") == std::map<std::string, std::uint64_t>{{"nha may", 1}, {"nhà máy", 4}});
    CHECK(spellings(db, "thuy dien") == std::map<std::string, std::uint64_t>{{"thuỷ điện", 4}});  // one tone placement
    CHECK(spellings(db, "hoa binh") == std::map<std::string, std::uint64_t>{{"hoà bình", 2}});
    CHECK(spellings(db, "toi").empty());
    CHECK(spellings(db, "tham quan") == std::map<std::string, std::uint64_t>{{"tham quan", 1}});
    CHECK(spellings(db, "ban doc") == std::map<std::string, std::uint64_t>{{"bạn đọc", 1}});
    // Replacing and deleting take away exactly what was counted.
    const auto before = spelling_metadata(db);
    {
        vnsearch::Index ix(db);
        ix.add(post);  // the same documents again: a replace
        ix.add(news);
        ix.add(doc("more", "", "Xin chao cac ban, toi muon hoi ve cach cai dat may in."));
        ix.remove("more");
    }
    CHECK(spelling_metadata(db) == before);
    {
        vnsearch::Index ix(db);
        ix.remove("post");
        ix.remove("news");
        ix.remove("phrase");
    }
    const auto left = spelling_metadata(db);
    CHECK(left.size() == 1);  // the total alone
    CHECK(left.begin()->second == "0");
}

TEST_CASE("text whose tone marks were lost is no evidence of spelling", "[spelling]") {
    TempDir dir("vnsearch-spelling-toneless");
    const std::string db = dir.str("db");
    // A reader's letter whose tone marks were lost on the way (its ư, ơ, â, ê, ô and đ kept,
    // as a legacy-encoding conversion leaves them: over half its syllables still differ from
    // their folded form) and a news text with one such sentence.
    const auto letter = doc("letter", "Tâm sự: gửi anh Minh",
                            "Anh đa hanh đông đung vơi viêc xin lôi vi đa đoc len thư, điêu nay thê hiên anh vân la ngươi tôt. "
                            "Khi ngươi con gai đa quyêt đinh như vây thi anh đưng lôi keo lai va cung đưng tiêc nhưng gi đa mât.");
    const auto news = doc("news", "Ai là người phát minh ra điện thoại",
                          "Nhiều người cho rằng Bell là người phát minh ra điện thoại. Ai la ngươi phat minh ra điên thoai thât sư, "
                          "đo la câu hoi con nhiêu tranh cai. Ông là người đăng ký bằng sáng chế đầu tiên.");
    {
        vnsearch::Index ix(db);
        ix.add(letter);
        ix.add(news);
    }
    // The letter counts nothing (title and all, as a text typed without marks); the news
    // text's toneless sentence counts nothing; its other sentences count.
    CHECK(spellings(db, "la nguoi") == std::map<std::string, std::uint64_t>{{"là người", 3}});
    CHECK(spellings(db, "nguoi phat") == std::map<std::string, std::uint64_t>{{"người phát", 2}});
    CHECK(spellings(db, "da").empty());
    CHECK(spellings(db, "nhung").empty());
    CHECK(spellings(db, "tam su").empty());  // title and all
    // So a query typed without marks is restored as the text writes it with its marks.
    CHECK(vnsearch::Searcher(db).suggest("ai la nguoi phat minh").text == "ai là người phát minh");
}

TEST_CASE("spelling statistics follow replace and delete", "[spelling]") {
    TempDir dir("vnsearch-spelling");
    const std::string db = dir.str("db");
    const std::string empty_total = [&] {
        vnsearch::Index ix(db);
        ix.commit();
        return Xapian::Database(db).get_metadata(std::string(vnsearch::scheme::kSpellingKey));
    }();
    CHECK(empty_total == "0");
    {
        vnsearch::Index ix(db);
        ix.add(doc("a", "Chi Lăng", "Ải Chi Lăng ở Lạng Sơn."));
        ix.add(doc("b", "", "Ải Chi Lăng."));
        ix.commit();
        CHECK(spellings(db, "chi lang")["chi lăng"] == 3);
        const auto after_ai = [&] {  // how often "ải chi" was followed by "lăng", and "chi lăng" by "ở"
            std::vector<Xapian::Database> shards{Xapian::Database(db)};
            const SpellingStats stats(shards);
            return std::make_pair(continuation_count(stats.following("ai chi"), triple_fingerprint("ải", "chi", "lăng")),
                                  continuation_count(stats.following("chi lang"), triple_fingerprint("chi", "lăng", "ở")));
        };
        CHECK(after_ai() == std::make_pair(std::uint64_t{2}, std::uint64_t{1}));
        ix.add(doc("a", "Thạch Thất", "Huyện Thạch Thất."));  // replaced: its old text no longer counts
        ix.commit();
        CHECK(spellings(db, "chi lang")["chi lăng"] == 1);
        CHECK(after_ai() == std::make_pair(std::uint64_t{1}, std::uint64_t{0}));
        CHECK(spellings(db, "thach that")["thạch thất"] == 2);
        CHECK(spellings(db, "lang son").empty());
        CHECK(ix.remove("b"));
        CHECK(ix.remove("a"));
        ix.commit();
    }
    // Nothing is left but the empty statistics: every key went with the last document.
    CHECK(spelling_metadata(db) == std::map<std::string, std::string>{{std::string(vnsearch::scheme::kSpellingKey), "0"}});
}

TEST_CASE("the parallel builder and one writer store the same spelling statistics", "[spelling][builder]") {
    TempDir dir("vnsearch-spelling");
    const auto docs = vnsearch_test::seed_paragraph_docs();
    REQUIRE(docs.size() > 20);
    {
        vnsearch::Index ix(dir.str("one"));
        for (const auto& d : docs) ix.add(d);
        ix.add(docs[3]);  // the same document twice: replaced, counted once
    }
    const auto one = spelling_metadata(dir.str("one"));
    CHECK(one.size() > 500);
    // Each chunk's counts go into its shard and compaction sums them: many small chunks, and
    // one chunk for everything.
    // Merged in levels of two shards at a time too.
    for (const auto& [chunk, fan_in] : std::vector<std::pair<std::size_t, std::size_t>>{{4096, 128}, {8u << 20, 128}, {4096, 2}}) {
        INFO("chunk_bytes " << chunk << ", max_merge_inputs " << fan_in);
        const std::string built = dir.str("built-" + std::to_string(chunk) + "-" + std::to_string(fan_in));
        vnsearch::BuildOptions o;
        o.threads = 2;
        o.chunk_bytes = chunk;  // 4 KB: many chunks and shards; 8 MB: one chunk
        o.batch_bytes = 2048;
        o.max_merge_inputs = fan_in;
        vnsearch::IndexBuilder b(built, o);
        for (const auto& d : docs) b.add(d);
        b.add(docs[3]);
        b.finish();
        CHECK(one == spelling_metadata(built));
        CHECK(Xapian::Database(built).get_doccount() == Xapian::Database(dir.str("one")).get_doccount());
    }
}

TEST_CASE("suggestions read the statistics of every shard of a set", "[spelling][shards]") {
    TempDir dir("vnsearch-spelling");
    const auto docs = vnsearch_test::seed_paragraph_docs();
    {
        vnsearch::Index one(dir.str("one"));
        vnsearch::IndexOptions o;
        o.shards = 3;
        vnsearch::Index set(dir.str("set"), o);
        for (const auto& d : docs) one.add(d), set.add(d);
    }
    vnsearch::Searcher a(dir.str("one")), b(dir.str("set"));
    for (const char* q : {"chi lang", "thach that", "nghi quyet 22", "to chuc co so dang", "lang son", "ha noi", "que phong"}) {
        INFO(q);
        CHECK(a.suggest(q).text == b.suggest(q).text);
        CHECK(a.search(q).suggestion == b.search(q).suggestion);
    }
    CHECK(b.suggest("chi lang").text == "Chi Lăng");
}

TEST_CASE("a reader keeps the spelling statistics it read until it reopens", "[spelling]") {
    TempDir dir("vnsearch-spelling");
    const std::string db = dir.str("db");
    vnsearch::Index ix(db);
    for (int i = 0; i < 3; ++i) ix.add(doc("a" + std::to_string(i), "Ải Chi Lăng", "Trận Chi Lăng ở Lạng Sơn."));
    ix.commit();
    vnsearch::Searcher s(db);
    CHECK(s.suggest("chi lang").text == "Chi Lăng");
    CHECK(s.search("chi lang").suggestion == "Chi Lăng");  // read again: the same answer
    // The text changes: on the new revision "chị làng" is what the index holds.
    for (int i = 0; i < 3; ++i) ix.remove("a" + std::to_string(i));
    for (int i = 0; i < 5; ++i) ix.add(doc("b" + std::to_string(i), "", "Chị làng bên đi chợ. Chị làng mua cá."));
    ix.commit();
    s.reopen();
    CHECK(s.suggest("chi lang").text == "chị làng");
    CHECK(s.search("chi lang").suggestion == "chị làng");

    // Through a cache, every key reads as it does without one, and what a lookup handed out
    // stays valid when the cache is emptied under it.
    std::vector<Xapian::Database> shards{Xapian::Database(db)};
    vnsearch::detail::SpellingCache cache;
    SpellingStats plain(shards), cached(shards, &cache), again(shards, &cache);
    CHECK(cached.total() == plain.total());
    CHECK(again.available());
    for (const auto& [key, value] : spelling_metadata(db)) {
        if (key == vnsearch::scheme::kSpellingKey) continue;
        const std::string folded = key.substr(vnsearch::scheme::kSpellingPrefix.size());
        INFO(folded);
        const auto& first = cached.lookup(folded);
        cache.clear();
        const auto& second = again.lookup(folded);  // read again, then from the cache
        const auto& third = again.lookup(folded);
        REQUIRE(plain.lookup(folded).size() == first.size());
        REQUIRE(first.size() == second.size());
        CHECK(&second == &third);
        for (std::size_t i = 0; i < first.size(); ++i) {
            CHECK(first[i].exact == plain.lookup(folded)[i].exact);
            CHECK(first[i].count == second[i].count);
            CHECK(first[i].cases == third[i].cases);
        }
    }
}

TEST_CASE("a database without spelling statistics still gets suggestions by sampling", "[spelling]") {
    TempDir dir("vnsearch-spelling");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        for (const auto& d : vnsearch_test::seed_paragraph_docs()) ix.add(d);
    }
    {
        // As a database made before the statistics existed: none of their keys.
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        for (const auto& [key, value] : spelling_metadata(db)) w.set_metadata(key, "");
        w.commit();
    }
    REQUIRE(spelling_metadata(db).size() == 1);  // only the (now empty) total
    vnsearch::Searcher s(db);
    CHECK(s.suggest("chi lang").text == "Chi Lăng");
    CHECK(s.search("thach that").suggestion == "Thạch Thất");
    // Adding to it does not make its partial statistics look complete.
    {
        vnsearch::Index ix(db);
        ix.add(doc("new", "Lạng Sơn", "Ải Chi Lăng."));
    }
    std::vector<Xapian::Database> shards{Xapian::Database(db)};
    CHECK_FALSE(SpellingStats(shards).available());
    CHECK(s.suggest("lang son").text == "Lạng Sơn");
}

TEST_CASE("the statistics and the sampling agree on where a sentence starts", "[spelling]") {
    // "Mới" is written with a capital only after a dash, an ellipsis or a typographic quote:
    // sentence starts, where a capital says nothing about a name. Both readers of case
    // (the stored statistics, and the sampling an index without them falls back to) read
    // these gaps one way (text::ends_sentence), so both suggest the word in lowercase.
    TempDir dir("vnsearch-spelling");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        ix.add(doc("a", "Trận đấu", "Trận đấu kết thúc — Mới bắt đầu mùa giải."));
        ix.add(doc("b", "Mùa giải", "Họ chờ đợi… Mới có tin vui từ đội bóng."));
        ix.add(doc("c", "Đội bóng", "Anh nói “Mới thắng một trận” rồi về nhà."));
    }
    vnsearch::Searcher stats(db);
    CHECK(stats.suggest("moi").text == "mới");
    {
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        for (const auto& [key, value] : spelling_metadata(db)) w.set_metadata(key, "");
        w.commit();
    }
    vnsearch::Searcher sampling(db);
    REQUIRE_FALSE(SpellingStats(std::vector<Xapian::Database>{Xapian::Database(db)}).available());
    CHECK(sampling.suggest("moi").text == "mới");
}

TEST_CASE("the spelling codec is pinned byte for byte", "[spelling][scheme]") {
    TempDir dir("vnsearch-spelling");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        ix.add(doc("a", "", "Ở Chi Lăng, Chi Lăng và Chi Lăng có chi lăng."));
    }
    // docs/term-scheme.md, "Spelling statistics": "Chi Lăng" 3 times, then "chi lăng" once;
    // then what followed the pair: "chi lăng và", "chi lăng chi" and "chi lăng có" once each,
    // by fingerprint (24 bits of FNV-1a: 1010162, 7218926, 7364124): FF, 3 triples, Rice
    // parameter 21, then the bits (the first fingerprint, the differences, the counts).
    const std::string expected("\x1F\x00\x1F\x26\x00\x03\x00\x26\x00\x01"
                               "\xFF\x03\x15\xF2\x69\x0F\xB9\xCF\xEB\x6F\xB9\x11\x01",
                               23);
    CHECK(Xapian::Database(db).get_metadata(std::string(vnsearch::scheme::kSpellingPrefix) + "chi lang") == expected);
    CHECK(vnsearch::detail::triple_fingerprint("chi", "lăng", "chi") == 7218926);
    CHECK(vnsearch::detail::triple_fingerprint("chi", "lăng", "và") == 1010162);
    CHECK(vnsearch::detail::triple_fingerprint("chi", "lăng", "có") == 7364124);
    // Read back: what followed, by fingerprint.
    std::vector<Xapian::Database> shards{Xapian::Database(db)};
    const SpellingStats stats(shards);
    const auto& following = stats.following("chi lang");
    REQUIRE(following.size() == 3);
    CHECK(vnsearch::detail::continuation_count(following, 1010162) == 1);
    CHECK(vnsearch::detail::continuation_count(following, 1010163) == 0);
    CHECK(stats.following("lang chi").size() == 1);  // "Lăng, Chi Lăng"
    CHECK(vnsearch::detail::continuation_count(stats.following("lang chi"), vnsearch::detail::triple_fingerprint("lăng", "chi", "lăng")) == 1);
    CHECK(stats.following("chi").empty());  // a syllable has none
}

TEST_CASE("malformed spelling values are skipped, never trusted", "[spelling]") {
    TempDir dir("vnsearch-spelling");
    const std::string db = dir.str("db");
    {
        vnsearch::Index ix(db);
        for (const auto& d : vnsearch_test::seed_paragraph_docs()) ix.add(d);
    }
    const std::string prefix(vnsearch::scheme::kSpellingPrefix);
    {
        Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
        w.set_metadata(prefix + "thach", std::string("\xFF\xFF\xFF", 3));                 // no terminator
        w.set_metadata(prefix + "thach that", std::string("\x05\x00\x00\xFF", 4));        // count cut short
        w.set_metadata(prefix + "lang", std::string("\xEF\x00\x07", 3));                  // a mark past the syllable
        w.set_metadata(prefix + "lang son", std::string("\x1F\x00\x1F\x3A\x00\x05", 6));  // variant 26 of 'o': none
        w.set_metadata(prefix + "chi lang", std::string("\x00\x26\x00\x05\xFF\x80", 6));          // continuations cut short
        w.commit();
    }
    std::vector<Xapian::Database> shards{Xapian::Database(db)};
    SpellingStats stats(shards);
    CHECK(stats.lookup("thach").empty());
    CHECK(stats.lookup("thach that").empty());
    CHECK(stats.lookup("lang").empty());
    CHECK(stats.lookup("lang son").empty());
    CHECK(stats.lookup("chi lang").size() == 1);  // its spellings are kept, its continuations dropped
    CHECK(stats.following("chi lang").empty());
    vnsearch::Searcher s(db);
    CHECK_NOTHROW(s.suggest("thach that lang son"));
    CHECK(s.suggest("nghi quyet").text == "nghị quyết");  // the rest still answers
    // Merging such values (compaction) keeps what decodes and drops the rest.
    const std::string bad[] = {std::string("\xFF", 1), std::string("\x00\x03", 2)};
    CHECK(vnsearch::detail::merge_spelling(prefix + "chi", bad, 2) == std::string("\x00\x03", 2));
    // A pair's continuations are summed by fingerprint; malformed ones are dropped.
    // Fingerprint 5 once / 5 twice and 6 once / a stream cut short.
    const std::string pairs[] = {std::string("\x00\x00\x02" "\xFF\x01\x00\x05\x00\x00\x01", 10),
                                 std::string("\x00\x00\x01" "\xFF\x02\x00\x05\x00\x00\x1A", 10),
                                 std::string("\x00\x00\x01" "\xFF\x01\x00\x05", 7)};
    CHECK(vnsearch::detail::merge_spelling(prefix + "chi lang", pairs, 3) == std::string("\x00\x00\x04" "\xFF\x02\x00\x05\x00\x00\x1E", 10));
}

TEST_CASE("any bytes as a pair's continuations are read or dropped, and what is kept reads back the same", "[spelling]") {
    const std::string key = std::string(vnsearch::scheme::kSpellingPrefix) + "chi lang";
    std::mt19937 rng(11);
    std::size_t kept = 0;
    for (int round = 0; round < 20000; ++round) {
        // A pair's spelling, then the marker and a count, a Rice parameter and random bits,
        // mostly small so that some decode.
        std::string v("\x00\x00\x01\xFF", 4);
        v.push_back(static_cast<char>(rng() % 4));
        v.push_back(static_cast<char>(rng() % 26));
        const std::size_t len = rng() % 12;
        for (std::size_t i = 0; i < len; ++i) v.push_back(static_cast<char>(rng() & 0xFF));
        const auto once = vnsearch::detail::merge_spelling(key, &v, 1);
        REQUIRE(once);
        REQUIRE(once->substr(0, 3) == std::string("\x00\x00\x01", 3));  // the spelling survives
        if (once->size() > 3) ++kept;
        CHECK(vnsearch::detail::merge_spelling(key, &*once, 1) == once);  // a fixed point
        const std::string twice[] = {*once, *once};
        const auto doubled = vnsearch::detail::merge_spelling(key, twice, 2);  // every count doubles
        REQUIRE(doubled);
        CHECK(doubled->size() >= once->size());
    }
    CHECK(kept > 100);
}

