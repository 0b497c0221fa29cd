#include "test_support.h"

#include <iconv.h>
#include <signal.h>
#include <sys/wait.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unistd.h>

#include <cstring>

#include <vnsearch/vnsearch.h>

#include "index/safe_write.h"

namespace vnsearch_test {

namespace {
const char* g_kill_at = "";
void kill_at_hook(const char* point) {
    if (std::strcmp(point, g_kill_at) == 0) ::raise(SIGKILL);
}
}  // namespace

int run_killed_at(const char* point, const std::function<void()>& body) {
    g_kill_at = point;
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        vnsearch::detail::set_fault_hook(&kill_at_hook);
        try {
            body();
        } catch (...) {
            ::_exit(2);
        }
        ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

const std::string& seed_db() {
    static TempDir dir("vnsearch-seeds");
    static const std::string path = [] {
        std::string db = dir.str("db");
        vnsearch::Index index(db);
        vnsearch::IngestCallbacks cb;
        cb.on_document = [&](vnsearch::Document&& d) { index.add(d); };
        vnsearch::ingest_path(VNSEARCH_CORPUS_DIR, cb);
        index.commit();
        return db;
    }();
    return path;
}

std::vector<vnsearch::Document> seed_paragraph_docs() {
    std::vector<vnsearch::Document> out;
    vnsearch::IngestCallbacks cb;
    cb.on_document = [&](vnsearch::Document&& d) {
        std::size_t start = 0, k = 0;
        while (start < d.body.size()) {
            std::size_t end = d.body.find('\n', start);
            if (end == std::string::npos) end = d.body.size();
            if (end - start > 40) {
                vnsearch::Document p(d.id + "#" + std::to_string(k++));
                p.title = d.title;
                p.body = d.body.substr(start, end - start);
                p.date = d.date;
                p.source = d.source;
                out.push_back(std::move(p));
            }
            start = end + 1;
        }
    };
    vnsearch::ingest_path(VNSEARCH_CORPUS_DIR, cb);
    return out;
}

std::optional<std::string> iconv_convert(const std::string& bytes, const char* to, const char* from) {
    iconv_t cd = iconv_open(to, from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(bytes.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size(), out_left = out.size();
    char* o = out.data();
    const bool ok = iconv(cd, &in, &in_left, &o, &out_left) != static_cast<std::size_t>(-1) &&
                    iconv(cd, nullptr, nullptr, &o, &out_left) != static_cast<std::size_t>(-1);
    iconv_close(cd);
    if (!ok) return std::nullopt;
    out.resize(static_cast<std::size_t>(o - out.data()));
    return out;
}

std::string nfd(const std::string& s) {
    UErrorCode st = U_ZERO_ERROR;
    std::string out;
    icu::Normalizer2::getNFDInstance(st)->normalize(icu::UnicodeString::fromUTF8(s), st).toUTF8String(out);
    return out;
}

}  // namespace vnsearch_test
