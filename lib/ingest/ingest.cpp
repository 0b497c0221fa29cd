// Files and directories to Documents: .txt articles, .jsonl, recursive directories.
// Bad files and lines are reported by name through on_problem; the rest is still read.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/article.h"
#include "text/legacy.h"
#include "text/utf8.h"
#include "vnsearch/error.h"
#include "vnsearch/ingest.h"
#include "vnsearch/text.h"

namespace vnsearch {
namespace {

namespace fs = std::filesystem;

void report(const IngestCallbacks& cb, const std::string& path, const std::string& message) {
    if (cb.on_problem) cb.on_problem({path, message});
}

/// A path as problems and ids show it: UTF-8, each byte of a sequence that is not UTF-8
/// written %XX (a name made on a Latin-1 or Windows-1258 system: "b%E0i.txt"), so it reads
/// and prints anywhere (Python's str, JSON) and still tells two files apart.
std::string shown(const fs::path& p) {
    const std::string& raw = p.native();
    if (is_valid_utf8(raw)) return raw;
    std::string out;
    const auto* s = reinterpret_cast<const unsigned char*>(raw.data());
    for (std::size_t i = 0, len = 0; i < raw.size(); i += len) {
        bool invalid = false;
        text::decode_utf8(s + i, raw.size() - i, len, invalid);
        if (!invalid) {
            out.append(raw, i, len);
            continue;
        }
        static constexpr char kHex[] = "0123456789ABCDEF";
        for (std::size_t k = i; k < i + len; ++k) out += {'%', kHex[s[k] >> 4], kHex[s[k] & 0xF]};
    }
    return out;
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

constexpr const char* kBinary = "binary file (not text)";
constexpr const char* kUnknownLegacy =
    "unknown legacy encoding (not UTF-8 or UTF-16, and not recognisably windows-1258, TCVN3 or VISCII)";

/// Why decoded text is not worth reading, or nullptr: NUL bytes or many control characters
/// make a binary file; many invalid UTF-8 sequences in text without them, which
/// decode_detect() could not read as a Vietnamese legacy charset, an unknown 8-bit one.
const char* unreadable(const Decoded& d) {
    if (d.text.find('\0') != std::string::npos) return kBinary;
    std::size_t control = 0;
    for (unsigned char c : d.text)
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++control;
    const std::size_t n = d.text.size();
    if (n == 0) return nullptr;
    if (control * 20 > n) return kBinary;
    if (d.repaired * 10 > n) return d.encoding == Encoding::utf8 && !d.had_bom ? kUnknownLegacy : kBinary;
    return nullptr;
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
    if (!read_file(p, bytes, error)) return report(cb, shown(p), error);
    if (blank(bytes)) return report(cb, shown(p), "empty file");
    Decoded d;
    try {
        d = decode_detect(bytes);
    } catch (const Error& e) {
        return report(cb, shown(p), e.what());
    }
    if (const char* why = unreadable(d)) return report(cb, shown(p), why);
    Document doc = ingest::parse_article_text(ingest::decode_html_entities(d.text), shown(p.stem()));
    if (doc.title.empty() && doc.body.empty()) return report(cb, shown(p), "no article text found");
    cb.on_document(std::move(doc));
}

/// The lines of a JSONL stream as UTF-8: a UTF-16 stream (with its BOM) is converted whole;
/// otherwise lines are streamed, each decoded in the legacy charset the first 256 KB were
/// detected to be in, or else as UTF-8 (a UTF-8 BOM dropped, invalid sequences repaired).
/// The stream is read once, front to back, so a pipe works as well as a file.
class JsonlLines {
  public:
    explicit JsonlLines(std::istream& in) : in_(in) {
        head_.assign(kSampleBytes, '\0');
        in_.read(head_.data(), static_cast<std::streamsize>(head_.size()));
        head_.resize(static_cast<std::size_t>(in_.gcount()));
        const bool utf16 = head_.size() >= 2 && (head_.compare(0, 2, "\xFF\xFE") == 0 || head_.compare(0, 2, "\xFE\xFF") == 0);
        if (utf16) {
            std::ostringstream rest;
            if (!in_.eof()) rest << in_.rdbuf();
            whole_ = decode(head_ + std::move(rest).str()).text;
            head_.clear();
            return;
        }
        // Detect on whole lines only (no line cut by the sample's end); the sample is then
        // read as the first lines.
        const std::size_t cut = in_.eof() ? head_.size() : head_.rfind('\n') + 1;
        legacy_ = text::detect_legacy(std::string_view(head_).substr(0, cut));
        in_.clear(in_.rdstate() & ~std::ios::failbit);  // a short read sets failbit with eofbit
    }
    bool bad() const { return in_.bad(); }

    bool next(std::string& line) {
        if (whole_) {
            if (pos_ >= whole_->size()) return false;
            std::size_t nl = whole_->find('\n', pos_);
            if (nl == std::string::npos) nl = whole_->size();
            line.assign(*whole_, pos_, nl - pos_);
            pos_ = nl + 1;
        } else if (!raw_line(line)) {
            return false;
        } else if (legacy_) {
            line = text::decode_legacy(line, *legacy_);
        } else {
            if (first_ && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
            line = repair_utf8(line);
        }
        first_ = false;
        return true;
    }

  private:
    /// The next line: from the sample first, then from the stream.
    bool raw_line(std::string& line) {
        if (pos_ < head_.size()) {
            const std::size_t nl = head_.find('\n', pos_);
            if (nl != std::string::npos) {
                line.assign(head_, pos_, nl - pos_);
                pos_ = nl + 1;
                return true;
            }
            line.assign(head_, pos_, std::string::npos);  // its end is still in the stream
            pos_ = head_.size();
            std::string rest;
            if (std::getline(in_, rest)) line += rest;
            return true;
        }
        return static_cast<bool>(std::getline(in_, line));
    }

    static constexpr std::size_t kSampleBytes = 256 * 1024;
    std::istream& in_;
    std::string head_;
    std::optional<std::string> whole_;
    std::size_t pos_ = 0;
    std::optional<text::Legacy> legacy_;
    bool first_ = true;
};

void read_jsonl(std::istream& in, const std::string& name, const IngestCallbacks& cb) {
    JsonlLines lines(in);
    std::string text;
    std::size_t lineno = 0, docs = 0;
    while (lines.next(text)) {
        ++lineno;
        if (blank(text)) continue;
        const std::string where = name + ":" + std::to_string(lineno);
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
        // Scraped text often comes HTML-escaped ("T&amp;T"): references are decoded in every
        // text field (not in the id, which must stay as given, nor in the url).
        auto str = [&](const char* k) { return j.contains(k) ? ingest::decode_html_entities(json_string(j[k])) : std::string(); };
        d.title = str("title");
        if (j.contains("summary") || j.contains("body")) {
            std::string summary = str("summary"), body = str("body");
            d.body = summary.empty() ? body : body.empty() ? summary : summary + "\n\n" + body;
        } else if (j.contains("text")) {
            d.body = str("text");
        }
        if (d.title.empty() && !blank(d.body)) {
            // No title (the VNTC shape: the first line of `text` is the headline): derived as
            // for articles (ingest::headline): a first line of at most 30 words is the title
            // and leaves the body; a longer one gives its headline and stays body.
            std::size_t start = d.body.find_first_not_of(" \t\r\n");
            std::size_t nl = d.body.find('\n', start);
            std::string first = d.body.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
            while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) first.pop_back();
            ingest::Headline h = ingest::headline(first);
            d.title = std::move(h.title);
            if (h.whole_line) d.body = nl == std::string::npos ? std::string() : d.body.substr(nl + 1);
            d.source = std::move(h.agency);  // a JSON source wins (below)
        }
        d.date = j.contains("date") ? json_string(j["date"]) : std::string();
        if (j.contains("source")) d.source = str("source");
        d.url = j.contains("url") ? json_string(j["url"]) : std::string();
        d.author = str("author");
        for (auto& [k, v] : j.items()) {
            static const std::vector<std::string> known = {"id", "title", "summary", "body", "text", "date", "source", "url", "author"};
            // Strings, and numbers as written (parse_line made them strings).
            if (std::find(known.begin(), known.end(), k) == known.end() && v.is_string())
                d.fields[k] = ingest::decode_html_entities(v.get<std::string>());
        }
        if (d.title.empty() && d.body.empty()) {
            report(cb, where, "no title or text");
            continue;
        }
        ++docs;
        cb.on_document(std::move(d));
    }
    if (lines.bad()) report(cb, name, "read error");
    if (lineno == 0) report(cb, name, "empty file");
}

void ingest_jsonl_file(const fs::path& p, const IngestCallbacks& cb) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return report(cb, shown(p), "cannot open file");
    read_jsonl(in, shown(p), cb);
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
        if (ec) report(cb, shown(dir), "cannot read directory: " + ec.message());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

void ingest_path(const std::filesystem::path& path, const IngestCallbacks& cb) {
    if (!cb.on_document) throw Error("ingest_path needs an on_document callback");
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return report(cb, shown(path), "no such file or directory");
    if (fs::is_regular_file(st)) return ingest_file(path, cb);
    if (!fs::is_directory(st)) return report(cb, shown(path), "not a regular file or directory");
    for (const auto& f : files_below(path, cb)) ingest_file(f, cb);
}

void ingest_jsonl(std::istream& in, const std::string& name, const IngestCallbacks& cb) {
    if (!cb.on_document) throw Error("ingest_jsonl needs an on_document callback");
    read_jsonl(in, name, cb);
}

IngestReport ingest::add_path(const std::filesystem::path& path, const std::function<AddResult(Document&&)>& add) {
    IngestReport report;
    IngestCallbacks cb;
    cb.on_document = [&](Document&& d) {
        std::string id = d.id;
        try {
            (add(std::move(d)) == AddResult::added ? report.added : report.replaced)++;
        } catch (const DocumentError& e) {
            ++report.skipped;
            report.problems.push_back({std::move(id), e.what()});
        }
    };
    cb.on_problem = [&](const IngestProblem& p) {
        ++report.skipped;
        report.problems.push_back(p);
    };
    ingest_path(path, cb);
    return report;
}

}  // namespace vnsearch
