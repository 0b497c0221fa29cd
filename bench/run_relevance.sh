#!/usr/bin/env bash
# Relevance benchmark (Release): vnsearch vs plain Xapian vs SQLite FTS5 on the first 50,000
# VietNews documents: known items from headline and summary spans, summary sentences as long
# questions, rare names in question frames. Results: bench/results/relevance-*.md/.json
#   bash bench/run_relevance.sh [--docs 50000] [--seed 42]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
VNSEARCH_BUILD_DIR=$build VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh
mkdir -p bench/results
# Queries per field: 1000 spans; 500 questions and 300 names (the anchors' OR queries are slow).
for field in title:1000 summary:1000 question:500 entity:300; do
  "$build/bench/vnsearch-bench-relevance" --field "${field%:*}" --queries "${field#*:}" --work "$build/relevance-work" \
      --json "bench/results/relevance-${field%:*}.json" "$@" | tee "bench/results/relevance-${field%:*}.md"
  echo
done
