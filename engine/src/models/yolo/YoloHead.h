#pragma once
// The YOLOv8 Detect head (and its Segment extension), ultralytics nn/modules/head.py: per level
// a box branch (cv2, 4·reg_max DFL logits) and a class branch (cv3); the DFL turns the logits
// into distances, anchors at cell centres turn them into xywh boxes in input pixels.
// Segment adds the mask-coefficient branch (cv4) and the Proto network on P3.
#include <cstdint>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/yolo/YoloBlocks.h"
#include "models/yolo/YoloConfig.h"

namespace celerity::yolo {

struct HeadOutput {
  // [B, 4 + nc (+ nm), A]: box xywh in input pixels, sigmoid class scores, raw coefficients.
  at::Tensor prediction;
  at::Tensor proto;  // [B, nm, H/4, W/4]; undefined for Detect
};

struct YoloHeadImpl : torch::nn::Module {
  YoloHeadImpl(const YoloConfig& config, const at::TensorOptions& options);
  // `features`: P3, P4, P5 (strides 8, 16, 32).
  HeadOutput forward(const std::vector<at::Tensor>& features);

  YoloConfig config;
  std::vector<HeadBranch> boxBranches, classBranches, maskBranches;  // cv2, cv3, cv4
  at::Tensor dflWeight;  // `dfl.conv.weight` [1, reg_max, 1, 1] = 0 … reg_max − 1
  Proto proto{nullptr};
};
TORCH_MODULE(YoloHead);

// ultralytics make_anchors: (x + 0.5, y + 0.5) per cell, level-major then row-major; returns
// anchors [2, A] and strides [1, A].
std::pair<at::Tensor, at::Tensor> makeAnchors(const std::vector<at::Tensor>& features,
                                              const std::vector<double>& strides);

}  // namespace celerity::yolo
