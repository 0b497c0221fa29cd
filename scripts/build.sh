#!/usr/bin/env bash
# Configures and builds vnsearch into $VNSEARCH_BUILD_DIR (default: build).
# Extra arguments are passed to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${VNSEARCH_BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=${VNSEARCH_BUILD_TYPE:-Release} \
      -DPython_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"
