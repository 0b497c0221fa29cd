// Benchmark input: documents of the shared corpora (read through `zstd -dc`), or the
// sample corpus when the shared one is absent.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace vnsearch_bench {

struct BenchDoc {
    std::string id, title, body;  // body: summary + "\n\n" + body (VietNews)
    std::string label;            // VNTC's topic label ("The thao"); "" elsewhere
};

/// Up to `max_docs` documents (and about `max_bytes` of text) of
/// SHARED/corpus/vietnews.jsonl.zst. Empty when the file or zstd is missing.
std::vector<BenchDoc> read_vietnews(const std::string& shared_dir, std::size_t max_docs,
                                    std::size_t max_bytes = static_cast<std::size_t>(-1));

/// Up to `max_docs` documents of SHARED/corpus/vntc.jsonl.zst (title = first line of `text`).
std::vector<BenchDoc> read_vntc(const std::string& shared_dir, std::size_t max_docs);

/// Streams up to `max_docs` VietNews documents to `sink` without holding them; returns how many.
std::size_t for_each_vietnews(const std::string& shared_dir, std::size_t max_docs, std::size_t max_bytes,
                              const std::function<void(BenchDoc&&)>& sink);
/// The same for VNTC.
std::size_t for_each_vntc(const std::string& shared_dir, std::size_t max_docs, const std::function<void(BenchDoc&&)>& sink);
/// Streams what read_mixed returns, in the same order, holding one document at a time.
std::size_t for_each_mixed(const std::string& shared_dir, std::size_t n, const std::function<void(BenchDoc&&)>& sink);

/// `n` documents: VietNews first, then VNTC ("all" is about 235k); beyond that the same
/// documents again with fresh ids ("#2", "#3", ...), for million-document runs.
std::vector<BenchDoc> read_mixed(const std::string& shared_dir, std::size_t n);

/// The sample corpus files (corpus/*.txt), raw.
std::vector<BenchDoc> read_seeds(const std::string& corpus_dir);

}  // namespace vnsearch_bench
