// Benchmark input: documents of the shared corpora (read through `zstd -dc`), or the
// sample corpus when the shared one is absent.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace vnsearch_bench {

struct BenchDoc {
    std::string id, title, body;  // body: summary + "\n\n" + body (VietNews)
};

/// Up to `max_docs` documents (and about `max_bytes` of text) of
/// SHARED/corpus/vietnews.jsonl.zst. Empty when the file or zstd is missing.
std::vector<BenchDoc> read_vietnews(const std::string& shared_dir, std::size_t max_docs,
                                    std::size_t max_bytes = static_cast<std::size_t>(-1));

/// The sample corpus files (corpus/*.txt), raw.
std::vector<BenchDoc> read_seeds(const std::string& corpus_dir);

}  // namespace vnsearch_bench
