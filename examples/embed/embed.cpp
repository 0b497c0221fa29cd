// Embedding vnsearch: index a few articles, then search with and without diacritics.
//   embed DB_DIR
#include <iostream>
#include <vnsearch/vnsearch.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: embed DB_DIR\n";
        return 2;
    }
    try {
        {
            vnsearch::Index index(argv[1]);  // creates the database; holds the write lock
            vnsearch::Document a("chi-lang");
            a.title = "Công tác xây dựng Đảng ở Chi Lăng";
            a.body = "Năm 2009, công tác tổ chức xây dựng Đảng ở Chi Lăng được Huyện uỷ quan tâm.";
            a.date = "2024-07-25";
            vnsearch::Document b("lang-son");
            b.title = "Đảng bộ Lạng Sơn thực hiện Nghị quyết 22";
            b.body = "Thực hiện Nghị quyết 22, Tỉnh ủy Lạng Sơn xây dựng kế hoạch học tập.";
            b.date = "2019-02-23";
            index.add(a);
            index.add(b);
            index.commit();
        }
        vnsearch::Searcher searcher(argv[1]);
        for (const char* query : {"chi lang", "Lạng Sơn", "nghi quyet 22"}) {
            vnsearch::SearchOptions options;
            options.limit = 5;
            options.highlight_start = "[";
            options.highlight_end = "]";
            auto results = searcher.search(query, options);
            std::cout << query << ": " << results.total << " hit(s)\n";
            for (const auto& hit : results)
                std::cout << "  " << hit.rank << ". " << hit.id << " — " << hit.snippet << '\n';
        }
    } catch (const vnsearch::Error& e) {
        std::cerr << "embed: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
