"""vnsearch — full-text search for Vietnamese.

>>> import vnsearch
>>> with vnsearch.Index("news.db") as ix:
...     ix.add(id="chi-lang", title="Công tác xây dựng Đảng ở Chi Lăng", body="...", date="2024-07-25")
>>> results = vnsearch.Searcher("news.db").search("chi lang")
>>> results[0].id
'chi-lang'

Queries with or without diacritics match alike; typed marks rank the exact spelling first.
`analyze`, `normalize` and `fold` expose the analysis layer; token offsets are ``str``
indices. Errors are `vnsearch.Error` subclasses. See docs/python.md.
"""
from __future__ import annotations

import html as _html
import os as _os
import warnings as _warnings
from dataclasses import dataclass as _dataclass, field as _field
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Sequence, Tuple, Union, overload

from . import _vnsearch
from ._vnsearch import (  # noqa: F401  (re-exported)
    DatabaseError,
    DiskFullError,
    DocumentError,
    EncodingError,
    Error,
    IoError,
    LockError,
    NotFoundError,
    SchemeVersionError,
)

__version__: str = _vnsearch.__version__
__all__ = [
    "Index", "IndexBuilder", "Searcher", "Results", "Hit", "Document", "Token", "Suggestion", "SORT_ORDERS",
    "AddReport", "Reader", "parse_article", "read", "analyze", "normalize", "fold", "lower",
    "places", "Place", "PlaceUnit", "PlaceMention",
    "Error", "IoError", "DiskFullError", "DatabaseError", "LockError", "SchemeVersionError", "EncodingError",
    "DocumentError", "NotFoundError",
]

#: The names `Searcher.search(sort=...)` accepts (the CLI's --sort takes the same).
SORT_ORDERS = ("relevance", "date_desc", "date_asc", "date", "date-desc", "date-asc")


def __dir__() -> List[str]:
    # Only the API: not the compiled module, the imports or the helpers (PEP 562).
    return sorted(__all__ + ["__version__"])


class Suggestion(NamedTuple):
    """A better spelling of a query: ``text``, and ``reason`` ("diacritics", "telex" or "vni")."""

    text: str
    reason: str


@_dataclass(frozen=True)
class Token:
    """One analyzed token. ``text == source[start:end]`` (``str`` indices)."""

    text: str
    exact: str
    folded: str
    start: int
    end: int
    position: int
    kind: str
    part: bool = False
    byte_start: int = 0
    byte_end: int = 0


def analyze(text: str) -> List[Token]:
    """Split Vietnamese text into syllable tokens (see docs/analysis.md)."""
    return [Token(**t) for t in _vnsearch.analyze(text)]


@_dataclass(frozen=True)
class PlaceUnit:
    """An administrative unit: GSO `code` (2 digits province, 3 district, 5 commune), `level`
    ("province", "district", "commune"), `name` without its type ("Lạng Sơn"), `type` as the
    data writes it ("Tỉnh", "Huyện", "Xã"...), and `geography`: "before_2025" (63 provinces,
    districts, communes) or "current" (34 provinces and their communes)."""

    code: str
    level: str
    name: str
    type: str
    geography: str


@_dataclass(frozen=True)
class Place:
    """A recognised unit with its place on both maps: the unit named, its district and
    province before 2025 (None when it has none) and the current provinces holding it."""

    unit: PlaceUnit
    old_district: Optional[PlaceUnit]
    old_province: Optional[PlaceUnit]
    provinces: Tuple[PlaceUnit, ...]


