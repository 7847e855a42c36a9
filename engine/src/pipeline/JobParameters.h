#pragma once
// The GenerationParameters (and so the PNG infotext) of one image of a job, spelled as A1111
// spells them: sampler and schedule labels, the image's own seed, "RNG: CPU" (the noise
// comes from CPU generators, A1111's "CPU" RNG source reproduces it).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "celerity/GenerationParameters.h"
#include "celerity/Request.h"

namespace celerity {

GenerationParameters jobParameters(const Request& request, const std::string& modelName, std::int64_t seed,
                                   const std::vector<std::pair<std::string, std::string>>& extra = {});

// A1111's label of a sampler / schedule name ("euler_ancestral" → "Euler a", "karras" →
// "Karras"); names A1111 lacks are returned as they are.
std::string a1111SamplerLabel(const std::string& sampler);
std::string a1111ScheduleLabel(const std::string& schedule);

// Request fields from parameters read back (PNG "parameters" text, `--params-from`).
void applyParameters(const GenerationParameters& parameters, Request& request);

}  // namespace celerity
