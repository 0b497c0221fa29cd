// vnsearch — symbol visibility. The library is built with hidden visibility (only what
// is marked VNSEARCH_API is exported from libvnsearch.so): the public classes and free
// functions of include/vnsearch/ carry the mark; everything in lib/ stays internal.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define VNSEARCH_API __attribute__((visibility("default")))
#else
#define VNSEARCH_API
#endif
