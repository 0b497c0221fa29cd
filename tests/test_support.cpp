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

}  // namespace vnsearch_test
