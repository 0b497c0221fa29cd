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
  `stats`, `abbrev list`): `index`, `delete` and `abbrev add` refuse it with
  `vnsearch: error: remote databases are read-only: …` and exit 2.
* **Exit codes**: `0` success; `1` error (missing or locked database, unreadable input…),
  one line on stderr starting `vnsearch: error:`; `2` usage error; `3` finished, but some
  inputs were bad (each named on stderr: `vnsearch: skipped PATH: REASON`).
* **Numbers**: `--limit`, `--offset`, `--threads` and `--batch-mb` take plain decimal
  numbers; a sign, hex, spaces, garbage or a value out of range (`--threads` ≤ 1024,
  `--batch-mb` in (0, 65536]) is a usage error (exit 2) naming the option — `--limit -1` is
  refused, never read as 2^64 − 1. `--offset` is 64-bit, but Xapian counts documents in
  32 bits, so an offset of 4294967295 or more finds nothing (the total is still printed).
* **Output**: `search` highlights matches in colour on a terminal and prints plain text
  when piped (`NO_COLOR` also turns colour off); `index` shows a progress bar (documents/s,
  ETA) when stderr is a terminal, and always ends with a summary line:
  `indexed DB: N added, N replaced, N skipped, N bytes in Ts (N documents in the index)`.
* **Control characters** in indexed text, ids, file names and error messages are shown, never
  obeyed: on human-readable output (stdout and stderr, on a terminal *and* when piped, since
  piped text usually ends up on a terminal) C0 controls and DEL print as `\x1b`, C1 controls
  and bidi overrides/isolates as `\u009b`, `\u202e`, and invalid UTF-8 as U+FFFD. `--json`
  keeps the exact strings: the encoder escapes C0 (`\u001b`), and DEL, C1 and bidi controls are
  escaped too, so parsing gives back the original text.

## JSON contracts
`vnsearch analyze --json TEXT`:
```json
{"tokens": [{"text": "Huyện", "exact": "huyện", "folded": "huyen", "start": 0, "end": 7, "position": 0, "kind": "word"}]}
```
`kind` is one of `word`, `number`, `date`, `time`, `code`, `abbreviation`, `foreign`; the
parts of a date or code follow it with offsets inside its span (see docs/analysis.md).

`vnsearch search --json QUERY`:
```json
{"query": "chi lang", "total": 5, "hits": [{"id": "000_36fbaf0990d157c1", "title": "Công tác xây dựng Đảng ở Chi Lăng", "date": "2024-07-25", "score": 1.59, "snippet": "… Đảng ở <b>Chi</b> <b>Lăng</b> …", "rank": 1, "source": "", "url": "", "author": "Phùng Khiêm", "fields": {}}]}
```
`"fields"` holds a document's custom fields (extra JSONL keys such as VNTC's `label`,
Python `**fields`) as strings. `"warnings"` is added when the query had to be repaired;
`"facets"` with `--facets` (keys `year` and `source`) or `--facet NAME` (one key per name,
e.g. `vnsearch search --facet label --facet source QUERY` gives
`"facets": {"label": {"The thao": 12, "Kinh doanh": 3}, "source": {...}}`): counts by value,
years newest first, other fields most frequent first.

`--filter FIELD:VALUE` takes the value whole — `--filter 'source:Báo Lạng Sơn'`,
`--filter 'label:the thao'`, `--filter year:2018..2020`; `-FIELD:VALUE` excludes. Filters
are applied as filters (they never change the ranking), all of them at once, and with
filters the query may be empty (`vnsearch search --filter 'label:the thao' ""` lists them).

MD
for sub in "" analyze index search stats delete; do
  echo "## vnsearch ${sub:-(top level)}"
  echo
  echo '```'
  # shellcheck disable=SC2086
  "$cli" $sub --help
  echo '```'
  echo
done
