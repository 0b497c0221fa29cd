#!/usr/bin/env bash
# lib/places/places_tables.inc is what gen_places.py makes of the gazetteer and the two
# hand-written tables: regenerate it into a temporary file and compare. Exit 77 (skip) when
# the gazetteer (../shared/gazetteer) is absent.
#   check_places_tables.sh SOURCE_DIR GAZETTEER_DIR
set -euo pipefail
src=$1 gaz=$2
[[ -f $gaz/units-before-2025.json ]] || { echo "SKIP: no gazetteer at $gaz"; exit 77; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
/usr/bin/python3 "$src/lib/places/gen_places.py" "$gaz" "$tmp"
if ! cmp -s "$tmp" "$src/lib/places/places_tables.inc"; then
  echo "lib/places/places_tables.inc is stale: run /usr/bin/python3 lib/places/gen_places.py ../shared/gazetteer"
  exit 1
fi
echo "places_tables.inc is current"
