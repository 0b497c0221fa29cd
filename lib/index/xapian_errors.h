// Internal: mapping Xapian's exceptions to vnsearch's (no Xapian error reaches a user).
#pragma once

#include <xapian.h>

#include <string>

#include "vnsearch/error.h"

namespace vnsearch::detail {

[[noreturn]] inline void rethrow(const Xapian::Error& e, const std::string& path) {
    // Xapian::Error is not polymorphic: its class is told by get_type().
    const std::string type = e.get_type();
    if (type == "DatabaseLockError") throw LockError("database is locked by another writer: " + path);
    if (type == "DatabaseNotFoundError") throw DatabaseError("no database at " + path);
    if (type == "DatabaseVersionError")
        throw DatabaseError("database at " + path + " has an unsupported format (" + e.get_msg() + ")");
    if (type == "DatabaseOpeningError")
        throw DatabaseError("cannot open database at " + path + " (" + e.get_msg() + ")");
    if (type == "DatabaseCorruptError")
        throw DatabaseError("database at " + path + " is corrupt (" + e.get_msg() + ")");
    throw DatabaseError("database error at " + path + " (" + type + ": " + e.get_msg() + ")");
}

}  // namespace vnsearch::detail
