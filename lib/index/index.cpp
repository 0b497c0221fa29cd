#include "vnsearch/index.h"

#include <xapian.h>

#include <chrono>
#include <ctime>
#include <filesystem>

#include "analysis/abbreviations.h"
#include "index/abbreviation_store.h"
#include "index/database.h"
#include "index/document_builder.h"
#include "index/term_scheme.h"
#include "index/xapian_errors.h"
#include "vnsearch/error.h"

namespace vnsearch {

namespace detail {

/// Checks (or, for a new database, writes) the term-scheme version.
void check_scheme(const Xapian::Database& db, const std::string& path) {
    std::string v = db.get_metadata(scheme::kVersionKey);
    if (v.empty()) {
        if (db.get_doccount() == 0) return;
        throw SchemeVersionError("database at " + path + " was not written by vnsearch (no term-scheme version)");
    }
    if (v != std::to_string(scheme::kVersion))
        throw SchemeVersionError("database at " + path + " uses term scheme " + v + "; this vnsearch reads scheme " +
                                 std::to_string(scheme::kVersion) + ": re-index it");
}

std::string now_iso() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace detail

struct Index::Impl {
    std::string path;
    IndexOptions options;
    Xapian::WritableDatabase db;
    Analyzer analyzer;
    IndexStats stats;
    std::size_t pending_bytes = 0;
    bool dirty = false;
    detail::PairCollector abbreviations;  ///< pairs seen in this batch, written at commit
};

Index::Index(const std::string& path, IndexOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->options = options;
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_directory(path, ec))
        throw DatabaseError("database path is not a directory: " + path);
    if (!options.create && !std::filesystem::exists(path, ec)) throw DatabaseError("no database at " + path);
    try {
        impl_->db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        detail::check_scheme(impl_->db, path);
        if (impl_->db.get_metadata(scheme::kVersionKey).empty()) {
            impl_->db.set_metadata(scheme::kVersionKey, std::to_string(scheme::kVersion));
            impl_->db.commit();
        }
        // Each batch is a (flushed) transaction: commit_transaction() writes it to disk and
        // rollback() can drop it.
        impl_->db.begin_transaction();
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, path);
    }
}

Index::~Index() {
    if (!impl_) return;
    try {
        if (impl_->dirty) commit();
        impl_->db.cancel_transaction();  // the empty batch opened by the last commit
        impl_->db.close();
    } catch (...) {
        // A destructor must not throw; an explicit commit() reports errors.
    }
}

Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;

AddResult Index::add(const Document& doc) {
    Xapian::Document x = detail::build_document(doc, impl_->analyzer);
    impl_->abbreviations.learn(doc.title);
    impl_->abbreviations.learn(doc.body);
    const std::string idterm = scheme::id_term(doc.id);
    AddResult result;
    try {
        result = impl_->db.term_exists(idterm) ? AddResult::replaced : AddResult::added;
        impl_->db.replace_document(idterm, x);
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, impl_->path);
    }
    (result == AddResult::added ? impl_->stats.added : impl_->stats.replaced)++;
    const std::size_t bytes = doc.title.size() + doc.body.size();
    impl_->stats.bytes += bytes;
    impl_->pending_bytes += bytes;
    impl_->dirty = true;
    if (impl_->options.auto_commit_bytes && impl_->pending_bytes >= impl_->options.auto_commit_bytes) commit();
    return result;
}

bool Index::remove(const std::string& id) {
    const std::string idterm = scheme::id_term(id);
    try {
        if (!impl_->db.term_exists(idterm)) return false;
        impl_->db.delete_document(idterm);
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, impl_->path);
    }
    ++impl_->stats.deleted;
    impl_->dirty = true;
    return true;
}

void Index::commit() {
    try {
        impl_->abbreviations.flush(impl_->db);
        impl_->db.set_metadata(scheme::kLastUpdateKey, detail::now_iso());
        impl_->db.commit_transaction();
        impl_->db.begin_transaction();
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, impl_->path);
    }
    impl_->pending_bytes = 0;
    impl_->dirty = false;
}

void Index::add_abbreviation(const std::string& abbreviation, const std::string& expansion) {
    if (analysis::abbreviation_key(abbreviation).empty())
        throw DocumentError("abbreviation must be one word: '" + abbreviation + "'");
    if (analysis::expansion_key(expansion).empty()) throw DocumentError("abbreviation " + abbreviation + " needs an expansion");
    impl_->abbreviations.add_user(abbreviation, expansion);
    impl_->dirty = true;
}

void Index::rollback() {
    impl_->abbreviations.clear();
    try {
        impl_->db.cancel_transaction();
        impl_->db.begin_transaction();
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, impl_->path);
    }
    impl_->pending_bytes = 0;
    impl_->dirty = false;
}

std::size_t Index::size() const { return impl_->db.get_doccount(); }
const IndexStats& Index::stats() const noexcept { return impl_->stats; }
const std::string& Index::path() const noexcept { return impl_->path; }

}  // namespace vnsearch
