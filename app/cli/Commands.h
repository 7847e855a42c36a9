#pragma once
// The sub-commands of celerity-cli, testable without a process.
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace celerity::cli
