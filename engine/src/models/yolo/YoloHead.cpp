#include "models/yolo/YoloHead.h"

#include "models/common/Layers.h"

namespace celerity::yolo {

std::pair<at::Tensor, at::Tensor> makeAnchors(const std::vector<at::Tensor>& features,
                                              const std::vector<double>& strides) {
  std::vector<at::Tensor> points;
  std::vector<at::Tensor> strideRows;
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto options = features[i].options();
    const std::int64_t h = features[i].size(2);
    const std::int64_t w = features[i].size(3);
    const auto sx = at::arange(w, options) + 0.5;
    const auto sy = at::arange(h, options) + 0.5;
    const auto grid = at::meshgrid({sy, sx}, "ij");
    points.push_back(at::stack({grid[1], grid[0]}, -1).view({-1, 2}));
    strideRows.push_back(at::full({h * w, 1}, strides.at(i), options));
  }
  return {at::cat(points).transpose(0, 1), at::cat(strideRows).transpose(0, 1)};
}

YoloHeadImpl::YoloHeadImpl(const YoloConfig& config_, const at::TensorOptions& options)
    : config(config_) {
  auto cv2 = register_module("cv2", std::make_shared<torch::nn::Module>());
  auto cv3 = register_module("cv3", std::make_shared<torch::nn::Module>());
  std::shared_ptr<torch::nn::Module> cv4;
  const bool segment = config.task == YoloTask::Segment;
  if (segment) cv4 = register_module("cv4", std::make_shared<torch::nn::Module>());
  for (std::int64_t level = 0; level < config.levels(); ++level) {
    const std::string name = std::to_string(level);
    const std::int64_t in = config.channelsOf(config.headFrom[static_cast<std::size_t>(level)]);
    boxBranches.push_back(cv2->register_module(
        name, HeadBranch(in, config.boxChannels, 4 * config.regMax, options)));
    classBranches.push_back(cv3->register_module(
        name, HeadBranch(in, config.classChannels, config.numClasses, options)));
    if (segment) {
      maskBranches.push_back(cv4->register_module(
          name, HeadBranch(in, config.maskChannels, config.maskCoefficients, options)));
    }
  }
  auto dfl = register_module("dfl", std::make_shared<torch::nn::Module>());
  auto dflConv = dfl->register_module("conv", std::make_shared<torch::nn::Module>());
  dflWeight = layers::addParameter(*dflConv, "weight", {1, config.regMax, 1, 1}, options);
  if (segment) {
    proto = register_module("proto", Proto(config.channelsOf(config.headFrom[0]),
                                           config.protoChannels, config.maskCoefficients, options));
  }
}

HeadOutput YoloHeadImpl::forward(const std::vector<at::Tensor>& features) {
  HeadOutput out;
  const std::int64_t batch = features.at(0).size(0);
  const std::int64_t boxRows = 4 * config.regMax;
  std::vector<at::Tensor> levels;
  std::vector<at::Tensor> levelOutputs;
  for (std::size_t i = 0; i < features.size(); ++i) {
    const auto level = at::cat({boxBranches[i]->forward(features[i]),
                                classBranches[i]->forward(features[i])}, 1);
    levelOutputs.push_back(level);
    levels.push_back(level.view({batch, boxRows + config.numClasses, -1}));
  }
  const auto all = at::cat(levels, 2);
  const auto parts = all.split_with_sizes({boxRows, config.numClasses}, 1);
  const std::int64_t anchors = all.size(2);

  // DFL: softmax over the reg_max bins of each side, then the expectation (a fixed 1×1 conv).
  const auto bins = parts[0].view({batch, 4, config.regMax, anchors}).transpose(2, 1).softmax(1);
  const auto distances = at::conv2d(bins, dflWeight).view({batch, 4, anchors});

  // dist2bbox(xywh=True) × stride.
  const auto [anchorPoints, strides] = makeAnchors(levelOutputs, config.strides);
  const auto sides = distances.chunk(2, 1);
  const auto points = anchorPoints.unsqueeze(0);
  const auto x1y1 = points - sides[0];
  const auto x2y2 = points + sides[1];
  const auto box = at::cat({(x1y1 + x2y2) / 2, x2y2 - x1y1}, 1) * strides;
  out.prediction = at::cat({box, parts[1].sigmoid()}, 1);

  if (config.task == YoloTask::Segment) {
    out.proto = proto->forward(features[0]);
    std::vector<at::Tensor> coefficients;
    for (std::size_t i = 0; i < features.size(); ++i) {
      coefficients.push_back(
          maskBranches[i]->forward(features[i]).view({batch, config.maskCoefficients, -1}));
    }
    out.prediction = at::cat({out.prediction, at::cat(coefficients, 2)}, 1);
  }
  return out;
}

}  // namespace celerity::yolo
