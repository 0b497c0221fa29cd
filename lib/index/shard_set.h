// Internal: shard sets — a directory holding several vnsearch databases written and searched
// as one index, documents routed by scheme::shard_of(id). Layout (docs/term-scheme.md,
// "Shard sets"): DIR/vnsearch-shards.json (the manifest, the authority), DIR/shard-000...
// (one Glass database each), and DIR/XAPIANDB, a Xapian stub file listing the shards, so that
// Xapian's own tools (xapian-delve, quest) and Xapian::Database(DIR) open the set as one.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vnsearch::detail {

struct ShardSet {
    std::string dir;
    /// The shards' paths (dir + "/" + the manifest's names), in routing order.
    std::vector<std::string> shards;
};

/// Whether `path` is a directory holding a shard-set manifest.
bool is_shard_set(const std::string& path);

/// Reads the manifest of the shard set at `path`: DatabaseError when it cannot be read or is
/// malformed, SchemeVersionError for another layout version or hash.
ShardSet read_shard_set(const std::string& path);

/// The shard set a writer opens at `path`. `wanted` is IndexOptions::shards (0: whatever is
/// there). An existing set is returned (DatabaseError when `wanted` differs from its count);
/// a plain database, or nothing with `wanted` 0, gives nullopt (a single database); with
/// `wanted` > 0 a missing or empty directory becomes a new set of that many shards (its
/// manifest and stub written; the shards are created by their writers), unless !create.
/// `--shards` on a single database or on a directory holding something else is a
/// DatabaseError.
std::optional<ShardSet> writer_shard_set(const std::string& path, std::size_t wanted, bool create);

/// `locations` with every local shard-set directory replaced by its shards, in order.
std::vector<std::string> expand_shard_sets(const std::vector<std::string>& locations);

/// A location served by xapian-tcpsrv ("tcp://HOST:PORT") rather than a local directory.
inline bool is_remote_location(const std::string& location) { return location.rfind("tcp://", 0) == 0; }

/// The largest shard count a set may have.
constexpr std::size_t kMaxShards = 1024;

}  // namespace vnsearch::detail
