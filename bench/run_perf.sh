#!/usr/bin/env bash
# Indexing and query performance (Release): vnsearch vs plain Xapian vs SQLite FTS5.
#   bash bench/run_perf.sh [--docs 10000] [--queries 1000]
# Results: bench/results/perf-N.md and .json. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
VNSEARCH_BUILD_DIR=$build VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh
mkdir -p bench/results
docs=10000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [[ ${args[i]} == --docs ]] && docs=${args[i+1]}; done
"$build/bench/vnsearch-bench-perf" --work "$build/perf-work" --json "bench/results/perf-$docs.json" "$@" |
  tee "bench/results/perf-$docs.md"
