#!/usr/bin/env bash
# Indexing and query performance (Release): vnsearch vs plain Xapian vs SQLite FTS5.
#   bash bench/run_perf.sh [--docs 10000] [--queries 1000] [--long-queries 1000] [--keep | --reuse] [--hold] [--warmup 1000]
# --keep leaves the indexes in $build/perf-work; --reuse times queries on them again (the
# build rows are those of the run that built them), or builds them when absent. --hold locks
# the three indexes' files in memory while timing (a machine that pages out idle file pages,
# as this one's DAMON reclaim does, otherwise times disk reads; needs RAM for all three).
# --warmup N: every engine first answers N other short queries, untimed (0: fresh handles).
# Results: bench/results/perf-N.md and .json. Run on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
# The benchmark needs no Python bindings: do not let them stand between it and a run.
VNSEARCH_BUILD_DIR=$build VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh -DVNSEARCH_BUILD_PYTHON=OFF
mkdir -p bench/results
docs=10000
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [[ ${args[i]} == --docs ]] && docs=${args[i+1]}; done
"$build/bench/vnsearch-bench-perf" --work "$build/perf-work" --json "bench/results/perf-$docs.json" "$@" |
  tee "bench/results/perf-$docs.md"
