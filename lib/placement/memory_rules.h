#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lib/accel/device.h"

namespace hai::placement {

// How one vendor (optionally one model) slices device memory for shared
// placement. The whole table lives in memory_rules.cc, one row per rule.
struct SliceRule {
  accel::Vendor vendor;
  std::string_view model;              // "" = every model of the vendor
  int64_t unit_mib = 1;                // slices are multiples of this
  std::vector<int64_t> templates_mib;  // fixed slice sizes (vNPU); empty = units only
  bool whole_only = false;             // no slicing known: a slice is the whole card
};

// The rule that applies to a device: the first row matching vendor and model.
const SliceRule& SliceRuleFor(accel::Vendor vendor, std::string_view model);

// The memory a shared request of `request_mib` actually claims on `device`:
// rounded up to the vendor's unit or template; above the largest template (or
// with no template for the model) the whole card. Returns device.memory_mib
// when the slice is the whole card, and -1 when the card's size is unknown.
int64_t RoundSliceMib(const accel::Device& device, int64_t request_mib);

}  // namespace hai::placement
