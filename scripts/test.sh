#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine: install what is missing, build with warnings
# as errors, run every test through ctest (C++ tests, CLI processes, the install consumer
# test, and the Python tests and the notebook under Debian's /usr/bin/python3 and pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export VNSEARCH_BUILD_DIR=${VNSEARCH_BUILD_DIR:-build-ci}
echo "== build ($VNSEARCH_BUILD_DIR, -Werror)"
bash scripts/build.sh -DVNSEARCH_WERROR=ON
echo "== tests (ctest: Catch2, CLI processes, install consumer, Python via Debian's pytest, notebook)"
(cd "$VNSEARCH_BUILD_DIR" && ctest --output-on-failure -j"$(nproc)")
