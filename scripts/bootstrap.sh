#!/usr/bin/env bash
# Installs whatever is missing of the Debian packages vnsearch needs. Idempotent: when all
# are present it does nothing (and needs no network).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libxapian-dev xapian-tools libicu-dev libboost-locale-dev
  catch2 libcli11-dev nlohmann-json3-dev libzstd-dev
  pybind11-dev python3-dev python3-pytest
  python3-pip python3-setuptools python3-wheel python3-venv dpkg-dev file
  python3-nbclient python3-nbformat python3-ipykernel python3-pandas
  zstd sqlite3 libsqlite3-dev
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "bootstrap: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "bootstrap: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
