#include "vnsearch/index.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "analysis/abbreviations.h"
#include "index/abbreviation_store.h"
#include "ingest/article.h"
#include "index/database.h"
#include "index/document_builder.h"
#include "index/safe_write.h"
#include "index/shard_set.h"
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

namespace {

constexpr const char* kDiscarded = "; the changes since the last commit were discarded (the database keeps its last commit)";

std::string mib(std::uint64_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buf;
}

/// Room a commit is refused without: `min_free`, and as much again as the batch may add to
/// the tables (about 3 bytes of index a byte of text at 50k news articles, 4 counted: a
/// commit also copies the blocks it changes). A commit that runs out of room inside Xapian
/// 1.4 may end the process there (its value updater writes from a destructor; see
/// IndexOptions::min_free_bytes), so the check errs on the side of refusing. 0: no check.
constexpr std::uint64_t kCommitBytesPerTextByte = 4;
std::uint64_t commit_room(std::uint64_t min_free, std::size_t pending_bytes) {
    if (!min_free) return 0;
    std::uint64_t room = 0;  // saturating: a floor of UINT64_MAX refuses every commit
    if (__builtin_mul_overflow(std::uint64_t{pending_bytes}, kCommitBytesPerTextByte, &room) ||
        __builtin_add_overflow(room, min_free, &room))
        return UINT64_MAX;
    return room;
}

/// Refuses a commit (DiskFullError, before anything is written) while the filesystem holding
/// `path` has less than `min_free` bytes free (0: no check).
void check_free_space(const std::string& path, std::uint64_t min_free) {
    if (!min_free) return;
    const std::uint64_t free = detail::free_bytes(path);
    if (free < min_free)
        throw DiskFullError("disk full: " + mib(free) + " free on the filesystem of " + path + ", " + mib(min_free) +
                            " needed to commit; nothing was written and the changes since the last commit "
                            "are kept: free some space and commit again");
}

}  // namespace

struct VNSEARCH_LOCAL Index::Impl {
    std::string path;
    IndexOptions options;
    std::string notice;
    const Analyzer analyzer;  // thread-safe (const): used outside the mutex

    /// Over a shard set: one Index per shard, in routing order (each with its own lock,
    /// mutex and batch); nothing below is used then. Guarded by `mutex` are only `closed`
    /// and the set-wide operations (commit, rollback, close), which go over every shard.
    std::vector<Index> shards;
    Index& shard_for(std::string_view id) { return shards[scheme::shard_of(id, shards.size())]; }
    /// Drops the batch of every shard after a failed write (best effort: a shard that cannot
    /// roll back reports it at its next call).
    void rollback_shards() noexcept {
        for (Index& s : shards) {
            try {
                s.rollback();
            } catch (...) {
            }
        }
    }
    std::atomic<bool> set_closed{false};  ///< the shard set was closed
    void check_open() const {
        if (set_closed) throw Error("index " + path + " is closed");
    }

    // Everything below is guarded by `mutex`.
    mutable std::mutex mutex;
    /// The open handle, always inside a transaction (the current batch). Empty after a
    /// failure it could not reopen from (the next call tries again) and after close().
    std::optional<Xapian::WritableDatabase> db;
    bool closed = false;
    bool closing = false;
    IndexStats stats;
    mutable std::map<std::thread::id, IndexStats> stats_copies;  // what stats() returned, per thread
    std::size_t pending_bytes = 0;
    bool dirty = false;
    detail::PairCollector abbreviations;  ///< pairs seen in this batch, written at commit
    detail::SpellingCollector spelling;   ///< spelling statistics of this batch, written at commit
    /// Free-list blocks a failed commit overwrote, to put back before the next handle writes
    /// (kept only when the handle could not be reopened at once).
    std::optional<detail::FreelistSnapshot> repair;

    /// Opens a fresh handle on the last commit and starts a batch (a transaction: its
    /// commit_transaction() writes it to disk and cancel_transaction() drops it).
    void open() {
        try {
            Xapian::WritableDatabase fresh(path, Xapian::DB_OPEN | Xapian::DB_BACKEND_GLASS);
            // The lock is ours again: put back what a failed commit overwrote before anything
            // is written through this handle.
            if (repair) {
                if (!repair->restore())
                    throw DatabaseError("database at " + path +
                                        " was damaged by a failed commit and could not be repaired: check it with xapian-check");
                repair.reset();
            }
            fresh.begin_transaction();
            db = std::move(fresh);
        } catch (const Xapian::Error& e) {
            detail::rethrow(e, path);
        }
    }