@_dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: ``text == source[start:end]`` (``str`` indices; UTF-8 byte
    offsets in `byte_start`/`byte_end`)."""

    text: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    place: Place


def _unit(raw: Optional[Dict[str, str]]) -> Optional[PlaceUnit]:
    return None if raw is None else PlaceUnit(**raw)


def _place(raw: Dict[str, Any]) -> Place:
    return Place(unit=PlaceUnit(**raw["unit"]), old_district=_unit(raw["old_district"]),
                 old_province=_unit(raw["old_province"]), provinces=tuple(PlaceUnit(**u) for u in raw["provinces"]))


def places(text: str) -> List[PlaceMention]:
    """The provinces, districts and communes named in `text`, before and after the 2025
    reform (see docs/guide.md, "Places"): any marks, either tone placement, NFC or NFD."""
    return [PlaceMention(**{**m, "place": _place(m["place"])}) for m in _vnsearch.places(text)]


def normalize(text: str) -> str:
    """NFC, Đ look-alikes, zero-width removal, Unicode spaces, canonical tone placement (hòa → hoà)."""
    return _vnsearch.normalize(text)


def fold(text: str) -> str:
    """Diacritic-free lowercase form: ``fold("Đảng bộ") == "dang bo"``."""
    return _vnsearch.fold(text)


def lower(text: str) -> str:
    """Vietnamese-aware lowercase of the normalized text."""
    return _vnsearch.lower(text)


@_dataclass
class Document:
    """A document as the ingestion reads it (`parse_article`, `read`), as `Index.add` takes
    it (``ix.add(doc)``) and as `Searcher.document` returns it. `author` is the article's byline (also `byline`); `fields`
    holds custom fields (extra JSONL keys such as ``label``), searchable as ``label:...``."""

    id: str
    title: str = ""
    body: str = ""
    date: str = ""
    source: str = ""
    url: str = ""
    author: str = ""
    fields: Dict[str, str] = _field(default_factory=dict)

    @property
    def byline(self) -> str:
        """The article's byline: the same as `author`."""
        return self.author


@_dataclass(frozen=True)
class AddReport:
    """What `Index.add_path` / `IndexBuilder.add_path` did: documents `added` and
    `replaced`, and `skipped` files, lines and documents with the reason for each in
    `problems` (``(path_or_id, message)`` pairs, in input order)."""

    added: int
    replaced: int
    skipped: int
    problems: List[Tuple[str, str]]


_PathLike = Union[str, "os.PathLike[str]"]


def parse_article(path_or_text: Union[_PathLike, bytes], id: Optional[str] = None) -> Document:
    """Parse one scraped article as the CLI's ``index`` does: decoded (UTF-8, UTF-16 by its
    BOM, the Vietnamese legacy charsets), site boilerplate dropped, and the title, the date
    (ISO 8601, "" when none), the byline (`author`) and the body extracted.

    `path_or_text`: a path (``str`` naming an existing file, or ``_os.PathLike``), the file's
    ``bytes``, or the article's text. `id` defaults to the file name without its extension
    (``""`` for text and bytes)."""
    if isinstance(path_or_text, bytes):
        data = path_or_text
        default_id = ""
    elif isinstance(path_or_text, _os.PathLike) or (
            isinstance(path_or_text, str) and "\n" not in path_or_text and len(path_or_text) < 4096
            and _os.path.isfile(path_or_text)):
        path = _os.fspath(path_or_text)
        with open(path, "rb") as f:
            data = f.read()
        default_id = _os.path.splitext(_os.path.basename(path))[0]
    elif isinstance(path_or_text, str):
        data = path_or_text.encode("utf-8", "surrogatepass")
        default_id = ""
    else:
        raise TypeError("parse_article() takes a path, bytes or str, not " + type(path_or_text).__name__)
    return Document(**_vnsearch.parse_article(data, default_id if id is None else str(id)))


class Reader(Iterator[Document]):
    """The documents of a path, one at a time (see `read`). After the loop, `problems`
    lists what was skipped: ``(path, reason)`` pairs, e.g. ``("news.jsonl:3", "not a JSON
    object")``. A reader belongs to one thread at a time (like any iterator); different
    readers may run in different threads."""

    def __init__(self, path: _PathLike) -> None:
        self.path = _os.fspath(path)
        self._stream: Optional[Any] = _vnsearch.DocumentStream(self.path)

    def __iter__(self) -> "Reader":
        return self

    def __next__(self) -> Document:
        stream = self._stream
        if stream is None:
            raise StopIteration
        d = stream.next()
        if d is None:
            self._problems = stream.problems()
            self._stream = None
            raise StopIteration
        return Document(**d)

    @property
    def problems(self) -> List[Tuple[str, str]]:
        stream = self._stream
        return list(stream.problems()) if stream is not None else list(getattr(self, "_problems", []))

    def close(self) -> None:
        """Stop reading (the reader thread ends); further iteration yields nothing."""
        stream, self._stream = self._stream, None
        if stream is not None:
            self._problems = stream.problems()

    def __repr__(self) -> str:
        return f"<vnsearch.Reader {self.path!r}>"


