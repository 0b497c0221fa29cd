#include "test_support.h"

#include <vnsearch/vnsearch.h>

namespace vnsearch_test {

const std::string& seed_db() {
    static TempDir dir("vnsearch-seeds");
    static const std::string path = [] {
        std::string db = dir.str("db");
        vnsearch::Index index(db);
        vnsearch::IngestCallbacks cb;
        cb.on_document = [&](vnsearch::Document&& d) { index.add(d); };
        vnsearch::ingest_path(VNSEARCH_CORPUS_DIR, cb);
        index.commit();
        return db;
    }();
    return path;
}

std::vector<vnsearch::Document> seed_paragraph_docs() {
    std::vector<vnsearch::Document> out;
    vnsearch::IngestCallbacks cb;
    cb.on_document = [&](vnsearch::Document&& d) {
        std::size_t start = 0, k = 0;
        while (start < d.body.size()) {
            std::size_t end = d.body.find('\n', start);
            if (end == std::string::npos) end = d.body.size();
            if (end - start > 40) {
                vnsearch::Document p(d.id + "#" + std::to_string(k++));
                p.title = d.title;
                p.body = d.body.substr(start, end - start);
                p.date = d.date;
                p.source = d.source;
                out.push_back(std::move(p));
            }
            start = end + 1;
        }
    };
    vnsearch::ingest_path(VNSEARCH_CORPUS_DIR, cb);
    return out;
}

}  // namespace vnsearch_test
