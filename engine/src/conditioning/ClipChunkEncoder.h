#pragma once
// A CLIP text model (Hugging Face layout) as a chunk encoder, in the two ways A1111 uses it:
// - SD 1.x (`FrozenCLIPEmbedderWithCustomWords`): CLIP skip 1 = last_hidden_state, n > 1 =
//   final_layer_norm(hidden_states[-n]);
// - SDXL's first encoder (`FrozenCLIPEmbedderForSDXLWithCustomWords`, layer "hidden"):
//   hidden_states[-2] without the final LayerNorm, whatever the CLIP skip; with the option
//   sdxl_clip_l_skip, hidden_states[-clipSkip], again without it.
#include <string>

#include "conditioning/ChunkTextEncoder.h"
#include "models/clip/ClipTextModel.h"

namespace celerity {

enum class ClipChunkOutput {
  Sd1ClipSkip = 0,
  SdxlHidden,
};

class ClipChunkEncoder : public ChunkTextEncoder {
 public:
  ClipChunkEncoder(ClipTextModel model, ClipChunkOutput output, std::string identity);

  int outputVariant(const LayerSelection& selection) const override;
  std::int64_t width() const override { return model_->config().width; }
  const ClipTextModel& model() const { return model_; }

 protected:
  EncoderOutput run(const at::Tensor& tokens, const LayerSelection& selection) override;

 private:
  // hidden_states[-n] (the tuple holds the embeddings, then every layer's output).
  static const at::Tensor& hiddenFromEnd(const ClipTextOutput& output, int n);

  ClipTextModel model_;
  ClipChunkOutput output_;
};

}  // namespace celerity
