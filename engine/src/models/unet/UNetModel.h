#pragma once
// The denoising UNet of SD 1.x and SDXL (CompVis ldm / Stability sgm `UNetModel`), with its
// modules named as the checkpoint's `model.diffusion_model.*` keys:
//   time_embed.{0,2}, [label_emb.0.{0,2}], input_blocks.N.M, middle_block.{0,1,2},
//   output_blocks.N.M, out.{0,2}
// so that loadWeights(model, file, "model.diffusion_model.") needs no translation.
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include "models/common/Layers.h"
#include "models/common/WeightLoader.h"
#include "models/unet/UNetBlock.h"
#include "models/unet/UNetConfig.h"

namespace celerity {

class SafetensorsFile;

struct UNetModelImpl : torch::nn::Module {
  // Allocates only (no data access), so it also builds on the meta device.
  explicit UNetModelImpl(const UNetConfig& config, const at::TensorOptions& options = {});

  // x [B, inChannels, H, W] (H, W divisible by 2^(levels−1)); timesteps [B], [1] or 0-d
  // (float: fractional values are fine); context [B or 1, T, contextDim]; y [B, admInChannels]
  // for SDXL, undefined otherwise. Returns eps [B, outChannels, H, W].
  at::Tensor forward(const at::Tensor& x, const at::Tensor& timesteps, const at::Tensor& context,
                     const at::Tensor& y = {});

  const UNetConfig& config() const { return config_; }

 private:
  at::Tensor embedding(const at::Tensor& timesteps, const at::Tensor& y, std::int64_t batch,
                       const at::TensorOptions& options);
  void checkInputs(const at::Tensor& x, const at::Tensor& context, const at::Tensor& y) const;

  UNetConfig config_;
  layers::Linear timeEmbedIn_{nullptr}, timeEmbedOut_{nullptr};
  layers::Linear labelEmbedIn_{nullptr}, labelEmbedOut_{nullptr};
  std::vector<UNetBlock> inputBlocks_;
  UNetBlock middleBlock_{nullptr};
  std::vector<UNetBlock> outputBlocks_;
  layers::GroupNorm outNorm_{nullptr};
  layers::Conv2d outConv_{nullptr};
};
TORCH_MODULE(UNetModel);

// Reads the config from the file's tensors under `prefix`, builds the UNet with the options'
// dtype and device, and loads its weights.
UNetModel loadUNetModel(const SafetensorsFile& file, const std::string& prefix = "model.diffusion_model.",
                        const LoadOptions& options = {});

}  // namespace celerity
