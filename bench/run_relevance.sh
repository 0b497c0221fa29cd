#!/usr/bin/env bash
# Known-item relevance benchmark (Release): vnsearch vs plain Xapian vs SQLite FTS5 on the
# first 50,000 VietNews documents. Results: bench/results/relevance-*.md/.json
#   bash bench/run_relevance.sh [--docs 50000] [--queries 1000] [--seed 42]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
VNSEARCH_BUILD_DIR=$build VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh
mkdir -p bench/results
for field in title summary; do
  "$build/bench/vnsearch-bench-relevance" --field "$field" --work "$build/relevance-work" \
      --json "bench/results/relevance-$field.json" "$@" | tee "bench/results/relevance-$field.md"
  echo
done
