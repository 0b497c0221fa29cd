// Parallel bulk indexing: chunks of documents in input order -> temporary shards built by
// worker threads -> one compacted database, renumbered in input order.
#include <xapian.h>

#include <fcntl.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_set>
#include <vector>

#include "index/abbreviation_store.h"
#include "ingest/article.h"
#include "index/database.h"
#include "index/document_builder.h"
#include "index/safe_write.h"
#include "index/shard_set.h"
#include "index/term_scheme.h"
#include "index/xapian_errors.h"
#include "vnsearch/error.h"
#include "vnsearch/index.h"

namespace fs = std::filesystem;

namespace vnsearch {

namespace {

struct Chunk {
    std::size_t number = 0;
    std::vector<Document> docs;
};

/// Merges the metadata the shards share: abbreviation pairs and spelling statistics are summed, the rest (scheme
/// version) is the same everywhere and taken from the first.
class MetadataMerger : public Xapian::Compactor {
  public:
    /// Progress: called with the number of tables done (kTables in all).
    std::function<void(std::size_t)> on_table;
    static constexpr std::size_t kTables = 6;  // Glass: postlist docdata termlist position spelling synonym
    void set_status(const std::string&, const std::string& status) override {
        if (!status.empty() && on_table) on_table(std::min(++tables_done_, kTables));  // "" marks a table's start
    }
    std::string resolve_duplicate_metadata(const std::string& key, size_t num_tags, const std::string tags[]) override {
        // Xapian 1.4 passes the key as stored in the B-tree, behind the metadata prefix "\0\xc0".
        const std::string_view name = key.size() >= 2 && key[0] == '\0' && key[1] == '\xc0' ? std::string_view(key).substr(2) : key;
        if (name == scheme::kLastUpdateKey) return *std::max_element(tags, tags + num_tags);  // the latest (ISO 8601)
        if (auto spelling = detail::merge_spelling(name, tags, num_tags)) return *spelling;
        auto merged = detail::merge_metadata(name, tags, num_tags);
        return merged ? *merged : tags[0];
    }

