#!/usr/bin/env bash
# Read replicas with Xapian's own replication tools (docs/guide.md, "Scaling out"):
# xapian-replicate-server serves the directory holding a vnsearch database; xapian-replicate
# copies it; more documents are committed to the master (with XAPIAN_MAX_CHANGESETS set, so
# that the writer keeps changesets) and replicated again, as changesets; the replica — read
# directly and through xapian-tcpsrv — answers every search, suggestion and related-articles
# lookup as the master does.
#   bash tests/replication.sh CLI CORPUS_DIR
set -euo pipefail
cli=$1
corpus=$2
for tool in xapian-replicate-server xapian-replicate xapian-tcpsrv setsid; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install xapian-tools util-linux)" >&2; exit 1; }
done
tmp=$(mktemp -d)
pids=()
cleanup() {
  # Each server runs in its own process group (setsid): it signals its whole group when it
  # stops, which must not include this script.
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The writer keeps the changesets of its last 10 commits (read by Xapian when the database is opened).
export XAPIAN_MAX_CHANGESETS=10
mkdir -p "$tmp/master" "$tmp/replica" "$tmp/batch1" "$tmp/batch2"
files=("$corpus"/*.txt)
[ "${#files[@]}" -ge 5 ] || fail "need the 5 seed articles in $corpus"
cp "${files[0]}" "${files[1]}" "${files[2]}" "$tmp/batch1/"
cp "${files[3]}" "${files[4]}" "$tmp/batch2/"
"$cli" index -q --db "$tmp/master/news.db" "$tmp/batch1"

port=$(free_port)
setsid xapian-replicate-server --interface 127.0.0.1 --port "$port" "$tmp/master" >"$tmp/server.log" 2>&1 &
pids+=($!)
replicate() {  # one pass; retried while the server starts listening
  local i
  for i in $(seq 1 50); do
    if xapian-replicate -h 127.0.0.1 -p "$port" -m news.db -o -r 0 -t 10 -v "$tmp/replica/news.db" >"$tmp/replicate.log" 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  cat "$tmp/replicate.log" "$tmp/server.log" >&2
  fail "xapian-replicate did not succeed"
}
docs() { "$cli" stats --json --db "$1" | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["documents"])'; }

replicate
[ "$(docs "$tmp/replica/news.db")" = 3 ] || fail "the first replication should hold 3 documents"

"$cli" index -q --db "$tmp/master/news.db" "$tmp/batch2"
compgen -G "$tmp/master/news.db/changes*" >/dev/null || fail "the writer kept no changeset (XAPIAN_MAX_CHANGESETS)"
[ "$(docs "$tmp/master/news.db")" = 5 ] || fail "the master should hold 5 documents"
[ "$(docs "$tmp/replica/news.db")" = 3 ] || fail "the replica changed before replicating"
replicate
# "Update complete: 0 copies, 1 changesets, new live database": no full copy this time.
grep -Eq "0 copies, [1-9][0-9]* changesets" "$tmp/replicate.log" || { cat "$tmp/replicate.log" >&2; fail "the update was not made of changesets"; }
[ "$(docs "$tmp/replica/news.db")" = 5 ] || fail "the second replication should hold 5 documents"

# The replica, directly and as a remote database served by xapian-tcpsrv.
tcp_port=$(free_port)
setsid xapian-tcpsrv --interface 127.0.0.1 --port "$tcp_port" --quiet "$tmp/replica/news.db" >"$tmp/tcpsrv.log" 2>&1 &
pids+=($!)
for i in $(seq 1 50); do
  "$cli" stats --db "tcp://127.0.0.1:$tcp_port" >/dev/null 2>&1 && break
  sleep 0.2
done

# Over local databases vnsearch computes BM25 with the documents' lengths from memory and
# sums the terms' scores itself in places; over a remote one Xapian's matcher does it all, in
# another order. Scores are compared to 12 significant digits, everything else exactly.
normalized() {
  /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
for h in r["hits"]:
    h["score"] = float("%.12g" % h["score"])
print(json.dumps(r, sort_keys=True, ensure_ascii=False))'
}

checked=0
for q in "chi lang" "Chi Lăng" "lang son" "thach that" "que phong" "cho moi" "nghi quyet" "xay dung dang" "huyen uy" \
         "dang vien" "nghij quyeets" '"Nghị quyết" year:2024'; do
  want=$("$cli" search --json --limit 10 --db "$tmp/master/news.db" "$q" | normalized)
  [ "$(echo "$want" | /usr/bin/python3 -c 'import json, sys; print(len(json.load(sys.stdin)["hits"]))')" -gt 0 ] \
    || [ "$q" = "nghij quyeets" ] || fail "no hit on the master for $q"
  for db in "$tmp/replica/news.db" "tcp://127.0.0.1:$tcp_port"; do
    got=$("$cli" search --json --limit 10 --db "$db" "$q" | normalized)
    [ "$got" = "$want" ] || fail "search '$q' differs on $db: $got vs $want"
    [ "$("$cli" suggest --json --db "$db" "$q")" = "$("$cli" suggest --json --db "$tmp/master/news.db" "$q")" ] \
      || fail "suggestion for '$q' differs on $db"
  done
  checked=$((checked + 1))
done
# Related articles too (the expansion and the ranking over the remote backend included).
for f in "${files[@]:0:5}"; do
  id=$(basename "$f" .txt)
  want=$("$cli" similar --json --db "$tmp/master/news.db" "$id" | normalized)
  [ "$(echo "$want" | /usr/bin/python3 -c 'import json, sys; print(len(json.load(sys.stdin)["hits"]))')" -gt 0 ] \
    || fail "no related article on the master for $id"
  for db in "$tmp/replica/news.db" "tcp://127.0.0.1:$tcp_port"; do
    [ "$("$cli" similar --json --db "$db" "$id" | normalized)" = "$want" ] || fail "similar $id differs on $db"
  done
done
# At least one suggestion is made, so the comparison above compared something.
"$cli" suggest --json --db "$tmp/replica/news.db" "chi lang" | grep '"suggestion":"' >/dev/null || fail "no suggestion on the replica"
echo "replica equals master on $checked queries (searches and suggestions) and 5 related-article lookups, direct and over xapian-tcpsrv"
