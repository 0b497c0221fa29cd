// Internal: article parsing on decoded text (see docs/ingestion.md).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "vnsearch/document.h"
#include "vnsearch/index.h"
#include "vnsearch/ingest.h"

namespace vnsearch::ingest {

/// The title a first line makes: the text before an agency dateline "Tiêu đề (NLĐ) – ..."
/// followed by text (agency: "NLĐ"; the line then stays body), else the line itself when it
/// has at most 30 words (whole_line), else its first sentence, or its first 20 words and
/// "…" (the line staying body). Articles and JSONL records without a title both take their
/// title from this.
struct Headline {
    std::string title;
    std::string agency;
    bool whole_line = false;
};
Headline headline(const std::string& line);

/// `s` with HTML character references decoded: numeric ones (&#7841; &#x1EA1;) and the
/// common named ones (&amp; &lt; &gt; &quot; &nbsp; &ndash; ...). Unknown names, references
/// without ';', NUL and surrogates stay as written.
std::string decode_html_entities(std::string_view s);

/// Index::add_path and IndexBuilder::add_path: every document of `path` (ingest_path) given
/// to `add`; problems, and documents `add` refuses with DocumentError, counted as skipped.
IngestReport add_path(const std::filesystem::path& path, const std::function<AddResult(Document&&)>& add);

/// Parses an already-decoded (UTF-8) article.
Document parse_article_text(std::string_view text, const std::string& id);

}  // namespace vnsearch::ingest
