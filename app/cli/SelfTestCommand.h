#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

// `selftest [--device cuda] [--json F] [--arch sd15|sdxl]... [--work DIR]`: every toggle and
// precision on the device against the CPU fp32 result; prints a table, exits 1 when a case
// exceeds its tolerance.
int runSelfTestCommand(const std::vector<std::string>& args, std::ostream& out);

}  // namespace celerity::cli
