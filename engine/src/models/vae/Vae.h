#pragma once
// The SD 1.x / SDXL VAE: CompVis AutoencoderKL in the original checkpoint layout, so that
// `loadWeights(vae, file, "first_stage_model.")` loads it by name. Either half may be absent
// (decoder-only files exist); calling the missing half is an error.
//
//   encodeMoments(x) = quant_conv(encoder(x))          [B, 2·embed, H/f, W/f]
//   decode(z)        = decoder(post_quant_conv(z))      [B, out, h·f, w·f]
//   imageToLatent(x) = mean · scaleFactor,  latentToImage(l) = decode(l / scaleFactor)
#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

#include "models/common/Layers.h"
#include "models/vae/VaeConfig.h"
#include "models/vae/VaeDecoder.h"
#include "models/vae/VaeEncoder.h"

namespace celerity {

// The diagonal Gaussian of the encoder: the two channel halves of the moments.
struct VaeMoments {
  at::Tensor mean;
  at::Tensor logvar;  // clamped to [-30, 20] as ldm's DiagonalGaussianDistribution does
};

struct VaeImpl : torch::nn::Module {
  // Parameters are allocated uninitialised with `options` (dtype, device; meta works).
  explicit VaeImpl(const VaeConfig& config, const at::TensorOptions& options = at::TensorOptions());

  // Images are [B, inChannels, H, W] in [-1, 1]; inputs are moved to the model's dtype and
  // device. All run under c10::InferenceMode.
  at::Tensor encodeMoments(const at::Tensor& image);
  at::Tensor encodeMean(const at::Tensor& image);
  VaeMoments encodeDistribution(const at::Tensor& image);
  // z is the unscaled latent [B, embedDim, h, w]; the image is raw (not clamped).
  at::Tensor decode(const at::Tensor& z);

  // The sampler's latent space: latent = z · scaleFactor.
  at::Tensor latentToImage(const at::Tensor& latent);
  at::Tensor imageToLatent(const at::Tensor& image);

  static VaeMoments splitMoments(const at::Tensor& moments);

  const VaeConfig& config() const { return config_; }
  void setScaleFactor(double scaleFactor);

  VaeEncoder encoder{nullptr};
  VaeDecoder decoder{nullptr};
  layers::Conv2d quantConv{nullptr};
  layers::Conv2d postQuantConv{nullptr};

 private:
  at::Tensor prepare(const at::Tensor& x, std::int64_t channels, const char* where) const;

  VaeConfig config_;
  at::TensorOptions options_;
};
TORCH_MODULE(Vae);

}  // namespace celerity
