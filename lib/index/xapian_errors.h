// Internal: mapping Xapian's exceptions to vnsearch's (no Xapian error reaches a user).
#pragma once

#include <xapian.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <string>

#include "vnsearch/error.h"

namespace vnsearch::detail {

/// True when `e` comes from a write that failed for lack of space (ENOSPC, EDQUOT). Xapian
/// keeps the operating system's reason as text, in the error or nested in its message
/// ("Modifications failed (DatabaseError: Error writing to file (No space left on device))").
inline bool is_disk_full(const Xapian::Error& e) {
    const char* os = e.get_error_string();
    for (int code : {ENOSPC, EDQUOT}) {
        const char* reason = std::strerror(code);
        if ((os && std::strcmp(os, reason) == 0) || e.get_msg().find(reason) != std::string::npos) return true;
    }
    return false;
}

/// The vnsearch exception for `e` (`after` is appended to the message, e.g. what became of
/// the uncommitted changes).
inline std::exception_ptr translate(const Xapian::Error& e, const std::string& path, const std::string& after = "") {
    try {
        // Xapian::Error is not polymorphic: its class is told by get_type().
        const std::string type = e.get_type();
        // The operating system's reason, when Xapian has one ("Permission denied").
        const char* os = e.get_error_string();
        const std::string why = e.get_msg() + (os && *os ? std::string(": ") + os : std::string());
        if (type == "DatabaseLockError") {
            // Held by another writer ("already locked"), or the lock file cannot be made
            // (permissions, a read-only filesystem): only the first is a LockError.
            if (e.get_msg().find("already locked") != std::string::npos)
                throw LockError("database is locked by another writer: " + path);
            throw DatabaseError("cannot lock the database at " + path + " for writing (" + why + ")");
        }
        if (is_disk_full(e))
            throw DiskFullError("disk full: cannot write the database at " + path + " (" + why + ")" + after);
        if (type == "DatabaseNotFoundError") {
            // A folder this process may not read looks like no database to Xapian.
            struct stat st;
            if (::stat(path.c_str(), &st) == 0 && ::access(path.c_str(), R_OK | X_OK) != 0)
                throw DatabaseError("cannot open database at " + path + " (" + std::strerror(errno) + ")");
            throw DatabaseError("no database at " + path);
        }
        if (type == "DatabaseVersionError")
            throw DatabaseError("database at " + path + " has an unsupported format (" + e.get_msg() + ")");
        if (type == "DatabaseCreateError") throw DatabaseError("cannot create database at " + path + " (" + why + ")");
        if (type == "DatabaseOpeningError") throw DatabaseError("cannot open database at " + path + " (" + why + ")");
        if (type == "DatabaseCorruptError")
            throw DatabaseError("database at " + path + " is corrupt (" + e.get_msg() + ")" + after);
        if (type == "DatabaseClosedError") throw DatabaseError("database at " + path + " is closed" + after);
        throw DatabaseError("database error at " + path + " (" + type + ": " + why + ")" + after);
    } catch (...) {
        return std::current_exception();  // the translated error (or std::bad_alloc)
    }
}

[[noreturn]] inline void rethrow(const Xapian::Error& e, const std::string& path) {
    std::rethrow_exception(translate(e, path));
}

}  // namespace vnsearch::detail
