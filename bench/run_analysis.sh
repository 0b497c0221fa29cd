#!/usr/bin/env bash
# Analysis throughput benchmark (Release build): vnsearch vs Xapian TermGenerator.
#   bash bench/run_analysis.sh [--mb 100] [--repeat 3]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
VNSEARCH_BUILD_DIR=${VNSEARCH_BUILD_DIR:-build-bench} VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh
mkdir -p bench/results
"${VNSEARCH_BUILD_DIR:-build-bench}/bench/vnsearch-bench-analysis" "$@" | tee bench/results/analysis.md
