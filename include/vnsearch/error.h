// vnsearch — error types. Every failure the library reports is a vnsearch::Error;
// no exception type of Xapian, ICU or Boost ever crosses the public API.
#pragma once

#include <stdexcept>
#include <string>

namespace vnsearch {

/// Base class of every exception thrown by vnsearch.
class Error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A file or directory could not be read or written.
class IoError : public Error {
  public:
    using Error::Error;
};

/// The filesystem is full (or the quota is exhausted). What was committed before is never
/// lost: the message says whether the uncommitted changes were kept (a commit refused
/// before writing: free space and commit again) or discarded (a write that failed).
class DiskFullError : public IoError {
  public:
    using IoError::IoError;
};

/// The database is missing, corrupt, or otherwise unusable.
class DatabaseError : public Error {
  public:
    using Error::Error;
};

/// Another writer holds the database's write lock.
class LockError : public DatabaseError {
  public:
    using DatabaseError::DatabaseError;
};

/// The database was written with another term-scheme version.
class SchemeVersionError : public DatabaseError {
  public:
    using DatabaseError::DatabaseError;
};

/// No document has the given id (Searcher::similar).
class NotFoundError : public Error {
  public:
    using Error::Error;
};

/// Input bytes could not be decoded (unknown charset, undecodable data).
class EncodingError : public Error {
  public:
    using Error::Error;
};

/// A document is invalid (empty id, bad date, ...).
class DocumentError : public Error {
  public:
    using Error::Error;
};

}  // namespace vnsearch
