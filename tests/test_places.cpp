// Place recognition (issue 15): the gazetteer tables and the recogniser.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <vnsearch/analysis.h>
#include <vnsearch/places.h>
#include <vnsearch/text.h>

#include "places/places.h"
#include "test_support.h"

using namespace vnsearch;
using vnsearch_test::nfd;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string seed(const char* name) { return read_file(std::string(VNSEARCH_CORPUS_DIR) + "/" + name); }

/// The other tone placement (hoà <-> hòa, uỷ <-> ủy) everywhere in `s`.
std::string swap_tones(std::string s) {
    const std::pair<const char*, const char*> pairs[] = {{"oà", "òa"}, {"oá", "óa"}, {"oả", "ỏa"}, {"oạ", "ọa"},
                                                         {"uỷ", "ủy"}, {"uý", "úy"}, {"Hoà", "Hòa"}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool done = false;
        for (auto [a, b] : pairs) {
            for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
                std::size_t n = std::strlen(x);
                if (s.compare(i, n, x) == 0) {
                    out += y;
                    i += n;
                    done = true;
                    break;
                }
            }
            if (done) break;
        }
        if (!done) out += s[i++];
    }
    return out;
}

std::set<std::string> old_provinces(const std::vector<PlaceMention>& ms) {
    std::set<std::string> out;
    for (const auto& m : ms)
        if (m.place.old_province) out.insert(m.place.old_province->code);
    return out;
}

std::set<std::string> units(const std::vector<PlaceMention>& ms) {
    std::set<std::string> out;
    for (const auto& m : ms) out.insert(std::string(level_name(m.place.unit.level)) + ":" + m.place.unit.code);
    return out;
}

bool names_hcm_city(const std::vector<PlaceMention>& ms) {
    for (const auto& m : ms)
        if (m.place.old_province && m.place.old_province->code == "79") return true;
    return false;
}

}  // namespace

TEST_CASE("The gazetteer holds both geographies with their links", "[places]") {
    // 63 + 696 + 10,035 old units, 34 + 3,321 current ones
    CHECK(places::unit_count() == 63 + 696 + 10035 + 34 + 3321);
    auto chi_lang = place_by_code("187", Geography::before_2025);
    REQUIRE(chi_lang);
    CHECK(chi_lang->unit.name == "Chi Lăng");
    CHECK(chi_lang->unit.type == "Huyện");
    CHECK(chi_lang->unit.level == PlaceLevel::district);
    REQUIRE(chi_lang->old_province);
    CHECK(chi_lang->old_province->code == "20");
    CHECK(chi_lang->old_province->name == "Lạng Sơn");
    REQUIRE(chi_lang->provinces.size() == 1);
    CHECK(chi_lang->provinces[0].code == "20");
    CHECK(chi_lang->provinces[0].geography == Geography::current);
    // Chợ Mới of Bắc Kạn lies in Thái Nguyên today; Bắc Kạn as a whole too
    auto cho_moi = place_by_code("065", Geography::before_2025);
    REQUIRE(cho_moi);
    CHECK(cho_moi->old_province->name == "Bắc Kạn");
    REQUIRE(cho_moi->provinces.size() == 1);
    CHECK(cho_moi->provinces[0].name == "Thái Nguyên");
    auto bac_kan = place_by_code("06", Geography::before_2025);
    REQUIRE(bac_kan);
    CHECK(bac_kan->provinces.size() == 1);
    CHECK(bac_kan->provinces[0].code == "19");
    // a current province knows nothing of districts; its old provinces come from the mapping
    auto tn = place_by_code("19", Geography::current);
    REQUIRE(tn);
    CHECK(tn->unit.geography == Geography::current);
    CHECK_FALSE(tn->old_district);
    CHECK(tn->provinces.size() == 1);
    // names: NFC, the analyzer's tone placement ("Hoà Bình", "Thanh Hoá")
    CHECK(place_by_code("17", Geography::before_2025)->unit.name == "Hoà Bình");
    CHECK(place_by_code("38", Geography::before_2025)->unit.name == "Thanh Hoá");
    CHECK_FALSE(place_by_code("99", Geography::before_2025));
    CHECK_FALSE(place_by_code("1x", Geography::before_2025));
    CHECK_FALSE(place_by_code("", Geography::current));
}

