#pragma once
// OpenCLIP's text tower as SDXL's second chunk encoder (A1111
// `FrozenOpenCLIPEmbedder2WithCustomWords` over sgm's `FrozenOpenCLIPEmbedder2`, layer
// "penultimate", legacy False): the input of the last block without ln_final, and the pooled
// vector ln_final(last block)[first EOS] @ text_projection. Rows are padded with 0 after the
// first end-of-text token. CLIP skip does not apply.
#include <string>

#include "conditioning/ChunkTextEncoder.h"
#include "models/clip/OpenClipTextModel.h"

namespace celerity {

class OpenClipChunkEncoder : public ChunkTextEncoder {
 public:
  static constexpr std::int64_t kPadId = 0;

  OpenClipChunkEncoder(OpenClipTextModel model, std::string identity);

  std::optional<std::int64_t> padId() const override { return kPadId; }
  int outputVariant(const LayerSelection&) const override { return 0; }
  std::int64_t width() const override { return model_->config().width; }
  std::int64_t pooledWidth() const { return model_->config().projectionDim; }
  const OpenClipTextModel& model() const { return model_; }

 protected:
  EncoderOutput run(const at::Tensor& tokens, const LayerSelection& selection) override;

 private:
  OpenClipTextModel model_;
};

}  // namespace celerity
