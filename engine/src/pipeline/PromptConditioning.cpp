#include "pipeline/PromptConditioning.h"

#include <spdlog/spdlog.h>

#include <c10/core/InferenceMode.h>

#include "celerity/Error.h"
#include "common/Log.h"
#include "prompt/ExtraNetworks.h"
#include "prompt/PromptAttention.h"
#include "prompt/PromptSchedule.h"

namespace celerity {
namespace {

BranchConditioning branchOf(const Conditioning& c) { return {c.context, c.y}; }

void recordConditioning(const JobControl& control, const std::string& prefix, const Conditioning& c) {
  if (!control.recordsTensors()) return;
  control.record(prefix + "context", c.context);
  control.record(prefix + "y", c.y);
  control.record(prefix + "pooled", c.pooled);
  control.record(prefix + "size_ids", c.sizeIds);
  // [B, N, 77] → [B, 77·N]: the rows as the encoder saw them, chunk after chunk.
  if (c.tokens.defined()) control.record(prefix + "tokens", c.tokens.flatten(1));
  if (c.openClipTokens.defined()) control.record(prefix + "open_clip_tokens", c.openClipTokens.flatten(1));
}

// sgm's force_uc_zero_embeddings=["txt"]: every text output is zero, the size part of y stays.
void zeroTextParts(Conditioning& c) {
  c.context = at::zeros_like(c.context);
  if (c.pooled.defined()) {
    const auto pooledWidth = c.pooled.size(1);
    c.pooled = at::zeros_like(c.pooled);
    if (c.y.defined()) {
      c.y = c.y.clone();
      c.y.narrow(1, 0, pooledWidth).zero_();
    }
  }
  c.zeroed = true;
}

// The prompt without its <lora:…> tags (A1111 cuts every extra-network tag out before
// encoding; applying LoRAs is the lora stage's business, not this one's).
std::string withoutExtraNetworks(const std::string& prompt) {
  auto parsed = extractExtraNetworks(prompt);
  return std::move(parsed.text);
}

// Each text of the prompt's editing schedule encoded: one conditioning per segment.
ConditioningSchedule encodeSchedule(const TextConditioner& conditioner, const std::string& prompt,
                                    const PromptSchedule& schedule, const ConditioningOptions& options,
                                    bool zeroForReference, Conditioning& first,
                                    std::vector<std::pair<std::string, std::string>>& extra) {
  ConditioningSchedule result;
  for (const auto& entry : schedule) {
    auto encoded = conditioner.encodeTexts({entry.text}, defaultPromptParser(), options);
    if (zeroForReference && !encoded.zeroed) zeroTextParts(encoded);
    if (result.empty()) {
      first = encoded;
      extra = encoded.extraGenerationParams;
    }
    result.push_back({entry.endAtStep, branchOf(encoded)});
  }
  if (result.empty()) {
    throw CelerityError(ErrorCode::Internal, "empty prompt schedule for '" + prompt + "'", "text.encode");
  }
  return result;
}

}  // namespace

TextConditioner::PromptParser defaultPromptParser() {
  return [](const std::string& text) {
    PromptFragments fragments;
    for (auto& piece : parseAttention(text)) fragments.push_back({std::move(piece.text), piece.weight});
    return fragments;
  };
}

SdxlSizeConditioning sdxlSizeFor(const Request& request, int width, int height) {
  const auto& s = request.sdxlSize;
  SdxlSizeConditioning size;
  size.originalHeight = s.originalHeight > 0 ? s.originalHeight : height;
  size.originalWidth = s.originalWidth > 0 ? s.originalWidth : width;
  size.cropTop = s.cropTop;
  size.cropLeft = s.cropLeft;
  size.targetHeight = s.targetHeight > 0 ? s.targetHeight : height;
  size.targetWidth = s.targetWidth > 0 ? s.targetWidth : width;
  return size;
}

PromptConditioning encodePrompts(const TextConditioner& conditioner, const Request& request, int width,
                                 int height, const JobControl& control, std::optional<int> hiresSteps) {
  c10::InferenceMode guard;
  StageScope stage(control, stages::kTextEncode);
  ConditioningOptions options;
  options.clipSkip = request.clipSkip;
  options.sdxlSize = sdxlSizeFor(request, width, height);
  PromptScheduleOptions scheduleOptions;
  scheduleOptions.steps = request.steps;
  scheduleOptions.hiresSteps = hiresSteps;

  PromptConditioning result;
  const auto prompt = withoutExtraNetworks(request.prompt);
  if (prompt.size() != request.prompt.size() && !control.extraNetworksHandled) {
    engineLog()->warn("extra-network tags (<lora:…>) are not applied by this pipeline; they were removed");
  }
  result.cond = encodeSchedule(conditioner, prompt, promptSchedule(prompt, scheduleOptions), options, false,
                               result.condEncoded, result.extraGenerationParams);
  control.throwIfCancelled(stages::kTextEncode);
  const bool needUncond = request.cfgScale != 1.0;
  if (needUncond) {
    auto negativeOptions = options;
    negativeOptions.negative = true;
    const auto negative = withoutExtraNetworks(request.negativePrompt);
    std::vector<std::pair<std::string, std::string>> unused;
    const bool zero = request.sdxlReferenceSampling && conditioner.kind() == ConditionerKind::Sdxl;
    result.uncond = encodeSchedule(conditioner, negative, promptSchedule(negative, scheduleOptions),
                                   negativeOptions, zero, result.uncondEncoded, unused);
  }
  recordConditioning(control, "cond.", result.condEncoded);
  if (needUncond) recordConditioning(control, "uncond.", result.uncondEncoded);
  return result;
}

}  // namespace celerity
