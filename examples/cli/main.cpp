// vnsearch — the command-line tool. See docs/cli.md for the reference (the real --help).
//
// Exit codes: 0 success; 1 error (missing database, unreadable input, locked database...);
// 2 usage error; 3 `index` finished but some inputs were bad (named on stderr); 4 `similar`
// was given an id no document has.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
#include <vnsearch/vnsearch.h>

namespace {

using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitPartial = 3;
constexpr int kExitNotFound = 4;
constexpr std::size_t kDefaultBatchMb = 4;  // the one writer's commits
constexpr double kMaxBatchMb = 65536;  // 64 GiB: far above any sensible batch, and fits size_t

std::string read_stdin() {
    return std::string((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
}

/// Validator of a whole-number option: digits only (no sign, spaces, hex or exponent), at
/// most `max`. "-1" is refused rather than wrapped to 2^64 - 1.
CLI::Validator whole_number(std::uint64_t max) {
    return CLI::Validator(
        [max](std::string& s) -> std::string {
            if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return "'" + s + "' is not a whole number (0, 1, 2, ...)";
            std::uint64_t v = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (ec != std::errc() || end != s.data() + s.size() || v > max)
                return "'" + s + "' is too large (at most " + std::to_string(max) + ")";
            return {};
        },
        "");
}

/// Validator of a size in MB: a finite decimal number in (0, max] ("nan", "inf", "-1" and
/// "1e400" are refused).
CLI::Validator size_mb(double max) {
    return CLI::Validator(
        [max](std::string& s) -> std::string {
            double v = 0;
            auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
            if (s.empty() || (ec != std::errc() && ec != std::errc::result_out_of_range) || end != s.data() + s.size() ||
                std::isnan(v))
                return "'" + s + "' is not a number";
            if (ec == std::errc::result_out_of_range || v <= 0 || v > max) return "'" + s + "' is out of range (more than 0, at most " + std::to_string(static_cast<long>(max)) + ")";
            return {};
        },
        "POSITIVE");
}

/// Length of a control character at s[i] that must not reach a terminal raw, 0 for none:
/// C0 (tab and newline too: the values printed are one-line fields), DEL, C1 (U+0080–U+009F,
/// which some terminals obey like ESC [) and the bidi overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), which reorder what is shown. `cp` receives its code point.
std::size_t control_at(std::string_view s, std::size_t i, unsigned& cp) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    if (b(i) < 0x20 || b(i) == 0x7F) return cp = b(i), 1;
    if (b(i) == 0xC2 && i + 1 < s.size() && b(i + 1) >= 0x80 && b(i + 1) <= 0x9F) return cp = b(i + 1), 2;
    if (b(i) == 0xE2 && i + 2 < s.size()) {
        cp = 0x2000 + ((b(i + 1) & 0x3Fu) << 6) + (b(i + 2) & 0x3Fu);
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) return 3;
    }
    return 0;
}

/// Text from the index, the file system or the command line, made safe to print for people:
/// invalid UTF-8 becomes U+FFFD and every control character is shown, not obeyed — ESC as
/// `\x1b`, C1 and bidi controls as `\u009b` — so indexed text cannot retitle the window, clear
/// the screen or move the cursor (like `less` and ripgrep, but on every output, not only a TTY).
std::string visible(std::string_view raw) {
    const std::string s = vnsearch::is_valid_utf8(raw) ? std::string(raw) : vnsearch::repair_utf8(raw);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        unsigned cp = 0;
        const std::size_t n = control_at(s, i, cp);
        if (n == 0) {
            out += s[i++];
            continue;
        }
        char buf[16];
        std::snprintf(buf, sizeof buf, cp < 0x80 ? "\\x%02x" : "\\u%04x", cp);
        out += buf;
        i += n;
    }
    return out;
}

/// JSON for output. The encoder escapes C0 itself; DEL, C1 and bidi controls are escaped
/// here too (\u009b), so piping --json to a terminal is as safe as the plain output.
std::string dump(const ojson& j) {
    const std::string s = j.dump(-1, ' ', false, ojson::error_handler_t::replace);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        unsigned cp = 0;
        const std::size_t n = control_at(s, i, cp);
        if (n == 0 || cp < 0x20) {  // C0 only appears escaped already
            out += s[i++];
            continue;
        }
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\u%04x", cp);
        out += buf;
        i += n;
    }
    return out;
}