def read(path: _PathLike) -> Reader:
    """Iterate over the documents of a .txt article, a .jsonl file (one document per line:
    ``id`` plus ``title``/``text`` or ``title``/``summary``/``body``; other keys become
    `Document.fields`), a UTF-16 file, or a directory (recursively, in sorted order) — what
    the CLI's ``index`` reads, with the same C++ code. Bad files and lines are skipped and
    listed in the reader's `problems`::

        for doc in vnsearch.read("corpus/"):
            print(doc.title, doc.date)
    """
    return Reader(path)


def _report(raw: Dict[str, Any]) -> AddReport:
    return AddReport(raw["added"], raw["replaced"], raw["skipped"], [tuple(p) for p in raw["problems"]])


def _check_query(query: Any) -> None:
    """A query is text: bytes (or anything else) would be read as UTF-8 bytes in C++ and
    fail only on the way back."""
    if not isinstance(query, str):
        raise TypeError(f"query must be a str, not {type(query).__name__} (decode bytes first)")


def _highlight_markers(highlight: Any) -> Tuple[str, str]:
    """The (start, end) markers of `highlight`, checked (search and similar take them alike)."""
    if isinstance(highlight, (str, bytes)) or not isinstance(highlight, (tuple, list)):
        raise TypeError("highlight must be a pair of str, e.g. ('<b>', '</b>'), not " + type(highlight).__name__)
    if len(highlight) != 2:
        raise ValueError(f"highlight must be a pair (start, end), not {len(highlight)} item(s)")
    if not all(isinstance(m, str) for m in highlight):
        raise TypeError("highlight markers must be str, not " + ", ".join(type(m).__name__ for m in highlight))
    return highlight[0], highlight[1]


def _document_args(id: Any, title: str, body: str, date: str, source: str, url: str, author: str,
                   fields: Dict[str, Any]) -> Tuple[str, str, str, str, str, str, str, Dict[str, str]]:
    if isinstance(id, Document):
        d = id
        if title or body or date or source or url or author or fields:
            raise TypeError("add(doc) takes no other fields: set them on the Document")
        return d.id, d.title, d.body, d.date, d.source, d.url, d.author, {str(k): str(v) for k, v in d.fields.items()}
    if id is None:
        raise TypeError("add() needs an id (a str, or a Document); None would become the id 'None'")
    extra = {str(k): str(v) for k, v in fields.items()}
    return str(id), title or "", body or "", date or "", source or "", url or "", author or "", extra


