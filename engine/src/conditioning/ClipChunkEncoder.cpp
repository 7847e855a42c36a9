#include "conditioning/ClipChunkEncoder.h"

#include <utility>

#include "celerity/Error.h"

namespace celerity {

namespace {
constexpr int kSdxlClipSkipVariantBase = 1000;  // keeps "follow clip skip" apart from default
}

ClipChunkEncoder::ClipChunkEncoder(ClipTextModel model, ClipChunkOutput output, std::string identity)
    : ChunkTextEncoder(std::move(identity)), model_(std::move(model)), output_(output) {
  if (!model_) {
    throw CelerityError(ErrorCode::InvalidArgument, "a CLIP chunk encoder needs a model", this->identity());
  }
}

int ClipChunkEncoder::outputVariant(const LayerSelection& selection) const {
  if (output_ == ClipChunkOutput::Sd1ClipSkip) return selection.clipSkip;
  return selection.sdxlClipLSkip ? kSdxlClipSkipVariantBase + selection.clipSkip : 0;
}

const at::Tensor& ClipChunkEncoder::hiddenFromEnd(const ClipTextOutput& output, int n) {
  const auto count = static_cast<int>(output.hiddenStates.size());
  if (n < 1 || n > count) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "CLIP skip " + std::to_string(n) + " is outside 1.." + std::to_string(count),
                        "clip_skip");
  }
  return output.hiddenStates[static_cast<std::size_t>(count - n)];
}

EncoderOutput ClipChunkEncoder::run(const at::Tensor& tokens, const LayerSelection& selection) {
  const auto output = model_->forward(tokens);
  EncoderOutput result;
  if (output_ == ClipChunkOutput::Sd1ClipSkip) {
    result.hidden = model_->hiddenForClipSkip(output, selection.clipSkip);
  } else if (selection.sdxlClipLSkip) {
    result.hidden = hiddenFromEnd(output, selection.clipSkip);
  } else {
    result.hidden = output.penultimate();
  }
  return result;
}

}  // namespace celerity
