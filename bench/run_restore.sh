#!/usr/bin/env bash
# Diacritic restoration ("did you mean") accuracy on VNTC headlines held out from the index
# (Release build). Results: bench/results/restore-*.md/.json
#   bash bench/run_restore.sh [--train all|vntc|vietnews] [--vietnews 100000] [--test 500] [--seed 42]
#   bash bench/run_restore.sh --train vietnews --seeds "7 11 13 17 19 42"
#   bash bench/run_restore.sh --train vietnews --vietnews 150704 --name restore-vietnews-all --seeds "..."
# --seeds runs one held-out sample per seed (restore-<train>-seed<N>.md/.json; an index that
# holds VNTC documents is built per seed) and writes their spread to restore-<train>-seeds.md:
# one sample of 500 headlines moves by a point from seed to seed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
build=${VNSEARCH_BUILD_DIR:-build-bench}
VNSEARCH_BUILD_DIR=$build VNSEARCH_BUILD_TYPE=Release bash scripts/build.sh
mkdir -p bench/results
train=all
seeds=""
name=""
args=()
while (($#)); do
  case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;  # the results' file stem (default restore-<train>)
    --train) train=$2; args+=("$1" "$2"); shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
run() {  # run OUT_STEM EXTRA_ARGS...
  local stem=$1
  shift
  "$build/bench/vnsearch-bench-restore" --work "$build/restore-work" --json "bench/results/$stem.json" "${args[@]}" "$@" \
    | tee "bench/results/$stem.md"
}
name=${name:-restore-$train}
if [[ -z $seeds ]]; then
  run "$name"
  exit 0
fi
files=()
for s in $seeds; do
  run "$name-seed$s" --seed "$s"
  files+=("bench/results/$name-seed$s.json")
done
/usr/bin/python3 - "$train" "${files[@]}" <<'PY' | tee "bench/results/$name-seeds.md"
import json, statistics, sys
train, files = sys.argv[1], sys.argv[2:]
runs = [json.load(open(f)) for f in files]
cols = [("accuracy_unaccented_within_query_limit", "within the query limit"), ("accuracy_unaccented", "all syllables"),
        ("accuracy_half_accented", "half accented"), ("accuracy_telex", "Telex"), ("accuracy_vni", "VNI")]
print(f"Diacritic restoration, index = {train} ({runs[0]['indexed_documents']} documents), "
      f"{runs[0]['held_out_headlines']} held-out VNTC headlines per seed\n")
print("| seed | " + " | ".join(c for _, c in cols) + " |")
print("|---" * (len(cols) + 1) + "|")
for r in runs:
    print(f"| {r['seed']} | " + " | ".join(f"{100 * r[k]:.2f} %" for k, _ in cols) + " |")
for name, f in (("mean", statistics.mean), ("min", min), ("max", max)):
    print(f"| **{name}** | " + " | ".join(f"{100 * f(r[k] for r in runs):.2f} %" for k, _ in cols) + " |")
PY
