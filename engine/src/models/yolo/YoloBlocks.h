#pragma once
// The building blocks of YOLOv8 (ultralytics nn/modules/conv.py, block.py), registered under
// ultralytics' own names so that a state dict loads by name. Every Conv unit holds its
// BatchNorm already folded into the convolution (`conv.weight`, `conv.bias`), as ultralytics'
// AutoBackend runs it (fuse=True); see YoloWeights.h foldBatchNorm.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"

namespace celerity::yolo {

// ultralytics Conv after fusion: Conv2d(k, s, pad k/2, bias) → SiLU.
struct ConvUnitImpl : torch::nn::Module {
  ConvUnitImpl(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
               const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  layers::Conv2d conv{nullptr};
};
TORCH_MODULE(ConvUnit);

// Bottleneck(c, c, shortcut, e=1.0): two 3×3 Conv units, residual when `shortcut`.
struct BottleneckImpl : torch::nn::Module {
  BottleneckImpl(std::int64_t channels, bool shortcut, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  ConvUnit cv1{nullptr}, cv2{nullptr};
  bool shortcut;
};
TORCH_MODULE(Bottleneck);

// C2f: cv1 1×1 to 2c, chunk in two, each Bottleneck takes the last piece, cat all, cv2 1×1.
struct C2fImpl : torch::nn::Module {
  C2fImpl(std::int64_t in, std::int64_t out, std::int64_t hidden, std::int64_t repeats,
          bool shortcut, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  ConvUnit cv1{nullptr}, cv2{nullptr};
  std::vector<Bottleneck> m;
};
TORCH_MODULE(C2f);

// SPPF(k=5): cv1, three chained MaxPool(k, 1, k/2), cat(x, y1, y2, y3), cv2.
struct SppfImpl : torch::nn::Module {
  SppfImpl(std::int64_t in, std::int64_t out, std::int64_t hidden, std::int64_t kernel,
           const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  ConvUnit cv1{nullptr}, cv2{nullptr};
  std::int64_t kernel;
};
TORCH_MODULE(Sppf);

// One head branch of a level: Conv 3×3, Conv 3×3, plain Conv2d 1×1 (named `0`, `1`, `2`).
struct HeadBranchImpl : torch::nn::Module {
  HeadBranchImpl(std::int64_t in, std::int64_t hidden, std::int64_t out,
                 const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  ConvUnit first{nullptr}, second{nullptr};
  layers::Conv2d last{nullptr};
};
TORCH_MODULE(HeadBranch);

// ConvTranspose2d(kernel 2, stride 2, bias): the Proto's ×2 upsampling (`weight` [in, out, 2, 2]).
struct ConvTranspose2xImpl : torch::nn::Module {
  ConvTranspose2xImpl(std::int64_t in, std::int64_t out, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  at::Tensor weight, bias;
};
TORCH_MODULE(ConvTranspose2x);

// Proto: Conv 3×3 → ConvTranspose2d(2, 2, bias) → Conv 3×3 → Conv 1×1 to the mask channels.
struct ProtoImpl : torch::nn::Module {
  ProtoImpl(std::int64_t in, std::int64_t hidden, std::int64_t out, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  ConvUnit cv1{nullptr}, cv2{nullptr}, cv3{nullptr};
  ConvTranspose2x upsample{nullptr};
};
TORCH_MODULE(Proto);

}  // namespace celerity::yolo
