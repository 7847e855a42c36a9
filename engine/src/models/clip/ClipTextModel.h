#pragma once
// The CLIP text transformer in the Hugging Face `CLIPTextModel` layout: token + position
// embeddings, pre-LN blocks under a causal mask, a final LayerNorm. Module names equal the
// checkpoint keys after the prefix, so `loadWeights(model, file, prefix)` loads it (the
// `embeddings.position_ids` buffer of real files holds no weights and is not registered).
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/clip/ClipEncoderLayer.h"
#include "models/clip/ClipTextConfig.h"
#include "models/common/Layers.h"

namespace celerity {

struct ClipTextOutput {
  at::Tensor lastHidden;                  // [B, N, W] last layer's output after final_layer_norm
  std::vector<at::Tensor> hiddenStates;   // layers + 1: [0] embeddings, [i] output of layer i
  at::Tensor pooled;                      // [B, W] lastHidden at the first end-of-text token
  at::Tensor poolingIndex;                // [B] int64, that token's position

  // Input of the last layer without final LayerNorm: HF hidden_states[-2], SDXL's CLIP-L.
  const at::Tensor& penultimate() const { return hiddenStates[hiddenStates.size() - 2]; }
};

struct ClipTextModelImpl : torch::nn::Module {
  explicit ClipTextModelImpl(const ClipTextConfig& config,
                             const at::TensorOptions& options = at::TensorOptions());

  // tokens [B, N] integer ids, N ≤ context. Runs under c10::InferenceMode.
  ClipTextOutput forward(const at::Tensor& tokens);

  // A1111 "CLIP skip": 1 = lastHidden, n = final_layer_norm(output of layer layers − n + 1)
  // (2 = penultimate). Throws InvalidArgument outside [1, layers].
  at::Tensor hiddenForClipSkip(const ClipTextOutput& output, int clipSkip);

  at::Tensor finalLayerNorm(const at::Tensor& x) { return finalLayerNorm_(x); }
  const ClipTextConfig& config() const { return config_; }

 private:
  ClipTextConfig config_;
  layers::Embedding tokenEmbedding_{nullptr}, positionEmbedding_{nullptr};
  std::vector<ClipEncoderLayer> layers_;
  layers::LayerNorm finalLayerNorm_{nullptr};
};
TORCH_MODULE(ClipTextModel);

}  // namespace celerity
