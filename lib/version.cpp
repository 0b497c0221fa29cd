#include "vnsearch/version.h"

namespace vnsearch {
const char* version() noexcept { return VNSEARCH_VERSION_STRING; }
}  // namespace vnsearch