/// 3336 -> "3,336".
std::string thousands(std::uint64_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

/// "3,336 results" when exact; "about 3,400 results" (two significant digits) when estimated.
std::string count_line(std::uint64_t total, bool exact) {
    if (exact || total < 100) return (exact ? "" : "about ") + thousands(total) + (total == 1 ? " result" : " results");
    std::uint64_t unit = 1;
    while (total / unit >= 100) unit *= 10;
    const std::uint64_t rounded = (total + unit / 2) / unit * unit;
    return "about " + thousands(rounded) + " results";
}

/// 123456789 -> "118 MiB" (binary units, as du -h and ls -lh).
std::string human_size(std::uint64_t bytes) {
    const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
    if (bytes < 1024) return std::to_string(bytes) + " bytes";
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    while (v >= 1024 && u + 1 < std::size(units)) v /= 1024, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

/// The database used when --db is not given: $VNSEARCH_DB, else
/// $XDG_DATA_HOME/vnsearch/index, else ~/.local/share/vnsearch/index.
std::string default_db() {
    if (const char* v = std::getenv("VNSEARCH_DB"); v && *v) return v;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/vnsearch/index";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/vnsearch/index";
    return "vnsearch-index";
}

int cmd_analyze(const std::string& arg, bool json) {
    std::string input = arg == "-" ? read_stdin() : arg;
    // Offsets refer to the UTF-8 text: the input itself, or its UTF-8 decoding when it
    // starts with a UTF-16 byte-order mark.
    vnsearch::Decoded decoded;
    std::string_view text = input;
    if (input.size() >= 2 && (input.compare(0, 2, "\xFF\xFE") == 0 || input.compare(0, 2, "\xFE\xFF") == 0)) {
        decoded = vnsearch::decode(input);
        text = decoded.text;
    }
    vnsearch::Analyzer analyzer;
    ojson tokens = ojson::array();
    auto stats = analyzer.analyze(text, [&](const vnsearch::Token& t) {
        if (json) {
            tokens.push_back({{"text", t.text},
                              {"exact", t.exact},
                              {"folded", t.folded},
                              {"start", t.start},
                              {"end", t.end},
                              {"position", t.position},
                              {"kind", std::string(vnsearch::kind_name(t.kind))}});
        } else {
            std::cout << t.position << '\t' << t.start << '-' << t.end << '\t' << vnsearch::kind_name(t.kind) << '\t'
                      << visible(t.text) << '\t' << visible(t.exact) << '\t' << visible(t.folded)
                      << (t.part ? "\t(part)" : "") << '\n';
        }
    });
    if (json) std::cout << dump(ojson{{"tokens", tokens}}) << '\n';
    if (stats.invalid_bytes)
        std::cerr << "vnsearch: warning: " << stats.invalid_bytes << " invalid UTF-8 byte(s) treated as separators\n";
    return 0;
}

/// A unit as JSON: {"code", "level", "name", "type"}.
ojson unit_json(const vnsearch::PlaceUnit& u) {
    return {{"code", u.code}, {"level", std::string(vnsearch::level_name(u.level))}, {"name", u.name}, {"type", u.type}};
}

/// A place as JSON: the unit named, its units before 2025 and its current provinces.
ojson place_json(const vnsearch::Place& p) {
    ojson out = {{"unit", unit_json(p.unit)},
                 {"geography", p.unit.geography == vnsearch::Geography::current ? "current" : "before_2025"}};
    out["old_district"] = p.old_district ? unit_json(*p.old_district) : ojson(nullptr);
    out["old_province"] = p.old_province ? unit_json(*p.old_province) : ojson(nullptr);
    ojson provinces = ojson::array();
    for (const auto& u : p.provinces) provinces.push_back(unit_json(u));
    out["provinces"] = provinces;
    return out;
}

/// "Chi Lăng (huyện) · Lạng Sơn before 2025 · Lạng Sơn now" for people.
std::string place_line(const vnsearch::Place& p) {
    std::string line = p.unit.type.empty() ? p.unit.name : p.unit.type + " " + p.unit.name;
    if (p.unit.geography == vnsearch::Geography::current) line += " (current map)";
    if (p.old_province && !(*p.old_province == p.unit)) line += " · before 2025: " + p.old_province->name;
    std::string now;
    for (const auto& u : p.provinces) now += (now.empty() ? "" : ", ") + u.name;
    if (!now.empty()) line += " · now: " + now;
    return line;
}

/// `vnsearch places`: the administrative units recognised in TEXT, with byte offsets.
int cmd_places(const std::string& arg, bool json) {
    const std::string input = arg == "-" ? read_stdin() : arg;
    const std::vector<vnsearch::PlaceMention> mentions = vnsearch::recognize_places(input);
    if (json) {
        ojson out = ojson::array();
        for (const auto& m : mentions) {
            ojson o = {{"text", m.text}, {"start", m.start}, {"end", m.end}};
            o.update(place_json(m.place));
            out.push_back(o);
        }
        std::cout << dump(ojson{{"places", out}}) << '\n';
        return 0;
    }
    for (const auto& m : mentions)
        std::cout << m.start << '-' << m.end << '\t' << visible(m.text) << '\t' << visible(place_line(m.place)) << '\n';
    return 0;
}

std::string fmt_duration(double s) {
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%.0fs", s);
    else
        std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    return buf;
}

/// True when `db` does not exist yet or holds no documents (a parallel build can make it).
bool new_or_empty(const std::string& db) {
    std::error_code ec;
    if (!fs::exists(db, ec)) return true;
    if (!fs::is_directory(db, ec)) return false;  // Index reports the error
    if (fs::is_empty(db, ec)) return true;
    try {
        return vnsearch::Searcher(db).size() == 0;
    } catch (const vnsearch::Error&) {
        return false;  // Index reports the error
    }
}

int cmd_index(const std::string& db, const std::vector<std::string>& paths, bool quiet, std::optional<double> batch_mb,
              unsigned threads, std::size_t shards) {
    using clock = std::chrono::steady_clock;
    const bool tty = !quiet && isatty(STDERR_FILENO);
    // Input size, for the progress bar's ETA: a rough figure that never fails (folders that
    // cannot be read are left out here and reported by ingest_path).
    std::uintmax_t total_bytes = 0;
    for (const auto& p : paths) {
        if (!tty) break;
        if (p == "-") continue;  // standard input: size unknown
        std::error_code ec, e;
        if (fs::is_directory(p, ec)) {
            fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
            for (; !ec && it != end; it.increment(ec))
                if (it->is_regular_file(e)) {
                    const auto n = it->file_size(e);
                    if (!e) total_bytes += n;
                }
        } else if (fs::is_regular_file(p, ec)) {
            const auto n = fs::file_size(p, ec);
            if (!ec) total_bytes += n;
        }
    }
    // A new index is built on all cores (IndexBuilder); adding to an existing one, or
    // --threads 1, writes batch by batch with one writer (Index: a crash loses one batch).
    // --batch-mb: the one writer's commits (4 MB unless given); a build's temporary shards
    // keep the builder's own small batches unless it is given.
    const auto batch_bytes = [&](std::size_t otherwise) {
        return batch_mb ? static_cast<std::size_t>(*batch_mb * 1024 * 1024) : otherwise;  // *batch_mb <= kMaxBatchMb
    };
    std::optional<vnsearch::Index> index;
    std::optional<vnsearch::IndexBuilder> builder;
    if (threads != 1 && new_or_empty(db)) {
        vnsearch::BuildOptions options;
        options.threads = threads;
        options.batch_bytes = batch_bytes(options.batch_bytes);
        options.shards = shards;
        builder.emplace(db, options);
    } else {
        vnsearch::IndexOptions options;
        options.auto_commit_bytes = batch_bytes(kDefaultBatchMb * 1024 * 1024);
        options.shards = shards;
        index.emplace(db, options);
    }
    // What opening found and repaired (the folder an interrupted build left behind).
    if (const std::string& notice = builder ? builder->notice() : index->notice(); !notice.empty())
        std::cerr << "vnsearch: " << visible(notice) << "\n";
    auto stats = [&]() -> const vnsearch::IndexStats& { return builder ? builder->stats() : index->stats(); };
    std::size_t problems = 0, docs = 0;
    const auto t0 = clock::now();
    auto last_draw = t0;
    auto draw = [&](bool final) {
        double secs = std::chrono::duration<double>(clock::now() - t0).count();
        double rate = secs > 0 ? static_cast<double>(docs) / secs : 0;
        std::uintmax_t done = stats().bytes;
        double frac = final ? 1.0 : total_bytes ? std::min(1.0, static_cast<double>(done) / static_cast<double>(total_bytes)) : 0;
        double eta = frac > 0 ? secs * (1 - frac) / frac : 0;
        int width = 30, filled = static_cast<int>(frac * width);
        std::fprintf(stderr, "\r[%s%s] %3.0f%% %zu docs %.0f docs/s ETA %s   ", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - filled), '.').c_str(), frac * 100, docs, rate,
                     final ? "0s" : fmt_duration(eta).c_str());
        if (final) std::fputc('\n', stderr);
    };
    vnsearch::IngestCallbacks cb;
    cb.on_document = [&](vnsearch::Document&& d) {
        const std::string id = d.id;  // named in the message when the document is refused
        try {
            if (builder)
                builder->add(std::move(d));
            else
                index->add(d);
            ++docs;
        } catch (const vnsearch::DocumentError& e) {
            ++problems;
            std::cerr << (tty ? "\n" : "") << "vnsearch: skipped " << visible(id) << ": " << visible(e.what()) << '\n';
        }
        if (tty && clock::now() - last_draw > std::chrono::milliseconds(200)) {
            last_draw = clock::now();
            draw(false);
        }
    };
    cb.on_problem = [&](const vnsearch::IngestProblem& p) {
        ++problems;
        std::cerr << (tty ? "\n" : "") << "vnsearch: skipped " << visible(p.path) << ": " << visible(p.message) << '\n';
    };
    bool read_stdin_already = false;
    for (const auto& p : paths) {
        std::error_code ec;
        if (p == "-") {  // JSONL on standard input (zstd -dc x.jsonl.zst | vnsearch index -)
            if (read_stdin_already) continue;
            read_stdin_already = true;
            vnsearch::ingest_jsonl(std::cin, "<stdin>", cb);
            continue;
        }
        if (!fs::exists(p, ec)) {
            ++problems;
            std::cerr << "vnsearch: skipped " << visible(p) << ": no such file or directory\n";
            continue;
        }
        vnsearch::ingest_path(p, cb);
    }
    if (builder) {
        if (tty) draw(true);  // the reading phase, done
        // The merge has a bar of its own.
        builder->finish([&](double frac) {
            if (!tty) return;
            const int width = 30, filled = static_cast<int>(frac * width);
            std::fprintf(stderr, "\rmerging [%s%s] %3.0f%%   ", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                         std::string(static_cast<std::size_t>(width - filled), '.').c_str(), frac * 100);
            if (frac >= 1) std::fputc('\n', stderr);
        });
    } else {
        index->commit();
        if (tty) draw(true);
    }
    double secs = std::chrono::duration<double>(clock::now() - t0).count();
    const auto& st = stats();
    const std::size_t in_index = builder ? vnsearch::Searcher(db).size() : index->size();
    if (!quiet)
        std::cerr << "indexed " << visible(db) << ": " << st.added << " added, " << st.replaced << " replaced, " << problems
                  << " skipped, " << st.bytes << " bytes in " << fmt_duration(secs) << " (" << in_index
                  << " documents in the index"
                  << (builder ? ", built on " + std::to_string(builder->threads()) + " threads" : std::string()) << ")\n";
    return problems ? kExitPartial : 0;
}

