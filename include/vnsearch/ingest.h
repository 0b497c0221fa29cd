// vnsearch — ingestion: article files, JSONL and directories to Documents.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "vnsearch/document.h"
#include "vnsearch/export.h"

namespace vnsearch {

/// Parses a scraped article (.txt as in corpus/): decodes it (UTF-8/UTF-16 by BOM, the
/// Vietnamese legacy charsets when detected: see decode_detect), drops
/// site boilerplate, extracts the title, the date (ISO 8601, "" when none) and the byline.
VNSEARCH_API Document parse_article(std::string_view bytes, const std::string& id);

/// A file that could not be ingested, with the reason.
struct IngestProblem {
    std::string path;
    std::string message;
};

struct IngestCallbacks {
    std::function<void(Document&&)> on_document;
    std::function<void(const IngestProblem&)> on_problem;  ///< optional
};

/// Reads a .txt article, a .jsonl file (one document per line: `id` plus `title`/`text`
/// or `title`/`summary`/`body`), or a directory recursively (files in sorted order).
/// Bad files and bad lines are reported through on_problem; good ones are still read.
VNSEARCH_API void ingest_path(const std::filesystem::path& path, const IngestCallbacks& callbacks);

/// Reads JSONL from a stream (standard input, a pipe), as ingest_path reads a .jsonl file:
/// the same keys, charsets and problems, reported as `name:LINE`. The stream is read once,
/// front to back.
VNSEARCH_API void ingest_jsonl(std::istream& in, const std::string& name, const IngestCallbacks& callbacks);

}  // namespace vnsearch
