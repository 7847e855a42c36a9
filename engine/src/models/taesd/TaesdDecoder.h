#pragma once
// TAESD, the "tiny autoencoder" decoder (madebyollin/taesd): a distilled stand-in for the SD
// VAE decoder, ~1.2 M parameters, used for live previews. It decodes the sampler's latent as
// it is (model-scaled, as the UNet sees it; A1111 and ComfyUI pass it unchanged) into an
// image in [0, 1] at 8× the latent resolution.
//
//   Clamp(tanh(x/3)·3) → conv 4→64 → ReLU → 3×Block → up×2 → conv(no bias)
//   → 3×Block → up×2 → conv(no bias) → 3×Block → up×2 → conv(no bias) → Block → conv 64→3
//   Block(x) = ReLU(conv(ReLU(conv(ReLU(conv(x))))) + skip(x)), skip = identity for 64→64.
//
// The files `taesd_decoder.safetensors` (SD 1.x) and `taesdxl_decoder.safetensors` (SDXL) hold
// the state dict of that torch.nn.Sequential: "1.weight", "3.conv.0.weight", "7.weight", …,
// "19.bias"; the modules below register under exactly those names. Pickled `.pth` / `.pt`
// files are refused.
#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "celerity/CheckpointInfo.h"
#include "models/common/WeightLoader.h"

namespace celerity {

// A 3×3 (padding 1) or 1×1 convolution whose bias may be absent, as TAESD has both.
struct TaesdConvImpl : torch::nn::Module {
  TaesdConvImpl(std::int64_t inChannels, std::int64_t outChannels, std::int64_t kernelSize,
                bool withBias, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  at::Tensor weight, bias;  // bias undefined when absent
  std::int64_t padding = 0;
};
TORCH_MODULE(TaesdConv);

// conv.0 → ReLU → conv.2 → ReLU → conv.4, plus the skip, then ReLU.
struct TaesdBlockImpl : torch::nn::Module {
  TaesdBlockImpl(std::int64_t inChannels, std::int64_t outChannels, const at::TensorOptions& options);
  at::Tensor forward(const at::Tensor& x);
  TaesdConv conv0{nullptr}, conv2{nullptr}, conv4{nullptr};
  TaesdConv skip{nullptr};  // 1×1 without bias, only when the width changes
};
TORCH_MODULE(TaesdBlock);

struct TaesdDecoderImpl : torch::nn::Module {
  static constexpr std::int64_t kLatentChannels = 4;
  static constexpr std::int64_t kWidth = 64;
  static constexpr std::int64_t kUpscale = 8;

  explicit TaesdDecoderImpl(const at::TensorOptions& options = at::TensorOptions());

  // The network itself: [B, 4, h, w] → [B, 3, 8h, 8w], nominally [0, 1] (not clamped).
  at::Tensor forward(const at::Tensor& latent);
  // Checks the shape, moves the latent to the weights' device and dtype, runs under
  // InferenceMode and clamps to [0, 1].
  at::Tensor decode(const at::Tensor& latent);

 private:
  std::vector<TaesdBlock> blocks_;    // Sequential indices 3–5, 8–10, 13–15, 18
  std::vector<TaesdConv> upConvs_;    // 7, 12, 17
  TaesdConv in_{nullptr}, out_{nullptr};  // 1, 19
};
TORCH_MODULE(TaesdDecoder);

// The decoder file name a family previews with (without a folder).
std::string taesdDecoderFileName(ModelFamily family);

// The first `<folder>/taesd_decoder.safetensors` (SD 1.x) or `taesdxl_decoder.safetensors`
// (SDXL) that exists, in folder order; nullopt when none does. Throws InvalidArgument for a
// family without TAESD.
std::optional<std::filesystem::path> findTaesdDecoder(ModelFamily family,
                                                      const std::vector<std::string>& folders);

// Like findTaesdDecoder, but a missing file throws CelerityError(FileNotFound) whose message
// lists every folder searched (and mentions a refused `.pth` found there instead).
std::filesystem::path requireTaesdDecoder(ModelFamily family, const std::vector<std::string>& folders);

// Builds the decoder with the options' dtype and device and loads it by name. The keys may sit
// at the top level (madebyollin's files) or under "decoder." / "taesd_decoder.". `.pth`, `.pt`
// and `.ckpt` files throw UnsafeFormat; wrong keys throw WeightMismatch.
TaesdDecoder loadTaesdDecoder(const std::filesystem::path& path, const LoadOptions& options = {});

}  // namespace celerity
