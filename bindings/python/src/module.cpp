// vnsearch._vnsearch — the compiled core of the Python package. It stays thin: plain
// types in and out (str, dict, list), the GIL released while the library works, C++
// exceptions mapped to the vnsearch.Error hierarchy. The Pythonic surface (context
// manager, Results, HTML rendering) lives in vnsearch/__init__.py.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

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

py::list analyze(const std::string& text) {
    std::vector<vnsearch::Token> tokens;
    {
        py::gil_scoped_release release;
        tokens = vnsearch::Analyzer().analyze(text);
    }
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

py::dict hit_dict(const vnsearch::Hit& h) {
    py::dict d;
    d["id"] = h.id;
    d["title"] = h.title;
    d["date"] = h.date;
    d["source"] = h.source;
    d["url"] = h.url;
    d["author"] = h.author;
    d["fields"] = h.fields;
    d["score"] = h.score;
    d["rank"] = h.rank;
    d["snippet"] = h.snippet;
    return d;
}

py::list facets(const std::vector<vnsearch::FacetCount>& v) {
    py::list out;
    for (const auto& f : v) out.append(py::make_tuple(f.value, f.count));
    return out;
}

}  // namespace

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
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const vnsearch::LockError& e) {
            lock_error(e.what());
        } catch (const vnsearch::SchemeVersionError& e) {
            scheme_error(e.what());
        } catch (const vnsearch::DatabaseError& e) {
            db_error(e.what());
        } catch (const vnsearch::IoError& e) {
            io_error(e.what());
        } catch (const vnsearch::EncodingError& e) {
            enc_error(e.what());
        } catch (const vnsearch::DocumentError& e) {
            doc_error(e.what());
        } catch (const vnsearch::Error& e) {
            error(e.what());
        }
    });

    m.def("analyze", &analyze, py::arg("text"),
          "Tokens of `text` as dicts (text, exact, folded, start, end, byte_start, byte_end, position, kind, part).");
    m.def("normalize", [](const std::string& s) { return vnsearch::normalize(s); }, py::arg("text"));
    m.def("fold", [](const std::string& s) { return vnsearch::fold(s); }, py::arg("text"));
    m.def("lower", [](const std::string& s) { return vnsearch::lower(s); }, py::arg("text"));

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

    py::class_<vnsearch::Index>(m, "Index")
        .def(py::init([](const std::string& path, bool create, std::size_t auto_commit_bytes) {
                 vnsearch::IndexOptions o;
                 o.create = create;
                 o.auto_commit_bytes = auto_commit_bytes;
                 return std::make_unique<vnsearch::Index>(path, o);
             }),
             py::arg("path"), py::arg("create") = true, py::arg("auto_commit_bytes") = std::size_t{4u << 20})
        .def(
            "add",
            [make_document](vnsearch::Index& ix, const std::string& id, const std::string& title, const std::string& body,
               const std::string& date, const std::string& source, const std::string& url, const std::string& author,
               const std::map<std::string, std::string>& fields) {
                vnsearch::Document d = make_document(id, title, body, date, source, url, author, fields);
                py::gil_scoped_release release;
                return ix.add(d) == vnsearch::AddResult::added ? "added" : "replaced";
            },
            py::arg("id"), py::arg("title"), py::arg("body"), py::arg("date"), py::arg("source"), py::arg("url"),
            py::arg("author"), py::arg("fields"))
        .def("delete", [](vnsearch::Index& ix, const std::string& id) {
            py::gil_scoped_release release;
            return ix.remove(id);
        })
        .def("commit", [](vnsearch::Index& ix) {
            py::gil_scoped_release release;
            ix.commit();
        })
        .def("add_abbreviation", &vnsearch::Index::add_abbreviation, py::arg("abbreviation"), py::arg("expansion"))
        .def("rollback", &vnsearch::Index::rollback)
        .def("__len__", &vnsearch::Index::size);

    py::class_<vnsearch::IndexBuilder>(m, "IndexBuilder")
        .def(py::init([](const std::string& path, unsigned threads) {
                 vnsearch::BuildOptions o;
                 o.threads = threads;
                 return std::make_unique<vnsearch::IndexBuilder>(path, o);
             }),
             py::arg("path"), py::arg("threads") = 0u)
        .def(
            "add",
            [make_document](vnsearch::IndexBuilder& b, const std::string& id, const std::string& title, const std::string& body,
               const std::string& date, const std::string& source, const std::string& url, const std::string& author,
               const std::map<std::string, std::string>& fields) {
                vnsearch::Document d = make_document(id, title, body, date, source, url, author, fields);
                py::gil_scoped_release release;
                b.add(std::move(d));
            },
            py::arg("id"), py::arg("title"), py::arg("body"), py::arg("date"), py::arg("source"), py::arg("url"),
            py::arg("author"), py::arg("fields"))
        .def("finish", [](vnsearch::IndexBuilder& b) {
            py::gil_scoped_release release;
            b.finish();
        })
        .def_property_readonly("threads", &vnsearch::IndexBuilder::threads);

    py::class_<vnsearch::Searcher>(m, "Searcher")
        .def(py::init<const std::vector<std::string>&>(), py::arg("locations"))
        .def(
            "suggest",
            [](const vnsearch::Searcher& s, const std::string& query) {
                vnsearch::Suggestion sg;
                {
                    py::gil_scoped_release release;
                    sg = s.suggest(query);
                }
                return py::make_tuple(sg.text, sg.reason);
            },
            py::arg("query"))
        .def(
            "search",
            [](const vnsearch::Searcher& s, const std::string& query, std::size_t limit, std::size_t offset,
               const std::string& sort, const std::string& hl_start, const std::string& hl_end, std::size_t snippet_chars,
               bool with_facets, bool suggest) {
                vnsearch::SearchOptions o;
                o.suggest = suggest;
                o.limit = limit;
                o.offset = offset;
                if (sort == "relevance")
                    o.sort = vnsearch::SortOrder::relevance;
                else if (sort == "date" || sort == "date_desc")
                    o.sort = vnsearch::SortOrder::date_desc;
                else if (sort == "date_asc")
                    o.sort = vnsearch::SortOrder::date_asc;
                else
                    throw py::value_error("sort must be 'relevance', 'date' or 'date_asc'");
                o.highlight_start = hl_start;
                o.highlight_end = hl_end;
                o.snippet_chars = snippet_chars;
                o.facets = with_facets;
                vnsearch::Results r;
                {
                    py::gil_scoped_release release;
                    r = s.search(query, o);
                }
                py::dict out;
                out["query"] = r.query;
                out["total"] = r.total;
                py::list hits;
                for (const auto& h : r.hits) hits.append(hit_dict(h));
                out["hits"] = hits;
                out["warnings"] = r.warnings;
                out["suggestion"] = r.suggestion;
                out["suggestion_reason"] = r.suggestion_reason;
                out["years"] = facets(r.years);
                out["sources"] = facets(r.sources);
                return out;
            },
            py::arg("query"), py::arg("limit"), py::arg("offset"), py::arg("sort"), py::arg("highlight_start"),
            py::arg("highlight_end"), py::arg("snippet_chars"), py::arg("facets"), py::arg("suggest"))
        .def(
            "abbreviations",
            [](const vnsearch::Searcher& s, bool builtin) {
                py::list out;
                for (const auto& e : s.abbreviations(builtin)) {
                    py::dict d;
                    d["abbreviation"] = e.abbreviation;
                    d["expansion"] = e.expansion;
                    d["count"] = e.count;
                    d["origin"] = e.origin;
                    out.append(d);
                }
                return out;
            },
            py::arg("builtin") = false)
        .def("reopen", &vnsearch::Searcher::reopen, py::call_guard<py::gil_scoped_release>())
        .def("__len__", &vnsearch::Searcher::size, py::call_guard<py::gil_scoped_release>())
        .def("info", [](const vnsearch::Searcher& s) {
            vnsearch::IndexInfo i;
            {
                py::gil_scoped_release release;
                i = s.info();
            }
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
