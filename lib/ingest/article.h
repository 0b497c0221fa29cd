// Internal: article parsing on decoded text (see docs/ingestion.md).
#pragma once

#include <string>
#include <string_view>

#include "vnsearch/document.h"

namespace vnsearch::ingest {

/// Parses an already-decoded (UTF-8) article.
Document parse_article_text(std::string_view text, const std::string& id);

}  // namespace vnsearch::ingest
