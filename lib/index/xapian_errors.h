// Internal: mapping Xapian's exceptions to vnsearch's (no Xapian error reaches a user).
#pragma once

#include <xapian.h>

#include <string>

#include "vnsearch/error.h"

namespace vnsearch::detail {

[[noreturn]] inline void rethrow(const Xapian::Error& e, const std::string& path) {
    // Xapian::Error is not polymorphic: its class is told by get_type().
    const std::string type = e.get_type();
    // The operating system's reason, when Xapian has one ("Permission denied").
    const char* os = e.get_error_string();
    const std::string why = e.get_msg() + (os && *os ? std::string(": ") + os : std::string());
    if (type == "DatabaseLockError") throw LockError("database is locked by another writer: " + path);
    if (type == "DatabaseNotFoundError") throw DatabaseError("no database at " + path);
    if (type == "DatabaseVersionError")
        throw DatabaseError("database at " + path + " has an unsupported format (" + e.get_msg() + ")");
    if (type == "DatabaseCreateError") throw DatabaseError("cannot create database at " + path + " (" + why + ")");
    if (type == "DatabaseOpeningError") throw DatabaseError("cannot open database at " + path + " (" + why + ")");
    if (type == "DatabaseCorruptError")
        throw DatabaseError("database at " + path + " is corrupt (" + e.get_msg() + ")");
    throw DatabaseError("database error at " + path + " (" + type + ": " + why + ")");
}

}  // namespace vnsearch::detail