    /// The handle for the next operation: throws Error once closed; reopens after a failure.
    Xapian::WritableDatabase& writable() {
        if (closed) throw Error("index " + path + " is closed");
        if (!db) open();
        return *db;
    }

    /// After any failed write: the handle is never used again (it would write its stale
    /// state at the next commit), the batch is gone, and a fresh handle is opened on the
    /// last commit — after putting back the free-list blocks a failed commit overwrote.
    void recover(const detail::FreelistSnapshot* snapshot) noexcept {
        if (db) {
            detail::abandon(*db);
            db.reset();
        }
        if (snapshot && !snapshot->empty()) {
            try {
                repair = *snapshot;
            } catch (...) {
                (void)snapshot->restore();  // no memory to keep it: put the blocks back now
            }
        }
        abbreviations.clear();
        spelling.clear();
        pending_bytes = 0;
        dirty = false;
        if (closing) return;
        try {
            open();
        } catch (...) {
            // The next call tries again (and reports why it cannot).
        }
    }

    /// Throws the vnsearch error for a failed write, after recovering from it.
    [[noreturn]] void fail(const Xapian::Error& e, const detail::FreelistSnapshot* snapshot) {
        std::exception_ptr error = detail::translate(e, path, kDiscarded);
        recover(snapshot);
        std::rethrow_exception(error);
    }

    /// Takes the spellings of the stored documents with id term `idterm` out of `spelling`
    /// (they are about to be replaced or deleted).
    void forget_spellings(Xapian::WritableDatabase& w, const std::string& idterm, detail::SpellingCollector& into) const {
        for (auto it = w.postlist_begin(idterm); it != w.postlist_end(idterm); ++it)
            detail::count_spellings(detail::stored_document(w.get_document(*it)), analyzer, into, -1);
    }

    void commit() {
        Xapian::WritableDatabase& w = writable();
        check_free_space(path, commit_room(options.min_free_bytes, pending_bytes));
        const detail::FreelistSnapshot snapshot(path);
        try {
            abbreviations.flush(w);
            spelling.flush(w);
            w.set_metadata(scheme::kLastUpdateKey, detail::now_iso());
            w.commit_transaction();
            w.begin_transaction();
        } catch (const Xapian::Error& e) {
            fail(e, &snapshot);
        }
        pending_bytes = 0;
        dirty = false;
    }
};

Index::Index(const std::string& path, IndexOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->options = options;
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !std::filesystem::is_directory(path, ec))
        throw DatabaseError("database path is not a directory: " + path);
    if (!options.create && !std::filesystem::exists(path, ec)) throw DatabaseError("no database at " + path);
    if (auto set = detail::writer_shard_set(path, options.shards, options.create)) {
        // One writer per shard, opened (and locked) in routing order: a second writer on the
        // set fails at the first shard it finds locked, and this one releases what it took.
        IndexOptions o = options;
        o.shards = 0;
        o.create = true;  // the manifest lists it: a shard a crash kept from being made is made now
        if (o.auto_commit_bytes) o.auto_commit_bytes = std::max<std::size_t>(1, o.auto_commit_bytes / set->shards.size());
        impl_->shards.reserve(set->shards.size());
        for (const std::string& shard : set->shards) {
            impl_->shards.emplace_back(shard, o);
            const std::string& n = impl_->shards.back().notice();
            if (!n.empty()) impl_->notice += (impl_->notice.empty() ? "" : "; ") + n;
        }
        return;
    }
    try {
        Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        try {
            detail::check_scheme(db, path);
            db.begin_transaction();
            // A new database gets its scheme version with the first commit, which goes
            // through the same guarded path as every other.
            if (db.get_metadata(scheme::kVersionKey).empty()) {
                db.set_metadata(scheme::kVersionKey, std::to_string(scheme::kVersion));
                impl_->dirty = true;
            }
            // So does an empty one its spelling statistics, which then cover every document
            // (a database made before they existed has none, and "did you mean" samples).
            if (db.get_doccount() == 0 && db.get_metadata(std::string(scheme::kSpellingKey)).empty()) {
                detail::mark_spelling_complete(db);
                impl_->dirty = true;
            }
        } catch (...) {
            detail::abandon(db);  // its destructor would commit again
            throw;
        }
        impl_->db = std::move(db);
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, path);
    }
    // We hold the write lock, so no IndexBuilder is working on this path: a build folder
    // is what a build killed after its final swap left behind.
    const std::string build = path + ".vnsearch-build";
    if (std::filesystem::exists(build, ec)) {
        std::filesystem::remove_all(build, ec);
        impl_->notice = ec ? "could not remove " + build + ", left by an interrupted build (" + ec.message() + ")"
                           : "removed " + build + ", left by an interrupted build";
    }
}

