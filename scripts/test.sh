#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine: install what is missing, then
#   1. build with warnings as errors and run every test through ctest (C++ tests, CLI
#      processes, crash and concurrency tests, the install consumer test, and the Python
#      tests and the notebook under Debian's /usr/bin/python3 and pytest);
#   1b. the Debian packages from that build (scripts/check-debs.sh: cpack -G DEB, then
#      apt-get install --simulate, dpkg -x into a temporary root and the consumer test and a
#      Python import against it; the machine's /usr is not touched);
#   2. the whole C++ suite again under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. the concurrency tests (shared Searcher, shared Index and IndexBuilder, readers during
#      commits) under ThreadSanitizer;
#   4. each libFuzzer target briefly from its seed corpus (tests/fuzz/run.sh SECONDS; the
#      ten-minute runs are `bash tests/fuzz/run.sh 600`).
# VNSEARCH_SKIP_SANITIZE=1 / VNSEARCH_SKIP_TSAN=1 / VNSEARCH_SKIP_FUZZ=1 skip steps 2 / 3 / 4.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-ci}
jobs=$(nproc)

echo "== 1. build ($build, -Werror) and test"
VNSEARCH_BUILD_DIR=$build bash scripts/build.sh -DVNSEARCH_WERROR=ON
(cd "$build" && ctest --output-on-failure -j"$jobs")

echo "== 1b. Debian packages ($build/packages)"
bash scripts/check-debs.sh "$build"

if [[ -z ${VNSEARCH_SKIP_SANITIZE:-} ]]; then
  echo "== 2. the C++ suite under ASan + UBSan ($build-sanitize)"
  VNSEARCH_BUILD_DIR=$build-sanitize VNSEARCH_BUILD_TYPE=RelWithDebInfo bash scripts/build.sh \
    -DVNSEARCH_WERROR=ON -DVNSEARCH_SANITIZE=address,undefined -DVNSEARCH_BUILD_PYTHON=OFF -DVNSEARCH_BUILD_BENCH=OFF
  # strict_memcmp=0: ASan checks the bytes memcmp really compares, not the whole length it
  # was given. A reader racing a commit's block reuse (the commit-storm tests) makes Xapian
  # 1.4 compare a key read from a reused block; real memcmp stops at the first difference,
  # the strict check flagged the length Xapian passed (seen once in CI, 2026-12-01). The
  # library retries such reads (docs/reliability.md); over-reads memcmp performs are still caught.
  (cd "$build-sanitize" && ASAN_OPTIONS=detect_leaks=1:strict_memcmp=0 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs")
fi

if [[ -z ${VNSEARCH_SKIP_TSAN:-} ]]; then
  echo "== 3. the concurrency tests under ThreadSanitizer ($build-tsan)"
  cmake -S . -B "$build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVNSEARCH_WERROR=ON -DVNSEARCH_SANITIZE=thread \
        -DVNSEARCH_BUILD_PYTHON=OFF -DVNSEARCH_BUILD_BENCH=OFF >/dev/null
  cmake --build "$build-tsan" -j"$jobs" --target vnsearch-tests vnsearch-cli
  # Xapian itself is not instrumented: what TSan checks is vnsearch's own locking.
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
    "$build-tsan/tests/vnsearch-tests" "[concurrency],[threads],[storm]"
fi

if [[ -z ${VNSEARCH_SKIP_FUZZ:-} ]]; then
  echo "== 4. fuzz targets, 15 s each"
  VNSEARCH_FUZZ_BUILD_DIR=$build-fuzz bash tests/fuzz/run.sh 15
fi
