// vnsearch._vnsearch — the compiled core of the Python package. It stays thin: plain
// types in and out (str, dict, list), the GIL released while the library works, C++
// exceptions mapped to the vnsearch.Error hierarchy. The Pythonic surface (context
// manager, Results, HTML rendering) lives in vnsearch/__init__.py.
//
// Threads: the GIL is released only around calls that are safe from several threads at
// once — Index, IndexBuilder and Searcher are all safe to share between threads in C++.
// Objects are never destroyed while a call on
// them runs (the call holds a reference), and a closed Index or IndexBuilder raises
// vnsearch.Error.
#include <cxxabi.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <type_traits>

#include <vnsearch/vnsearch.h>

namespace py = pybind11;

namespace {

/// Byte offset -> code point index for a UTF-8 string (Python str indices).
std::vector<std::size_t> codepoint_index(const std::string& s) {
    std::vector<std::size_t> idx(s.size() + 1, 0);
    std::size_t cp = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        idx[i] = cp;  // for the first byte of a character: the characters before it
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++cp;
    }
    idx[s.size()] = cp;
    return idx;
}

/// Runs `f` (library work, no Python objects) with the GIL released, and takes the GIL back
/// outside any destructor or exception handler. A daemon thread that takes it back while the
/// interpreter exits is ended there by CPython (pthread_exit, a forced unwind): raised from
/// a destructor (py::gil_scoped_release's), that unwind would call std::terminate and abort
/// the process (pybind11 #2215); raised here it ends the thread as CPython means it to.
/// `f`'s exception is thrown once the GIL is held again.
template <class F>
decltype(auto) without_gil(F&& f) {
    using R = std::invoke_result_t<F&>;
    PyThreadState* state = PyEval_SaveThread();
    std::exception_ptr error;
    if constexpr (std::is_void_v<R>) {
        try {
            f();
        } catch (...) {
            error = std::current_exception();
        }
        PyEval_RestoreThread(state);
        if (error) std::rethrow_exception(error);
    } else {
        std::optional<R> result;
        try {
            result.emplace(f());
        } catch (...) {
            error = std::current_exception();
        }
        PyEval_RestoreThread(state);
        if (error) std::rethrow_exception(error);
        return R(std::move(*result));
    }
}

py::list analyze(const std::string& text) {
    std::vector<vnsearch::Token> tokens;
    without_gil([&] {
        tokens = vnsearch::Analyzer().analyze(text);
    });
    const auto idx = codepoint_index(text);
    py::list out;
    for (const auto& t : tokens) {
        py::dict d;
        d["text"] = t.text;
        d["exact"] = t.exact;
        d["folded"] = t.folded;
        d["start"] = idx[t.start];
        d["end"] = idx[t.end];
        d["byte_start"] = t.start;
        d["byte_end"] = t.end;
        d["position"] = t.position;
        d["kind"] = std::string(vnsearch::kind_name(t.kind));
        d["part"] = t.part;
        out.append(std::move(d));
    }
    return out;
}

py::object unit_dict(const std::optional<vnsearch::PlaceUnit>& u) {
    if (!u) return py::none();
    py::dict d;
    d["code"] = u->code;
    d["level"] = std::string(vnsearch::level_name(u->level));
    d["name"] = u->name;
    d["type"] = u->type;
    d["geography"] = u->geography == vnsearch::Geography::current ? "current" : "before_2025";
    return d;
}

py::dict place_dict(const vnsearch::Place& p) {
    py::dict d;
    d["unit"] = unit_dict(p.unit);
    d["old_district"] = unit_dict(p.old_district);
    d["old_province"] = unit_dict(p.old_province);
    py::list provinces;
    for (const auto& u : p.provinces) provinces.append(unit_dict(u));
    d["provinces"] = provinces;
    return d;
}

py::list places(const std::string& text) {
    std::vector<vnsearch::PlaceMention> mentions;
    without_gil([&] {
        mentions = vnsearch::recognize_places(text);
    });
    const auto idx = codepoint_index(text);
    py::list out;
    for (const auto& m : mentions) {
        py::dict d;
        d["text"] = m.text;
        d["start"] = idx[m.start];
        d["end"] = idx[m.end];
        d["byte_start"] = m.start;
        d["byte_end"] = m.end;
        d["place"] = place_dict(m.place);
        out.append(std::move(d));
    }
    return out;
}

