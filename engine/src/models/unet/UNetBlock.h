#pragma once
// One entry of input_blocks / middle_block / output_blocks (openaimodel's
// TimestepEmbedSequential): layers applied in order, registered as "0", "1", "2", each fed
// what it needs (ResBlocks the time embedding, transformers the context).
#include <functional>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"
#include "models/unet/Downsample.h"
#include "models/unet/ResBlock.h"
#include "models/unet/SpatialTransformer.h"
#include "models/unet/Upsample.h"

namespace celerity {

class UNetBlockImpl : public torch::nn::Module {
 public:
  void append(const layers::Conv2d& conv);
  void append(const ResBlock& block);
  void append(const SpatialTransformer& transformer);
  void append(const Downsample& down);
  void append(const Upsample& up);

  at::Tensor forward(const at::Tensor& x, const at::Tensor& emb, const at::Tensor& context);
  std::size_t size() const { return steps_.size(); }

 private:
  using Step = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& emb, const at::Tensor& context)>;
  std::string nextName() const { return std::to_string(steps_.size()); }

  std::vector<Step> steps_;
};
TORCH_MODULE(UNetBlock);

}  // namespace celerity
