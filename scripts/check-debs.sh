#!/usr/bin/env bash
# Builds the Debian packages from a built tree (cpack -G DEB: libvnsearch0,
# libvnsearch-dev, vnsearch, python3-vnsearch) and checks them without touching the
# machine's own /usr:
#   1. `apt-get install --simulate ./*.deb` resolves their dependencies;
#   2. `dpkg -x` unpacks them into a temporary root;
#   3. the consumer test (tests/consumer/run.sh: find_package, pkg-config, the CLI) and a
#      Python import and search run against that root.
# Usage: scripts/check-debs.sh [BUILD]   (default: build; the packages stay in BUILD/packages)
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >"$build/cpack.log" 2>&1) || { cat "$build/cpack.log"; exit 1; }
debs=("$build"/packages/*.deb)
names=$(for d in "${debs[@]}"; do dpkg-deb -f "$d" Package; done | sort | tr '\n' ' ')
echo "packages: $names"
[[ $names == "libvnsearch-dev libvnsearch0 python3-vnsearch vnsearch " ]]

echo "== apt-get install --simulate"
sim=$(apt-get install --simulate "${debs[@]}" 2>&1) || { echo "$sim"; exit 1; }
grep '^Inst ' <<<"$sim"
for p in libvnsearch0 libvnsearch-dev vnsearch python3-vnsearch; do
  grep -q "^Inst $p " <<<"$sim" || { echo "$sim"; echo "$p would not be installed"; exit 1; }
done

echo "== dpkg -x into a temporary root"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
for d in "${debs[@]}"; do dpkg -x "$d" "$root"; done
site=$root/usr/lib/python3/dist-packages
[[ -f $site/vnsearch/__init__.py ]]
bash tests/consumer/run.sh "$build" "$PWD" "$root/usr" "$site"
echo "Debian packages checked"
