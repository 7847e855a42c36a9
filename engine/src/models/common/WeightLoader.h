#pragma once
// Loads a module's parameters and buffers from a checkpoint by name: module name `a.b.weight`
// is checkpoint key `prefix + "a.b.weight"`. Missing, unexpected and wrongly shaped tensors
// are an error that lists them; tensors already in the requested dtype and device stay views
// of the file mapping, so the parameters occupy the memory of one copy only.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace celerity {

class SafetensorsFile;

struct LoadOptions {
  at::ScalarType dtype = at::kFloat;  // for floating tensors; integer buffers keep theirs
  at::Device device = at::kCPU;
  // Tensors already in the wanted dtype and device stay views of the file mapping
  // (`load.mmap`); false copies them into private memory.
  bool zeroCopy = true;
  // Build and load the components of a model on several threads (`load.parallel`).
  bool parallel = false;
  // The UNet's floating dtype when it differs from `dtype` (`unet.half`).
  std::optional<at::ScalarType> unetDtype;
  // CUDA targets: pinned staging buffers, conversions on several threads, non-blocking
  // copies (`load.pinned_async`). Ignored for the CPU.
  bool pinnedAsync = false;
  // Key suffixes that checkpoints carry but that hold no weights of ours.
  std::vector<std::string> ignoredSuffixes = {"position_ids", "logit_scale"};
};

void loadWeights(torch::nn::Module& module, const SafetensorsFile& file,
                 const std::string& prefix, const LoadOptions& options = {});

std::int64_t parameterCount(const torch::nn::Module& module);

// The module's tensors (parameters and buffers) by their full names, for manifests and tests.
std::vector<std::pair<std::string, at::Tensor>> namedTensors(const torch::nn::Module& module);

}  // namespace celerity