Index::~Index() {
    if (!impl_) return;
    try {
        close();
    } catch (...) {
        // A destructor must not throw; close() reports errors.
    }
}

Index::Index(Index&&) noexcept = default;

Index& Index::operator=(Index&& other) noexcept {
    if (this != &other) {
        if (impl_) {
            try {
                close();  // as the destructor would: commit, release the lock
            } catch (...) {
            }
        }
        impl_ = std::move(other.impl_);
    }
    return *this;
}

Index::Impl& Index::impl() const {
    if (!impl_) throw Error("vnsearch::Index used after it was moved from");
    return *impl_;
}

AddResult Index::add(const Document& doc) {
    Impl& im = impl();
    if (!im.shards.empty()) {
        detail::check_document(doc);
        im.check_open();
        try {
            return im.shard_for(doc.id).add(doc);
        } catch (const DocumentError&) {
            throw;  // nothing was written
        } catch (...) {
            im.rollback_shards();  // a failed write drops the whole batch, as in one database
            throw;
        }
    }
    // The costly part — analysis — needs no lock.
    detail::SpellingCollector spelling;
    Xapian::Document x = detail::build_document(doc, im.analyzer, &spelling);
    detail::PairCollector learnt;
    learnt.learn(doc.title);
    learnt.learn(doc.body);
    const std::string idterm = scheme::id_term(doc.id);
    const std::size_t bytes = doc.title.size() + doc.body.size();

    std::lock_guard lock(im.mutex);
    Xapian::WritableDatabase& db = im.writable();
    AddResult result;
    try {
        result = db.term_exists(idterm) ? AddResult::replaced : AddResult::added;
        if (result == AddResult::replaced) im.forget_spellings(db, idterm, spelling);
        db.replace_document(idterm, x);
    } catch (const Xapian::Error& e) {
        im.fail(e, nullptr);
    }
    im.abbreviations.merge(std::move(learnt));
    im.spelling.merge(std::move(spelling));
    (result == AddResult::added ? im.stats.added : im.stats.replaced)++;
    im.stats.bytes += bytes;
    im.pending_bytes += bytes;
    im.dirty = true;
    if (im.options.auto_commit_bytes && im.pending_bytes >= im.options.auto_commit_bytes) im.commit();
    return result;
}

IngestReport Index::add_path(const std::filesystem::path& path) {
    return ingest::add_path(path, [this](Document&& d) { return add(d); });
}

bool Index::remove(const std::string& id) {
    Impl& im = impl();
    if (!im.shards.empty()) {
        im.check_open();
        try {
            return im.shard_for(id).remove(id);
        } catch (...) {
            im.rollback_shards();
            throw;
        }
    }
    const std::string idterm = scheme::id_term(id);
    std::lock_guard lock(im.mutex);
    Xapian::WritableDatabase& db = im.writable();
    try {
        if (!db.term_exists(idterm)) return false;
        detail::SpellingCollector spelling;
        im.forget_spellings(db, idterm, spelling);
        db.delete_document(idterm);
        im.spelling.merge(std::move(spelling));
    } catch (const Xapian::Error& e) {
        im.fail(e, nullptr);
    }
    ++im.stats.removed;
    im.dirty = true;
    return true;
}

