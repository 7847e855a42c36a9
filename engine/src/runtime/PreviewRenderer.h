#pragma once
// Turns the sampler's `denoised` latent (model-scaled, as the sampler sees it) into a live
// preview picture of the first image of the batch, by one of three methods:
//   Projection — latent→RGB linear factors, at latent resolution (free);
//   Taesd      — the tiny distilled decoder, at 8× latent resolution; the decoder file is
//                looked up in the VAE-approx folders and loaded on first use, then kept;
//   FullVae    — the model's own VAE, at full resolution (exact, slow).
// When TAESD is unavailable (no file, unreadable file) the renderer, by default, warns once per
// family and falls back to the projection; the preview's `method` says what made it.
// Engine thread only (torch calls).
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <ATen/ATen.h>

#include "celerity/Engine.h"
#include "celerity/Events.h"
#include "models/taesd/TaesdDecoder.h"
#include "pipeline/LoadedModel.h"
#include "runtime/LatentPreview.h"

namespace celerity {

class PreviewRenderer {
 public:
  explicit PreviewRenderer(std::vector<std::string> vaeApproxFolders = {},
                           bool fallbackToProjection = true);

  // `denoised` is [B, 4, h, w] or [4, h, w] on any device. Throws CelerityError:
  // InvalidArgument for the methods None/Invalid or a bad shape; with fallback off,
  // FileNotFound (listing the folders) / UnsafeFormat / WeightMismatch for TAESD.
  RgbPreview render(PreviewMethod method, LoadedModel& model, const at::Tensor& denoised);
  // Without a model: Projection and Taesd only (TAESD then runs in float32 on the latent's
  // device); FullVae throws InvalidArgument.
  RgbPreview render(PreviewMethod method, ModelFamily family, const at::Tensor& denoised);
  // The PreviewEvent's picture fields (method, width, height, rgb) for `settings.method`;
  // the caller fills pass, step, steps and batch.
  PreviewEvent render(const at::Tensor& denoised, const PreviewSettings& settings, LoadedModel& model);

  // The TAESD decoder for `family` in the given dtype and device: loaded on first use, kept.
  // Always throws on failure (no fallback here).
  TaesdDecoder& taesd(ModelFamily family, at::ScalarType dtype, at::Device device);

  // New folders; forgets failed lookups so a file added since is found.
  void setFolders(std::vector<std::string> vaeApproxFolders);
  const std::vector<std::string>& folders() const { return folders_; }
  // Drops the loaded decoders (frees their memory) and the remembered failures.
  void clear();
  std::size_t loadedDecoders() const { return decoders_.size(); }

 private:
  using DecoderKey = std::tuple<int, std::string, int>;  // family, device, dtype

  RgbPreview renderTaesd(ModelFamily family, at::ScalarType dtype, at::Device device,
                         const at::Tensor& first);

  std::vector<std::string> folders_;
  bool fallback_;
  std::map<DecoderKey, TaesdDecoder> decoders_;
  std::map<int, std::string> failures_;  // family → why TAESD is unavailable (fallback mode)
};

}  // namespace celerity
