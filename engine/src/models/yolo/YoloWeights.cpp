#include "models/yolo/YoloWeights.h"

#include <algorithm>

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"
#include "io/TorchPickleReader.h"

namespace celerity::yolo {
namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shapeText(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string listSome(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < 8; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > 8) text += ", … (" + std::to_string(names.size() - 8) + " more)";
  return text;
}

}  // namespace

YoloWeights YoloWeights::fromSafetensors(const std::vector<std::filesystem::path>& files) {
  YoloWeights weights;
  for (const auto& path : files) {
    const auto file = SafetensorsFile::open(path);
    for (const auto& info : file->tensors()) weights.tensors[info.name] = file->tensor(info);
    for (const auto& [key, value] : file->metadata()) weights.metadata[key] = value;
    weights.source += (weights.source.empty() ? "" : " + ") + path.string();
  }
  return weights;
}

YoloWeights YoloWeights::fromTorchPickle(const std::filesystem::path& file) {
  TorchStateDict state = TorchPickleReader::read(file);
  YoloWeights weights;
  for (auto& [name, tensor] : state.tensors) weights.tensors[name] = tensor;
  weights.metadata = state.metadata;
  weights.source = file.string();
  return weights;
}

YoloWeights YoloWeights::fromFile(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".pt" || ext == ".pth") return fromTorchPickle(file);
  return fromSafetensors({file});
}

ShapeMap YoloWeights::shapes() const {
  ShapeMap map;
  for (const auto& [name, tensor] : tensors) {
    map.add(name, tensor.sizes().vec(), std::string(c10::toString(tensor.scalar_type())));
  }
  map.metadata = metadata;
  map.source = source;
  return map;
}

std::map<std::string, at::Tensor> foldBatchNorm(const std::map<std::string, at::Tensor>& tensors,
                                                double eps) {
  std::map<std::string, at::Tensor> fused;
  auto asFloat = [](const at::Tensor& t) { return t.to(at::kFloat).contiguous(); };
  for (const auto& [name, tensor] : tensors) {
    if (endsWith(name, "num_batches_tracked")) continue;
    const auto bnAt = name.rfind(".bn.");
    if (bnAt != std::string::npos) continue;  // folded below, with its conv
    if (!endsWith(name, ".conv.weight")) {
      if (tensor.is_floating_point()) fused[name] = asFloat(tensor);
      continue;
    }
    const std::string unit = name.substr(0, name.size() - std::string(".conv.weight").size());
    const auto gamma = tensors.find(unit + ".bn.weight");
    if (gamma == tensors.end()) {
      fused[name] = asFloat(tensor);
      continue;
    }
    auto field = [&](const char* what) {
      const auto it = tensors.find(unit + ".bn." + what);
      if (it == tensors.end()) {
        throw CelerityError(ErrorCode::WeightMismatch, "BatchNorm without its " + std::string(what),
                            unit + ".bn." + what);
      }
      return asFloat(it->second);
    };
    const auto weight = asFloat(tensor);
    const auto g = field("weight");
    const auto beta = field("bias");
    const auto mean = field("running_mean");
    const auto var = field("running_var");
    if (g.numel() != weight.size(0)) {
      throw CelerityError(ErrorCode::WeightMismatch, "BatchNorm size differs from its conv",
                          unit + ".bn.weight");
    }
    // fuse_conv_and_bn: diag(γ/√(eps+var)) @ w, and β − γ·mean/√(var+eps) (conv has no bias).
    const auto scale = g.div(at::sqrt(var.add(eps)));
    fused[name] = (weight * scale.view({-1, 1, 1, 1})).contiguous();
    auto bias = beta - g.mul(mean).div(at::sqrt(var + eps));
    const auto convBias = tensors.find(unit + ".conv.bias");
    if (convBias != tensors.end()) bias = bias + scale * asFloat(convBias->second);
    fused[unit + ".conv.bias"] = bias.contiguous();
  }
  return fused;
}

void loadYoloState(torch::nn::Module& module, const std::map<std::string, at::Tensor>& tensors,
                   const std::string& source, const at::Device& device) {
  std::vector<std::string> missing, misshapen, unexpected;
  std::vector<std::pair<at::Tensor, at::Tensor>> assignments;
  std::set<std::string> used;
  auto collect = [&](const std::string& name, at::Tensor& target) {
    const auto it = tensors.find(name);
    if (it == tensors.end()) {
      missing.push_back(name);
      return;
    }
    used.insert(name);
    if (it->second.sizes() != target.sizes()) {
      misshapen.push_back(name + " " + shapeText(it->second.sizes()) + " (model expects " +
                          shapeText(target.sizes()) + ")");
      return;
    }
    assignments.emplace_back(target, it->second);
  };
  for (auto& item : module.named_parameters(true)) collect(item.key(), item.value());
  for (auto& item : module.named_buffers(true)) collect(item.key(), item.value());
  for (const auto& [name, tensor] : tensors) {
    if (used.count(name) == 0) unexpected.push_back(name);
  }
  if (!missing.empty() || !misshapen.empty() || !unexpected.empty()) {
    std::string message = "weights do not fit the YOLOv8 model";
    if (!missing.empty()) message += "; missing: " + listSome(missing);
    if (!misshapen.empty()) message += "; wrongly shaped: " + listSome(misshapen);
    if (!unexpected.empty()) message += "; unexpected: " + listSome(unexpected);
    throw CelerityError(ErrorCode::WeightMismatch, message, source);
  }
  for (auto& [target, source_] : assignments) {
    target.set_data(source_.to(device, at::kFloat).contiguous());
  }
}

YoloModel loadYoloModel(const YoloWeights& weights, const at::Device& device) {
  const YoloConfig config = YoloConfig::fromWeights(weights.shapes());
  YoloModel model(config, at::TensorOptions().dtype(at::kFloat).device(device));
  loadYoloState(*model, foldBatchNorm(weights.tensors, config.bnEps), weights.source, device);
  model->eval();
  return model;
}

}  // namespace celerity::yolo
