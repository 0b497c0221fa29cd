#!/usr/bin/env bash
# The shared library exports the public API (VNSEARCH_API in include/vnsearch/) and nothing
# of vnsearch's internals (lib/: vnsearch::detail, ::text, ::analysis, ::scheme, ::ingest, ::places,
# the pimpls), and its soname follows the 0.MINOR policy (docs/packaging.md).
#   check_exports.sh LIBRARY MAJOR MINOR
set -euo pipefail
lib=$1 major=$2 minor=$3
syms=$(nm -DC --defined-only "$lib")
internal=$(grep -E 'vnsearch::(detail|text|analysis|scheme|ingest|places)::|vnsearch::[A-Za-z]+::Impl' <<<"$syms" || true)
if [[ -n $internal ]]; then echo "internal symbols exported:"; echo "$internal"; exit 1; fi
for s in 'vnsearch::Searcher::search(' 'vnsearch::Index::add(' 'vnsearch::IndexBuilder::finish()' \
         'vnsearch::Analyzer::analyze(' 'vnsearch::version()' 'vnsearch::parse_article(' \
         'vnsearch::fold[abi:cxx11](' 'typeinfo for vnsearch::Error' 'typeinfo for vnsearch::DiskFullError'; do
  grep -qF -- "$s" <<<"$syms" || { echo "not exported: $s"; exit 1; }
done
if [[ $major == 0 ]]; then want=libvnsearch.so.0.$minor; else want=libvnsearch.so.$major; fi
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ $soname == "$want" ]] || { echo "soname $soname, want $want"; exit 1; }
echo "exports and soname ($soname) ok: $(grep -c 'vnsearch::' <<<"$syms") vnsearch symbols"
