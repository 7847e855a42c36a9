#include "models/yolo/YoloModel.h"

#include "celerity/Error.h"

namespace celerity::yolo {

YoloModelImpl::YoloModelImpl(const YoloConfig& config, const at::TensorOptions& options)
    : config_(config) {
  auto layers = register_module("model", std::make_shared<torch::nn::Module>());
  for (int i = 0; i < static_cast<int>(config_.layers.size()); ++i) {
    const YoloLayerSpec& spec = config_.layers[static_cast<std::size_t>(i)];
    const std::string name = std::to_string(i);
    switch (spec.kind) {
      case YoloLayerKind::Conv:
        convs_.emplace(i, layers->register_module(
                              name, ConvUnit(spec.inChannels, spec.outChannels, spec.kernel,
                                             spec.stride, options)));
        break;
      case YoloLayerKind::C2f:
        c2fs_.emplace(i, layers->register_module(
                             name, C2f(spec.inChannels, spec.outChannels, spec.hiddenChannels,
                                       spec.repeats, spec.shortcut, options)));
        break;
      case YoloLayerKind::Sppf:
        sppfs_.emplace(i, layers->register_module(
                              name, Sppf(spec.inChannels, spec.outChannels, spec.hiddenChannels,
                                         spec.kernel, options)));
        break;
      default:
        break;  // Upsample and Concat hold no weights
    }
  }
  head_ = layers->register_module(std::to_string(YoloConfig::kHeadIndex), YoloHead(config_, options));
}

at::Tensor YoloModelImpl::runLayer(int index, const std::vector<at::Tensor>& outputs) {
  const YoloLayerSpec& spec = config_.layers[static_cast<std::size_t>(index)];
  auto input = [&](int from) -> const at::Tensor& {
    return outputs.at(static_cast<std::size_t>(from < 0 ? index + from : from));
  };
  switch (spec.kind) {
    case YoloLayerKind::Conv: return convs_.at(index)->forward(input(-1));
    case YoloLayerKind::C2f: return c2fs_.at(index)->forward(input(-1));
    case YoloLayerKind::Sppf: return sppfs_.at(index)->forward(input(-1));
    case YoloLayerKind::Upsample: {
      const auto& x = input(-1);
      return at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
    }
    case YoloLayerKind::Concat: {
      std::vector<at::Tensor> parts;
      for (int from : spec.from) parts.push_back(input(from));
      return at::cat(parts, 1);
    }
    default:
      throw CelerityError(ErrorCode::Internal, "unknown YOLO layer kind", "model." + std::to_string(index));
  }
}

std::vector<at::Tensor> YoloModelImpl::layerOutputs(const at::Tensor& images) {
  const std::int64_t stride = config_.maxStride();
  if (images.dim() != 4 || images.size(1) != 3 || images.size(2) % stride != 0 ||
      images.size(3) % stride != 0) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "YOLO input must be [B, 3, H, W] with H and W multiples of " +
                            std::to_string(stride),
                        "images");
  }
  std::vector<at::Tensor> layerOut;
  layerOut.push_back(convs_.at(0)->forward(images));  // layer 0 reads the image
  for (int i = 1; i < static_cast<int>(config_.layers.size()); ++i) {
    layerOut.push_back(runLayer(i, layerOut));
  }
  std::vector<at::Tensor> features;
  for (int from : config_.headFrom) features.push_back(layerOut.at(static_cast<std::size_t>(from)));
  auto head = head_->forward(features);
  layerOut.push_back(head.prediction);
  if (head.proto.defined()) layerOut.push_back(head.proto);
  return layerOut;
}

HeadOutput YoloModelImpl::forward(const at::Tensor& images) {
  auto outputs = layerOutputs(images);
  HeadOutput out;
  const std::size_t headAt = config_.layers.size();
  out.prediction = outputs.at(headAt);
  if (outputs.size() > headAt + 1) out.proto = outputs.at(headAt + 1);
  return out;
}

}  // namespace celerity::yolo
