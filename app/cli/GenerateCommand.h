#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

// `generate --model FILE --prompt TEXT [options]`: txt2img / img2img / hires fix with a loaded
// checkpoint; writes NNNNN-SEED.png files with the A1111 "parameters" text into --out and
// prints their paths on `out`. Progress goes to stderr. Throws CelerityError on bad input.
int runGenerate(const std::vector<std::string>& args, std::ostream& out);

}  // namespace celerity::cli
