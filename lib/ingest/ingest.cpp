// Files and directories to Documents: .txt articles, .jsonl, recursive directories.
// Bad files and lines are reported by name through on_problem; the rest is still read.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/article.h"
#include "vnsearch/error.h"
#include "vnsearch/ingest.h"
#include "vnsearch/text.h"

namespace vnsearch {
namespace {

namespace fs = std::filesystem;

void report(const IngestCallbacks& cb, const std::string& path, const std::string& message) {
    if (cb.on_problem) cb.on_problem({path, message});
}

bool read_file(const fs::path& p, std::string& out, std::string& error) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        error = "cannot open file";
        return false;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
        error = "read error";
        return false;
    }
    out = std::move(ss).str();
    return true;
}

std::string lower_ext(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

/// Binary content: NUL bytes, or many replacement/control characters, after decoding.
bool looks_binary(const Decoded& d) {
    if (d.text.find('\0') != std::string::npos) return true;
    std::size_t control = 0;
    for (unsigned char c : d.text)
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
    const std::size_t n = d.text.size();
    return n > 0 && (control * 20 > n || d.repaired * 10 > n);
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos; }

std::string json_string(const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number()) return v.dump();  // not reached: parse_line keeps numbers as text
    return {};
}

/// Parses one JSONL line with every number kept as the text it was written with, as a
/// string: nlohmann would read 18446744073709551615 and -1 (or 9223372036854775808 and
/// -9223372036854775808) as the same 64-bit integer, and 1.50 as 1.5. The number tokens are
/// found outside strings first; the parser reports number values in the same order, and the
/// callback swaps each for its token.
nlohmann::json parse_line(const std::string& text) {
    std::vector<std::string_view> numbers;
    const std::string_view t = text;
    bool in_string = false;
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char c = t[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            std::size_t j = i;
            while (j < t.size() && ((t[j] >= '0' && t[j] <= '9') || t[j] == '-' || t[j] == '+' || t[j] == '.' ||
                                    t[j] == 'e' || t[j] == 'E'))
                ++j;
            numbers.push_back(t.substr(i, j - i));
            i = j - 1;
        }
    }
    std::size_t next = 0;
    bool matched = true;
    auto keep_text = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& value) {
        if (event == nlohmann::json::parse_event_t::value && value.is_number()) {
            if (next < numbers.size())
                value = std::string(numbers[next++]);
            else
                matched = false;
        }
        return true;
    };
    auto j = nlohmann::json::parse(text, keep_text, false);
    if (!matched || next != numbers.size()) return nlohmann::json(nlohmann::json::value_t::discarded);
    return j;
}

void ingest_text_file(const fs::path& p, const IngestCallbacks& cb) {
    std::string bytes, error;
    if (!read_file(p, bytes, error)) return report(cb, p.string(), error);
    if (blank(bytes)) return report(cb, p.string(), "empty file");
    Decoded d;
    try {
        d = decode(bytes);
    } catch (const Error& e) {
        return report(cb, p.string(), e.what());
    }
    if (looks_binary(d)) return report(cb, p.string(), "binary file (not text)");
    Document doc = ingest::parse_article_text(d.text, p.stem().string());
    if (doc.title.empty() && doc.body.empty()) return report(cb, p.string(), "no article text found");
    cb.on_document(std::move(doc));
}

void ingest_jsonl_file(const fs::path& p, const IngestCallbacks& cb) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return report(cb, p.string(), "cannot open file");
    std::string line;
    std::size_t lineno = 0, docs = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (lineno == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
        if (blank(line)) continue;
        const std::string where = p.string() + ":" + std::to_string(lineno);
        std::size_t repaired = 0;
        std::string text = repair_utf8(line, &repaired);
        auto j = parse_line(text);
        if (j.is_discarded() || !j.is_object()) {
            report(cb, where, "not a JSON object");
            continue;
        }
        std::string id = j.contains("id") ? json_string(j["id"]) : std::string();
        if (id.empty()) {
            report(cb, where, "no \"id\"");
            continue;
        }
        Document d(id);
        auto str = [&](const char* k) { return j.contains(k) ? json_string(j[k]) : std::string(); };
        d.title = str("title");
        if (j.contains("summary") || j.contains("body")) {
            std::string summary = str("summary"), body = str("body");
            d.body = summary.empty() ? body : body.empty() ? summary : summary + "\n\n" + body;
        } else if (j.contains("text")) {
            std::string t = str("text");
            if (d.title.empty()) {
                // VNTC shape: the first line of `text` is the headline.
                std::size_t nl = t.find('\n');
                d.title = t.substr(0, nl);
                while (!d.title.empty() && (d.title.back() == '\r' || d.title.back() == ' ')) d.title.pop_back();
                d.body = nl == std::string::npos ? std::string() : t.substr(nl + 1);
            } else {
                d.body = t;
            }
        }
        d.date = str("date");
        d.source = str("source");
        d.url = str("url");
        d.author = str("author");
        for (auto& [k, v] : j.items()) {
            static const std::vector<std::string> known = {"id", "title", "summary", "body", "text", "date", "source", "url", "author"};
            // Strings, and numbers as written (parse_line made them strings).
            if (std::find(known.begin(), known.end(), k) == known.end() && v.is_string()) d.fields[k] = v.get<std::string>();
        }
        if (d.title.empty() && d.body.empty()) {
            report(cb, where, "no title or text");
            continue;
        }
        ++docs;
        cb.on_document(std::move(d));
    }
    if (in.bad()) report(cb, p.string(), "read error");
    if (lineno == 0) report(cb, p.string(), "empty file");
}

void ingest_file(const fs::path& p, const IngestCallbacks& cb) {
    std::string ext = lower_ext(p);
    if (ext == ".jsonl" || ext == ".ndjson")
        ingest_jsonl_file(p, cb);
    else
        ingest_text_file(p, cb);
}

bool wanted(const fs::path& p) {
    const std::string ext = lower_ext(p);
    return ext == ".txt" || ext == ".jsonl" || ext == ".ndjson";
}

/// The files to read below `root`: hidden names skipped, symlinked folders not followed
/// (symlinked files are read). Folder by folder rather than with recursive_directory_iterator,
/// which ends the whole walk at the first folder it cannot open: here such a folder is
/// reported once, by name, and the walk goes on.
std::vector<fs::path> files_below(const fs::path& root, const IngestCallbacks& cb) {
    std::vector<fs::path> files, pending{root};
    while (!pending.empty()) {
        const fs::path dir = std::move(pending.back());
        pending.pop_back();
        std::error_code ec;
        fs::directory_iterator it(dir, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
            const fs::path& p = it->path();
            const std::string name = p.filename().string();
            if (!name.empty() && name[0] == '.') continue;
            std::error_code e;
            if (it->is_directory(e) && !it->is_symlink(e))
                pending.push_back(p);
            else if (it->is_regular_file(e) && wanted(p))
                files.push_back(p);
        }
        if (ec) report(cb, dir.string(), "cannot read directory: " + ec.message());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

void ingest_path(const std::filesystem::path& path, const IngestCallbacks& cb) {
    if (!cb.on_document) throw Error("ingest_path needs an on_document callback");
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return report(cb, path.string(), "no such file or directory");
    if (fs::is_regular_file(st)) return ingest_file(path, cb);
    if (!fs::is_directory(st)) return report(cb, path.string(), "not a regular file or directory");
    for (const auto& f : files_below(path, cb)) ingest_file(f, cb);
}

}  // namespace vnsearch
