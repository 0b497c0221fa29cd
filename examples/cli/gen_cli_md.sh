#!/usr/bin/env bash
# Regenerates docs/cli.md from the real --help of every subcommand:
#   bash examples/cli/gen_cli_md.sh build/examples/cli/vnsearch > docs/cli.md
# tests/test_cli.cpp checks that docs/cli.md still contains each --help verbatim.
set -euo pipefail
cli=$1
cat <<'MD'
# vnsearch command line

`vnsearch` indexes article files and searches them. Every subcommand has `--help`; the
blocks below are its real output (a test keeps them current: regenerate with
`bash examples/cli/gen_cli_md.sh build/examples/cli/vnsearch > docs/cli.md`).

* **Database**: `--db DIR`, else `$VNSEARCH_DB`, else `$XDG_DATA_HOME/vnsearch/index`, else
  `~/.local/share/vnsearch/index`. Any spelling of a directory works for a new index — `db/`,
  `.` (the current directory, which stays the same directory), a symlink (it stays a symlink;
  the index lands in its target). `tcp://HOST:PORT` is for reading only (`search`, `suggest`,
  `stats`, `get`, `abbrev list`): `index`, `remove` and `abbrev add` refuse it with
  `vnsearch: error: remote databases are read-only: …` and exit 2.
* **Input**: `vnsearch index PATH...` reads `.txt` articles, `.jsonl`/`.ndjson` files and
  directories; `-` reads JSONL from standard input, so compressed dumps need no temporary
  file: `zstd -dc news.jsonl.zst | vnsearch index --db news -`. Bad lines are named
  `<stdin>:LINE`.
* **Exit codes**: `0` success; `1` error (missing or locked database, unreadable input, `get`
  of an unknown id…), one line on stderr starting `vnsearch: error:`; `2` usage error; `3`
  finished, but some inputs were bad (each named on stderr: `vnsearch: skipped PATH: REASON`),
  or `remove` did not find some ids; `4` `similar` was given an id no document has
  (`vnsearch: error: no document with id "…"`).
* **Numbers**: `--limit`, `--offset`, `--snippet-chars`, `--threads` and `--batch-mb` take
  plain decimal numbers; a sign, hex, spaces, garbage or a value out of range (`--threads` ≤
  1024, `--snippet-chars` ≤ 1000000, `--batch-mb` in (0, 65536]) is a usage error (exit 2)
  naming the option — `--limit -1` is refused, never read as 2^64 − 1. `--offset` is 64-bit,
  but Xapian counts documents in 32 bits, so an offset of 4294967295 or more finds nothing
  (the total is still printed).
* **Counts**: the header says whether the total is exact — `3,336 results for "…"` — or
  Xapian's estimate from the pages it looked at — `about 3,400 results for "…"` (two
  significant digits). `--limit 0` prints only the header, with the exact count; so do
  `--facets`, and any query whose matches were all seen. The query is shown once, in double
  quotes, or in single quotes when it holds double quotes itself (`'"Chi Lăng"'`).
* **Sorting**: `--sort relevance` (default), `date-desc` (newest first; `date` too) or
  `date-asc` (oldest first); documents without a date come last in both date orders. The
  underscore spellings `date_desc`, `date_asc` (Python's) work too, and C++ reads the same
  names with `vnsearch::parse_sort_order`.
* **Output**: `--color=auto` (the default) colours highlights when stdout is a terminal and
  `NO_COLOR` is not set; `--color=always` colours even into a pipe (`| less -R`);
  `--color=never` never does. `--snippet-chars N` sets the snippet length (0: none). `index`
  shows a progress bar (documents/s, ETA) when stderr is a terminal — a new index then shows
  a second bar for the merge of the shards — and always ends with a summary line:
  `indexed DB: N added, N replaced, N skipped, N bytes in Ts (N documents in the index)`.
  `stats` prints the size as `1.2 MiB (1,234,567 bytes)`; `abbrev list` on an index without
  abbreviations prints nothing and says so on stderr.
* **Removing**: `vnsearch remove ID...` — the name of `Index::remove` in C++ and
  `Index.remove` in Python. `delete` is kept as an alias.
* **Control characters** in indexed text, ids, file names and error messages are shown, never
  obeyed: on human-readable output (stdout and stderr, on a terminal *and* when piped, since
  piped text usually ends up on a terminal) C0 controls and DEL print as `\x1b`, C1 controls
  and bidi overrides/isolates as `\u009b`, `\u202e`, and invalid UTF-8 as U+FFFD. `--json`
  keeps the exact strings: the encoder escapes C0 (`\u001b`), and DEL, C1 and bidi controls are
  escaped too, so parsing gives back the original text.

## JSON contracts
Keys are added, never renamed or removed, within a major version; clients should ignore
keys they do not know.

`vnsearch analyze --json TEXT`:
```json
{"tokens": [{"text": "Huyện", "exact": "huyện", "folded": "huyen", "start": 0, "end": 7, "position": 0, "kind": "word"}]}
```
`kind` is one of `word`, `number`, `date`, `time`, `code`, `abbreviation`, `foreign`; the
parts of a date or code follow it with offsets inside its span (see docs/analysis.md).
`start`/`end` are byte offsets into the UTF-8 input.

`vnsearch places --json TEXT` (provinces, districts and communes named in TEXT; `-` reads
standard input; see guide.md, "Places"):
```json
{"places": [{"text": "Chợ Mới", "start": 13, "end": 24, "geography": "before_2025",
  "unit": {"code": "065", "level": "district", "name": "Chợ Mới", "type": "Huyện"},
  "old_district": {"code": "065", "level": "district", "name": "Chợ Mới", "type": "Huyện"},
  "old_province": {"code": "06", "level": "province", "name": "Bắc Kạn", "type": "Tỉnh"},
  "provinces": [{"code": "19", "level": "province", "name": "Thái Nguyên", "type": "Tỉnh"}]}]}
```
`start`/`end` are byte offsets into the UTF-8 input; `unit` is the unit named, on the map
before 2025 (`geography`: `before_2025`) unless only the current map has that name
(`current`); `old_district`/`old_province` are `null` when the unit has none; `provinces`
are the current provinces holding it (usually one).

`vnsearch search --json QUERY`:
```json
{"query": "chi lang", "total": 1, "total_exact": true,
 "hits": [{"id": "000_36fbaf0990d157c1", "title": "Công tác xây dựng Đảng ở Chi Lăng", "date": "2024-07-25",
           "score": 1.59, "snippet": "… Đảng ở <b>Chi</b> <b>Lăng</b> …", "rank": 1, "source": "", "url": "",
           "snippet_text": "… Đảng ở Chi Lăng …",
           "highlights": [{"start": 16, "end": 19, "char_start": 9, "char_end": 12},
                          {"start": 20, "end": 25, "char_start": 13, "char_end": 17}]}],
 "suggestion": "Chi Lăng", "suggestion_reason": "diacritics"}
```
* `query`: the query as given. `total`: the number of matching documents; `total_exact`:
  `true` when that number is exact, `false` when it is Xapian's estimate (exact with
  `--limit 0` and with `--facets`).
