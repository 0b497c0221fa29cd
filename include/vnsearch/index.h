// vnsearch — writing an on-disk index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "vnsearch/document.h"
#include "vnsearch/export.h"
#include "vnsearch/ingest.h"

namespace vnsearch {

struct IndexOptions {
    /// Create the database when it does not exist (otherwise DatabaseError).
    bool create = true;
    /// Commit automatically once this many bytes of text were added since the last commit
    /// (0: only explicit commits and the one in the destructor). This bounds memory:
    /// Xapian's in-memory inverter grows many times faster than the text it buffers, and
    /// small batches are also faster (10k VietNews articles, term scheme 2: 16 MB batches
    /// -> 258 MB RSS, 19.2 s; 4 MB -> 82 MB, 14.5 s). Inside a batch Xapian moves its
    /// in-memory postings to the tables every XAPIAN_FLUSH_THRESHOLD documents (an
    /// environment variable read when the database is opened; 10,000 by default): 50 makes
    /// the one writer about a third faster in a third of the memory. The library does not
    /// set it (changing the environment is not thread-safe); the CLI does, at start.
    std::size_t auto_commit_bytes = 4u << 20;
    /// Refuse to commit (DiskFullError, nothing written, the batch kept) while the
    /// filesystem holding the database has less free space than this plus four times the
    /// batch's text (what the commit may add to the tables). A commit that fails anyway for
    /// lack of space loses only its own batch, and the last commit stays whole.
    /// 0: no check. Then the commits run into a full disk inside Xapian 1.4, and one that
    /// fails while writing the batch's value slots ends the process from there ("terminate
    /// called": Xapian's value updater writes from a destructor) instead of throwing; the
    /// last commit is still whole when the database is opened again.
    std::uint64_t min_free_bytes = 1u << 20;
    /// Shards (a shard set, docs/guide.md "Scaling out"): 0 opens what is at the path — a
    /// shard set when the directory holds one (`vnsearch-shards.json`), else one database.
    /// N > 0 asks for a set of N databases, each document in shard fnv1a32(id) mod N: a new
    /// (or empty) directory becomes one; an existing set must have N shards; a single
    /// database is refused (DatabaseError). At most 1024.
    std::size_t shards = 0;
};

/// What add() did.
enum class AddResult { added, replaced };

/// Counters of an Index since it was opened.
struct IndexStats {
    std::size_t added = 0;
    std::size_t replaced = 0;
    std::size_t removed = 0;  ///< documents removed (Index::remove)
    std::size_t bytes = 0;  ///< bytes of title + body text added
};

/// A writable index (a Xapian Glass database on disk, or a shard set of several: see
/// IndexOptions::shards). Holds the database's write lock for its lifetime — over a shard
/// set, the lock of every shard — so a second Index on the same path throws LockError.
/// Move-only.
/// Changes between commits form one batch: commit() makes it durable, rollback() drops
/// it, and close() (or the destructor) commits it. A crash loses at most the current batch.
///
/// Failures never cost committed data. A write that fails (disk full, I/O error) throws,
/// drops the current batch and leaves the index usable: the next call works on the last
/// commit, through a fresh database handle (Xapian 1.4 corrupts the last commit when a
/// failed handle writes again; see docs/reliability.md). A commit is refused before
/// anything is written while the disk is full (DiskFullError, IndexOptions::min_free_bytes).
///
/// Thread-safe: one Index may be shared by several threads. add(), remove(),
/// add_abbreviation(), commit(), rollback(), close(), size() and stats() are serialized by
/// a mutex inside the Index (the analysis of a document runs before it is taken, so adds
/// from several threads use several cores). A batch holds the changes of every thread;
/// commit() from any thread commits them all. Moving, assigning or destroying an Index
/// while another thread uses it is not allowed.
///
/// Over a shard set, add() and remove() reach the one shard that holds (or will hold) the
/// id, so a document is never in two shards. A commit commits the shards one after the
/// other: it is not atomic across shards. If it fails (or the process dies) part way, the
/// shards committed before hold the batch and the others do not; each shard is consistent
/// and still holds no document twice. Each shard auto-commits on its own after
/// auto_commit_bytes / N bytes. A failed write drops the batch of every shard.
class VNSEARCH_API Index {
  public:
    explicit Index(const std::string& path, IndexOptions options = {});
    /// Commits the batch like close(), but swallows errors: call close() to see them.
    ~Index();
    Index(Index&&) noexcept;
    Index& operator=(Index&&) noexcept;
    Index(const Index&) = delete;
    Index& operator=(const Index&) = delete;