  private:
    std::size_t tables_done_ = 0;
};

/// The exception being handled, as a vnsearch error (a worker's errors reach the caller
/// as Error, whatever was thrown).
std::exception_ptr as_vnsearch_error(const std::string& path) noexcept {
    try {
        try {
            throw;
        } catch (const Error&) {
            return std::current_exception();
        } catch (const Xapian::Error& e) {
            return detail::translate(e, path);
        } catch (const std::bad_alloc&) {
            throw Error("out of memory while building the index at " + path);
        } catch (const std::exception& e) {
            throw Error("building the index at " + path + " failed: " + e.what());
        } catch (...) {
            throw Error("building the index at " + path + " failed (unknown exception)");
        }
    } catch (...) {
        return std::current_exception();  // the Error (or std::bad_alloc making it)
    }
}

/// Merges `inputs` in consecutive groups of at most `fan_in` into new shards of this
/// `level` in the folder `work` (errors name `path`), on up to `threads` threads, removing
/// each group's inputs once merged; returns the new shards in order. `on_groups(n)` is
/// called on the calling thread only, with the groups done so far (by any thread): after
/// each group it merges itself, then as the other threads finish theirs, and at least once
/// with all of them. The first error (the callback's too) is thrown once every thread has
/// stopped.
std::vector<std::string> merge_groups(const std::string& work, const std::string& path, unsigned threads,
                                      const std::vector<std::string>& inputs, std::size_t fan_in, std::size_t level,
                                      const std::function<void(std::size_t)>& on_groups) {
    const std::size_t groups = (inputs.size() + fan_in - 1) / fan_in;
    std::vector<std::string> outputs(groups);
    std::atomic<std::size_t> next{0};
    std::mutex m;
    std::condition_variable changed;
    std::size_t done = 0, running = 0;  // groups merged, helper threads still at work (guarded by m)
    std::size_t reported = 0;           // the last count the calling thread reported (only it reads this)
    std::exception_ptr failed;
    auto fail = [&] {
        std::lock_guard lock(m);
        if (!failed) failed = as_vnsearch_error(path);
    };
    auto report = [&](std::size_t n) noexcept {
        try {
            reported = n;
            on_groups(n);
        } catch (...) {
            fail();
        }
    };
    auto run = [&](bool caller) noexcept {
        for (std::size_t g; (g = next++) < groups;) {
            try {
                {
                    std::lock_guard lock(m);
                    if (failed) return;
                }
                detail::fault_point("builder.merge");
                char name[48];
                std::snprintf(name, sizeof name, "/merge-%zu-%08zu", level, g);
                outputs[g] = work + name;
                // Balanced groups: [g*n/groups, (g+1)*n/groups).
                const std::size_t from = g * inputs.size() / groups, to = (g + 1) * inputs.size() / groups;
                Xapian::Database all;
                for (std::size_t i = from; i < to; ++i) all.add_database(Xapian::Database(inputs[i]));
                MetadataMerger merger;
                all.compact(outputs[g], Xapian::Compactor::FULL, 0, merger);
                all.close();
                std::error_code ec;
                for (std::size_t i = from; i < to; ++i) fs::remove_all(inputs[i], ec);  // the build folder goes anyway
                std::size_t now;
                {
                    std::lock_guard lock(m);
                    now = ++done;
                }
                if (caller) report(now);
                else changed.notify_all();
            } catch (...) {
                fail();
            }
        }
    };
    auto helper = [&]() noexcept {
        run(false);
        {
            std::lock_guard lock(m);
            --running;
        }
        changed.notify_all();
    };
    std::vector<std::thread> helpers;
    const std::size_t n_threads = std::min<std::size_t>(std::max(1u, threads), groups);
    for (std::size_t t = 1; t < n_threads; ++t) {
        {
            std::lock_guard lock(m);
            ++running;
        }
        try {
            helpers.emplace_back(helper);
        } catch (...) {
            std::lock_guard lock(m);
            --running;
            break;  // no thread to be had: this one does the rest
        }
    }
    run(true);
    // The groups the other threads still merge: reported here as they finish.
    for (std::unique_lock lock(m);;) {
        changed.wait(lock, [&] { return (done != reported && !failed) || running == 0; });
        if (done != reported && !failed) {
            const std::size_t n = done;
            lock.unlock();
            report(n);
            lock.lock();
        } else {
            break;  // every helper has stopped, and what they merged is reported (or failed)
        }
    }
    for (auto& t : helpers) {
        try {
            t.join();
        } catch (...) {
            t.detach();  // cannot happen (join fails only on misuse); never terminate
        }
    }
    if (failed) std::rethrow_exception(failed);
    return outputs;
}

/// Swaps two directories in one step (renameat2 RENAME_EXCHANGE). False when the
/// filesystem cannot (errno EINVAL/ENOSYS/ENOTSUP); throws for other errors.
bool swap_directories(const std::string& a, const std::string& b) {
    if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return true;
    const int err = errno;
    if (err == EINVAL || err == ENOSYS || err == ENOTSUP || err == EBUSY || err == EXDEV) return false;
    throw IoError("cannot move the built index to " + b + " (" + std::strerror(err) + ")");
}

/// Moves the database built in `built` into `dir`, the target directory (which holds the
/// empty database kept open for its lock), file by file: the directory itself stays, so a
/// symlink to it stays a symlink, "." and a mount point work, and its owner and mode are
/// kept. The version file goes first and comes back last: in between, `dir` is no database
/// at all rather than a mix of two.
void move_into(const fs::path& built, const fs::path& dir) {
    std::error_code ec;
    auto fail = [&](const fs::path& p) {
        throw DatabaseError("cannot move the built index to " + dir.string() + " (" + p.string() + ": " + ec.message() + ")");
    };
    auto list = [&](const fs::path& d) {
        std::vector<fs::path> files;
        for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) files.push_back(it->path());
        if (ec) fail(d);
        return files;
    };
    if (!fs::remove(dir / "iamglass", ec) && ec) fail(dir / "iamglass");
    for (const fs::path& p : list(dir))  // the empty database's tables
        if (p.extension() == ".glass" && !fs::remove(p, ec) && ec) fail(p);
    for (const fs::path& p : list(built)) {
        if (p.filename() == "iamglass") continue;
        fs::rename(p, dir / p.filename(), ec);
        if (ec) fail(p);
    }
    fs::rename(built / "iamglass", dir / "iamglass", ec);
    if (ec) fail(built / "iamglass");
}

/// The directory a database path names: "db/" and "." spelt without the trailing part, a
/// symlink resolved to its target (so work beside it lands beside the target).
fs::path target_directory(const std::string& path) {
    fs::path p = fs::absolute(path).lexically_normal();
    if (!p.has_filename()) p = p.parent_path();
    std::error_code ec;
    if (fs::is_symlink(p, ec)) p = fs::canonical(p, ec);
    if (ec) throw DatabaseError("cannot resolve " + path + " (" + ec.message() + ")");
    return p;
}

}  // namespace