* Each hit: `id`, `title`, `date` (ISO 8601, `""` when undated), `score` (BM25, only
  comparable within one result list), `rank` (1-based over the whole list, so `--offset`
  shows), `source`, `url`; `snippet`: the excerpt with matches between `<b>` and `</b>` —
  **not HTML-escaped**: the text itself may contain `<b>`; `snippet_text`: the same excerpt
  without markers; `highlights`: the matches in `snippet_text`, in order and disjoint, as
  `start`/`end` **byte** offsets into its UTF-8 and `char_start`/`char_end` **Unicode code
  point** offsets (Python `str` indices; JavaScript needs UTF-16 units, so convert, or slice
  the UTF-8 bytes). A client that renders highlights escapes `snippet_text` piece by piece and
  wraps the spans — never parse `<b>` out of `snippet`.
* `warnings` (only when the query had to be repaired): how a malformed query was read, one
  sentence each.
* `suggestion` and `suggestion_reason` (only when there is a better spelling; not with
  `--no-suggest`): the respelt query, and why — `diacritics` (marks restored), `telex` or
  `vni` (typing decoded).
* `facets` (only with `--facets`): `{"year": {"2024": 3, …}, "source": {"Báo Lạng Sơn": 2, …}}`,
  years newest first, sources most frequent first.
* `places`: the administrative units the article names, each once, in order, as in `vnsearch
  places --json` without the offsets (`[]` when none).

`vnsearch suggest --json QUERY`: `{"query": "thach that", "suggestion": "Thạch Thất",
"reason": "diacritics"}`; `suggestion` is `null` (and `reason` absent) when the query is fine
as typed.

`vnsearch stats --json`: `{"database", "documents", "terms", "size_bytes", "last_update",
"scheme_version", "shards", "remote_shards"}` (`size_bytes` is a number of bytes).

`vnsearch abbrev list --json`: `[{"abbreviation": "HĐND", "expansion": "hội đồng nhân dân",
"count": 3, "origin": "learned"}]`; `origin` is `learned`, `user` or `builtin`; an empty index
gives `[]`.

`vnsearch get --json ID`: `{"id", "title", "date", "source", "url", "author", "fields", "body"}`.

`vnsearch similar --json ID` (related articles, see guide.md): the same hits, the document
itself and its exact duplicates left out:
```json
{"id": "000_36fbaf0990d157c1", "total": 4, "hits": [{"id": "002_e8d5dcae7cb99294", "title": "…", "date": "2024-07-25", "score": 3.1, "snippet": "…", "rank": 1, "source": "", "url": ""}]}
```
`"fields"` holds a document's custom fields (extra JSONL keys such as VNTC's `label`,
Python `**fields`) as strings. `"warnings"` is added when the query had to be repaired;
`"facets"` with `--facets` (keys `year` and `source`) or `--facet NAME` (one key per name,
e.g. `vnsearch search --facet label --facet source QUERY` gives
`"facets": {"label": {"The thao": 12, "Kinh doanh": 3}, "source": {...}}`): counts by value,
years newest first, other fields most frequent first. `--facet province` counts by current
province, `--facet old_province` and `--facet old_district` by the units before 2025
(`"Chợ Mới (Bắc Kạn)"`); an article naming two provinces counts in both.

`--filter FIELD:VALUE` takes the value whole — `--filter 'source:Báo Lạng Sơn'`,
`--filter 'label:the thao'`, `--filter year:2018..2020`; `-FIELD:VALUE` excludes. Filters
are applied as filters (they never change the ranking), all of them at once, and with
filters the query may be empty (`vnsearch search --filter 'label:the thao' ""` lists them).
`--filter 'province:Thái Nguyên'` keeps the articles naming a place in today's Thái Nguyên
(the Chợ Mới of Bắc Kạn included); `old_province:` and `old_district:` use the map before
2025. A name no unit has is an error.

MD
for sub in "" analyze places index search similar suggest stats get remove abbrev "abbrev list" "abbrev add"; do
  echo "## vnsearch ${sub:-(top level)}"
  echo
  echo '```'
  # shellcheck disable=SC2086
  "$cli" $sub --help
  echo '```'
  echo
done
