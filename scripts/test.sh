#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine: install what is missing, build with warnings
# as errors, run the C++ tests (ctest) and the Python tests (Debian's pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export VNSEARCH_BUILD_DIR=${VNSEARCH_BUILD_DIR:-build-ci}
echo "== build ($VNSEARCH_BUILD_DIR, -Werror)"
bash scripts/build.sh -DVNSEARCH_WERROR=ON
echo "== C++ tests (ctest)"
(cd "$VNSEARCH_BUILD_DIR" && ctest --output-on-failure -j"$(nproc)")
if [[ -d bindings/python/tests ]]; then
  echo "== Python tests (pytest)"
  PYTHONPATH="$PWD/$VNSEARCH_BUILD_DIR/python${PYTHONPATH:+:$PYTHONPATH}" \
    /usr/bin/python3 -m pytest -q bindings/python/tests
fi
