#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

// `bench --model F [request flags] --repeat N --warmup K [--ab ID]... [--json FILE] [--trace DIR]`:
// the request A/B with the toggles off and on (interleaved), or a plain benchmark without
// --ab; per-stage medians, ratios and the image difference on `out`. With --vary-lora-weight
// every run scales the prompt's <lora:…> multipliers by the next of --lora-factors (what a
// weight change costs, e.g. with and without lora.merge_cache).
int runBench(const std::vector<std::string>& args, std::ostream& out);

// `opts`: every optimization toggle with its default, numerics class, stages and availability.
int runOpts(const std::vector<std::string>& args, std::ostream& out);

}  // namespace celerity::cli
