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

/// Up to `max_docs` documents of SHARED/corpus/vntc.jsonl.zst (title = first line of `text`).
std::vector<BenchDoc> read_vntc(const std::string& shared_dir, std::size_t max_docs);

/// `n` documents: VietNews first, then VNTC ("all" is about 235k); beyond that the same
/// documents again with fresh ids ("#2", "#3", ...), for million-document runs.
std::vector<BenchDoc> read_mixed(const std::string& shared_dir, std::size_t n);

/// The sample corpus files (corpus/*.txt), raw.
std::vector<BenchDoc> read_seeds(const std::string& corpus_dir);

}  // namespace vnsearch_bench
