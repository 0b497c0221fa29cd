// vnsearch — ingestion: article files, JSONL and directories to Documents.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "vnsearch/document.h"
#include "vnsearch/export.h"

namespace vnsearch {

/// Parses a scraped article (.txt as in corpus/): decodes it (UTF-8/UTF-16 by BOM, the
/// Vietnamese legacy charsets when detected: see decode_detect), drops
/// site boilerplate, extracts the title, the date (ISO 8601, "" when none) and the byline.
VNSEARCH_API Document parse_article(std::string_view bytes, const std::string& id);

/// A file that could not be ingested, with the reason.
struct IngestProblem {
    std::string path;     ///< the file, "file:line" for a JSONL line, or a document's id (as shown, below)
    std::string message;  ///< why it was left out
};

struct IngestCallbacks {
    std::function<void(Document&&)> on_document;
    std::function<void(const IngestProblem&)> on_problem;  ///< optional
};

/// What adding a file or a directory did (Index::add_path, IndexBuilder::add_path).
struct IngestReport {
    std::size_t added = 0;     ///< new documents
    std::size_t replaced = 0;  ///< documents whose id was already there (replaced)
    std::size_t skipped = 0;   ///< files, lines and documents left out: one problem each
    std::vector<IngestProblem> problems;  ///< why each was skipped, in input order
};

/// Reads a .txt article, a .jsonl file (one document per line: `id` plus `title`/`text`
/// or `title`/`summary`/`body`), or a directory recursively (files in sorted order).
/// Bad files and bad lines are reported through on_problem; good ones are still read.
/// Records without a `title` take it from their text as articles do (the text before an
/// agency dateline "(NLĐ)-", else a first line of at most 30 words, else its first
/// sentence; the line stays body unless it was the title whole); HTML character references
/// (`T&amp;T`) are decoded in every text field; keys other than id, title, summary, body,
/// text, date, source, url and author become Document::fields.
/// A .txt article's id is its file name without the extension. Paths and ids are UTF-8:
/// a byte of a file name that is not (a name made on a Latin-1 or Windows-1258 system) is
/// written %XX ("b%E0i.txt", id "b%E0i").
/// Thread-safe: calls on different paths may run at once (the callbacks run on the
/// calling thread).
VNSEARCH_API void ingest_path(const std::filesystem::path& path, const IngestCallbacks& callbacks);

/// Reads JSONL from a stream (standard input, a pipe), as ingest_path reads a .jsonl file:
/// the same keys, charsets and problems, reported as `name:LINE`. The stream is read once,
/// front to back.
VNSEARCH_API void ingest_jsonl(std::istream& in, const std::string& name, const IngestCallbacks& callbacks);

}  // namespace vnsearch
