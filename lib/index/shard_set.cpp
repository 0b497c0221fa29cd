#include "index/shard_set.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "index/term_scheme.h"
#include "vnsearch/error.h"

namespace fs = std::filesystem;

namespace vnsearch::detail {

namespace {

constexpr const char* kStub = "XAPIANDB";

fs::path manifest_path(const std::string& dir) { return fs::path(dir) / scheme::kShardManifest; }

/// Writes `text` to dir/name through a temporary file renamed over it, synced, so a crash
/// leaves the old file or the new one, never half of one.
void write_atomically(const fs::path& dir, const std::string& name, const std::string& text) {
    const fs::path tmp = dir / ("." + name + ".tmp");
    const fs::path target = dir / name;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    auto fail = [&](const char* what) {
        const int err = errno;
        if (fd >= 0) ::close(fd);
        std::error_code ec;
        fs::remove(tmp, ec);
        const std::string msg = std::string("cannot ") + what + " " + target.string() + " (" + std::strerror(err) + ")";
        if (err == ENOSPC || err == EDQUOT) throw DiskFullError("disk full: " + msg);
        throw IoError(msg);
    };
    if (fd < 0) fail("create");
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write");
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) fail("sync");
    if (::close(fd) != 0) {
        fd = -1;
        fail("write");
    }
    fd = -1;
    if (::rename(tmp.c_str(), target.c_str()) != 0) fail("write");
}

/// The Xapian stub file listing the shards (paths relative to the set's directory).
std::string stub_text(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += "auto " + n + "\n";
    return s;
}

std::string shard_name(std::size_t k) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "shard-%03zu", k);
    return buf;
}

/// The string `key` holds in the object `j`, "" when it holds none (or something else).
std::string string_field(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The manifest's shard names (validated), read from the set at `dir`.
std::vector<std::string> read_names(const std::string& dir) {
    const fs::path file = manifest_path(dir);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DatabaseError("cannot read the shard-set manifest " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    const nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
    const std::string bad = "malformed shard-set manifest " + file.string() + ": ";
    if (j.is_discarded() || !j.is_object()) throw DatabaseError(bad + "not a JSON object");
    if (string_field(j, "format") != scheme::kShardFormat) throw DatabaseError(bad + "\"format\" is not \"vnsearch-shards\"");
    const auto version = j.find("version");
    if (version == j.end() || !version->is_number_integer()) throw DatabaseError(bad + "no integer \"version\"");
    if (*version != scheme::kShardSetVersion)
        throw SchemeVersionError("shard set at " + dir + " has layout version " + version->dump() +
                                 "; this vnsearch reads version " + std::to_string(scheme::kShardSetVersion));
    if (string_field(j, "hash") != scheme::kShardHash)
        throw SchemeVersionError("shard set at " + dir + " routes documents with hash \"" + string_field(j, "hash") +
                                 "\"; this vnsearch routes with " + scheme::kShardHash);
    const auto shards = j.find("shards");
    if (shards == j.end() || !shards->is_array() || shards->empty() || shards->size() > kMaxShards)
        throw DatabaseError(bad + "\"shards\" must list 1 to " + std::to_string(kMaxShards) + " databases");
    std::vector<std::string> names;
    std::set<std::string> seen;
    for (const auto& s : *shards) {
        if (!s.is_string()) throw DatabaseError(bad + "a shard name is not a string");
        std::string name = s.get<std::string>();
        if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos ||
            name.find('\0') != std::string::npos || name.find('\n') != std::string::npos)
            throw DatabaseError(bad + "shard names must be plain directory names inside the set: " + s.dump());
        if (!seen.insert(name).second) throw DatabaseError(bad + "shard " + name + " is listed twice");
        names.push_back(std::move(name));
    }
    return names;
}

ShardSet make_set(const std::string& dir, const std::vector<std::string>& names) {
    ShardSet set;
    set.dir = dir;
    for (const auto& n : names) set.shards.push_back((fs::path(dir) / n).string());
    return set;
}

}  // namespace

bool is_shard_set(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(manifest_path(path), ec);
}

ShardSet read_shard_set(const std::string& path) { return make_set(path, read_names(path)); }

std::optional<ShardSet> writer_shard_set(const std::string& path, std::size_t wanted, bool create) {
    if (wanted > kMaxShards) throw DatabaseError("a shard set has at most " + std::to_string(kMaxShards) + " shards");
    std::error_code ec;
    if (is_shard_set(path)) {
        const std::vector<std::string> names = read_names(path);
        if (wanted && wanted != names.size())
            throw DatabaseError(path + " is a shard set of " + std::to_string(names.size()) + " shards, not " +
                                std::to_string(wanted) +
                                ": documents are routed by hash(id) mod the shard count, which cannot change (index into "
                                "a new directory to use another count)");
        // A writer that stopped between the manifest and the stub left no stub: write it.
        if (!fs::exists(fs::path(path) / kStub, ec)) write_atomically(path, kStub, stub_text(names));
        return make_set(path, names);
    }
    if (wanted == 0) return std::nullopt;
    if (fs::exists(path, ec)) {
        if (!fs::is_directory(path, ec)) throw DatabaseError("database path is not a directory: " + path);
        if (fs::exists(fs::path(path) / "iamglass", ec) || fs::exists(fs::path(path) / "iamchert", ec))
            throw DatabaseError(path + " is a single database, not a shard set: shards apply to a new (or empty) directory "
                                       "or to an existing shard set");
        if (!fs::is_empty(path, ec))
            throw DatabaseError(path + " is not empty and holds no shard set (no " + scheme::kShardManifest +
                                "): give a new or empty directory for a new shard set");
    } else if (!create) {
        throw DatabaseError("no database at " + path);
    }
    fs::create_directories(path, ec);
    if (ec) {
        if (ec == std::errc::no_space_on_device) throw DiskFullError("disk full: cannot create " + path + " (" + ec.message() + ")");
        throw IoError("cannot create " + path + " (" + ec.message() + ")");
    }
    std::vector<std::string> names;
    for (std::size_t k = 0; k < wanted; ++k) names.push_back(shard_name(k));
    nlohmann::json manifest = {{"format", scheme::kShardFormat},
                               {"version", scheme::kShardSetVersion},
                               {"hash", scheme::kShardHash},
                               {"shards", names}};
    // The manifest first: from then on the directory is a shard set (the stub is rewritten
    // by the next writer when a crash came in between).
    write_atomically(path, scheme::kShardManifest, manifest.dump(2) + "\n");
    write_atomically(path, kStub, stub_text(names));
    // Two writers creating the same set at once: the last manifest written wins; both use it.
    return writer_shard_set(path, wanted, create);
}

std::vector<std::string> expand_shard_sets(const std::vector<std::string>& locations) {
    std::vector<std::string> out;
    for (const auto& l : locations) {
        if (!is_remote_location(l) && is_shard_set(l)) {
            for (auto& s : read_shard_set(l).shards) out.push_back(std::move(s));
        } else {
            out.push_back(l);
        }
    }
    return out;
}

}  // namespace vnsearch::detail
