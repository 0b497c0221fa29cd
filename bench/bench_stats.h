// Small statistics the benchmarks share.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace vnsearch_bench {

/// The p-quantile (0..1) of `v`, nearest rank; 0 for no values.
inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace vnsearch_bench
