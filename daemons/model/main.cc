// hai-model: makes small random checkpoints (init) and summarises real ones
// (inspect). Everything but this line lives in hai_model_tool.
#include <iostream>

#include "daemons/model/model_tool.h"

int main(int argc, char** argv) {
  return hai::model::RunModelTool(argc, argv, std::cout, std::cerr);
}