class Index:
    """A writable index on disk (created if missing). Holds the database's write lock.

    Used as a context manager it commits when the block succeeds and rolls back the
    changes since the last commit when it raises::

        with vnsearch.Index("news.db") as ix:
            ix.add(id="a1", title="...", body="...", date="2024-07-25", source="LSO", topic="politics")

    One Index may be shared by several threads (calls run without the GIL and take turns
    inside the index). A failed write (e.g. `DiskFullError`) drops the changes since the
    last commit and never what was committed; the index stays usable.

    ``shards=N`` writes a shard set: N databases in the `path` directory, each document in
    shard ``fnv1a32(id) mod N`` (docs/guide.md, "Scaling out"); ``0`` opens what is there.
    A commit over a set is not atomic across its shards.
    """

    def __init__(self, path: str, *, create: bool = True, auto_commit_bytes: int = 4 << 20,
                 min_free_bytes: int = 1 << 20, shards: int = 0) -> None:
        if shards < 0:
            raise ValueError("shards must be >= 0")
        self.path = str(path)
        self._ix: Optional[_vnsearch.Index] = _vnsearch.Index(self.path, create, auto_commit_bytes, min_free_bytes,
                                                              shards)
        #: What opening found and cleaned up ("" when nothing), e.g. an interrupted build's folder.
        self.notice: str = self._ix.notice

    def _live(self) -> _vnsearch.Index:
        ix = self._ix
        if ix is None:
            raise Error(f"index {self.path} is closed")
        return ix

    def add(self, id: Union[str, Document], title: str = "", body: str = "", date: str = "", *, source: str = "",
            url: str = "", author: str = "", **fields: Any) -> str:
        """Add or replace the document `id` (or a `Document`). Extra keyword arguments are
        custom fields (converted with ``str``): stored, returned with hits, searchable as
        ``name:value``, filterable and facetable. Returns ``"added"`` or ``"replaced"``."""
        return self._live().add(*_document_args(id, title, body, date, source, url, author, fields))

    def add_path(self, path: _PathLike) -> AddReport:
        """Add every document of a file or directory, read as `read` reads them (the CLI's
        ``index``). Returns the counts and the reason for each skipped input."""
        return _report(self._live().add_path(_os.fspath(path)))

    def remove(self, id: str) -> bool:
        """Remove the document `id`; False when there was none."""
        if id is None:
            raise TypeError("remove() needs an id (a str)")
        return self._live().remove(str(id))

    def delete(self, id: str) -> bool:
        """Deprecated spelling of `remove` (the name in C++, Python and the CLI)."""
        _warnings.warn("Index.delete is deprecated: use Index.remove", DeprecationWarning, stacklevel=2)
        return self.remove(id)

    def commit(self) -> None:
        """Make all changes durable and visible to searchers."""
        self._live().commit()

    def add_abbreviation(self, abbreviation: str, expansion: str) -> None:
        """Teach the index an abbreviation ("HTCT", "hệ thống chính trị"): queries for either
        form then find both (expansions rank below literal matches). Part of the batch."""
        self._live().add_abbreviation(abbreviation, expansion)

    def rollback(self) -> None:
        """Drop the changes made since the last commit."""
        self._live().rollback()

    def close(self) -> None:
        """Commit pending changes and release the write lock. Raises when the commit fails
        (e.g. `DiskFullError`); the lock is released and the index closed either way.
        Closing again does nothing; any other use afterwards raises `Error`."""
        ix, self._ix = self._ix, None
        if ix is not None:
            ix.close()

    def __len__(self) -> int:
        return len(self._live())

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._ix is not None and exc_type is not None:
            try:
                self._ix.rollback()
            except Error:
                pass  # the block's own exception is the one to see; close() still runs
        self.close()

    def __repr__(self) -> str:
        ix = self._ix
        state = "closed" if ix is None else f"{len(ix)} documents"
        return f"<vnsearch.Index {self.path!r} ({state})>"


@_dataclass(frozen=True)
class Hit:
    """One search result. `snippet` has the matched words between the highlight markers;
    `snippet_text` is the same text without markers and `highlights` the matches in it as
    ``(start, end)`` str indices, for rendering that never mistakes the text for a marker."""

    id: str
    title: str
    date: str
    score: float
    rank: int
    snippet: str
    source: str = ""
    url: str = ""
    author: str = ""
    fields: Dict[str, str] = _field(default_factory=dict)
    snippet_text: str = ""
    highlights: List[Tuple[int, int]] = _field(default_factory=list)
    #: The administrative units the article names, each once, in order.
    places: List[Place] = _field(default_factory=list)


#: The columns of `Results.to_pandas()`, in order (the same for empty results).
_COLUMNS = ["rank", "id", "title", "date", "score", "source", "url", "author", "fields", "snippet"]


def _highlighted_html(text: str, spans: Sequence[Tuple[int, int]]) -> str:
    """`text` escaped, with <mark> around the spans: document text can never look like a highlight."""
    out, cur = [], 0
    for start, end in spans:
        out.append(_html.escape(text[cur:start]))
        out.append("<mark>" + _html.escape(text[start:end]) + "</mark>")
        cur = end
    out.append(_html.escape(text[cur:]))
    return "".join(out)