/// The stored fields a Hit and a Document share.
template <class T>
py::dict stored_fields(const T& x) {
    py::dict d;
    d["id"] = x.id;
    d["title"] = x.title;
    d["date"] = x.date;
    d["source"] = x.source;
    d["url"] = x.url;
    d["author"] = x.author;
    d["fields"] = x.fields;
    return d;
}

py::dict hit_dict(const vnsearch::Hit& h) {
    py::dict d = stored_fields(h);
    d["score"] = h.score;
    d["rank"] = h.rank;
    d["snippet"] = h.snippet;
    d["snippet_text"] = h.snippet_text;
    // Highlight spans as str indices into snippet_text.
    const auto idx = codepoint_index(h.snippet_text);
    py::list spans;
    for (const auto& span : h.highlights) spans.append(py::make_tuple(idx[span.start], idx[span.end]));
    d["highlights"] = spans;
    py::list places;
    for (const auto& p : h.places) places.append(place_dict(p));
    d["places"] = places;
    return d;
}

py::dict document_dict(const vnsearch::Document& doc) {
    py::dict d = stored_fields(doc);
    d["body"] = doc.body;
    return d;
}

py::list facets(const std::vector<vnsearch::FacetCount>& v) {
    py::list out;
    for (const auto& f : v) out.append(py::make_tuple(f.value, f.count));
    return out;
}

py::dict report_dict(const vnsearch::IngestReport& r) {
    py::dict out;
    out["added"] = r.added;
    out["replaced"] = r.replaced;
    out["skipped"] = r.skipped;
    py::list problems;
    for (const auto& p : r.problems) problems.append(py::make_tuple(p.path, p.message));
    out["problems"] = problems;
    return out;
}

/// The documents of a path (vnsearch::ingest_path, the CLI's reader) one at a time: a
/// thread of its own reads ahead into a small queue, so a large JSONL file is never held
/// whole. Python pulls with next() (without the GIL); destroying the stream stops the
/// reader and joins it. One Python thread at a time (the wrapper holds the GIL around it).
class DocumentStream {
  public:
    explicit DocumentStream(std::string path) : worker_([this, path = std::move(path)] { run(path); }) {}
    ~DocumentStream() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        cv_.notify_all();
        if (worker_.joinable()) worker_.join();
    }
    DocumentStream(const DocumentStream&) = delete;
    DocumentStream& operator=(const DocumentStream&) = delete;

    /// The next document, or nullopt at the end; rethrows the reader's error once.
    std::optional<vnsearch::Document> next() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return !queue_.empty() || done_; });
        if (!queue_.empty()) {
            vnsearch::Document d = std::move(queue_.front());
            queue_.pop_front();
            cv_.notify_all();
            return d;
        }
        if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
        return std::nullopt;
    }

    std::vector<vnsearch::IngestProblem> problems() {
        std::lock_guard lock(mutex_);
        return problems_;
    }

  private:
    struct Stopped {};
    static constexpr std::size_t kAhead = 64;

    void run(const std::string& path) {
        vnsearch::IngestCallbacks cb;
        cb.on_document = [&](vnsearch::Document&& d) {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return queue_.size() < kAhead || stop_; });
            if (stop_) throw Stopped{};
            queue_.push_back(std::move(d));
            cv_.notify_all();
        };
        cb.on_problem = [&](const vnsearch::IngestProblem& p) {
            std::lock_guard lock(mutex_);
            problems_.push_back(p);
        };
        std::exception_ptr error;
        try {
            vnsearch::ingest_path(path, cb);
        } catch (const Stopped&) {
        } catch (...) {
            error = std::current_exception();
        }
        std::lock_guard lock(mutex_);
        error_ = error;
        done_ = true;
        cv_.notify_all();
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<vnsearch::Document> queue_;
    std::vector<vnsearch::IngestProblem> problems_;
    std::exception_ptr error_;
    bool done_ = false, stop_ = false;
    std::thread worker_;  // last: started once everything above exists
};