TEST_CASE("Every unit's name is already normalized as the analyzer writes it", "[places]") {
    // the generator places tones like the analyzer; a drift in either shows here
    for (const char* g : {"01", "17", "38", "56", "46"}) {
        auto p = place_by_code(g, Geography::before_2025);
        REQUIRE(p);
        CHECK(normalize(p->unit.name) == p->unit.name);
    }
    for (std::uint32_t c = 0; c < 32300; c += 3) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%05u", c);
        if (auto p = place_by_code(buf, Geography::before_2025)) CHECK(normalize(p->unit.name) == p->unit.name);
    }
}

TEST_CASE("find_places looks names up in either geography, with or without marks", "[places]") {
    auto tn = find_places("Thái Nguyên", Geography::current);
    REQUIRE_FALSE(tn.empty());
    CHECK(tn[0].code == "19");
    CHECK(tn[0].level == PlaceLevel::province);
    auto cl = find_places("Chi Lăng", Geography::before_2025);
    bool district = false;
    for (const auto& u : cl) district = district || (u.code == "187" && u.level == PlaceLevel::district);
    CHECK(district);
    // the type word narrows: two districts named Chợ Mới, and communes
    auto cm = find_places("huyện Chợ Mới", Geography::before_2025);
    REQUIRE(cm.size() == 2);
    CHECK(cm[0].code == "065");
    CHECK(cm[1].code == "893");
    // unaccented, NFD, other tone placement
    CHECK(find_places("nghe an", Geography::before_2025).at(0).code == "40");
    CHECK(find_places(nfd("Nghệ An"), Geography::before_2025).at(0).code == "40");
    CHECK(find_places("Hòa Bình", Geography::before_2025).at(0).code == "17");
    CHECK(find_places("Hoà Bình", Geography::before_2025).at(0).code == "17");
    CHECK(find_places("tỉnh Hoà Bình", Geography::before_2025).size() == 1);
    CHECK(find_places("TP Hồ Chí Minh", Geography::before_2025).at(0).code == "79");
    CHECK(find_places("TP.HCM", Geography::before_2025).at(0).code == "79");
    // marks typed must match: "Nghê An" is no unit
    CHECK(find_places("Nghê An", Geography::before_2025).empty());
    CHECK(find_places("", Geography::before_2025).empty());
    CHECK(find_places("tỉnh", Geography::before_2025).empty());
    for (const auto& u : find_places("Hà Tây", Geography::before_2025))  // before the data's snapshot
        CHECK(u.level == PlaceLevel::commune);
}