struct VNSEARCH_LOCAL IndexBuilder::Impl {
    std::string path, work, notice;
    fs::path dir;  // the target directory itself: symlinks, "." and a trailing '/' resolved
    /// The (empty) target, open for its write lock until the built index replaces it.
    std::optional<Xapian::WritableDatabase> target;
    BuildOptions options;
    unsigned threads = 1;

    // Producer side (add, finish, stats), guarded by `add_mutex`.
    std::mutex add_mutex;
    IndexStats stats;
    std::map<std::thread::id, IndexStats> stats_copies;  // what stats() returned, per thread
    Chunk current;
    std::size_t current_bytes = 0, chunks = 0;
    std::unordered_set<std::size_t> seen;  // hashes of the ids queued
    std::vector<Document> replacements;   // documents whose id came earlier: applied in place at the end
    bool finished = false;
    std::exception_ptr finish_error;  // why finish() failed (thrown again by the next call)
    /// Over a shard set: one builder per shard, in routing order; the rest is unused then.
    std::vector<std::unique_ptr<IndexBuilder>> parts;

    // Shared with the workers, guarded by `mutex`.
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Chunk> queue;
    bool closing = false;
    std::exception_ptr error;
    std::vector<std::thread> workers;

    ~Impl() {
        stop_workers();
        if (target) detail::abandon(*target);
    }

    std::string shard(std::size_t n) const {
        char name[32];
        std::snprintf(name, sizeof name, "/chunk-%08zu", n);
        return work + name;
    }

    /// A worker: takes chunks until closing. Never lets an exception out (it would end the
    /// process): the first error stops the build and is thrown to the caller.
    void worker() noexcept {
        try {
            const Analyzer analyzer;
            for (;;) {
                Chunk c;
                {
                    std::unique_lock lock(mutex);
                    changed.wait(lock, [&] { return !queue.empty() || closing; });
                    if (queue.empty()) return;
                    c = std::move(queue.front());
                    queue.pop_front();
                }
                changed.notify_all();
                write_shard(c, analyzer);
            }
        } catch (...) {
            std::exception_ptr e = as_vnsearch_error(path);
            std::lock_guard lock(mutex);
            if (!error) error = e;
            closing = true;
            queue.clear();
            changed.notify_all();
        }
    }