class Results(Sequence[Hit]):
    """The hits of one query: iterable, indexable, with `len`, `total` (number of matches:
    exact when `total_exact`, else estimated), `warnings` (how a malformed query was read) and
    facets (`years`, `sources`). Renders as an HTML table in Jupyter."""

    def __init__(self, raw: Dict[str, Any], highlight: Tuple[str, str]) -> None:
        self.query: str = raw["query"]
        self.total: int = raw["total"]
        #: True when `total` is the exact number of matches, False when Xapian estimated it.
        self.total_exact: bool = raw["total_exact"]
        self.hits: List[Hit] = [Hit(**{**h, "places": [_place(p) for p in h.get("places", [])]}) for h in raw["hits"]]
        self.warnings: List[str] = list(raw["warnings"])
        #: A better spelling of the query ("" if none): marks restored, or Telex/VNI decoded.
        self.suggestion: str = raw["suggestion"]
        #: "diacritics", "telex" or "vni" ("" when there is no suggestion).
        self.suggestion_reason: str = raw["suggestion_reason"]
        self.years: List[Tuple[str, int]] = list(raw["years"])
        self.sources: List[Tuple[str, int]] = list(raw["sources"])
        #: Facet counts by field name: ``{"label": [("The thao", 12), ...], "year": [...]}``.
        self.facets: Dict[str, List[Tuple[str, int]]] = {k: list(v) for k, v in raw.get("facets", {}).items()}
        self._highlight = highlight

    @overload
    def __getitem__(self, i: int) -> Hit: ...
    @overload
    def __getitem__(self, i: slice) -> List[Hit]: ...
    def __getitem__(self, i: Union[int, slice]) -> Union[Hit, List[Hit]]:
        return self.hits[i]

    def __len__(self) -> int:
        return len(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __repr__(self) -> str:
        return f"<vnsearch.Results {self.query!r}: {len(self.hits)} of {self.total}>"

    def _repr_html_(self) -> str:
        # Every piece of text is escaped; highlights come from the spans, never from markers
        # found in the text (which may contain "<b>" or the markers themselves).
        esc = _html.escape
        count = ("{:,}" if self.total_exact else "about {:,}").format(self.total)
        parts = ["<p><b>{}</b> result(s) for <code>{}</code></p>".format(count, esc(self.query))]
        if self.suggestion:
            parts.append("<p>Did you mean <b>{}</b>? <small>({})</small></p>".format(
                esc(self.suggestion), esc(self.suggestion_reason)))
        if self.warnings:
            parts.append("<ul class=\"vnsearch-warnings\">{}</ul>".format(
                "".join("<li>{}</li>".format(esc(w)) for w in self.warnings)))
        rows = "".join(
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{:.3f}</td><td>{}</td></tr>".format(
                h.rank, esc(h.id), esc(h.title), esc(h.date), h.score, _highlighted_html(h.snippet_text, h.highlights))
            for h in self.hits)
        parts.append("<table><thead><tr><th>#</th><th>id</th><th>title</th><th>date</th><th>score</th><th>snippet</th>"
                     "</tr></thead><tbody>{}</tbody></table>".format(rows))
        for name, counts in (("year", self.years), ("source", self.sources)):
            if counts:
                parts.append("<p>By {}: {}</p>".format(name, ", ".join(
                    "{} ({:,})".format(esc(value), n) for value, n in counts)))
        return "".join(parts)

    def to_pandas(self, *, parse_dates: bool = True, keep_highlights: bool = False):
        """The hits as a pandas DataFrame (needs pandas), with the columns rank, id, title,
        date, score, source, url, author, fields and snippet — also when there are no hits.

        `date` becomes ``datetime64`` (undated: ``NaT``; ``parse_dates=False`` keeps the ISO
        strings). `snippet` is plain text (``keep_highlights=True`` keeps the markers)."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("Results.to_pandas() needs pandas (apt-get install python3-pandas)") from e
        df = pd.DataFrame([{"rank": h.rank, "id": h.id, "title": h.title, "date": h.date, "score": h.score,
                            "source": h.source, "url": h.url, "author": h.author, "fields": dict(h.fields),
                            "snippet": h.snippet if keep_highlights else h.snippet_text} for h in self.hits],
                          columns=_COLUMNS)
        df = df.astype({"rank": "int64", "score": "float64"})
        if parse_dates:
            # ISO 8601 or a prefix of it ("2019", "2019-02"); "" (no date) becomes NaT.
            df["date"] = pd.to_datetime(df["date"].where(df["date"] != ""), errors="coerce")
        return df


class IndexBuilder:
    """Builds a new index on all cores (``threads=0``) from many documents; the result is the
    same whatever the thread count, and compact. All or nothing: nothing is written to `path`
    until the block ends without an error::

        with vnsearch.IndexBuilder("news.db") as b:
            for doc in docs:
                b.add(id=doc["id"], title=doc["title"], body=doc["body"])

    `path` must be new or empty; add to an existing index with `Index`. Several threads may
    call `add` at once. Every failure (a full disk, threads that cannot start) raises a
    `vnsearch.Error`; a failed build leaves no shards behind. ``shards=N`` builds a shard
    set (see `Index`), one shard after the other at the end."""

    def __init__(self, path: str, *, threads: int = 0, shards: int = 0) -> None:
        if threads < 0:
            raise ValueError("threads must be >= 0")
        if shards < 0:
            raise ValueError("shards must be >= 0")
        self.path = str(path)
        self._b: Optional[_vnsearch.IndexBuilder] = _vnsearch.IndexBuilder(self.path, threads, shards)
        #: What the constructor found and cleaned up ("" when nothing), e.g. an interrupted build's folder.
        self.notice: str = self._b.notice

    @property
    def threads(self) -> int:
        b = self._b
        return b.threads if b is not None else 0

    def _live(self) -> _vnsearch.IndexBuilder:
        b = self._b
        if b is None:
            raise Error(f"builder for {self.path} is finished or closed")
        return b

    def add(self, id: Union[str, Document], title: str = "", body: str = "", date: str = "", *, source: str = "",
            url: str = "", author: str = "", **fields: Any) -> None:
        """Queue a document, or a `Document` (a repeated id replaces the earlier one in place)."""
        self._live().add(*_document_args(id, title, body, date, source, url, author, fields))

    def add_path(self, path: _PathLike) -> AddReport:
        """Queue every document of a file or directory (see `Index.add_path`)."""
        return _report(self._live().add_path(_os.fspath(path)))

    def finish(self) -> None:
        """Merge everything into `path`. Raises the first error of the build."""
        b = self._b
        if b is not None:
            try:
                b.finish()
            finally:
                self._b = None
                b.close()

    def close(self) -> None:
        """Abandon the build if it is not finished: nothing is written to `path`."""
        b, self._b = self._b, None
        if b is not None:
            b.close()

    def __enter__(self) -> "IndexBuilder":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.close()  # abandoned on error: nothing is written


class Searcher:
    """A read-only view of an index. Sees commits made after it was opened once
    `reopen()` is called (searches also recover by themselves when a writer commits).

    `path` is a database directory, a shard-set directory (``Index(path, shards=N)``), or
    ``tcp://HOST:PORT`` (a database served by Xapian's ``xapian-tcpsrv``); a list of them
    searches those shards as one index.

    Thread-safe: one Searcher may be shared by many threads (the GIL is released while it
    works), `reopen()` included. `close()` (or leaving a ``with`` block) releases it; a
    call after that raises `vnsearch.Error`, and searches already running finish."""

    def __init__(self, path: Union[str, "_os.PathLike[str]", Sequence[Union[str, "_os.PathLike[str]"]]]) -> None:
        locations = [str(p) for p in path] if isinstance(path, (list, tuple)) else [str(path)]
        self.path = ", ".join(locations)
        self._handle: Optional[Any] = _vnsearch.Searcher(locations)

    @property
    def _s(self) -> Any:
        handle = self._handle
        if handle is None:
            raise Error(f"searcher is closed: {self.path}")
        return handle

    def close(self) -> None:
        """Releases the database handles (idempotent)."""
        self._handle = None

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Searcher":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def suggest(self, query: str) -> Optional[Suggestion]:
        """A better spelling of `query` learnt from the index's own text, or None:
        ``Suggestion("nghị quyết", "diacritics")`` for "nghi quyet",
        ``Suggestion("nghị quyết", "telex")`` for "nghij quyeets"."""
        _check_query(query)
        text, reason = self._s.suggest(query)
        return Suggestion(text, reason) if text else None

    def search(self, query: str = "", limit: int = 10, offset: int = 0, *, sort: str = "relevance",
               highlight: Tuple[str, str] = ("<b>", "</b>"), snippet_chars: int = 240,
               facets: Union[bool, Sequence[str]] = False, suggest: bool = True,
               filters: Optional[Union[Dict[str, Any], Sequence[Tuple[str, Any]]]] = None,
               exhaustive: bool = False) -> Results:
        """Run `query` (see docs/guide.md for the syntax). `sort`: "relevance", "date_desc"
        (newest first; also "date") or "date_asc", undated documents last; the CLI's
        hyphenated spellings work too. `highlight`: the (start, end) markers of
        `Hit.snippet`. Malformed queries never raise: see `Results.warnings`.

        `facets`: True counts matches by year and source; a list of field names (``["label",
        "year"]``) counts those, custom fields and places ("province", "old_province",
        "old_district") included (`Results.facets`).
        `filters`: ``{"source": "Báo Lạng Sơn", "label": "the thao", "year": "2018..2020"}``
        (or a list of pairs): every filter applies, values are taken whole, a ``-`` before
        the field name excludes; with filters the query may be empty. A bad filter (unknown
        field name, empty value, unreadable date) raises `vnsearch.Error`.
        `exhaustive`: rank every document holding any term of the query. By default a word
        or pair that more than 10 % of the documents hold ("của", "là") finds no documents of
        its own; the documents the rarer terms find are scored with the whole query, in
        blocks of 50 (much faster on long questions; `Results.total` counts them)."""
        _check_query(query)
        if limit < 0 or offset < 0 or snippet_chars < 0:
            raise ValueError("limit, offset and snippet_chars must be >= 0")
        if not isinstance(sort, str):
            raise TypeError(f"sort must be a str, one of {', '.join(SORT_ORDERS)}, not {type(sort).__name__}")
        start, end = _highlight_markers(highlight)
        if isinstance(facets, str):
            raise TypeError("facets must be True/False or a list of field names, e.g. ['label']")
        if isinstance(facets, bool):
            with_facets, facet_fields = facets, []
        else:
            with_facets, facet_fields = False, [str(f) for f in facets]
        items = list(filters.items()) if isinstance(filters, dict) else list(filters or [])
        structured = []
        for name, value in items:
            name = str(name)
            exclude = name.startswith("-")
            structured.append((name[1:] if exclude else name, str(value), exclude))
        raw = self._s.search(query, limit, offset, sort, start, end, snippet_chars, with_facets, suggest,
                             facet_fields, structured, bool(exhaustive))
        return Results(raw, (start, end))

    def document(self, id: str) -> Optional[Document]:
        """The stored document `id` (body included), or None when the index has none."""
        raw = self._s.document(str(id))
        return Document(**raw) if raw is not None else None

    def similar(self, id: str, limit: int = 10, offset: int = 0, *,
                highlight: Tuple[str, str] = ("<b>", "</b>"), snippet_chars: int = 240, terms: int = 0) -> Results:
        """The articles closest in topic to the document `id` ("more like this"), best first;
        the document itself and its exact duplicates are left out. `Results.query` is the id;
        snippets highlight the shared words. `terms`: how many of the document's most telling
        terms to look up (0: the default). Raises `NotFoundError` for an unknown id."""
        if limit < 0 or offset < 0 or terms < 0 or snippet_chars < 0:
            raise ValueError("limit, offset, snippet_chars and terms must be >= 0")
        start, end = _highlight_markers(highlight)
        raw = self._s.similar(str(id), limit, offset, start, end, snippet_chars, terms)
        return Results(raw, (start, end))

    def abbreviations(self, builtin: bool = False) -> List[Dict[str, Any]]:
        """Abbreviations learnt from the text and added by users (``builtin``: also the shipped
        dictionary): dicts with abbreviation, expansion, count, origin."""
        return list(self._s.abbreviations(builtin))

    def reopen(self) -> None:
        self._s.reopen()

    def info(self) -> Dict[str, Any]:
        """documents, terms, size_bytes, last_update, scheme_version."""
        return self._s.info()

    def __len__(self) -> int:
        return len(self._s)

    def __repr__(self) -> str:
        return f"<vnsearch.Searcher {self.path!r} ({len(self)} documents)>"