struct SearchArgs {
    std::string query;
    std::size_t limit = 10, offset = 0, snippet_chars = 240;
    std::string sort = "relevance";
    std::string color = "auto";
    bool json = false, facets = false, no_suggest = false, exhaustive = false;
    std::vector<std::string> filters;       ///< FIELD:VALUE or -FIELD:VALUE (validated: filter_arg)
    std::vector<std::string> facet_fields;  ///< --facet NAME
};

/// --color: "always", "never", or "auto" (a terminal on stdout and no NO_COLOR, as
/// https://no-color.org asks).
bool use_colour(const std::string& when) {
    if (when == "always") return true;
    if (when == "never") return false;
    const char* no_color = std::getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/// The query as the header shows it: in double quotes, or in single quotes when it holds
/// double quotes itself (a phrase), so no quote is doubled.
std::string quoted_query(const std::string& q) {
    const std::string v = visible(q);
    if (v.find('"') == std::string::npos) return "\"" + v + "\"";
    if (v.find('\'') == std::string::npos) return "'" + v + "'";
    return v;
}

/// Highlight spans as JSON: byte offsets into snippet_text (start, end), and the same as
/// Unicode code point offsets (char_start, char_end) for clients that index by character.
ojson highlight_spans(const vnsearch::Hit& h) {
    ojson out = ojson::array();
    std::size_t chars = 0, counted = 0;
    auto chars_at = [&](std::size_t byte) {
        for (; counted < byte && counted < h.snippet_text.size(); ++counted)
            chars += (static_cast<unsigned char>(h.snippet_text[counted]) & 0xC0) != 0x80;
        return chars;
    };
    for (const auto& span : h.highlights) {
        const std::size_t cs = chars_at(span.start), ce = chars_at(span.end);
        out.push_back({{"start", span.start}, {"end", span.end}, {"char_start", cs}, {"char_end", ce}});
    }
    return out;
}

/// A --filter argument as a structured filter: FIELD:VALUE (the value taken whole, spaces
/// and colons included), -FIELD:VALUE to exclude. The field name is checked by filter_check.
vnsearch::Filter filter_arg(const std::string& arg) {
    vnsearch::Filter f;
    std::string_view a = arg;
    if (!a.empty() && a[0] == '-') {
        f.exclude = true;
        a.remove_prefix(1);
    }
    const std::size_t colon = a.find(':');
    f.field = std::string(a.substr(0, colon));
    f.value = colon == std::string_view::npos ? std::string() : std::string(a.substr(colon + 1));
    return f;
}

/// Validator of --filter: a field name (a letter, then letters, digits or '_'), ':', a value.
CLI::Validator filter_check() {
    return CLI::Validator(
        [](std::string& s) -> std::string {
            const vnsearch::Filter f = filter_arg(s);
            const bool name_ok = !f.field.empty() && std::isalpha(static_cast<unsigned char>(f.field[0])) &&
                                 std::all_of(f.field.begin(), f.field.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
            if (!name_ok || s.find(':') == std::string::npos)
                return "'" + s + "' is not FIELD:VALUE (e.g. source:Báo Lạng Sơn, label:the thao, year:2018..2020)";
            if (f.value.find_first_not_of(" \t") == std::string::npos) return "'" + s + "' has an empty value";
            return {};
        },
        "FIELD:VALUE");
}

/// Highlight markers asked of the library for human output (see cmd_search).
constexpr const char* kMarkStart = "\xFE";
constexpr const char* kMarkEnd = "\xFF";

/// A snippet with kMarkStart/kMarkEnd around its matches, made visible() between them and
/// with the markers replaced by `start`/`end`.
std::string highlighted(std::string_view snippet, std::string_view start, std::string_view end) {
    std::string out;
    std::size_t from = 0;
    for (std::size_t i = 0; i <= snippet.size(); ++i) {
        if (i < snippet.size() && snippet[i] != kMarkStart[0] && snippet[i] != kMarkEnd[0]) continue;
        out += visible(snippet.substr(from, i - from));
        if (i < snippet.size()) out += snippet[i] == kMarkStart[0] ? start : end;
        from = i + 1;
    }
    return out;
}

/// The hits as a JSON array (search and similar).
ojson json_hits(const vnsearch::Results& r) {
    ojson hits = ojson::array();
    for (const auto& h : r) {
        hits.push_back({{"id", h.id}, {"title", h.title}, {"date", h.date}, {"score", h.score}, {"snippet", h.snippet},
                        {"rank", h.rank}, {"source", h.source}, {"url", h.url}, {"author", h.author},
                        {"fields", h.fields}});
        hits.back()["snippet_text"] = h.snippet_text;
        hits.back()["highlights"] = highlight_spans(h);
        ojson places = ojson::array();
        for (const auto& p : h.places) places.push_back(place_json(p));
        hits.back()["places"] = places;
    }
    return hits;
}

/// The hits for people (search and similar); snippets carry kMarkStart/kMarkEnd.
void print_hits(const vnsearch::Results& r, bool colour) {
    for (const auto& h : r) {
        std::cout << '\n'
                  << h.rank << ". " << (colour ? "\x1b[1m" : "") << visible(h.title.empty() ? h.id : h.title)
                  << (colour ? "\x1b[0m" : "") << "\n   " << visible(h.id);
        if (!h.date.empty()) std::cout << " · " << visible(h.date);
        if (!h.source.empty()) std::cout << " · " << visible(h.source);
        char score[32];
        std::snprintf(score, sizeof score, "%.3f", h.score);
        std::cout << " · score " << score << '\n';
        if (!h.snippet.empty())
            std::cout << "   " << highlighted(h.snippet, colour ? "\x1b[1;33m" : "", colour ? "\x1b[0m" : "") << '\n';
        if (!h.places.empty()) {
            // The provinces of today first (what a reader looks for), then the units named.
            std::vector<std::string> names;
            for (const auto& p : h.places) {
                std::string n = p.unit.name;
                if (!p.provinces.empty() && !(p.provinces.front() == p.unit) && p.provinces.front().name != p.unit.name)
                    n += " (" + p.provinces.front().name + ")";
                if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
            }
            std::string line;
            for (std::size_t i = 0; i < names.size() && i < 6; ++i) line += (i ? ", " : "") + names[i];
            if (names.size() > 6) line += ", …";
            std::cout << "   places: " << visible(line) << '\n';
        }
    }
}

/// Xapian counts documents in 32 bits: no database holds more than this many, so an offset
/// at or past it finds nothing.
constexpr std::size_t kMaxDocuments = 0xFFFFFFFF;

int cmd_search(const std::vector<std::string>& dbs, SearchArgs a) {
    vnsearch::Searcher searcher(dbs);
    vnsearch::SearchOptions opt;
    // Clamped so that offset and offset + limit fit Xapian's 32-bit document counts: a
    // 64-bit offset never wraps to a small one (4294967296 would show rank 1 again).
    opt.offset = std::min(a.offset, kMaxDocuments);
    opt.limit = std::min(a.limit, kMaxDocuments - opt.offset);
    opt.facets = a.facets;
    opt.facet_fields = a.facet_fields;
    for (const auto& f : a.filters) opt.filters.push_back(filter_arg(f));
    opt.suggest = !a.no_suggest;
    opt.exhaustive = a.exhaustive;
    opt.sort = vnsearch::parse_sort_order(a.sort).value_or(vnsearch::SortOrder::relevance);  // checked by --sort
    opt.snippet_chars = a.snippet_chars;
    const bool colour = !a.json && use_colour(a.color);
    if (a.json) {
        opt.highlight_start = "<b>";
        opt.highlight_end = "</b>";
    } else {
        // Bytes that never occur in valid UTF-8 (stored text always is): the snippet is made
        // visible() piece by piece, then these become the colour codes (or nothing).
        opt.highlight_start = kMarkStart;
        opt.highlight_end = kMarkEnd;
    }
    vnsearch::Results r = searcher.search(a.query, opt);
    if (a.json) {
        ojson out = {{"query", r.query}, {"total", r.total}, {"total_exact", r.total_exact}, {"hits", json_hits(r)}};
        if (!r.warnings.empty()) out["warnings"] = r.warnings;
        if (!r.suggestion.empty()) {
            out["suggestion"] = r.suggestion;
            out["suggestion_reason"] = vnsearch::to_string(r.suggestion_reason);
        }
        if (!r.facets.empty()) {
            // {"year": {...}, "source": {...}, "label": {...}}: counts by value, in the
            // library's order (years newest first, other fields most frequent first).
            ojson facets = ojson::object();
            for (const auto& [name, counts] : r.facets) {
                ojson values = ojson::object();
                for (const auto& f : counts) values[f.value] = f.count;
                facets[name] = values;
            }
            out["facets"] = facets;
        }
        std::cout << dump(out) << '\n';
        return 0;
    }
    for (const auto& w : r.warnings) std::cerr << "vnsearch: note: " << visible(w) << '\n';
    std::cout << count_line(r.total, r.total_exact) << " for " << quoted_query(r.query) << '\n';
    if (!r.suggestion.empty())
        std::cout << "did you mean: " << (colour ? "\x1b[1m" : "") << visible(r.suggestion) << (colour ? "\x1b[0m" : "")
                  << " (" << vnsearch::to_string(r.suggestion_reason) << ")\n";
    print_hits(r, colour);
    if (!r.facets.empty()) {
        std::cout << '\n';
        for (const auto& [name, counts] : r.facets) {
            std::cout << "by " << visible(name) << ':';
            for (const auto& f : counts) std::cout << ' ' << visible(f.value) << " (" << f.count << ')';
            std::cout << '\n';
        }
    }
    return 0;
}

int cmd_similar(const std::vector<std::string>& dbs, const std::string& id, std::size_t limit, std::size_t offset, bool json) {
    vnsearch::Searcher searcher(dbs);
    vnsearch::SimilarOptions opt;
    opt.offset = std::min(offset, kMaxDocuments);
    opt.limit = std::min(limit, kMaxDocuments - opt.offset);
    const bool colour = !json && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
    opt.highlight_start = json ? "<b>" : kMarkStart;
    opt.highlight_end = json ? "</b>" : kMarkEnd;
    vnsearch::Results r;
    try {
        r = searcher.similar(id, opt);
    } catch (const vnsearch::NotFoundError& e) {
        std::cerr << "vnsearch: error: " << visible(e.what()) << '\n';
        return kExitNotFound;
    }
    if (json) {
        ojson out = {{"id", id}, {"total", r.total}, {"hits", json_hits(r)}};
        if (!r.warnings.empty()) out["warnings"] = r.warnings;
        std::cout << dump(out) << '\n';
        return 0;
    }
    for (const auto& w : r.warnings) std::cerr << "vnsearch: note: " << visible(w) << '\n';
    std::cout << "articles like " << visible(id) << " (" << r.total << " related)\n";
    print_hits(r, colour);
    return 0;
}

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
    return out;
}

int cmd_stats(const std::vector<std::string>& dbs, bool json) {
    vnsearch::Searcher searcher(dbs);
    auto info = searcher.info();
    const std::string db = join(dbs);
    if (json) {
        std::cout << dump(ojson{{"database", db},
                                {"documents", info.documents},
                                {"terms", info.terms},
                                {"size_bytes", info.size_bytes},
                                {"last_update", info.last_update},
                                {"scheme_version", info.scheme_version},
                                {"shards", info.shards},
                                {"remote_shards", info.remote_shards}})
                  << '\n';
    } else {
        std::cout << "database:     " << visible(db) << "\ndocuments:    " << info.documents << "\nterms:        " << info.terms
                  << "\nsize on disk: " << human_size(info.size_bytes)
                  << (info.size_bytes >= 1024 ? " (" + thousands(info.size_bytes) + " bytes)" : std::string())
                  << "\nlast update:  "
                  << (info.last_update.empty() ? "-" : visible(info.last_update)) << "\nterm scheme:  " << info.scheme_version
                  << '\n';
        if (info.shards > 1)
            std::cout << "shards:       " << info.shards << " (" << info.remote_shards
                      << " remote, not counted in the size)\n";
    }
    return 0;
}

int cmd_suggest(const std::vector<std::string>& dbs, const std::string& query, bool json) {
    vnsearch::Searcher searcher(dbs);
    const vnsearch::Suggestion s = searcher.suggest(query);
    if (json) {
        ojson out = {{"query", query}, {"suggestion", s ? ojson(s.text) : ojson(nullptr)}};
        if (s) out["reason"] = vnsearch::to_string(s.reason);
        std::cout << dump(out) << '\n';
    } else if (s) {
        std::cout << visible(s.text) << '\n';
    } else {
        std::cerr << "vnsearch: no suggestion: the query is fine as typed\n";
    }
    return 0;
}

int cmd_abbrev_list(const std::vector<std::string>& dbs, bool builtin, bool json) {
    vnsearch::Searcher searcher(dbs);
    const auto entries = searcher.abbreviations(builtin);
    if (json) {
        ojson out = ojson::array();
        for (const auto& e : entries)
            out.push_back({{"abbreviation", e.abbreviation},
                           {"expansion", e.expansion},
                           {"count", e.count},
                           {"origin", vnsearch::to_string(e.origin)}});
        std::cout << dump(out) << '\n';
        return 0;
    }
    if (entries.empty())
        std::cerr << "vnsearch: no abbreviations in this index yet (none learnt from the text or added with "
                     "`vnsearch abbrev add`); --builtin also lists the shipped dictionary\n";
    for (const auto& e : entries)
        std::cout << visible(e.abbreviation) << '\t' << visible(e.expansion) << '\t' << vnsearch::to_string(e.origin)
                  << (e.origin == vnsearch::AbbreviationOrigin::builtin ? std::string() : " " + std::to_string(e.count))
                  << '\n';
    return 0;
}

int cmd_abbrev_add(const std::string& db, const std::string& abbreviation, const std::string& expansion) {
    vnsearch::Index index(db, {.create = false});
    index.add_abbreviation(abbreviation, expansion);
    index.commit();
    std::cerr << "added " << visible(abbreviation) << " = " << visible(expansion) << '\n';
    return 0;
}

int cmd_get(const std::vector<std::string>& dbs, const std::string& id, bool json) {
    vnsearch::Searcher searcher(dbs);
    const std::optional<vnsearch::Document> d = searcher.document(id);
    if (!d) {
        std::cerr << "vnsearch: error: no document with id " << visible(id) << '\n';
        return kExitError;
    }
    if (json) {
        std::cout << dump(ojson{{"id", d->id},
                                {"title", d->title},
                                {"date", d->date},
                                {"source", d->source},
                                {"url", d->url},
                                {"author", d->author},
                                {"fields", d->fields},
                                {"body", d->body}})
                  << '\n';
        return 0;
    }
    std::cout << "id:     " << visible(d->id) << "\ntitle:  " << visible(d->title) << '\n';
    for (const auto& [name, value] : {std::pair<const char*, const std::string&>{"date:   ", d->date}, {"source: ", d->source},
                                      {"url:    ", d->url}, {"author: ", d->author}})
        if (!value.empty()) std::cout << name << visible(value) << '\n';
    for (const auto& [k, v] : d->fields) std::cout << visible(k) << ": " << visible(v) << '\n';
    // The body keeps its lines: each is made visible on its own.
    std::cout << '\n';
    std::size_t from = 0;
    while (from <= d->body.size()) {
        std::size_t nl = d->body.find('\n', from);
        if (nl == std::string::npos) nl = d->body.size();
        std::cout << visible(std::string_view(d->body).substr(from, nl - from)) << '\n';
        from = nl + 1;
    }
    return 0;
}

int cmd_remove(const std::string& db, const std::vector<std::string>& ids) {
    vnsearch::Index index(db, {.create = false});
    std::size_t missing = 0;
    for (const auto& id : ids) {
        if (!index.remove(id)) {
            ++missing;
            std::cerr << "vnsearch: no document with id " << visible(id) << '\n';
        }
    }
    index.commit();
    std::cerr << "removed " << ids.size() - missing << " document(s)\n";
    return missing ? kExitPartial : 0;
}

}  // namespace

