#pragma once
// Where a YOLOv8 network's weights come from and how they reach the model:
// - `.safetensors` state dicts in ultralytics' key names (one file, or a base file followed
//   by files whose tensors replace/extend it, like the goldens' nc=2 head);
// - ultralytics `.pt` checkpoints through the restricted pickle reader (no code runs);
// then BatchNorm is folded into the convolutions (ultralytics fuse_conv_and_bn) and the
// fused tensors are loaded by name.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "io/ShapeMap.h"
#include "models/yolo/YoloModel.h"

namespace celerity::yolo {

struct YoloWeights {
  std::map<std::string, at::Tensor> tensors;  // ultralytics names, as stored (any float dtype)
  std::map<std::string, std::string> metadata;
  std::string source;

  // Later files replace or extend earlier ones (tensors and metadata alike).
  static YoloWeights fromSafetensors(const std::vector<std::filesystem::path>& files);
  static YoloWeights fromTorchPickle(const std::filesystem::path& file);
  // By the file's suffix: .pt / .pth through the restricted reader, else safetensors.
  static YoloWeights fromFile(const std::filesystem::path& file);

  ShapeMap shapes() const;
};

// ultralytics fuse_conv_and_bn on every `X.conv.weight` + `X.bn.*`: w·γ/√(var+eps),
// β − γ·mean/√(var+eps), in float32 and in ultralytics' order of operations. The BN tensors
// (and `num_batches_tracked`) are dropped; everything else is converted to float32.
std::map<std::string, at::Tensor> foldBatchNorm(const std::map<std::string, at::Tensor>& tensors,
                                                double eps);

// Loads fused tensors into the module by name. Throws CelerityError(WeightMismatch) listing
// missing, unexpected and misshapen tensors.
void loadYoloState(torch::nn::Module& module, const std::map<std::string, at::Tensor>& tensors,
                   const std::string& source, const at::Device& device);

// Config from the weights, model built, BN folded, weights loaded, eval mode.
YoloModel loadYoloModel(const YoloWeights& weights, const at::Device& device = at::kCPU);

}  // namespace celerity::yolo