/// A Searcher shared by Python threads: vnsearch::Searcher is thread-safe, so calls on one
/// object run in parallel (each without the GIL).
struct SharedSearcher {
    explicit SharedSearcher(const std::vector<std::string>& locations) : searcher(locations) {}
    vnsearch::Searcher searcher;
};

/// An IndexBuilder that Python can close (abandon) while other threads may be adding:
/// add/finish share the lock (the builder serializes them itself), close takes it alone.
struct ClosableBuilder {
    std::shared_mutex mutex;
    std::unique_ptr<vnsearch::IndexBuilder> builder;
    std::string path;
    vnsearch::IndexBuilder& get() {
        if (!builder) throw vnsearch::Error("IndexBuilder for " + path + " is closed");
        return *builder;
    }
};

}  // namespace

/// Results as the dict the Python facade's Results is made from (search and similar).
py::dict results_dict(const vnsearch::Results& r) {
    py::dict out;
    out["query"] = r.query;
    out["total"] = r.total;
    out["total_exact"] = r.total_exact;
    py::list hits;
    for (const auto& h : r.hits) hits.append(hit_dict(h));
    out["hits"] = hits;
    out["warnings"] = r.warnings;
    out["suggestion"] = r.suggestion;
    out["suggestion_reason"] = std::string(vnsearch::to_string(r.suggestion_reason));
    out["years"] = facets(r.years);
    out["sources"] = facets(r.sources);
    py::dict by_field;
    for (const auto& [name, counts] : r.facets) by_field[py::str(name)] = facets(counts);
    out["facets"] = by_field;
    return out;
}

