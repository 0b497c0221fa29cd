#include "corpus_reader.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

namespace vnsearch_bench {

std::size_t for_each_vietnews(const std::string& shared_dir, std::size_t max_docs, std::size_t max_bytes,
                              const std::function<void(BenchDoc&&)>& sink) {
    const std::string file = shared_dir + "/corpus/vietnews.jsonl.zst";
    if (!std::filesystem::exists(file)) return 0;
    const std::string cmd = "zstd -dc '" + file + "' 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return 0;
    char* line = nullptr;
    std::size_t cap = 0, bytes = 0, n = 0;
    while (n < max_docs && bytes < max_bytes && getline(&line, &cap, p) > 0) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded()) continue;
        BenchDoc d;
        d.id = j.value("id", "");
        d.title = j.value("title", "");
        d.body = j.value("summary", "") + "\n\n" + j.value("body", "");
        bytes += d.title.size() + d.body.size() + 1;
        ++n;
        sink(std::move(d));
    }
    std::free(line);
    pclose(p);
    return n;
}

std::vector<BenchDoc> read_vietnews(const std::string& shared_dir, std::size_t max_docs, std::size_t max_bytes) {
    std::vector<BenchDoc> docs;
    for_each_vietnews(shared_dir, max_docs, max_bytes, [&](BenchDoc&& d) { docs.push_back(std::move(d)); });
    return docs;
}

std::size_t for_each_vntc(const std::string& shared_dir, std::size_t max_docs, const std::function<void(BenchDoc&&)>& sink) {
    const std::string file = shared_dir + "/corpus/vntc.jsonl.zst";
    if (!std::filesystem::exists(file)) return 0;
    FILE* p = popen(("zstd -dc '" + file + "' 2>/dev/null").c_str(), "r");
    if (!p) return 0;
    char* line = nullptr;
    std::size_t cap = 0, n = 0;
    while (n < max_docs && getline(&line, &cap, p) > 0) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded()) continue;
        const std::string text = j.value("text", "");
        const std::size_t nl = text.find('\n');
        ++n;
        sink({"vntc/" + j.value("id", ""), text.substr(0, nl), nl == std::string::npos ? "" : text.substr(nl + 1),
              j.value("label", "")});
    }
    std::free(line);
    pclose(p);
    return n;
}

std::vector<BenchDoc> read_vntc(const std::string& shared_dir, std::size_t max_docs) {
    std::vector<BenchDoc> docs;
    for_each_vntc(shared_dir, max_docs, [&](BenchDoc&& d) { docs.push_back(std::move(d)); });
    return docs;
}

std::size_t for_each_mixed(const std::string& shared_dir, std::size_t n, const std::function<void(BenchDoc&&)>& sink) {
    std::size_t done = 0;
    for (std::size_t copy = 1; done < n; ++copy) {
        const std::string suffix = copy == 1 ? "" : "#" + std::to_string(copy);
        auto each = [&](BenchDoc&& d) {
            d.id += suffix;
            sink(std::move(d));
        };
        const std::size_t before = done;
        done += for_each_vietnews(shared_dir, n - done, static_cast<std::size_t>(-1), each);
        if (done < n) done += for_each_vntc(shared_dir, n - done, each);
        if (done == before) break;  // no corpus
    }
    return done;
}

std::vector<BenchDoc> read_mixed(const std::string& shared_dir, std::size_t n) {
    std::vector<BenchDoc> docs = read_vietnews(shared_dir, n);
    if (docs.size() < n && !docs.empty()) {
        auto more = read_vntc(shared_dir, n - docs.size());
        for (auto& d : more) docs.push_back(std::move(d));
    }
    const std::size_t base = docs.size();
    for (std::size_t copy = 2; base > 0 && docs.size() < n; ++copy)
        for (std::size_t i = 0; i < base && docs.size() < n; ++i) {
            BenchDoc d = docs[i];
            d.id += "#" + std::to_string(copy);
            docs.push_back(std::move(d));
        }
    return docs;
}

std::vector<BenchDoc> read_seeds(const std::string& corpus_dir) {
    std::vector<BenchDoc> docs;
    for (const auto& e : std::filesystem::directory_iterator(corpus_dir)) {
        if (e.path().extension() != ".txt") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        docs.push_back({e.path().stem().string(), "", ss.str(), ""});
    }
    return docs;
}

}  // namespace vnsearch_bench