void Index::commit() {
    Impl& im = impl();
    std::lock_guard lock(im.mutex);
    if (im.shards.empty()) return im.commit();
    im.check_open();
    // Refuse before any shard writes while one of them lacks space, so that a full disk
    // keeps the whole batch rather than committing part of it.
    // Each shard asks for the room its own commit asks for (its floor and its batch, read
    // under the shard's lock: other threads may be adding to it).
    for (const Index& s : im.shards) {
        std::uint64_t room = 0;
        {
            std::lock_guard shard_lock(s.impl_->mutex);
            room = commit_room(s.impl_->options.min_free_bytes, s.impl_->pending_bytes);
        }
        check_free_space(s.path(), room);
    }
    // Shard by shard: not atomic across shards (see Index). A failure drops the batch of the
    // shards not committed yet.
    try {
        for (std::size_t k = 0; k < im.shards.size(); ++k) {
            if (k > 0) detail::fault_point("shards.commit");  // between two shards' commits
            im.shards[k].commit();
        }
    } catch (...) {
        im.rollback_shards();
        throw;
    }
}

void Index::add_abbreviation(const std::string& abbreviation, const std::string& expansion) {
    Impl& im = impl();
    if (!im.shards.empty()) {
        im.check_open();
        return im.shards.front().add_abbreviation(abbreviation, expansion);  // a Searcher reads every shard's
    }
    if (analysis::abbreviation_key(abbreviation).empty())
        throw DocumentError("abbreviation must be one word: '" + abbreviation + "'");
    if (analysis::expansion_key(expansion).empty()) throw DocumentError("abbreviation " + abbreviation + " needs an expansion");
    std::lock_guard lock(im.mutex);
    im.writable();
    im.abbreviations.add_user(abbreviation, expansion);
    im.dirty = true;
}

void Index::rollback() {
    Impl& im = impl();
    std::lock_guard lock(im.mutex);
    if (!im.shards.empty()) {
        im.check_open();
        for (Index& s : im.shards) s.rollback();
        return;
    }
    Xapian::WritableDatabase& db = im.writable();
    im.abbreviations.clear();
    try {
        db.cancel_transaction();
        db.begin_transaction();
    } catch (const Xapian::Error&) {
        // The batch is dropped either way; go on from a fresh handle (throws if it cannot).
        im.recover(nullptr);
        im.writable();
    }
    im.pending_bytes = 0;
    im.dirty = false;
}

void Index::close() {
    Impl& im = impl();
    std::lock_guard lock(im.mutex);
    if (im.closed) return;
    if (!im.shards.empty()) {
        // Every shard is closed (its lock released) even when one fails; the first error is thrown.
        std::exception_ptr error;
        for (Index& s : im.shards) {
            try {
                s.close();
            } catch (...) {
                if (!error) error = std::current_exception();
            }
        }
        im.closed = true;
        im.set_closed = true;
        if (error) std::rethrow_exception(error);
        return;
    }
    std::exception_ptr error;
    im.closing = true;  // a failed commit does not reopen
    if (im.dirty || im.repair) {
        try {
            im.commit();
        } catch (...) {
            error = std::current_exception();
        }
    }
    if (im.db) {
        try {
            im.db->cancel_transaction();  // the empty batch opened by the last commit
            im.db->close();
        } catch (const Xapian::Error& e) {
            if (!error) error = detail::translate(e, im.path);
        }
        detail::abandon(*im.db);  // releases the lock if close() failed half way
        im.db.reset();
    }
    im.closed = true;
    if (error) std::rethrow_exception(error);
}

std::size_t Index::size() const {
    Impl& im = impl();
    if (!im.shards.empty()) {
        im.check_open();
        std::size_t n = 0;
        for (const Index& s : im.shards) n += s.size();
        return n;
    }
    std::lock_guard lock(im.mutex);
    try {
        return im.writable().get_doccount();
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, im.path);
    }
}

const IndexStats& Index::stats() const {
    Impl& im = impl();
    std::lock_guard lock(im.mutex);
    IndexStats& copy = im.stats_copies[std::this_thread::get_id()];
    copy = im.stats;
    for (const Index& s : im.shards) detail::accumulate(copy, s.stats());
    return copy;
}

const std::string& Index::path() const noexcept {
    static const std::string none;
    return impl_ ? impl_->path : none;
}

const std::string& Index::notice() const noexcept {
    static const std::string none;
    return impl_ ? impl_->notice : none;
}

}  // namespace vnsearch
