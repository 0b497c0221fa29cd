#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: install what is missing, build, index the
# sample corpus (corpus/) and search it with and without diacritics.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh
cli=${VNSEARCH_BUILD_DIR:-build}/examples/cli/vnsearch
db=${VNSEARCH_DEMO_DB:-${VNSEARCH_BUILD_DIR:-build}/demo-db}
rm -rf "$db"

echo "== vnsearch analyze"
"$cli" analyze "Huyện uỷ Chợ Mới ban hành Nghị quyết 03-NQ/HU ngày 15/12/2020"
echo
echo "== vnsearch index corpus/"
"$cli" index --db "$db" corpus
for q in "Chi Lăng" "chi lang" "nghi quyet 22" "lạng"; do
  echo
  echo "== vnsearch search \"$q\""
  "$cli" search --db "$db" --limit 3 "$q"
done
