#!/usr/bin/env bash
# Consumer test, subproject path: configure tests/consumer/subproject (FetchContent of this
# source tree), which fails if tests, benchmarks or Python are on; build examples/embed with
# vnsearch::vnsearch; run it. The build folder persists in BUILD/consumer-subproject, so only
# the first run compiles the library (without optimisation: no build type, to be quick).
set -euo pipefail
build_dir=$1
source_dir=$2
work=$build_dir/consumer-subproject
db=$(mktemp -d)
trap 'rm -rf "$db"' EXIT
cmake -S "$source_dir/tests/consumer/subproject" -B "$work" -DCMAKE_BUILD_TYPE= \
      -DVNSEARCH_SOURCE="$source_dir" >/dev/null
cmake --build "$work" -j"$(nproc)" --target embed >/dev/null
out=$("$work/embed" "$db/db")
grep -q '^chi lang: 2 hit' <<<"$out"
echo "subproject consumer test passed"
