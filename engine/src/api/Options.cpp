#include "celerity/Options.h"

#include <algorithm>

#include "celerity/Error.h"

namespace celerity {
namespace {

OptimizationInfo toggle(std::string id, std::string title, std::string description, bool defaultOn,
                        std::vector<std::string> stages, NumericsClass numerics,
                        OptimizationRequirement requirement = OptimizationRequirement::None) {
  return {std::move(id), std::move(title), std::move(description), defaultOn, std::move(stages), numerics,
          requirement};
}

std::vector<OptimizationInfo> makeCatalog() {
  using N = NumericsClass;
  return {
      toggle("load.mmap", "Memory-mapped weights",
             "Use the checkpoint's tensors in place from a private file mapping instead of reading copies",
             true, {"load.checkpoint"}, N::Exact),
      toggle("load.parallel", "Parallel component loading",
             "Build and load the UNet, VAE and text encoders on several threads at once", true,
             {"load.checkpoint"}, N::Exact),
      toggle("cache.keep_loaded", "Keep models loaded",
             "Keep checkpoints resident between jobs (within the memory budget) instead of reloading them",
             true, {"load.checkpoint"}, N::Exact),
      toggle("text.cache", "Prompt encoding cache",
             "Reuse the text encoder's output for prompts already encoded with the same model", true,
             {"text.encode"}, N::Exact),
      toggle("unet.cfg_batch", "Batch cond and uncond",
             "Evaluate the conditional and unconditional branches in one UNet call per step", true,
             {"sample.step"}, N::WithinTolerance),
      toggle("unet.channels_last", "Channels-last UNet",
             "Keep UNet activations and weights in NHWC memory order", false, {"sample.step"},
             N::WithinTolerance),
      toggle("preview.throttle", "Throttle previews",
             "Render live previews at most every few hundred milliseconds, however fast the steps are", true,
             {"preview"}, N::Exact),
      toggle("lora.merge_cache", "LoRA merge cache",
             "Remember merged LoRA deltas: going back to a set is free and a weight change applies only the difference",
             true, {"lora.apply"}, N::WithinTolerance),
      toggle("lora.unmerged", "Unmerged LoRA",
             "Apply LoRAs in the forward pass instead of merging them into the weights (instant to change, slower steps)",
             false, {"lora.apply", "sample.step"}, N::WithinTolerance),
      toggle("vae.tiled", "Tiled VAE decode",
             "Decode large images in overlapping tiles with blended seams to bound memory", false,
             {"vae.decode"}, N::ChangesImage),
      toggle("unet.half", "Half-precision UNet",
             "Load the UNet in fp16 (bf16 where the device lacks fp16 kernels) instead of fp32: half the memory, "
             "tensor-core speed",
             true, {"load.checkpoint", "sample.step"}, N::WithinTolerance, OptimizationRequirement::Cuda),
      toggle("vae.half", "Half-precision VAE",
             "Encode and decode in half precision; a result with NaN or infinity is decoded again in fp32 "
             "(SDXL's VAE overflows in fp16)",
             true, {"vae.decode", "vae.encode"}, N::WithinTolerance, OptimizationRequirement::Cuda),
      toggle("attn.sdpa", "Fused attention",
             "LibTorch's scaled-dot-product attention (flash / memory-efficient kernels) instead of "
             "softmax(QKᵀ)V in query chunks",
             true, {"sample.step", "text.encode"}, N::WithinTolerance, OptimizationRequirement::Torch2),
      toggle("unet.cuda_graphs", "CUDA graphs",
             "Capture the UNet forward once per batch, size and prompt length and replay it every step "
             "(removes kernel launch overhead)",
             false, {"sample.step"}, N::WithinTolerance, OptimizationRequirement::Cuda),
      toggle("sys.cudnn_benchmark", "cuDNN autotuning",
             "Let cuDNN time its convolution algorithms once per shape and keep the fastest", true,
             {"sample.step", "vae.decode"}, N::WithinTolerance, OptimizationRequirement::Cuda),
      toggle("sys.tf32", "TF32 matmuls",
             "Allow TensorFloat-32 in fp32 matrix products and convolutions on Ampere and newer", true,
             {"sample.step", "vae.decode"}, N::WithinTolerance, OptimizationRequirement::Cuda),
      toggle("load.pinned_async", "Pinned asynchronous upload",
             "Stage weights in pinned host memory, convert them on several threads and copy them to the GPU "
             "without blocking",
             true, {"load.checkpoint"}, N::Exact, OptimizationRequirement::Cuda),
      toggle("detail.keep_detector", "Keep detectors loaded",
             "ADetailer detectors stay loaded between tabs and jobs instead of being read again for each tab",
             true, {"detail.load"}, N::Exact),
      toggle("detail.single_pass", "One detection pass for all tabs",
             "Detect every tab's regions on the finished image in one pass over a shared letterboxed input "
             "(ADetailer detects each tab on the previous tab's result), and batch non-overlapping regions of "
             "different tabs together",
             false, {"detail.detect", "detail.sample"}, N::ChangesImage),
      toggle("detail.detect_cache", "Detection cache",
             "The same image detected again with the same settings reuses the earlier result", true,
             {"detail.detect"}, N::Exact),
      toggle("detail.batch_inpaint", "Batched detailer inpainting",
             "Regions whose crops share an inpaint size and do not overlap go through encode, sampling and "
             "decode as one batch instead of one img2img pass each",
             true, {"detail.encode", "detail.sample", "detail.decode"}, N::WithinTolerance),
  };
}

[[noreturn]] void unknownToggle(const std::string& id) {
  std::string known;
  for (const auto& info : optimizationCatalog()) known += (known.empty() ? "" : ", ") + info.id;
  throw CelerityError(ErrorCode::InvalidArgument, "unknown optimization '" + id + "' (known: " + known + ")",
                      "optimizations." + id);
}

}  // namespace

const char* numericsClassName(NumericsClass numerics) {
  switch (numerics) {
    case NumericsClass::Exact: return "exact";
    case NumericsClass::WithinTolerance: return "within tolerance";
    case NumericsClass::ChangesImage: return "changes image";
    case NumericsClass::Invalid: break;
  }
  return "invalid";
}

const std::vector<OptimizationInfo>& optimizationCatalog() {
  static const std::vector<OptimizationInfo> catalog = makeCatalog();
  return catalog;
}

const OptimizationInfo* findOptimization(const std::string& id) {
  const auto& catalog = optimizationCatalog();
  const auto it = std::find_if(catalog.begin(), catalog.end(), [&](const auto& info) { return info.id == id; });
  return it == catalog.end() ? nullptr : &*it;
}

std::string unavailableReason(const OptimizationInfo& info, const DeviceCapabilities& device) {
  switch (info.requirement) {
    case OptimizationRequirement::Cuda:
      return device.cuda ? std::string() : "needs a CUDA device; this engine runs on the CPU";
    case OptimizationRequirement::Torch2:
      return device.torchMajor >= 2 ? std::string()
                                    : "needs LibTorch 2 or later; this build uses LibTorch " +
                                          std::to_string(device.torchMajor);
    case OptimizationRequirement::None:
    case OptimizationRequirement::Invalid: break;
  }
  return {};
}

OptimizationSet::OptimizationSet() {
  for (const auto& info : optimizationCatalog()) state_[info.id] = info.defaultOn;
}

OptimizationSet OptimizationSet::resolve(const OptimizationOverrides& overrides) {
  OptimizationSet set;
  for (const auto& [id, on] : overrides) set.set(id, on);
  return set;
}

bool OptimizationSet::enabled(const std::string& id) const {
  const auto it = state_.find(id);
  if (it == state_.end()) unknownToggle(id);
  return it->second;
}

void OptimizationSet::set(const std::string& id, bool on) {
  const auto it = state_.find(id);
  if (it == state_.end()) unknownToggle(id);
  it->second = on;
}

void OptimizationSet::restrictTo(const DeviceCapabilities& device) {
  for (const auto& info : optimizationCatalog()) {
    if (!unavailableReason(info, device).empty()) state_[info.id] = false;
  }
}

std::vector<std::string> OptimizationSet::enabledIds() const {
  std::vector<std::string> ids;
  for (const auto& info : optimizationCatalog()) {
    if (state_.at(info.id)) ids.push_back(info.id);
  }
  return ids;
}

std::vector<std::string> OptimizationSet::imageChangingDifferences() const {
  std::vector<std::string> changes;
  for (const auto& info : optimizationCatalog()) {
    const bool on = state_.at(info.id);
    if (info.numerics == NumericsClass::ChangesImage && on != info.defaultOn) {
      changes.push_back(info.id + (on ? "=on" : "=off"));
    }
  }
  return changes;
}

void parseOptimizationSetting(const std::string& text, OptimizationOverrides& overrides) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw CelerityError(ErrorCode::InvalidArgument, "expected ID=on|off, got '" + text + "'", "--opt");
  }
  const auto id = text.substr(0, eq);
  const auto value = text.substr(eq + 1);
  if (findOptimization(id) == nullptr) unknownToggle(id);
  if (value == "on" || value == "1" || value == "true") {
    overrides[id] = true;
  } else if (value == "off" || value == "0" || value == "false") {
    overrides[id] = false;
  } else {
    throw CelerityError(ErrorCode::InvalidArgument, "'" + value + "' is not on or off", "--opt " + id);
  }
}

}  // namespace celerity
