#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hai::checkpoint {

// "[151936, 896]": how error messages and hai-model spell a shape.
std::string ShapeText(const std::vector<int64_t>& shape);

}  // namespace hai::checkpoint
