#pragma once

#include <vector>

#include "lib/store/database.h"

namespace hai::store {

// The control plane's schema, oldest first. Append only: a released migration
// is never edited, a change is a new number. Owners of each table are listed
// in docs/architecture.md.
const std::vector<Migration>& ControlPlaneMigrations();

}  // namespace hai::store