    void write_shard(const Chunk& c, const Analyzer& analyzer) {
        detail::fault_point("builder.chunk");
        std::optional<Xapian::WritableDatabase> db;
        try {
            // Not synced: a crash throws the build folder away, and the compaction syncs
            // the index it writes.
            db.emplace(shard(c.number), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
            db->set_metadata(scheme::kVersionKey, std::to_string(scheme::kVersion));
            detail::PairCollector pairs;
            detail::SpellingCollector spelling;
            std::size_t bytes = 0, added = 0;
            // Committed before Xapian would flush by itself inside add_document (safe_write.h).
            const unsigned flush_at = detail::xapian_flush_threshold();
            for (const Document& d : c.docs) {
                db->add_document(detail::build_document(d, analyzer, &spelling));
                pairs.learn(d.title);
                pairs.learn(d.body);
                bytes += d.title.size() + d.body.size();
                if (bytes >= options.batch_bytes || ++added + 1 >= flush_at) {
                    db->commit();
                    bytes = added = 0;
                }
            }
            pairs.flush(*db);
            // Once per chunk (a chunk's counts are a few MB): a new shard, whose statistics
            // cover all its documents.
            spelling.flush(*db, true);
            db->set_metadata(scheme::kLastUpdateKey, detail::now_iso());
            db->commit();
            db->close();
        } catch (...) {
            // A shard that failed is thrown away with the build: never commit it again.
            if (db) detail::abandon(*db);
            throw;
        }
    }

    /// Hands the current chunk to the workers (waits while one chunk is already waiting).
    /// Throws a worker's error.
    void hand_over() {
        if (current.docs.empty()) return;
        current.number = chunks++;
        std::unique_lock lock(mutex);
        // One chunk waits while each worker has one: memory is about (threads + 2) chunks of text.
        changed.wait(lock, [&] { return queue.empty() || error; });
        if (error) std::rethrow_exception(error);
        queue.push_back(std::move(current));
        current = Chunk{};
        current_bytes = 0;
        lock.unlock();
        changed.notify_all();
    }

    /// Stops and joins every worker. Never throws.
    void stop_workers() noexcept {
        {
            std::lock_guard lock(mutex);
            closing = true;
        }
        changed.notify_all();
        for (auto& t : workers) {
            try {
                if (t.joinable()) t.join();
            } catch (...) {
                t.detach();  // cannot happen (join fails only on misuse); never terminate
            }
        }
        workers.clear();
    }

    void remove_work() noexcept {
        if (work.empty()) return;
        std::error_code ec;
        fs::remove_all(work, ec);
    }

    void finish(const std::function<void(double)>& on_progress);
};

IndexBuilder::IndexBuilder(const std::string& path, BuildOptions options) : impl_(std::make_unique<Impl>()) {
    Impl& im = *impl_;
    im.path = path;
    im.options = options;
    std::error_code ec;
    if (fs::exists(path, ec) && !fs::is_directory(path, ec)) throw DatabaseError("database path is not a directory: " + path);
    if (auto set = detail::writer_shard_set(path, options.shards, true)) {
        // A builder per shard, each with its share of the threads and of the memory.
        const std::size_t n = set->shards.size();
        const unsigned all = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
        BuildOptions o = options;
        o.shards = 0;
        o.threads = std::max(1u, static_cast<unsigned>(all / n));
        o.chunk_bytes = std::max<std::size_t>(64u << 10, options.chunk_bytes / n);
        o.batch_bytes = std::max<std::size_t>(64u << 10, options.batch_bytes / n);
        im.threads = 0;
        for (const std::string& shard : set->shards) {
            im.parts.push_back(std::make_unique<IndexBuilder>(shard, o));
            im.threads += im.parts.back()->threads();
            const std::string& notice = im.parts.back()->notice();
            if (!notice.empty()) im.notice += (im.notice.empty() ? "" : "; ") + notice;
        }
        return;
    }
    // Hold the target's write lock for the whole build, like any writer (LockError when
    // another writer has it), and refuse a target that already holds documents.
    try {
        im.target.emplace(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        detail::check_scheme(*im.target, path);
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, path);
    }
    // The work directory is a sibling of the real target ("db/", "." and a symlink would
    // otherwise put it inside the target or beside the link).
    im.dir = target_directory(path);
    im.work = im.dir.string() + ".vnsearch-build";
    // With the lock held nobody else builds here: a build folder is what an interrupted
    // build (killed, or a crash) left behind.
    if (fs::exists(im.work, ec)) {
        fs::remove_all(im.work, ec);
        if (ec) throw IoError("cannot remove " + im.work + ", left by an interrupted build (" + ec.message() + ")");
        im.notice = "removed " + im.work + ", left by an interrupted build";
    }
    Xapian::doccount held = 0;
    try {
        held = im.target->get_doccount();
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, path);
    }
    if (held > 0)
        throw DatabaseError("database at " + path + " already holds documents: add to it with Index, not IndexBuilder");
    fs::create_directories(im.work, ec);
    if (ec) {
        im.remove_work();
        if (ec == std::errc::no_space_on_device)
            throw DiskFullError("disk full: cannot create " + im.work + " (" + ec.message() + ")");
        throw IoError("cannot create " + im.work + " (" + ec.message() + ")");
    }
    const unsigned wanted = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    try {
        im.workers.reserve(wanted);
        for (unsigned i = 0; i < wanted; ++i) im.workers.emplace_back([&im] { im.worker(); });
    } catch (const std::exception& e) {
        // std::system_error (EAGAIN: no memory for another stack, or a thread limit) or
        // std::bad_alloc: stop what started and say so, rather than run short-handed.
        const std::size_t started = im.workers.size();
        im.stop_workers();
        im.remove_work();
        const auto* se = dynamic_cast<const std::system_error*>(&e);
        throw Error("cannot start " + std::to_string(wanted) + " worker threads (" + (se ? se->code().message() : e.what()) +
                    "; " + std::to_string(started) + " started): ask for fewer threads");
    }
    im.threads = wanted;
}