TEST_CASE("The seed articles name the provinces of their districts", "[places]") {
    SECTION("Chi Lăng is in Lạng Sơn") {
        auto ms = recognize_places(seed("000_36fbaf0990d157c1.txt"));
        CHECK(old_provinces(ms) == std::set<std::string>{"20"});
        CHECK(units(ms).count("district:187"));
        CHECK_FALSE(names_hcm_city(ms));
    }
    SECTION("Thạch Thất is in Hà Nội") {
        auto ms = recognize_places(seed("001_1d85e84d585870a7.txt"));
        CHECK(old_provinces(ms) == std::set<std::string>{"01"});
        CHECK(units(ms).count("district:276"));
        CHECK_FALSE(names_hcm_city(ms));  // "tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    }
    SECTION("Nghị quyết 22 is Lạng Sơn's") {
        auto ms = recognize_places(seed("002_e8d5dcae7cb99294.txt"));
        CHECK(old_provinces(ms) == std::set<std::string>{"20"});
        CHECK(units(ms).count("province:20"));
    }
    SECTION("Quế Phong is in Nghệ An") {
        auto ms = recognize_places(seed("003_6d84db7008b6e36f.txt"));
        CHECK(old_provinces(ms) == std::set<std::string>{"40"});
        CHECK(units(ms).count("district:415"));
        CHECK_FALSE(names_hcm_city(ms));
    }
    SECTION("Chợ Mới is Bắc Kạn's, in Thái Nguyên today") {
        auto ms = recognize_places(seed("004_90e289986aa2fce7.txt"));
        CHECK(old_provinces(ms) == std::set<std::string>{"06"});
        CHECK(units(ms).count("district:065"));
        CHECK_FALSE(units(ms).count("district:893"));
        for (const auto& m : ms) {
            REQUIRE(m.place.provinces.size() == 1);
            CHECK(m.place.provinces[0].name == "Thái Nguyên");
        }
        CHECK_FALSE(names_hcm_city(ms));
    }
}

TEST_CASE("Mentions point at the original bytes in NFD and either tone placement", "[places]") {
    for (const char* f : {"000_36fbaf0990d157c1.txt", "002_e8d5dcae7cb99294.txt", "004_90e289986aa2fce7.txt"}) {
        const std::string text = seed(f);
        auto base = recognize_places(text);
        REQUIRE_FALSE(base.empty());
        for (const std::string& variant : {nfd(text), swap_tones(text)}) {
            auto ms = recognize_places(variant);
            REQUIRE(ms.size() == base.size());
            for (std::size_t i = 0; i < ms.size(); ++i) {
                CHECK(ms[i].place.unit == base[i].place.unit);
                CHECK(ms[i].text == variant.substr(ms[i].start, ms[i].end - ms[i].start));
                CHECK(normalize(ms[i].text) == normalize(base[i].text));
            }
        }
        for (const auto& m : base) CHECK(m.text == text.substr(m.start, m.end - m.start));
    }
}

TEST_CASE("An everyday phrase is no place without a type word", "[places]") {
    CHECK(recognize_places("Nhân dân mong muốn hòa bình và ổn định lâu dài.").empty());
    CHECK(recognize_places("Giải Nobel Hòa bình năm nay được trao cho một tổ chức.").empty());
    auto hb = recognize_places("Đoàn công tác làm việc tại tỉnh Hòa Bình ngày 5/3.");
    REQUIRE(hb.size() == 1);
    CHECK(hb[0].place.unit.code == "17");
    CHECK(hb[0].text == "Hòa Bình");
    // the person, and the city
    CHECK(recognize_places("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.").empty());
    CHECK(recognize_places("Chủ tịch Hồ Chí Minh đọc Tuyên ngôn độc lập.").empty());
    for (const char* city : {"Thành phố Hồ Chí Minh", "TP Hồ Chí Minh", "TP.HCM", "TP. HCM", "Tp.HCM", "TPHCM"}) {
        auto ms = recognize_places(std::string("Giá nhà ở ") + city + " tăng mạnh.");
        INFO(city);
        REQUIRE(ms.size() == 1);
        CHECK(ms[0].place.unit.code == "79");
    }
    CHECK(recognize_places("Thái Bình Dương rộng lớn.").empty());      // the Pacific
    CHECK(recognize_places("Ông Nguyễn Thái Bình phát biểu.").empty());  // a person
    CHECK(recognize_places("Anh Thống Nhất cho biết.").empty());
    CHECK(recognize_places("Tàu khảo sát Hải Dương 8 của Trung Quốc.").empty());  // a ship
    // a list of provinces is no unit and its parent, even where old Hoà Bình lies in Phú Thọ
    // today; a name of context.tsv between two provinces is one too
    auto list = recognize_places("Mưa lớn ở Lào Cai, Sơn La, Hoà Bình, Phú Thọ, Vĩnh Phúc, Hà Nội.");
    CHECK(units(list) == std::set<std::string>{"province:10", "province:14", "province:17", "province:25",
                                               "province:26", "province:01"});
    CHECK(recognize_places("Nước nhà thống nhất năm 1975.").empty());
}

TEST_CASE("Type words, parents and the document's provinces settle a shared name", "[places]") {
    auto bk = recognize_places("Lãnh đạo huyện Chợ Mới (Bắc Kạn) kiểm tra.");
    REQUIRE_FALSE(bk.empty());
    CHECK(bk[0].place.unit.code == "065");
    auto ag = recognize_places("Nông dân huyện Chợ Mới, An Giang thu hoạch lúa.");
    REQUIRE_FALSE(ag.empty());
    CHECK(ag[0].place.unit.code == "893");
    auto bare = recognize_places("Chợ Mới (Bắc Kạn) và Chợ Mới, An Giang.");
    REQUIRE(units(bare).count("district:065"));
    REQUIRE(units(bare).count("district:893"));
    // alone, with nothing else, the name stays unresolved
    CHECK(recognize_places("Đảng bộ huyện Chợ Mới họp.").empty());
    // the document's other places decide
    auto doc = recognize_places("Đảng bộ huyện Chợ Mới họp. Tỉnh Bắc Kạn có nhiều đổi mới.");
    CHECK(units(doc).count("district:065"));
    auto chain = recognize_places("Xã Quan Sơn, huyện Chi Lăng, tỉnh Lạng Sơn.");
    CHECK(old_provinces(chain) == std::set<std::string>{"20"});
    CHECK(units(chain).count("district:187"));
    CHECK(chain.size() == 3);
    // one type word for a list
    auto list = recognize_places("Các huyện Văn Lãng, Cao Lộc và Chi Lăng (Lạng Sơn) có mưa. Quận 1, 3 và 5.");
    CHECK(units(list) == std::set<std::string>{"district:182", "district:183", "district:187", "province:20",
                                               "district:760", "district:770", "district:774"});
    // but a name after a commune is read for itself: here the district, then its province
    auto after_commune = recognize_places("Xã Thanh Vận, Chợ Mới, Bắc Kạn.");
    CHECK(units(after_commune) == std::set<std::string>{"commune:02092", "district:065", "province:06"});
}

TEST_CASE("Unaccented text and queries", "[places]") {
    auto ms = recognize_places("Mua ban dat o Lang Son va Nghe An");
    CHECK(old_provinces(ms) == std::set<std::string>{"20", "40"});
    PlaceOptions q;
    q.bare_names = true;
    auto hb = recognize_places("hoa binh", q);
    REQUIRE_FALSE(hb.empty());
    CHECK(hb[0].place.unit.code == "17");
    CHECK(recognize_places("hoa binh").empty());
    auto na = recognize_places("nghe an", q);
    REQUIRE(na.size() == 1);
    CHECK(na[0].place.unit.code == "40");
    // an ambiguous name in a query: every reading
    auto cm = recognize_places("chợ mới", q);
    CHECK(units(cm) == std::set<std::string>{"district:065", "district:893"});
}

TEST_CASE("A name of the current map only is recognised as a current unit", "[places]") {
    // "Xã Thư Lâm" (Hà Nội) exists only since 2025
    auto ms = recognize_places("Người dân xã Thư Lâm dọn vệ sinh.");
    REQUIRE(ms.size() == 1);
    CHECK(ms[0].place.unit.geography == Geography::current);
    CHECK(ms[0].place.provinces.at(0).code == "01");
    REQUIRE(ms[0].place.old_province);
    CHECK(ms[0].place.old_province->code == "01");
    // a name both old and current: the old unit, with its current province
    auto tn = recognize_places("Tỉnh Thái Nguyên đón khách.");
    REQUIRE(tn.size() == 1);
    CHECK(tn[0].place.unit.geography == Geography::before_2025);
    CHECK(tn[0].place.provinces.at(0).geography == Geography::current);
}

TEST_CASE("Bad and huge input", "[places]") {
    std::string bad = "tỉnh L\xe1\xba\xa1ng S\xff\xfe\xc6\xa1n, Lạng Sơn \xc3";
    std::vector<PlaceMention> ms;
    REQUIRE_NOTHROW(ms = recognize_places(bad));
    for (const auto& m : ms) CHECK(m.end <= bad.size());
    CHECK(recognize_places("").empty());
    // linear: 200,000 mentions complete and are all found
    std::string big;
    for (int i = 0; i < 200000; ++i) big += "Lạng Sơn, ";
    CHECK(recognize_places(big).size() == 200000);
    // the internal entry point gives the same as the public one
    const std::string text = seed("002_e8d5dcae7cb99294.txt");
    auto via_tokens = places::recognize(Analyzer().analyze(text), text, {});
    auto direct = recognize_places(text);
    REQUIRE(via_tokens.size() == direct.size());
    for (std::size_t i = 0; i < direct.size(); ++i) CHECK(via_tokens[i].start == direct[i].start);
}

TEST_CASE("A parent named right after outranks a type word that has aged", "[places]") {
    // Types are promoted (huyện → quận, xã → phường): the parent settles which unit is meant.
    auto promoted = recognize_places("Thái Văn A (xã Trung Kiên, huyện Thốt Nốt, thành phố Cần Thơ) bị bắt.");
    CHECK(old_provinces(promoted) == std::set<std::string>{"92"});
    CHECK(units(promoted).count("district:923"));
    // A city is never demoted: "thành phố Trường Sa, tỉnh Hồ Nam" is Changsha, not the
    // island district of Khánh Hoà.
    CHECK(recognize_places("Chuyến bay từ thành phố Trường Sa, tỉnh Hồ Nam, đi Bắc Kinh.").empty());
    // A settled parent that holds no reading of the name: the unit is not in our data
    // (merged since), and the same name elsewhere in the country is not it.
    auto merged = recognize_places("Anh N. ngụ tại xã Thái Học, Bình Giang, Hải Dương.");
    CHECK(old_provinces(merged) == std::set<std::string>{"30"});
    // Siblings of one type share the parent of the last one.
    auto siblings = recognize_places("Mưa lớn ở xã Quan Sơn, xã Vân An, huyện Chi Lăng.");
    CHECK(old_provinces(siblings) == std::set<std::string>{"20"});
    CHECK(units(siblings).count("commune:06517"));
    CHECK(units(siblings).count("commune:06469"));
}
