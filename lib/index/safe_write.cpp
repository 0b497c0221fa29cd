#include "index/safe_write.h"

#include "index/varint.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <atomic>
#include <cstring>
#include <limits>

namespace vnsearch::detail {

void abandon(Xapian::WritableDatabase& db) noexcept {
    // With a transaction open, close() drops the changes instead of committing them (and
    // the destructor then only cancels). begin_transaction(false) writes nothing; it throws
    // when a transaction is already open, which is just as good.
    try {
        db.begin_transaction(false);
    } catch (...) {
    }
    try {
        db.close();
    } catch (...) {
    }
}

unsigned xapian_flush_threshold() noexcept {
    // As xapian-core 1.4 does (backends/glass/glass_database.cc): atoi, then 10,000 when
    // the result is not positive.
    const char* v = std::getenv("XAPIAN_FLUSH_THRESHOLD");
    const int n = v ? std::atoi(v) : 0;
    return n > 0 ? static_cast<unsigned>(n) : 10000u;
}

std::uint64_t free_bytes(const std::string& path) noexcept {
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0) return std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t blocks = ::geteuid() == 0 ? st.f_bfree : st.f_bavail;
    return blocks * static_cast<std::uint64_t>(st.f_frsize);
}

namespace {

// The glass revision file ("iamglass", xapian-core 1.4 backends/glass/glass_version.cc):
// 14 bytes of magic, 2 of format version (2016-03-14), a 16-byte UUID, the revision, then
// for each table (postlist, docdata, termlist, position, spelling, synonym) its root info:
// root block, level/flags, entry count, block size / 2048, compress_min and the serialised
// free list (revision, first unused block, read cursor n and c/4, write cursor n and c/4).
// All numbers are Xapian's pack_uint: 7 bits a byte, least significant first (read_varint).
constexpr char kMagic[] = "\x0f\x0dXapian Glass";
constexpr std::size_t kMagicLen = 14;
constexpr unsigned kFormatVersion = (2016 - 2014) << 9 | 3 << 5 | 14;
constexpr std::array<const char*, 6> kTables = {"postlist", "docdata", "termlist", "position", "spelling", "synonym"};

struct TableState {
    std::uint64_t block_size = 0;
    std::string free_list;  ///< first unused, read cursor, write cursor (not the revision)
    std::uint64_t tail = 0;  ///< the block the write cursor is in
    std::uint64_t offset = 0;  ///< the write cursor's offset in it
    bool has_tail = false;   ///< the write cursor is inside a block (else nothing to save)
};

/// The free-list state of each table in the revision file of `dir`; empty when the file
/// cannot be read or is not a glass revision file this code knows.
std::vector<TableState> read_states(const std::string& dir) {
    std::string data;
    {
        const int fd = ::open((dir + "/iamglass").c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return {};
        char buf[4096];
        ssize_t n;
        while ((n = ::read(fd, buf, sizeof buf)) > 0) data.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        if (n < 0) return {};
    }
    if (data.size() < kMagicLen + 2 + 16 || std::memcmp(data.data(), kMagic, kMagicLen) != 0) return {};
    const unsigned version = static_cast<unsigned char>(data[kMagicLen]) << 8 | static_cast<unsigned char>(data[kMagicLen + 1]);
    if (version != kFormatVersion) return {};
    const char* p = data.data() + kMagicLen + 2 + 16;
    const char* end = data.data() + data.size();
    std::uint64_t revision = 0;
    if (!read_varint(p, end, revision)) return {};
    std::vector<TableState> out;
    for (std::size_t t = 0; t < kTables.size(); ++t) {
        std::uint64_t root, flags, entries, size_code, compress_min, fl_len;
        if (!read_varint(p, end, root) || !read_varint(p, end, flags) || !read_varint(p, end, entries) ||
            !read_varint(p, end, size_code) || !read_varint(p, end, compress_min) || !read_varint(p, end, fl_len) ||
            fl_len > static_cast<std::uint64_t>(end - p))
            return {};
        TableState s;
        s.block_size = size_code << 11;
        const char* q = p;
        const char* q_end = p + fl_len;
        p = q_end;
        if (fl_len == 0) {
            out.push_back(std::move(s));
            continue;
        }
        std::uint64_t fl_revision, first_unused, read_n, read_c, write_n, write_c;
        if (!read_varint(q, q_end, fl_revision) || !read_varint(q, q_end, first_unused) || !read_varint(q, q_end, read_n) ||
            !read_varint(q, q_end, read_c) || !read_varint(q, q_end, write_n) || !read_varint(q, q_end, write_c))
            return {};
        s.free_list = std::to_string(first_unused) + ' ' + std::to_string(read_n) + ' ' + std::to_string(read_c) + ' ' +
                      std::to_string(write_n) + ' ' + std::to_string(write_c);
        s.tail = write_n;
        s.offset = write_c * 4;
        s.has_tail = write_c != 0 && s.block_size >= 2048 && s.block_size <= 65536;
        out.push_back(std::move(s));
    }
    return out;
}

bool read_block(const std::string& file, std::uint64_t block, std::uint64_t size, std::string& out) {
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    out.assign(size, '\0');
    const ssize_t n = ::pread(fd, out.data(), size, static_cast<off_t>(block * size));
    ::close(fd);
    return n == static_cast<ssize_t>(size);
}

}  // namespace

FreelistSnapshot::FreelistSnapshot(const std::string& dir) noexcept {
    try {
        const auto states = read_states(dir);
        for (std::size_t t = 0; t < states.size(); ++t) {
            if (!states[t].has_tail) continue;
            Tail tail;
            tail.file = dir + "/" + kTables[t] + ".glass";
            tail.state = std::to_string(t) + ':' + states[t].free_list;
            tail.block = states[t].tail;
            tail.offset = states[t].offset;
            if (read_block(tail.file, tail.block, states[t].block_size, tail.bytes)) tails_.push_back(std::move(tail));
        }
    } catch (...) {
        tails_.clear();  // out of memory: no snapshot, as for an unknown format
    }
}

bool FreelistSnapshot::restore() const noexcept {
    if (tails_.empty()) return true;
    try {
        const std::string dir = tails_.front().file.substr(0, tails_.front().file.rfind('/'));
        const auto states = read_states(dir);
        bool ok = true;
        for (const Tail& tail : tails_) {
            const std::size_t t = static_cast<std::size_t>(std::stoul(tail.state));
            // Only while the revision file still describes the same free list: when the
            // commit did go through, the block belongs to the new revision.
            if (t >= states.size() || std::to_string(t) + ':' + states[t].free_list != tail.state) continue;
            std::string now;
            if (read_block(tail.file, tail.block, tail.bytes.size(), now) && now == tail.bytes) continue;
            const int fd = ::open(tail.file.c_str(), O_WRONLY | O_CLOEXEC);
            if (fd < 0) {
                ok = false;
                continue;
            }
            const auto size = static_cast<ssize_t>(tail.bytes.size());
            if (::pwrite(fd, tail.bytes.data(), tail.bytes.size(), static_cast<off_t>(tail.block * tail.bytes.size())) != size ||
                ::fdatasync(fd) != 0)
                ok = false;
            ::close(fd);
        }
        return ok;
    } catch (...) {
        return false;
    }
}

namespace {
std::atomic<FaultHook> fault_hook{nullptr};
}

void set_fault_hook(FaultHook hook) noexcept { fault_hook.store(hook); }

void fault_point(const char* point) {
    if (FaultHook hook = fault_hook.load()) hook(point);
}

}  // namespace vnsearch::detail
