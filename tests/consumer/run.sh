#!/usr/bin/env bash
# Consumer test: install the built tree into a temporary prefix, build examples/embed
# against it with find_package(vnsearch CONFIG), run it, and check its output; then do
# the same through pkg-config; then the installed CLI, and the installed Python package
# found where `cmake --install` put it for that prefix (bindings/python/site_dir.py).
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/examples/embed" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
out=$(LD_LIBRARY_PATH="$work/prefix/lib:${LD_LIBRARY_PATH:-}" "$work/build/embed" "$work/db")
echo "$out"
grep -q '^chi lang: 2 hit' <<<"$out"
grep -q '1\. chi-lang — .*\[Chi\] \[Lăng\]' <<<"$out"
grep -q '1\. lang-son' <<<"$(grep -A1 '^Lạng Sơn' <<<"$out")"
# pkg-config consumers
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs vnsearch >/dev/null
g++ -std=c++20 "$source_dir/examples/embed/embed.cpp" -o "$work/embed-pc" \
    $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs vnsearch)
LD_LIBRARY_PATH="$work/prefix/lib" "$work/embed-pc" "$work/db2" | grep -q '^chi lang: 2 hit'
# the installed CLI and Python module
"$work/prefix/bin/vnsearch" search --db "$work/db" --json "chi lang" | grep -q '"id":"chi-lang"'
if [[ -d "$build_dir/python/vnsearch" ]]; then
  site=$(/usr/bin/python3 "$source_dir/bindings/python/site_dir.py" "$work/prefix")
  [[ $site == "$work/prefix/lib/python3."*"/site-packages" ]]
  (cd "$work" && PYTHONPATH="$site" /usr/bin/python3 -c "
import vnsearch, sys
assert vnsearch.__file__.startswith(sys.argv[2]), vnsearch.__file__
r = vnsearch.Searcher(sys.argv[1]).search('chi lang')
assert r[0].id == 'chi-lang', r
" "$work/db" "$site")
fi
echo "consumer test passed"
