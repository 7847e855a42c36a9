#pragma once
// The building blocks every model is made of. They allocate their parameters uninitialised
// (weights always come from a checkpoint) with the dtype and device they are built for, so a
// full-size model is built in milliseconds, and on the `meta` device without memory at all.
// Parameter names are the PyTorch ones (`weight`, `bias`), so a module tree registered under
// the checkpoint's names loads by name.
#include <cstdint>
#include <memory>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace celerity::layers {

// Registers an uninitialised parameter that never requires grad (inference only).
at::Tensor addParameter(torch::nn::Module& module, const std::string& name,
                        at::IntArrayRef shape, const at::TensorOptions& options);

// A term added to a Linear / Conv2d layer's output, computed from its input: LoRAs applied
// in the forward pass instead of merged into the weight (`lora.unmerged`). A layer without
// one pays a null check.
class LayerAdapter {
 public:
  virtual ~LayerAdapter() = default;
  // `output` is the layer's own result for `input`; returns it with the term added.
  virtual at::Tensor apply(const at::Tensor& input, const at::Tensor& output) const = 0;
};

struct LinearImpl : torch::nn::Module {
  LinearImpl(std::int64_t inFeatures, std::int64_t outFeatures, bool withBias,
             const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  at::Tensor weight, bias;  // weight [out, in]
  std::shared_ptr<const LayerAdapter> adapter;  // null: the plain layer
};
TORCH_MODULE(Linear);

struct Conv2dImpl : torch::nn::Module {
  Conv2dImpl(std::int64_t inChannels, std::int64_t outChannels, std::int64_t kernelSize,
             std::int64_t stride, std::int64_t padding, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  at::Tensor weight, bias;  // weight [out, in, k, k]
  std::int64_t stride = 1, padding = 0;
  std::shared_ptr<const LayerAdapter> adapter;  // null: the plain layer
};
TORCH_MODULE(Conv2d);

struct GroupNormImpl : torch::nn::Module {
  GroupNormImpl(std::int64_t groups, std::int64_t channels, double eps,
                const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  at::Tensor weight, bias;
  std::int64_t groups;
  double eps;
};
TORCH_MODULE(GroupNorm);

struct LayerNormImpl : torch::nn::Module {
  LayerNormImpl(std::int64_t features, double eps, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  at::Tensor weight, bias;
  std::int64_t features;
  double eps;
};
TORCH_MODULE(LayerNorm);

struct EmbeddingImpl : torch::nn::Module {
  EmbeddingImpl(std::int64_t count, std::int64_t dim, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& ids);
  at::Tensor weight;  // [count, dim]
};
TORCH_MODULE(Embedding);

// Activations used by the SD model family.
at::Tensor quickGelu(const at::Tensor& x);  // x * sigmoid(1.702 x), OpenAI CLIP
at::Tensor gelu(const at::Tensor& x);       // exact (erf) GELU
at::Tensor silu(const at::Tensor& x);

}  // namespace celerity::layers
