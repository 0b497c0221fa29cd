#!/usr/bin/env bash
# Diacritic restoration ("did you mean") accuracy on VNTC headlines held out from the index
# (Release build). Results: bench/results/restore-*.md/.json
#   bash bench/run_restore.sh [--train all|vntc|vietnews] [--vietnews 100000] [--test 500] [--seed 42]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
VNSEARCH_BUILD_DIR=$build VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh
mkdir -p bench/results
train=all
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [[ ${args[i]} == --train ]] && train=${args[i+1]}; done
"$build/bench/vnsearch-bench-restore" --work "$build/restore-work" --json "bench/results/restore-$train.json" "$@" \
  | tee "bench/results/restore-$train.md"
