#pragma once
// Text rendering of a job's profile for the CLI.
#include <string>

#include "celerity/Profiler.h"

namespace celerity {

// The flat per-stage summary as an aligned table — stage, count, total ms, mean ms, share %,
// peak MiB ("-" when unknown) — one row per stage in order of first appearance, then a
// "wall" row with the job's wall time. Ends with a newline.
std::string formatStageTable(const JobProfile& profile);

}  // namespace celerity
