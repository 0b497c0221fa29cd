// Parallel bulk indexing: chunks of documents in input order -> temporary shards built by
// worker threads -> one compacted database, renumbered in input order.
#include <xapian.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "index/abbreviation_store.h"
#include "index/database.h"
#include "index/document_builder.h"
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

/// Merges the metadata the shards share: abbreviation pairs are summed, the rest (scheme
/// version) is the same everywhere and taken from the first.
class MetadataMerger : public Xapian::Compactor {
  public:
    std::string resolve_duplicate_metadata(const std::string& key, size_t num_tags, const std::string tags[]) override {
        // Xapian 1.4 passes the key as stored in the B-tree, behind the metadata prefix "\0\xc0".
        const std::string_view name = key.size() >= 2 && key[0] == '\0' && key[1] == '\xc0' ? std::string_view(key).substr(2) : key;
        const bool pairs = name == scheme::kAbbreviationsKey;
        if (!pairs) return tags[0];
        // Lines are "ABBR\texpansion\tcount\torigin".
        std::map<std::string, std::pair<unsigned long long, std::string>> merged;  // line head -> count, origin
        std::vector<std::string> order;
        for (size_t i = 0; i < num_tags; ++i) {
            std::size_t pos = 0;
            while (pos < tags[i].size()) {
                std::size_t nl = tags[i].find('\n', pos);
                if (nl == std::string::npos) nl = tags[i].size();
                const std::string line = tags[i].substr(pos, nl - pos);
                pos = nl + 1;
                if (line.empty()) continue;
                std::string head = line;
                unsigned long long count = 0;
                std::string origin;
                {
                    const auto t1 = line.find('\t'), t2 = line.find('\t', t1 + 1), t3 = line.find('\t', t2 + 1);
                    if (t1 == std::string::npos || t2 == std::string::npos) continue;
                    head = line.substr(0, t2);
                    count = std::strtoull(line.substr(t2 + 1, t3 - t2 - 1).c_str(), nullptr, 10);
                    origin = t3 == std::string::npos ? "learned" : line.substr(t3 + 1);
                }
                auto [it, fresh] = merged.try_emplace(head, 0, origin);
                if (fresh) order.push_back(head);
                it->second.first += count;
                if (origin == "user") it->second.second = "user";
            }
        }
        std::string out;
        for (const auto& head : order) {
            const auto& [count, origin] = merged[head];
            out += head + '\t' + std::to_string(count) + '\t' + origin + '\n';
        }
        return out;
    }
};

}  // namespace

struct IndexBuilder::Impl {
    std::string path, work;
    Xapian::WritableDatabase target;  // the (empty) target, open for its write lock until finish()
    BuildOptions options;
    IndexStats stats;
    unsigned threads = 1;

    Chunk current;
    std::size_t current_bytes = 0, chunks = 0;
    std::unordered_set<std::size_t> seen;  // hashes of the ids queued
    std::vector<Document> replacements;   // documents whose id came earlier: applied in place at the end

    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Chunk> queue;
    bool closing = false;
    std::exception_ptr error;
    std::vector<std::thread> workers;
    bool finished = false;

    std::string shard(std::size_t n) const {
        char name[32];
        std::snprintf(name, sizeof name, "/chunk-%08zu", n);
        return work + name;
    }

    void worker() {
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
            try {
                Xapian::WritableDatabase db(shard(c.number), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
                db.set_metadata(scheme::kVersionKey, std::to_string(scheme::kVersion));
                detail::PairCollector pairs;
                std::size_t bytes = 0;
                for (const Document& d : c.docs) {
                    db.add_document(detail::build_document(d, analyzer));
                    pairs.learn(d.title);
                    pairs.learn(d.body);
                    bytes += d.title.size() + d.body.size();
                    if (bytes >= options.batch_bytes) {
                        db.commit();
                        bytes = 0;
                    }
                }
                pairs.flush(db);
                db.commit();
                db.close();
            } catch (...) {
                std::lock_guard lock(mutex);
                if (!error) error = std::current_exception();
                closing = true;
                queue.clear();
                changed.notify_all();
                return;
            }
        }
    }

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

