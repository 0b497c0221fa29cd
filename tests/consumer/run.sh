#!/usr/bin/env bash
# Consumer test: install the built tree into a temporary prefix, build examples/embed
# against it with find_package(vnsearch CONFIG), run it, and check its output; then do
# the same through pkg-config; then the installed CLI, and the installed Python package
# found where `cmake --install` put it for that prefix (bindings/python/site_dir.py).
#   run.sh BUILD SOURCE                  install BUILD into a temporary prefix first
#   run.sh BUILD SOURCE PREFIX PYSITE    use what is already in PREFIX (e.g. unpacked .debs,
#                                        scripts/check-debs.sh); PYSITE: the Python package's
#                                        site directory ("" when none is expected)
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ $# -ge 3 ]]; then
  prefix=$3
  site=$4
else
  prefix=$work/prefix
  cmake --install "$build_dir" --prefix "$prefix" >/dev/null
  site=
  if [[ -d "$build_dir/python/vnsearch" ]]; then
    site=$(/usr/bin/python3 "$source_dir/bindings/python/site_dir.py" "$prefix")
    [[ $site == "$prefix/lib/python3."*"/site-packages" ]]
  fi
fi
libdir=$(dirname "$(find "$prefix" -name 'libvnsearch.so' | head -1)")
[[ $libdir == "$prefix"/lib* ]]

cmake -S "$source_dir/examples/embed" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/build" >/dev/null
out=$(LD_LIBRARY_PATH="$libdir:${LD_LIBRARY_PATH:-}" "$work/build/embed" "$work/db")
echo "$out"
grep -q '^chi lang: 2 hit' <<<"$out"
grep -q '1\. chi-lang — .*\[Chi\] \[Lăng\]' <<<"$out"
grep -q '1\. lang-son' <<<"$(grep -A1 '^Lạng Sơn' <<<"$out")"
# pkg-config consumers
PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs vnsearch >/dev/null
g++ -std=c++17 "$source_dir/examples/embed/embed.cpp" -o "$work/embed-pc" \
    $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs vnsearch)
LD_LIBRARY_PATH="$libdir" "$work/embed-pc" "$work/db2" | grep '^chi lang: 2 hit' >/dev/null
# the installed CLI and Python module (the library they load is the installed one)
LD_LIBRARY_PATH="$libdir" "$prefix/bin/vnsearch" search --db "$work/db" --json "chi lang" | grep '"id":"chi-lang"' >/dev/null
if [[ -n $site ]]; then
  (cd "$work" && PYTHONPATH="$site" LD_LIBRARY_PATH="$libdir" /usr/bin/python3 -c "
import os, sys, vnsearch
db, site, libdir = sys.argv[1:4]
assert vnsearch.__file__.startswith(site), vnsearch.__file__
libs = {l.split()[-1] for l in open('/proc/self/maps') if 'libvnsearch.so' in l}
assert libs and all(os.path.realpath(l).startswith(os.path.realpath(libdir)) for l in libs), libs
r = vnsearch.Searcher(db).search('chi lang')
assert r[0].id == 'chi-lang', r
" "$work/db" "$site" "$libdir")
fi
echo "consumer test passed"
