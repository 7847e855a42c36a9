#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

// `bench --model F [request flags] --repeat N --warmup K [--ab ID]... [--json FILE] [--trace DIR]`:
// the request A/B with the toggles off and on (interleaved), or a plain benchmark without
// --ab; per-stage medians, ratios and the image difference on `out`.
int runBench(const std::vector<std::string>& args, std::ostream& out);

// `opts`: every optimization toggle with its default, numerics class, stages and availability.
int runOpts(const std::vector<std::string>& args, std::ostream& out);

}  // namespace celerity::cli