IndexBuilder::~IndexBuilder() {
    if (!impl_) return;
    impl_->stop_workers();
    if (!impl_->finished || impl_->finish_error) impl_->remove_work();
}

AddResult IndexBuilder::add(Document doc) {
    Impl& im = *impl_;
    detail::check_document(doc);
    if (!im.parts.empty()) {
        std::lock_guard lock(im.add_mutex);
        if (im.finished) throw Error("IndexBuilder::add after finish()");
        const std::size_t k = scheme::shard_of(doc.id, im.parts.size());
        return im.parts[k]->add(std::move(doc));
    }
    const std::size_t bytes = doc.title.size() + doc.body.size();
    std::lock_guard lock(im.add_mutex);
    if (im.finished) throw Error("IndexBuilder::add after finish()");
    try {
        im.stats.bytes += bytes;
        if (!im.seen.insert(std::hash<std::string>{}(doc.id)).second) {
            // Seen before (or a hash collision, which the in-place replacement handles alike).
            ++im.stats.replaced;
            im.replacements.push_back(std::move(doc));
            return AddResult::replaced;
        }
        ++im.stats.added;
        im.current_bytes += bytes;
        im.current.docs.push_back(std::move(doc));
        if (im.current_bytes >= im.options.chunk_bytes) im.hand_over();
        return AddResult::added;
    } catch (...) {
        std::rethrow_exception(as_vnsearch_error(im.path));  // out of memory too is an Error
    }
}

IngestReport IndexBuilder::add_path(const std::filesystem::path& path) {
    return ingest::add_path(path, [this](Document&& d) { return add(std::move(d)); });
}

void IndexBuilder::finish() { finish(nullptr); }

void IndexBuilder::finish(const std::function<void(double)>& on_progress) {
    Impl& im = *impl_;
    std::lock_guard lock(im.add_mutex);
    if (im.finished) {
        if (im.finish_error) std::rethrow_exception(im.finish_error);
        return;
    }
    im.finished = true;
    if (!im.parts.empty()) {
        // Shard by shard; progress runs over all of them.
        const double n = static_cast<double>(im.parts.size());
        try {
            for (std::size_t k = 0; k < im.parts.size(); ++k)
                im.parts[k]->finish([&](double fraction) {
                    if (on_progress) on_progress((static_cast<double>(k) + fraction) / n);
                });
        } catch (...) {
            im.finish_error = std::current_exception();
            std::rethrow_exception(im.finish_error);
        }
        return;
    }
    try {
        im.finish(on_progress);
    } catch (...) {
        im.finish_error = as_vnsearch_error(im.path);
        im.stop_workers();
        im.remove_work();
        std::rethrow_exception(im.finish_error);
    }
}

