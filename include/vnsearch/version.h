#pragma once

namespace vnsearch {
/// Library version, "MAJOR.MINOR.PATCH".
const char* version() noexcept;
}  // namespace vnsearch
