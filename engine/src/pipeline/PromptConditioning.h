#pragma once
// The `text.encode` stage of a job: the prompt and the negative prompt through the model's
// TextConditioner, turned into the CFG denoiser's conditioning schedules. SDXL gets its size
// conditioning from the request (A1111: the image size); Stability reference sampling zeroes
// the whole text part of the unconditional branch, whatever the negative prompt says.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "celerity/Request.h"
#include "conditioning/Conditioning.h"
#include "conditioning/TextConditioner.h"
#include "pipeline/CfgDenoiser.h"
#include "pipeline/StageObserver.h"

namespace celerity {

struct PromptConditioning {
  ConditioningSchedule cond;
  ConditioningSchedule uncond;
  Conditioning condEncoded;    // as the conditioner returned it (tokens, pooled, …)
  Conditioning uncondEncoded;  // after the reference zeroing, where it applies
  std::vector<std::pair<std::string, std::string>> extraGenerationParams;
};

// A1111's parse_prompt_attention (engine/src/prompt), as the conditioner takes it.
TextConditioner::PromptParser defaultPromptParser();

// Encodes one row each for cond and uncond (the denoiser shares them across the batch) for
// an image of width × height, as A1111 does: extra-network tags cut out, prompt editing
// ([from:to:when], [a|b]) turned into one conditioning per segment (`hiresSteps` for the hires
// pass's timeline), emphasis parsed. Records the first segment's "cond.*" / "uncond.*"
// tensors (context, y, pooled, size_ids, tokens, open_clip_tokens) when recording.
PromptConditioning encodePrompts(const TextConditioner& conditioner, const Request& request, int width,
                                 int height, const JobControl& control,
                                 std::optional<int> hiresSteps = std::nullopt);

// What SDXL's size embedding gets for an image of width × height (0s in the request → size).
SdxlSizeConditioning sdxlSizeFor(const Request& request, int width, int height);

}  // namespace celerity