void IndexBuilder::Impl::finish(const std::function<void(double)>& on_progress) {
    hand_over();
    stop_workers();
    if (error) std::rethrow_exception(error);
    // Progress: the compaction's tables, then one step for the replacements and the swap.
    constexpr double kSteps = MetadataMerger::kTables + 1;
    const auto progress = [&](double fraction) {
        if (on_progress) on_progress(fraction);
    };
    progress(0);
    const std::string merged = work + "/merged";
    if (chunks > 0) {
        std::vector<std::string> inputs;
        for (std::size_t n = 0; n < chunks; ++n) inputs.push_back(shard(n));
        // Too many shards to open at once: merge consecutive groups first (input order is
        // kept), on the builder's threads. Those levels take the first half of the progress.
        const std::size_t fan_in = std::max<std::size_t>(2, options.max_merge_inputs);
        std::size_t groups_total = 0, groups_before = 0;
        for (std::size_t n = inputs.size(); n > fan_in; n = (n + fan_in - 1) / fan_in) groups_total += (n + fan_in - 1) / fan_in;
        const double final_start = groups_total ? 0.5 : 0.0;
        for (std::size_t level = 0; inputs.size() > fan_in; ++level) {
            inputs = merge_groups(work, path, threads, inputs, fan_in, level, [&](std::size_t done) {
                progress(0.5 * static_cast<double>(groups_before + done) / static_cast<double>(groups_total));
            });
            groups_before += inputs.size();
        }
        try {
            Xapian::Database all;
            for (const std::string& in : inputs) all.add_database(Xapian::Database(in));
            MetadataMerger merger;
            merger.on_table = [&](std::size_t tables) {
                progress(final_start + (1 - final_start) * static_cast<double>(tables) / kSteps);
            };
            // One pass over all the shards (a heap merge). DBCOMPACT_MULTIPASS merges them
            // two by two, rewriting every posting log2(shards) times: 2.7x slower at 50k
            // documents (20 shards), and the gap grows with the build (docs/performance.md).
            all.compact(merged, Xapian::Compactor::FULL, 0, merger);
        } catch (const Xapian::Error& e) {
            detail::rethrow(e, path);
        }
    }
    {
        // Documents whose id came twice replace the first in place, as Index::add does; this
        // also writes the scheme version of an empty build and the time of the last update.
        // Done before the swap, so `path` never holds a half-finished index.
        IndexOptions o;
        o.auto_commit_bytes = 0;
        Index index(merged, o);
        for (const Document& d : replacements) index.add(d);
        index.close();
    }
    // The swap: the built index takes the empty target's place in one rename, while the
    // target is still open (its lock keeps other writers out until then).
    detail::fault_point("builder.swap");
    // The process's own working directory ("--db .") and a directory that cannot be
    // exchanged (a mount point, a filesystem without RENAME_EXCHANGE) get the built files
    // moved in one by one instead; the directory itself stays.
    std::error_code cwd_ec;
    const bool is_cwd = fs::equivalent(dir, fs::current_path(cwd_ec), cwd_ec);
    if (is_cwd) {
        if (target) {
            detail::abandon(*target);
            target.reset();
        }
        move_into(merged, dir);
    } else if (!swap_directories(merged, dir.string())) {
        if (target) {
            detail::abandon(*target);
            target.reset();
        }
        move_into(merged, dir);
    }
    detail::fault_point("builder.swapped");
    if (target) {
        // The empty index, now in the build folder; nothing to commit.
        detail::abandon(*target);
        target.reset();
    }
    remove_work();
    progress(1);
}

const IndexStats& IndexBuilder::stats() const {
    Impl& im = *impl_;
    std::lock_guard lock(im.add_mutex);
    IndexStats& copy = im.stats_copies[std::this_thread::get_id()];
    copy = im.stats;
    for (const auto& part : im.parts) detail::accumulate(copy, part->stats());
    return copy;
}

unsigned IndexBuilder::threads() const noexcept { return impl_->threads; }
const std::string& IndexBuilder::notice() const noexcept { return impl_->notice; }

}  // namespace vnsearch
