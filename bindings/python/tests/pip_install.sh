#!/usr/bin/env bash
# `pip install .` as a user does it, offline, with Debian's pip/setuptools/wheel:
#   1. into a fresh venv made with --system-site-packages;
#   2. into the user site (PYTHONUSERBASE points it into a temporary folder; Debian's
#      PEP 668 marker makes --user need --break-system-packages);
#   3. `pip wheel .` builds a wheel holding the compiled module.
# Each installed copy is imported from a temporary folder (not the source or build tree),
# indexes two documents and searches them. The extension is built in BUILD (the
# `_vnsearch_wheel` target, VNSEARCH_CMAKE_BUILD_DIR) so the test does not recompile the
# library; pip still builds, packs and installs a real wheel each time.
set -euo pipefail
build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export VNSEARCH_CMAKE_BUILD_DIR=$build_dir
pip_opts=(--no-build-isolation --no-cache-dir --no-index --quiet --disable-pip-version-check)

check() {  # PYTHON EXPECTED_SITE_PREFIX
  "$1" - "$2" "$source_dir" "$build_dir" "$work/db-$RANDOM" <<'PY'
import os, sys
site, source, build, db = sys.argv[1:5]
import vnsearch
where = os.path.realpath(vnsearch.__file__)
assert where.startswith(os.path.realpath(site)), (where, site)
assert not where.startswith(source + "/") and not where.startswith(build + "/"), where
with vnsearch.Index(db) as ix:
    ix.add(id="chi-lang", title="Công tác xây dựng Đảng ở Chi Lăng", body="Huyện Chi Lăng", date="2024-07-25")
    ix.add(id="lang-son", title="Lạng Sơn", body="Thành phố Lạng Sơn")
r = vnsearch.Searcher(db).search("chi lang")
assert [h.id for h in r] == ["chi-lang", "lang-son"], list(r)  # both match; the marked one first
print("ok", vnsearch.__version__, where)
PY
}

echo "== venv --system-site-packages"
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
"$work/venv/bin/python" -m pip install "${pip_opts[@]}" "$source_dir"
check "$work/venv/bin/python" "$work/venv/lib"

echo "== user site"
export PYTHONUSERBASE=$work/user
/usr/bin/python3 -m pip install "${pip_opts[@]}" --user --break-system-packages "$source_dir"
check /usr/bin/python3 "$work/user/lib"
unset PYTHONUSERBASE

echo "== pip wheel"
/usr/bin/python3 -m pip wheel "${pip_opts[@]}" -w "$work/wheels" "$source_dir"
wheel=$(ls "$work"/wheels/vnsearch-*-cp3*-linux_*.whl)
# The listing is read whole first: `grep -q` would close the pipe early and, under pipefail,
# fail the test whenever zipfile was still printing (BrokenPipeError).
listing=$(/usr/bin/python3 -m zipfile -l "$wheel")
grep 'vnsearch/_vnsearch\.cpython-.*\.so' <<<"$listing" >/dev/null
grep 'vnsearch/__init__\.pyi' <<<"$listing" >/dev/null
echo "pip install test passed"
