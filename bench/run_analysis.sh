#!/usr/bin/env bash
# Analysis throughput benchmark: vnsearch's Analyzer vs Xapian's TermGenerator on the same
# text, one thread, Release build (-O3, no -march=native).
#   bash bench/run_analysis.sh [--mb 100] [--repeat 3]
# Builds only the benchmark into $VNSEARCH_BUILD_DIR (default build-bench) and writes the
# table to bench/results/analysis.md. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DVNSEARCH_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target vnsearch-bench-analysis
mkdir -p bench/results
"$build/bench/vnsearch-bench-analysis" "$@" | tee bench/results/analysis.md
