#!/usr/bin/env bash
# `cmake --install` puts the Python package where /usr/bin/python3 looks for it:
#   --prefix /usr, /usr/local (into a DESTDIR): the folder installed into, DESTDIR removed,
#     is on /usr/bin/python3's sys.path;
#   --prefix <user base> (PYTHONUSERBASE in a temporary folder): python imports it with no
#     PYTHONPATH at all, from the user site.
set -euo pipefail
build_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
syspath=$(cd "$work" && /usr/bin/python3 -c 'import sys; print("\n".join(sys.path))')
for prefix in /usr /usr/local; do
  dest=$work/dest$prefix
  DESTDIR=$dest cmake --install "$build_dir" --component python --prefix "$prefix" >/dev/null
  init=$(find "$dest" -path '*/vnsearch/__init__.py')
  [[ -n $init && -f $(dirname "$init")/py.typed ]]
  dir=${init#"$dest"}
  dir=${dir%/vnsearch/__init__.py}
  grep -qxF "$dir" <<<"$syspath" || { echo "--prefix $prefix: installed into $dir, not on sys.path:"; echo "$syspath"; exit 1; }
  echo "--prefix $prefix -> $dir (on sys.path)"
done
export PYTHONUSERBASE=$work/user
cmake --install "$build_dir" --prefix "$PYTHONUSERBASE" >/dev/null
(cd "$work" && env -u PYTHONPATH /usr/bin/python3 -c "
import site, sys, vnsearch
assert vnsearch.__file__.startswith(site.getusersitepackages()), (vnsearch.__file__, site.getusersitepackages())
assert vnsearch.analyze('Chi Lăng')[1].folded == 'lang'
print('--prefix', sys.argv[1], '->', vnsearch.__file__)
" "$PYTHONUSERBASE")
