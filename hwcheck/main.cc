// hai-hwcheck: hardware validation of one appliance node in levels r1-r4, with
// BMC, asset ledger, inspection against a baseline and JSON/HTML reports
// (docs/hwcheck.md).
#include <iostream>

#include "hwcheck/cli.h"

int main(int argc, char** argv) {
  return hai::hwcheck::HwcheckMain(argc, argv, std::cout, std::cerr);
}