    /// Adds the document, replacing any document with the same id.
    AddResult add(const Document& doc);
    /// Adds every document of a .txt article, a .jsonl file (UTF-8 or UTF-16) or a directory
    /// (recursively), read as ingest_path() reads them — the CLI's `index`. Bad files, lines
    /// and documents (DocumentError) are skipped and reported; other errors (disk full...)
    /// throw as add() does. Thread-safe like add() (documents are added one by one).
    IngestReport add_path(const std::filesystem::path& path);
    /// Teaches the index an abbreviation ("HĐND", "hội đồng nhân dân"): queries for either
    /// form then also find the other (below literal matches). Part of the current batch.
    /// Pairs defined inline in added text ("Hội đồng nhân dân (HĐND)") are learnt by
    /// themselves; the shipped dictionary needs no adding. DocumentError for an
    /// abbreviation that is not one word or an empty expansion.
    void add_abbreviation(const std::string& abbreviation, const std::string& expansion);
    /// Removes the document with this id; false when there was none (the CLI's
    /// `vnsearch remove`, Python's Index.remove).
    bool remove(const std::string& id);
    /// Makes all changes durable and visible to new searchers. DiskFullError, changes
    /// kept, when the disk is full before writing; any error while writing drops the batch.
    void commit();
    /// Discards the changes made since the last commit (explicit or automatic).
    void rollback();
    /// Commits the batch and releases the write lock. The lock is released even when the
    /// commit fails (the batch is then dropped and the error thrown). Afterwards every
    /// method but path() and notice() throws Error; closing again does nothing.
    void close();
    /// Documents in the index (including uncommitted changes).
    std::size_t size() const;
    /// Counters since the index was opened (documents discarded by a failed write
    /// included). The reference is to a copy taken for the calling thread: it stays valid
    /// while the Index lives and changes only when this thread calls stats() again.
    const IndexStats& stats() const;
    const std::string& path() const noexcept;
    /// What opening found and cleaned up (empty when nothing): e.g. the folder
    /// `PATH.vnsearch-build` an interrupted IndexBuilder left behind, removed.
    const std::string& notice() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    Impl& impl() const;  ///< throws Error for a moved-from Index
};

struct BuildOptions {
    /// Worker threads; 0: one per core. The result is the same for any count.
    unsigned threads = 0;
    /// Each worker commits its temporary shard after this many bytes of text. Small commits
    /// keep Xapian's inverter (a tree of the batch's postings, per term) small enough to stay
    /// in cache: 64 KiB builds about a third faster, in half the memory, than 4 MiB (the
    /// temporary shards are not synced; the finished index is). Bounds a worker's memory.
    std::size_t batch_bytes = 64u << 10;
    /// Documents are handed to workers in chunks of about this many bytes, in input order;
    /// each chunk becomes a temporary shard. Smaller shards commit faster (smaller B-trees)
    /// but make a larger index (the merge keeps each shard's posting-list chunks): at 50k
    /// news articles, 4 MiB builds about 15 % faster than 8 MiB for a 6 % larger index;
    /// 2 MiB is no faster than 4 MiB and 13 % larger (docs/performance.md).
    std::size_t chunk_bytes = 4u << 20;
    /// finish() merges at most this many temporary shards at once (at least 2); a larger
    /// build first merges them in groups, on the builder's threads. Each open shard holds
    /// about 4 file descriptors, so the default stays well inside the usual limit of 1024.
    std::size_t max_merge_inputs = 128;
    /// Build a shard set of this many databases (see IndexOptions::shards; 0: what is at the
    /// path). Each shard is built by a builder of its own, with threads / N workers (at
    /// least one) and chunks of chunk_bytes / N; each shard's swap is atomic, the set's is
    /// not: a failed finish() can leave some shards built and others empty.
    std::size_t shards = 0;
};

/// Builds a new index from many documents on all cores. Documents are cut into chunks in
/// input order; each worker writes the chunks it takes into temporary shards (in
/// `path.vnsearch-build`), and finish() merges them, compacted, into `path` in input order.
/// So the index holds the same documents with the same numbers, and answers every search
/// the same, as one built with Index::add one by one — whatever the thread count — and it
/// is compact. A document whose id came earlier replaces it in place, as with Index.
///
/// `path` must not hold documents yet (else DatabaseError: add to an existing index with
/// Index). All or nothing: until finish() returns, `path` is not written; the built index
/// replaces the empty one in one atomic rename (RENAME_EXCHANGE). Destroying a builder
/// without finish(), a failed finish(), or a crash leaves no index; the shards are removed
/// (after a crash, by the next IndexBuilder or Index on `path`: see notice()).
///
/// Errors: every failure is a vnsearch::Error — a worker's (disk full, out of memory, any
/// exception) is thrown by the next add() or by finish(); the constructor throws Error when
/// the system cannot start the threads asked for (ask for fewer). No thread outlives the
/// builder, and the destructor never throws.
///
/// Thread-safe: add() may be called from several threads at once (the documents are taken
/// in the order the calls get in; for the same numbering on every run, add from one
/// thread). stats() and finish() may be called from any thread; add() after finish()
/// throws Error. Destroying the builder while another thread uses it is not allowed.
class VNSEARCH_API IndexBuilder {
  public:
    explicit IndexBuilder(const std::string& path, BuildOptions options = {});
    ~IndexBuilder();
    IndexBuilder(const IndexBuilder&) = delete;
    IndexBuilder& operator=(const IndexBuilder&) = delete;

    /// Queues the document (DocumentError at once for a bad id or date). Blocks while the
    /// workers are busy, so memory stays bounded. `replaced` when its id came earlier.
    AddResult add(Document doc);
    /// Queues every document of a file or directory, as Index::add_path. Thread-safe like
    /// add(); the report counts this call's documents only.
    IngestReport add_path(const std::filesystem::path& path);
    /// Merges everything into `path`. Worker errors surface here. After a failure the
    /// shards are removed and `path` still holds its empty index; calling finish() again
    /// throws the same error.
    void finish();
    /// The same, reporting the merge's progress: `on_progress(fraction)` is called from the
    /// calling thread with fractions from 0 (the merge starts) to 1 (the index is in place),
    /// never decreasing. An exception it throws fails the build like any error.
    void finish(const std::function<void(double)>& on_progress);
    /// Counters so far (added/replaced/bytes of the documents queued): a copy taken for
    /// the calling thread, valid while the builder lives (see Index::stats()).
    const IndexStats& stats() const;
    unsigned threads() const noexcept;
    /// What the constructor found and cleaned up (empty when nothing): the folder an
    /// interrupted build left behind (`path.vnsearch-build`), removed.
    const std::string& notice() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vnsearch
