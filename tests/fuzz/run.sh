#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS seconds
# (default 600) from the committed seed corpus. A crash, leak or UB report fails the run;
# the reproducer is left in build-fuzz/findings/ (turn it into a regression test).
#   bash tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(analyze query ingest stored snippet)
build=${VNSEARCH_FUZZ_BUILD_DIR:-build-fuzz}
CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNSEARCH_FUZZ=ON \
  -DVNSEARCH_SANITIZE=address,undefined,fuzzer-no-link -DVNSEARCH_BUILD_TESTS=OFF \
  -DVNSEARCH_BUILD_BENCH=OFF -DVNSEARCH_BUILD_PYTHON=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
mkdir -p "$build/findings"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
for t in "${targets[@]}"; do
  work="$build/corpus-$t"
  mkdir -p "$work"
  echo "== fuzz_$t for ${seconds}s"
  "$build/tests/fuzz/fuzz_$t" "$work" "tests/fuzz/corpus/$t" -max_total_time="$seconds" -max_len=65536 \
      -timeout=20 -rss_limit_mb=2048 -artifact_prefix="$build/findings/$t-" -print_final_stats=1 2>&1 |
    grep -E '^(#[0-9]+ +DONE|INFO: Running|stat::number_of_executed_units|stat::peak_rss)|ERROR|SUMMARY|Test unit written' || true
  if ls "$build/findings/$t-"* >/dev/null 2>&1; then
    echo "fuzz_$t: FOUND A PROBLEM: $(ls "$build/findings/$t-"*)" >&2
    exit 1
  fi
done
echo "fuzzing passed: ${targets[*]} (${seconds}s each)"
