#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

// `tokenize [--model FILE] [--steps N] PROMPT`: what A1111's token counter shows — the
// prompt schedule, extra-network tags, and per text the 75-token chunks with their weights.
int runTokenize(const std::vector<std::string>& args, std::ostream& out);

}  // namespace celerity::cli
