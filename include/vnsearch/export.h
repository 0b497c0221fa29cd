// vnsearch — symbol visibility. The library is built with hidden visibility (only what
// is marked VNSEARCH_API is exported from libvnsearch.so): the public classes and free
// functions of include/vnsearch/ carry the mark; everything in lib/ stays internal.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define VNSEARCH_API __attribute__((visibility("default")))
/// For the library's own use: hides a nested class of an exported class (the pimpls).
#define VNSEARCH_LOCAL __attribute__((visibility("hidden")))
#else
#define VNSEARCH_API
#define VNSEARCH_LOCAL
#endif
