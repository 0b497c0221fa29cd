// Internal: writing a Xapian database so that a failed write never costs what was committed.
//
// Xapian 1.4's glass backend is crash-safe, but not failure-safe: when a commit fails part
// way (ENOSPC, EIO), GlassDatabase::modifications_failed() cancels, reopens the tables at
// the old revision and commits them again — and that second commit writes the free-list
// write buffer left over from the failed attempt over the old revision's last free-list
// block (GlassFreeList::unpack does not reset it). The last commit's free list then holds
// garbage ("Same block is in freelist more than once"), and the next commit hands out
// blocks that are still in use ("Block overwritten"). A handle that saw any failed write
// carries the same stale buffer into its next commit.
//
// So vnsearch (1) never writes through a handle after a failure: it closes it without a
// commit and opens a fresh one, which sees the last good commit; (2) before each commit,
// keeps a copy of each table's last free-list block (read from the revision file) and puts
// it back if the commit fails; (3) refuses to commit while the disk is (nearly) full.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>
#include <vector>

namespace vnsearch::detail {

/// Closes a writable handle without committing anything (its uncommitted changes are
/// dropped) and releases its lock. Never throws. A handle that saw a failed write must go
/// this way: closing or destroying it normally commits again.
void abandon(Xapian::WritableDatabase& db) noexcept;

/// The number of documents after which Xapian 1.4 writes a handle's pending changes to
/// disk by itself, inside add_document/replace_document (XAPIAN_FLUSH_THRESHOLD, read as
/// Xapian reads it when a handle opens; 10,000 when unset or not positive). Outside a
/// transaction that flush is a commit, and one that fails for want of space ends the process
/// from inside Xapian ("terminate called", 1.4.22) instead of throwing: a writer that is not
/// in a transaction commits before it reaches this many changes, so that every commit is its
/// own, and throws.
unsigned xapian_flush_threshold() noexcept;

/// Bytes free for this process on the filesystem holding `path` (for root, including the
/// blocks reserved for root); UINT64_MAX when unknown.
std::uint64_t free_bytes(const std::string& path) noexcept;

/// The last free-list block of each table of the glass database at `dir`, as committed,
/// read before a commit; restore() puts back the ones a failed commit overwrote.
class FreelistSnapshot {
  public:
    FreelistSnapshot() = default;
    /// Reads the revision file and the blocks. Never throws: for a database it cannot read
    /// (not glass, another format version) the snapshot is empty and restore() does nothing.
    explicit FreelistSnapshot(const std::string& dir) noexcept;
    bool empty() const noexcept { return tails_.empty(); }
    /// Writes back every saved block that differs on disk, for tables whose free-list state
    /// in the revision file is still the one saved (the commit did not go through). Call it
    /// while holding the write lock, before the new handle writes. False when a block could
    /// not be written back.
    bool restore() const noexcept;

    struct Tail {
        std::string file;
        std::string state;  ///< the table's serialised free-list state in the revision file
        std::uint64_t block = 0;
        std::uint64_t offset = 0;  ///< where the next free block number goes in it
        std::string bytes;
    };
    /// The blocks saved (tests look at how full they are).
    const std::vector<Tail>& tails() const noexcept { return tails_; }

  private:
    std::vector<Tail> tails_;
};

/// Test hook: called at named points of the writers ("builder.swap" just before the built
/// index replaces the empty target, "builder.swapped" just after, "builder.chunk" when a
/// worker starts a chunk, "shards.commit" between two shards' commits of a shard set), so
/// crash tests can kill the process or make a worker fail there.
using FaultHook = void (*)(const char* point);
void set_fault_hook(FaultHook hook) noexcept;
/// Calls the hook, if any (it may throw).
void fault_point(const char* point);

}  // namespace vnsearch::detail
