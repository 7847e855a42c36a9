// celerity-cli: inspect checkpoints and (later) run jobs and benchmarks without the GUI.
#include <iostream>
#include <string>
#include <vector>

#include "Commands.h"

int main(int argc, char* argv[]) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return celerity::cli::run(args, std::cout, std::cerr);
}
