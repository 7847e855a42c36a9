#pragma once
// OpenCLIP's text tower in open_clip's own layout (SDXL `conditioner.embedders.1.model.`):
// token embedding + `positional_embedding`, pre-LN blocks under a causal mask, `ln_final`
// and `text_projection` (applied as x @ text_projection). `logit_scale` belongs to the
// image-text head, is ignored by the loader and not registered.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/clip/OpenClipResidualBlock.h"
#include "models/clip/OpenClipTextConfig.h"
#include "models/common/Layers.h"

namespace celerity {

struct OpenClipTextOutput {
  at::Tensor penultimate;                // [B, N, W] input of the last block, no ln_final (SDXL)
  at::Tensor lastHidden;                 // [B, N, W] ln_final(output of the last block)
  at::Tensor pooled;                     // [B, P] pooledUnprojected @ text_projection (undefined without one)
  at::Tensor pooledUnprojected;          // [B, W] lastHidden at the end-of-text token
  at::Tensor poolingIndex;               // [B] int64, that token's position
  std::vector<at::Tensor> hiddenStates;  // layers + 1: [0] embeddings, [i] output of block i
};

struct OpenClipTextModelImpl : torch::nn::Module {
  explicit OpenClipTextModelImpl(const OpenClipTextConfig& config,
                                 const at::TensorOptions& options = at::TensorOptions());

  // tokens [B, N] integer ids, N ≤ context. Runs under c10::InferenceMode.
  OpenClipTextOutput forward(const at::Tensor& tokens);

  at::Tensor lnFinal(const at::Tensor& x) { return lnFinal_(x); }
  const OpenClipTextConfig& config() const { return config_; }

 private:
  OpenClipTextConfig config_;
  layers::Embedding tokenEmbedding_{nullptr};
  at::Tensor positionalEmbedding_;  // [context, W]
  std::vector<OpenClipResidualBlock> blocks_;
  layers::LayerNorm lnFinal_{nullptr};
  at::Tensor textProjection_;       // [W, P]
};
TORCH_MODULE(OpenClipTextModel);

}  // namespace celerity
