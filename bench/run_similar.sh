#!/usr/bin/env bash
# Related-articles benchmark (Release): vnsearch `similar` vs plain Xapian's ESet vs random on
# VNTC (its 10 topic labels are the judgment). Results: bench/results/similar.md/.json
#   bash bench/run_similar.sh [--docs 0] [--samples 1000] [--seed 42] [--terms 40]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
VNSEARCH_BUILD_DIR=$build VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh
mkdir -p bench/results
"$build/bench/vnsearch-bench-similar" --work "$build/similar-work" --json bench/results/similar.json "$@" \
    | tee bench/results/similar.md