    void stop_workers() {
        {
            std::lock_guard lock(mutex);
            closing = true;
        }
        changed.notify_all();
        for (auto& t : workers)
            if (t.joinable()) t.join();
        workers.clear();
    }
};

IndexBuilder::IndexBuilder(const std::string& path, BuildOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    impl_->options = options;
    impl_->work = path + ".vnsearch-build";
    std::error_code ec;
    if (fs::exists(path, ec) && !fs::is_directory(path, ec)) throw DatabaseError("database path is not a directory: " + path);
    // Hold the target's write lock for the whole build, like any writer (LockError when
    // another writer has it), and refuse a target that already holds documents.
    try {
        impl_->target = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
        detail::check_scheme(impl_->target, path);
    } catch (const Xapian::Error& e) {
        detail::rethrow(e, path);
    }
    if (impl_->target.get_doccount() > 0)
        throw DatabaseError("database at " + path + " already holds documents: add to it with Index, not IndexBuilder");
    fs::remove_all(impl_->work, ec);  // left by a build that crashed
    fs::create_directories(impl_->work, ec);
    if (ec) throw DatabaseError("cannot create " + impl_->work + " (" + ec.message() + ")");
    impl_->threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < impl_->threads; ++i) impl_->workers.emplace_back([this] { impl_->worker(); });
}

IndexBuilder::~IndexBuilder() {
    if (!impl_) return;
    impl_->stop_workers();
    std::error_code ec;
    fs::remove_all(impl_->work, ec);
}

void IndexBuilder::add(Document doc) {
    if (impl_->finished) throw Error("IndexBuilder::add after finish()");
    detail::check_document(doc);
    const std::size_t bytes = doc.title.size() + doc.body.size();
    impl_->stats.bytes += bytes;
    if (!impl_->seen.insert(std::hash<std::string>{}(doc.id)).second) {
        // Seen before (or a hash collision, which the in-place replacement handles alike).
        ++impl_->stats.replaced;
        impl_->replacements.push_back(std::move(doc));
        return;
    }
    ++impl_->stats.added;
    impl_->current_bytes += bytes;
    impl_->current.docs.push_back(std::move(doc));
    if (impl_->current_bytes >= impl_->options.chunk_bytes) impl_->hand_over();
}

void IndexBuilder::finish() {
    if (impl_->finished) return;
    impl_->hand_over();
    impl_->stop_workers();
    if (impl_->error) std::rethrow_exception(impl_->error);
    impl_->finished = true;
    const std::string merged = impl_->work + "/merged";
    std::error_code ec;
    if (impl_->chunks > 0) {
        try {
            Xapian::Database all;
            for (std::size_t n = 0; n < impl_->chunks; ++n) all.add_database(Xapian::Database(impl_->shard(n)));
            MetadataMerger merger;
            all.compact(merged, Xapian::DBCOMPACT_MULTIPASS | Xapian::Compactor::FULL, 0, merger);
        } catch (const Xapian::Error& e) {
            detail::rethrow(e, impl_->path);
        }
        // Swap the empty target for the built index: release its lock, move it aside, move
        // the built one in, remove the old one.
        impl_->target.close();
        const std::string old = impl_->work + "/old";
        fs::rename(impl_->path, old, ec);
        if (ec) throw DatabaseError("cannot replace " + impl_->path + " (" + ec.message() + ")");
        fs::rename(merged, impl_->path, ec);
        if (ec) throw DatabaseError("cannot move the built index to " + impl_->path + " (" + ec.message() + ")");
    }
    impl_->target.close();
    fs::remove_all(impl_->work, ec);
    // Documents whose id came twice replace the first in place, as Index::add does; this
    // also writes the scheme version of an empty build and the time of the last update.
    Index index(impl_->path);
    for (const Document& d : impl_->replacements) index.add(d);
    index.commit();
}

const IndexStats& IndexBuilder::stats() const noexcept { return impl_->stats; }
unsigned IndexBuilder::threads() const noexcept { return impl_->threads; }

}  // namespace vnsearch
