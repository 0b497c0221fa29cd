// vnsearch — error types. Every failure the library reports is a vnsearch::Error;
// no exception type of Xapian, ICU or Boost ever crosses the public API.
#pragma once

#include <stdexcept>
#include <string>

#include "vnsearch/export.h"

namespace vnsearch {

/// Base class of every exception thrown by vnsearch.
class VNSEARCH_API Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A file or directory could not be read or written.
class VNSEARCH_API IoError : public Error {
  public:
    using Error::Error;
};

/// The filesystem is full (or the quota is exhausted). What was committed before is never
/// lost: the message says whether the uncommitted changes were kept (a commit refused
/// before writing: free space and commit again) or discarded (a write that failed).
class VNSEARCH_API DiskFullError : public IoError {
  public:
    using IoError::IoError;
};

/// The database is missing, corrupt, or otherwise unusable.
class VNSEARCH_API DatabaseError : public Error {
  public:
    using Error::Error;
};

/// Another writer holds the database's write lock.
class VNSEARCH_API LockError : public DatabaseError {
  public:
    using DatabaseError::DatabaseError;
};

/// The database was written with another term-scheme version.
class VNSEARCH_API SchemeVersionError : public DatabaseError {
  public:
    using DatabaseError::DatabaseError;
};

/// No document has the given id (Searcher::similar).
class VNSEARCH_API NotFoundError : public Error {
  public:
    using Error::Error;
};

/// Input bytes could not be decoded (unknown charset, undecodable data).
class VNSEARCH_API EncodingError : public Error {
  public:
    using Error::Error;
};

/// A document is invalid (empty id, bad date, ...).
class VNSEARCH_API DocumentError : public Error {
  public:
    using Error::Error;
};

}  // namespace vnsearch
