// Shared helpers for the Catch2 tests: temporary directories and the indexed seed corpus.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <vnsearch/document.h>

namespace vnsearch_test {

/// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
  public:
    explicit TempDir(const std::string& tag = "vnsearch") {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / (tag + "-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::string str(const std::string& child = "") const { return child.empty() ? path_.string() : (path_ / child).string(); }

  private:
    std::filesystem::path path_;
};

/// The ids of the seed articles (corpus/*.txt) as the ingestion names them.
namespace seeds {
inline const std::string kChiLang = "000_36fbaf0990d157c1";
inline const std::string kThachThat = "001_1d85e84d585870a7";
inline const std::string kLangSon = "002_e8d5dcae7cb99294";  // the "Nghị quyết 22" article
inline const std::string kQuePhong = "003_6d84db7008b6e36f";
inline const std::string kChoMoi = "004_90e289986aa2fce7";
}  // namespace seeds

/// `s` (UTF-8) in Unicode NFD, with ICU: decomposed input for normalization tests.
std::string nfd(const std::string& s);

/// Path of the database holding corpus/ indexed once per test process (real ingestion).
const std::string& seed_db();

/// The seed articles cut into their paragraphs (~50 small documents sharing words, dates and
/// sources), for tests that compare indexes built in different ways.
std::vector<vnsearch::Document> seed_paragraph_docs();

/// Runs `body` in a child process that kills itself (SIGKILL) when a writer reaches the fault
/// point `point` (vnsearch::detail::fault_point); returns the child's waitpid status. The
/// child exits 0 when `body` returns and 2 when it throws.
int run_killed_at(const char* point, const std::function<void()>& body);

/// `utf8` converted to `charset` with the C library's iconv (glibc: "CP1258",
/// "TCVN5712-1", "VISCII", "KOI8-R"...): fixtures for the legacy-charset tests. nullopt when
/// iconv lacks the charset or a character has no byte in it.
std::optional<std::string> iconv_convert(const std::string& bytes, const char* to, const char* from = "UTF-8");

}  // namespace vnsearch_test
