#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

// `make-checkpoint --arch sd15|sdxl [--size tiny|full] [--dtype fp16|bf16|fp32] --seed N OUT`:
// writes seeded random weights of the real architecture in the original single-file layout
// and prints what it wrote (tensors, parameters, bytes, seconds). Throws CelerityError on
// bad arguments or I/O errors.
int runMakeCheckpoint(const std::vector<std::string>& args, std::ostream& out);

}  // namespace celerity::cli