int main(int argc, char** argv) {
    // The one writer (`index` into an existing database, --threads 1) commits every 4 MB, the
    // unit a crash may lose; inside that transaction Xapian moves its in-memory postings to
    // the tables every XAPIAN_FLUSH_THRESHOLD documents (10,000 by default). Every 50 keeps
    // them in cache: about 0.65x the time and a third of the memory on 10k VietNews articles
    // (docs/performance.md). Set here, before any thread starts, unless the user set it; a
    // library cannot change its process's environment safely, so applications linking it set
    // the variable themselves (docs/guide.md).
    ::setenv("XAPIAN_FLUSH_THRESHOLD", "50", 0);
    CLI::App app{"vnsearch — full-text search for Vietnamese", "vnsearch"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(vnsearch::version()));
    app.footer("Exit codes: 0 success, 1 error, 2 usage error, 3 done but some inputs were bad.\n"
               "Without --db the database is $VNSEARCH_DB, else $XDG_DATA_HOME/vnsearch/index,\n"
               "else ~/.local/share/vnsearch/index.");
    std::string db = default_db();
    // search and stats read one database or several shards (local or tcp://HOST:PORT).
    std::vector<std::string> read_dbs;
    const char* kReadDbHelp = "Database directory, or tcp://HOST:PORT (xapian-tcpsrv); repeat to search shards as one";

    auto* analyze = app.add_subcommand("analyze", "Show the tokens vnsearch makes of TEXT");
    std::string text;
    bool json = false;
    analyze->add_option("TEXT", text, "Text to analyze ('-' reads standard input)")->required();
    analyze->add_flag("--json", json, "Print {\"tokens\": [...]} as JSON");

    auto* places = app.add_subcommand("places", "Show the administrative units (provinces, districts, communes) named in TEXT");
    std::string places_text;
    bool places_json = false;
    places->add_option("TEXT", places_text, "Text to read ('-' reads standard input)")->required();
    places->add_flag("--json", places_json, "Print {\"places\": [...]} as JSON: each mention's text, byte offsets, unit, "
                                            "its units before 2025 and its current provinces");

    auto* index = app.add_subcommand("index", "Add article files (.txt, .jsonl) or directories to the index");
    std::vector<std::string> paths;
    bool quiet = false;
    index->add_option("--db", db, "Database directory (created if missing)");
    index->add_option("PATH", paths, "Files or directories to index (recursively); '-' reads JSONL from standard input")
        ->required();
    index->add_flag("-q,--quiet", quiet, "No progress bar and no summary line");
    std::optional<double> batch_mb;
    index->add_option("--batch-mb", batch_mb,
                      "Commit after every this many MB of text (default 4; bounds memory; a crash loses at most one batch). "
                      "A new index built on several threads commits its temporary shards every 64 KB unless this is given")
        ->check(size_mb(kMaxBatchMb));

    unsigned threads = 0;
    index->add_option("--threads", threads,
                      "Threads for a new index (0: all cores, at most 1024; the result is the same for any count). "
                      "Adding to an existing index, or 1, writes batch by batch in one thread")
        ->check(whole_number(1024))
        ->capture_default_str();
    std::size_t shards = 0;
    index->add_option("--shards", shards,
                      "Write a shard set of N databases in the --db directory, each document in shard "
                      "fnv1a32(id) mod N (0: what the directory holds; an existing set keeps its N)")
        ->check(whole_number(1024))
        ->capture_default_str();

    auto* search = app.add_subcommand("search", "Search the index");
    SearchArgs sa;
    search->add_option("--db", read_dbs, kReadDbHelp)->allow_extra_args(false);
    search->add_option("QUERY", sa.query, "Query (see docs/guide.md for the syntax)")->required();
    search->add_option("-n,--limit", sa.limit, "Number of hits to show")->check(whole_number(SIZE_MAX))->capture_default_str();
    search->add_option("--offset", sa.offset, "Skip this many hits (paging)")->check(whole_number(SIZE_MAX))->capture_default_str();
    search->add_option("--sort", sa.sort,
                       "Order: relevance, date-desc (newest first; also 'date') or date-asc (oldest first); "
                       "undated documents come last. date_desc and date_asc work too")
        ->check(CLI::IsMember({"relevance", "date", "date-desc", "date-asc", "date_desc", "date_asc"}))
        ->capture_default_str();
    search->add_option("--snippet-chars", sa.snippet_chars, "Approximate snippet length in characters (0: no snippets)")
        ->check(whole_number(1000000))
        ->capture_default_str();
    search->add_option("--color", sa.color,
                       "Colour highlights: auto (on a terminal, unless NO_COLOR is set), always (also into a pipe, "
                       "e.g. | less -R) or never")
        ->check(CLI::IsMember({"auto", "always", "never"}))
        ->capture_default_str();
    search->add_option("--filter", sa.filters,
                       "Filter FIELD:VALUE, the value taken whole: source:Báo Lạng Sơn, date:2018..2020, label:the thao; "
                       "-FIELD:VALUE excludes (repeatable: all apply)")
        ->check(filter_check())
        ->allow_extra_args(false);
    search->add_flag("--facets", sa.facets, "Also count matches by year and by source");
    search->add_option("--facet", sa.facet_fields, "Also count matches by this field's values: year, source, province, old_province, old_district or a custom field such as label (repeatable)")
        ->allow_extra_args(false);
    search->add_flag("--json", sa.json, "Print the results as JSON");
    search->add_flag("--no-suggest", sa.no_suggest, "Do not look for a better spelling of the query (\"did you mean\")");
    search->add_flag("--exhaustive", sa.exhaustive,
                     "Rank every document holding any word of the query, also those holding only its commonest words "
                     "(by default they are not candidates: faster on long queries)");

    auto* suggest = app.add_subcommand("suggest", "Propose a better spelling of QUERY (marks restored, Telex/VNI decoded)");
    std::string suggest_query;
    bool suggest_json = false;
    suggest->add_option("--db", read_dbs, kReadDbHelp)->allow_extra_args(false);
    suggest->add_option("QUERY", suggest_query, "Query, e.g. \"nghi quyet\"")->required();
    suggest->add_flag("--json", suggest_json, "Print {\"query\", \"suggestion\", \"reason\"} as JSON");

    auto* similar = app.add_subcommand("similar", "Articles closest in topic to the document ID (\"more like this\")");
    std::string similar_id;
    std::size_t similar_limit = 10, similar_offset = 0;
    bool similar_json = false;
    similar->add_option("--db", read_dbs, kReadDbHelp)->allow_extra_args(false);
    similar->add_option("ID", similar_id, "Document id")->required();
    similar->add_option("-n,--limit", similar_limit, "Number of articles to show")->check(whole_number(SIZE_MAX))->capture_default_str();
    similar->add_option("--offset", similar_offset, "Skip this many (paging)")->check(whole_number(SIZE_MAX))->capture_default_str();
    similar->add_flag("--json", similar_json, "Print the results as JSON");

    auto* stats = app.add_subcommand("stats", "Show documents, terms, size on disk and last update");
    bool stats_json = false;
    stats->add_option("--db", read_dbs, kReadDbHelp)->allow_extra_args(false);
    stats->add_flag("--json", stats_json, "Print as JSON");

    auto* abbrev = app.add_subcommand("abbrev", "Abbreviations that queries are expanded with (HĐND = hội đồng nhân dân)");
    abbrev->require_subcommand(1);
    auto* abbrev_list = abbrev->add_subcommand("list", "List the abbreviations learnt from the text and added by users");
    bool abbrev_builtin = false, abbrev_json = false;
    abbrev_list->add_option("--db", read_dbs, kReadDbHelp)->allow_extra_args(false);
    abbrev_list->add_flag("--builtin", abbrev_builtin, "Also list the shipped dictionary");
    abbrev_list->add_flag("--json", abbrev_json, "Print as JSON");
    auto* abbrev_add = abbrev->add_subcommand("add", "Teach the index an abbreviation: vnsearch abbrev add HTCT \"hệ thống chính trị\"");
    std::string abbrev_short, abbrev_long;
    abbrev_add->add_option("--db", db, "Database directory");
    abbrev_add->add_option("ABBREVIATION", abbrev_short, "The abbreviation, one word")->required();
    abbrev_add->add_option("EXPANSION", abbrev_long, "What it stands for")->required();

    auto* del = app.add_subcommand("remove", "Remove documents by id");
    del->alias("delete");
    std::vector<std::string> ids;
    del->add_option("--db", db, "Database directory");
    del->add_option("ID", ids, "Document ids")->required();

    auto* get = app.add_subcommand("get", "Print the stored document with this id (title, date, fields, body)");
    std::string get_id;
    bool get_json = false;
    get->add_option("--db", read_dbs, kReadDbHelp)->allow_extra_args(false);
    get->add_option("ID", get_id, "Document id")->required();
    get->add_flag("--json", get_json, "Print as JSON (id, title, date, source, url, author, fields, body)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    if (read_dbs.empty()) read_dbs.push_back(db);
    // Writers need a local directory: Xapian's remote backend is opened read-only here, and
    // without this check "tcp://h:p" would be taken for a directory name.
    if ((index->parsed() || del->parsed() || abbrev_add->parsed()) && db.rfind("tcp://", 0) == 0) {
        std::cerr << "vnsearch: error: remote databases are read-only: " << visible(db)
                  << " (index, remove and abbrev add need a local database directory)\n";
        return kExitUsage;
    }
    try {
        if (analyze->parsed()) return cmd_analyze(text, json);
        if (places->parsed()) return cmd_places(places_text, places_json);
        if (index->parsed()) return cmd_index(db, paths, quiet, batch_mb, threads, shards);
        if (search->parsed()) return cmd_search(read_dbs, sa);
        if (stats->parsed()) return cmd_stats(read_dbs, stats_json);
        if (similar->parsed()) return cmd_similar(read_dbs, similar_id, similar_limit, similar_offset, similar_json);
        if (suggest->parsed()) return cmd_suggest(read_dbs, suggest_query, suggest_json);
        if (del->parsed()) return cmd_remove(db, ids);
        if (get->parsed()) return cmd_get(read_dbs, get_id, get_json);
        if (abbrev_list->parsed()) return cmd_abbrev_list(read_dbs, abbrev_builtin, abbrev_json);
        if (abbrev_add->parsed()) return cmd_abbrev_add(db, abbrev_short, abbrev_long);
    } catch (const vnsearch::DiskFullError& e) {
        // The library says what became of the uncommitted changes for a program that goes
        // on ("kept: free some space and commit again"); this one stops, so they are not
        // kept. Its reason (before the first "; ") and the advice that fits a command.
        const std::string what = e.what();
        std::cerr << "vnsearch: error: " << visible(what.substr(0, what.find("; ")))
                  << "; the index keeps its last commit, what this command had not committed is not written: free some "
                     "space and run it again\n";
        return kExitError;
    } catch (const vnsearch::Error& e) {
        std::cerr << "vnsearch: error: " << visible(e.what()) << '\n';
        return kExitError;
    } catch (const std::exception& e) {
        std::cerr << "vnsearch: error: " << visible(e.what()) << '\n';
        return kExitError;
    }
    return 0;
}