PYBIND11_MODULE(_vnsearch, m) {
    m.doc() = "Compiled core of vnsearch; use the `vnsearch` package.";
    m.attr("__version__") = vnsearch::version();

    // The exception hierarchy mirrors include/vnsearch/error.h. Translators registered
    // later are tried first, so bases are registered before derived classes.
    static py::exception<vnsearch::Error> error(m, "Error", PyExc_RuntimeError);
    static py::exception<vnsearch::IoError> io_error(m, "IoError", error.ptr());
    static py::exception<vnsearch::DatabaseError> db_error(m, "DatabaseError", error.ptr());
    static py::exception<vnsearch::LockError> lock_error(m, "LockError", db_error.ptr());
    static py::exception<vnsearch::SchemeVersionError> scheme_error(m, "SchemeVersionError", db_error.ptr());
    static py::exception<vnsearch::EncodingError> enc_error(m, "EncodingError", error.ptr());
    static py::exception<vnsearch::DocumentError> doc_error(m, "DocumentError", error.ptr());
    static py::exception<vnsearch::DiskFullError> disk_full_error(m, "DiskFullError", io_error.ptr());
    static py::exception<vnsearch::NotFoundError> not_found_error(m, "NotFoundError", error.ptr());
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const vnsearch::LockError& e) {
            lock_error(e.what());
        } catch (const vnsearch::SchemeVersionError& e) {
            scheme_error(e.what());
        } catch (const vnsearch::DatabaseError& e) {
            db_error(e.what());
        } catch (const vnsearch::DiskFullError& e) {
            disk_full_error(e.what());
        } catch (const vnsearch::IoError& e) {
            io_error(e.what());
        } catch (const vnsearch::EncodingError& e) {
            enc_error(e.what());
        } catch (const vnsearch::DocumentError& e) {
            doc_error(e.what());
        } catch (const vnsearch::NotFoundError& e) {
            not_found_error(e.what());
        } catch (const vnsearch::Error& e) {
            error(e.what());
        } catch (const py::builtin_exception&) {
            throw;  // ValueError and friends raised on purpose by this module: pybind11's own
        } catch (const std::bad_alloc&) {
            throw;  // MemoryError
        } catch (const std::exception& e) {
            // Anything else from C++ (std::system_error, std::filesystem errors, ...) is a
            // vnsearch.Error, never "Caught an unknown exception!".
            error(e.what());
        } catch (const abi::__forced_unwind&) {
            throw;  // thread cancellation must go on
        } catch (...) {
            error("unexpected C++ exception in vnsearch");
        }
    });

    m.def("analyze", &analyze, py::arg("text"),
          "Tokens of `text` as dicts (text, exact, folded, start, end, byte_start, byte_end, position, kind, part).");
    m.def("places", &places, py::arg("text"),
          "Administrative units named in `text` as dicts (text, start, end, byte_start, byte_end, place).");
    m.def("normalize", [](const std::string& s) { return vnsearch::normalize(s); }, py::arg("text"));
    m.def("fold", [](const std::string& s) { return vnsearch::fold(s); }, py::arg("text"));
    m.def("lower", [](const std::string& s) { return vnsearch::lower(s); }, py::arg("text"));

    m.def(
        "parse_article",
        [](const py::bytes& data, const std::string& id) {
            std::string bytes = data;
            vnsearch::Document d;
            without_gil([&] {
                d = vnsearch::parse_article(bytes, id);
            });
            return document_dict(d);
        },
        py::arg("data"), py::arg("id"), "A scraped article's bytes (any supported encoding) as a document dict.");

    py::class_<DocumentStream>(m, "DocumentStream")
        .def(py::init([](const std::string& path) { return std::make_unique<DocumentStream>(path); }), py::arg("path"))
        .def("next",
             [](DocumentStream& s) -> py::object {
                 std::optional<vnsearch::Document> d;
                 without_gil([&] {
                     d = s.next();
                 });
                 if (!d) return py::none();
                 return document_dict(*d);
             })
        .def("problems", [](DocumentStream& s) {
            py::list out;
            for (const auto& p : s.problems()) out.append(py::make_tuple(p.path, p.message));
            return out;
        });

    // Index.add and IndexBuilder.add take the same fields.
    auto make_document = [](const std::string& id, const std::string& title, const std::string& body,
                            const std::string& date, const std::string& source, const std::string& url,
                            const std::string& author, const std::map<std::string, std::string>& fields) {
        vnsearch::Document d(id);
        d.title = title;
        d.body = body;
        d.date = date;
        d.source = source;
        d.url = url;
        d.author = author;
        d.fields = fields;
        return d;
    };

    // Index is thread-safe in C++: every call releases the GIL.
    py::class_<vnsearch::Index>(m, "Index")
        .def(py::init([](const std::string& path, bool create, std::size_t auto_commit_bytes, std::uint64_t min_free_bytes,
                         std::size_t shards) {
                 vnsearch::IndexOptions o;
                 o.create = create;
                 o.auto_commit_bytes = auto_commit_bytes;
                 o.min_free_bytes = min_free_bytes;
                 o.shards = shards;
                 return without_gil([&] {
                     return std::make_unique<vnsearch::Index>(path, o);
                 });
             }),
             py::arg("path"), py::arg("create") = true, py::arg("auto_commit_bytes") = std::size_t{4u << 20},
             py::arg("min_free_bytes") = std::uint64_t{1u << 20}, py::arg("shards") = std::size_t{0})
        .def(
            "add",
            [make_document](vnsearch::Index& ix, const std::string& id, const std::string& title, const std::string& body,
               const std::string& date, const std::string& source, const std::string& url, const std::string& author,
               const std::map<std::string, std::string>& fields) {
                vnsearch::Document d = make_document(id, title, body, date, source, url, author, fields);
                return without_gil([&] {
                    return ix.add(d) == vnsearch::AddResult::added ? "added" : "replaced";
                });
            },
            py::arg("id"), py::arg("title"), py::arg("body"), py::arg("date"), py::arg("source"), py::arg("url"),
            py::arg("author"), py::arg("fields"))
        .def(
            "add_path",
            [](vnsearch::Index& ix, const std::string& path) {
                vnsearch::IngestReport r;
                without_gil([&] {
                    r = ix.add_path(path);
                });
                return report_dict(r);
            },
            py::arg("path"))
        .def(
            "remove", [](vnsearch::Index& ix, const std::string& id) { return without_gil([&] { return ix.remove(id); }); },
            py::arg("id"))
        .def("commit", [](vnsearch::Index& ix) { without_gil([&] { ix.commit(); }); })
        .def(
            "add_abbreviation",
            [](vnsearch::Index& ix, const std::string& abbreviation, const std::string& expansion) {
                without_gil([&] { ix.add_abbreviation(abbreviation, expansion); });
            },
            py::arg("abbreviation"), py::arg("expansion"))
        .def("rollback", [](vnsearch::Index& ix) { without_gil([&] { ix.rollback(); }); })
        .def("close", [](vnsearch::Index& ix) { without_gil([&] { ix.close(); }); })
        .def("__len__", [](const vnsearch::Index& ix) { return without_gil([&] { return ix.size(); }); })
        .def_property_readonly("notice", &vnsearch::Index::notice);

    // IndexBuilder is thread-safe in C++ (add from several threads); the wrapper adds close().
    py::class_<ClosableBuilder>(m, "IndexBuilder")
        .def(py::init([](const std::string& path, unsigned threads, std::size_t shards) {
                 vnsearch::BuildOptions o;
                 o.threads = threads;
                 o.shards = shards;
                 auto b = std::make_unique<ClosableBuilder>();
                 b->path = path;
                 without_gil([&] { b->builder = std::make_unique<vnsearch::IndexBuilder>(path, o); });
                 return b;
             }),
             py::arg("path"), py::arg("threads") = 0u, py::arg("shards") = std::size_t{0})
        .def(
            "add",
            [make_document](ClosableBuilder& b, const std::string& id, const std::string& title, const std::string& body,
               const std::string& date, const std::string& source, const std::string& url, const std::string& author,
               const std::map<std::string, std::string>& fields) {
                vnsearch::Document d = make_document(id, title, body, date, source, url, author, fields);
                without_gil([&] {
                    std::shared_lock lock(b.mutex);
                    b.get().add(std::move(d));
                });
            },
            py::arg("id"), py::arg("title"), py::arg("body"), py::arg("date"), py::arg("source"), py::arg("url"),
            py::arg("author"), py::arg("fields"))
        .def(
            "add_path",
            [](ClosableBuilder& b, const std::string& path) {
                vnsearch::IngestReport r;
                without_gil([&] {
                    std::shared_lock lock(b.mutex);
                    r = b.get().add_path(path);
                });
                return report_dict(r);
            },
            py::arg("path"))
        .def("finish",
             [](ClosableBuilder& b) {
                 without_gil([&] {
                     std::shared_lock lock(b.mutex);
                     b.get().finish();
                 });
             })
        .def("close",
             [](ClosableBuilder& b) {
                 // Abandons an unfinished build (its shards are removed; `path` keeps its empty index).
                 without_gil([&] {
                     std::unique_lock lock(b.mutex);
                     b.builder.reset();
                 });
             })
        .def_property_readonly("threads",
                               [](ClosableBuilder& b) {
                                   std::shared_lock lock(b.mutex);
                                   return b.builder ? b.builder->threads() : 0u;
                               })
        .def_property_readonly("notice", [](ClosableBuilder& b) {
            std::shared_lock lock(b.mutex);
            return b.builder ? b.builder->notice() : std::string();
        });

    // A C++ Searcher is used by one thread at a time: the mutex makes Python threads take turns.
    py::class_<SharedSearcher>(m, "Searcher")
        .def(py::init([](const std::vector<std::string>& locations) {
                 return without_gil([&] {
                     return std::make_unique<SharedSearcher>(locations);
                 });
             }),
             py::arg("locations"))
        .def(
            "suggest",
            [](SharedSearcher& s, const std::string& query) {
                vnsearch::Suggestion sg;
                without_gil([&] {
                    sg = s.searcher.suggest(query);
                });
                return py::make_tuple(sg.text, std::string(vnsearch::to_string(sg.reason)));
            },
            py::arg("query"))
        .def(
            "search",
            [](SharedSearcher& s, const std::string& query, std::size_t limit, std::size_t offset,
               const std::string& sort, const std::string& hl_start, const std::string& hl_end, std::size_t snippet_chars,
               bool with_facets, bool suggest, const std::vector<std::string>& facet_fields,
               const std::vector<std::tuple<std::string, std::string, bool>>& filters, bool exhaustive) {
                vnsearch::SearchOptions o;
                o.suggest = suggest;
                o.exhaustive = exhaustive;
                o.limit = limit;
                o.offset = offset;
                const auto order = vnsearch::parse_sort_order(sort);
                if (!order)
                    throw py::value_error("sort must be 'relevance', 'date_desc' (or 'date', 'date-desc') or 'date_asc' "
                                          "(or 'date-asc'), not '" + sort + "'");
                o.sort = *order;
                o.highlight_start = hl_start;
                o.highlight_end = hl_end;
                o.snippet_chars = snippet_chars;
                o.facets = with_facets;
                o.facet_fields = facet_fields;
                for (const auto& [field, value, exclude] : filters) o.filters.push_back({field, value, exclude});
                vnsearch::Results r;
                without_gil([&] {
                    r = s.searcher.search(query, o);
                });
                return results_dict(r);
            },
            py::arg("query"), py::arg("limit"), py::arg("offset"), py::arg("sort"), py::arg("highlight_start"),
            py::arg("highlight_end"), py::arg("snippet_chars"), py::arg("facets"), py::arg("suggest"),
            py::arg("facet_fields") = std::vector<std::string>{},
            py::arg("filters") = std::vector<std::tuple<std::string, std::string, bool>>{}, py::arg("exhaustive") = false)
        .def(
            "similar",
            [](SharedSearcher& s, const std::string& id, std::size_t limit, std::size_t offset, const std::string& hl_start,
               const std::string& hl_end, std::size_t snippet_chars, std::size_t terms) {
                vnsearch::SimilarOptions o;
                o.limit = limit;
                o.offset = offset;
                o.highlight_start = hl_start;
                o.highlight_end = hl_end;
                o.snippet_chars = snippet_chars;
                o.terms = terms;
                vnsearch::Results r;
                without_gil([&] {
                    r = s.searcher.similar(id, o);
                });
                return results_dict(r);
            },
            py::arg("id"), py::arg("limit"), py::arg("offset"), py::arg("highlight_start"), py::arg("highlight_end"),
            py::arg("snippet_chars"), py::arg("terms"))
        .def(
            "abbreviations",
            [](SharedSearcher& s, bool builtin) {
                std::vector<vnsearch::AbbreviationEntry> entries;
                without_gil([&] {
                    entries = s.searcher.abbreviations(builtin);
                });
                py::list out;
                for (const auto& e : entries) {
                    py::dict d;
                    d["abbreviation"] = e.abbreviation;
                    d["expansion"] = e.expansion;
                    d["count"] = e.count;
                    d["origin"] = std::string(vnsearch::to_string(e.origin));
                    out.append(d);
                }
                return out;
            },
            py::arg("builtin") = false)
        .def(
            "document",
            [](SharedSearcher& s, const std::string& id) -> py::object {
                std::optional<vnsearch::Document> doc;
                without_gil([&] {
                    doc = s.searcher.document(id);
                });
                if (!doc) return py::none();
                return document_dict(*doc);
            },
            py::arg("id"))
        .def("reopen",
             [](SharedSearcher& s) {
                 without_gil([&] {
                     s.searcher.reopen();
                 });
             })
        .def("__len__",
             [](SharedSearcher& s) {
                 return without_gil([&] {
                     return s.searcher.size();
                 });
             })
        .def("info", [](SharedSearcher& s) {
            vnsearch::IndexInfo i;
            without_gil([&] {
                i = s.searcher.info();
            });
            py::dict d;
            d["documents"] = i.documents;
            d["terms"] = i.terms;
            d["size_bytes"] = i.size_bytes;
            d["last_update"] = i.last_update;
            d["scheme_version"] = i.scheme_version;
            d["shards"] = i.shards;
            d["remote_shards"] = i.remote_shards;
            return d;
        });
}
