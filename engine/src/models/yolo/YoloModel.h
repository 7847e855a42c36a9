#pragma once
// A YOLOv8 detection / segmentation network natively in LibTorch (ultralytics
// DetectionModel / SegmentationModel after fusion), registered as `model.N.*` so that a
// fused ultralytics state dict loads by name. Built from a YoloConfig with uninitialised
// parameters; load the weights with YoloWeights.h loadYoloWeights / loadYoloModel.
#include <map>
#include <memory>
#include <vector>

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "models/yolo/YoloBlocks.h"
#include "models/yolo/YoloConfig.h"
#include "models/yolo/YoloHead.h"

namespace celerity::yolo {

struct YoloModelImpl : torch::nn::Module {
  YoloModelImpl(const YoloConfig& config, const at::TensorOptions& options);

  // images [B, 3, H, W]: RGB in [0, 1], H and W multiples of the largest stride (32).
  HeadOutput forward(const at::Tensor& images);
  // Every layer's output (0 … 21), then the head's; for localising graph differences.
  std::vector<at::Tensor> layerOutputs(const at::Tensor& images);

  const YoloConfig& config() const { return config_; }

 private:
  at::Tensor runLayer(int index, const std::vector<at::Tensor>& outputs);

  YoloConfig config_;
  std::map<int, ConvUnit> convs_;
  std::map<int, C2f> c2fs_;
  std::map<int, Sppf> sppfs_;
  YoloHead head_{nullptr};
};
TORCH_MODULE(YoloModel);

}  // namespace celerity::yolo
