#include "models/common/WeightLoader.h"

#include <set>

#include <ATen/Parallel.h>
#include <sstream>

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"

namespace celerity {
namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shapeText(at::IntArrayRef shape) {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? "," : "") << shape[i];
  out << ']';
  return out.str();
}

std::string listSome(const std::vector<std::string>& names, std::size_t limit = 8) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > limit) text += ", … (" + std::to_string(names.size() - limit) + " more)";
  return text;
}

// `load.pinned_async`: tensors converted to the target dtype on several threads straight into
// pinned host buffers (fp16 files into fp16 models are a plain copy), then copied to the GPU
// without blocking; the buffers live until the device has read them.
void uploadPinned(const std::vector<std::pair<at::Tensor, at::Tensor>>& assignments, const LoadOptions& options) {
  std::vector<at::Tensor> staged(assignments.size());
  at::parallel_for(0, static_cast<std::int64_t>(assignments.size()), 1, [&](std::int64_t begin, std::int64_t end) {
    for (auto i = begin; i < end; ++i) {
      const auto& source = assignments[static_cast<std::size_t>(i)].second;
      const auto dtype = source.is_floating_point() ? options.dtype : source.scalar_type();
      auto buffer = at::empty(source.sizes(), at::TensorOptions().dtype(dtype).pinned_memory(true));
      buffer.copy_(source);
      staged[static_cast<std::size_t>(i)] = std::move(buffer);
    }
  });
  at::Tensor last;
  for (std::size_t i = 0; i < assignments.size(); ++i) {
    last = staged[i].to(options.device, /*non_blocking=*/true);
    assignments[i].first.set_data(last);
  }
  // A blocking read on the same stream waits for every copy issued before it.
  if (last.defined() && last.numel() > 0) (void)last.reshape({-1}).slice(0, 0, 1).to(at::kCPU);
}

}  // namespace

std::vector<std::pair<std::string, at::Tensor>> namedTensors(const torch::nn::Module& module) {
  std::vector<std::pair<std::string, at::Tensor>> result;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    result.emplace_back(item.key(), item.value());
  }
  for (const auto& item : module.named_buffers(/*recurse=*/true)) {
    result.emplace_back(item.key(), item.value());
  }
  return result;
}

std::int64_t parameterCount(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& item : module.named_parameters(true)) count += item.value().numel();
  return count;
}

void loadWeights(torch::nn::Module& module, const SafetensorsFile& file,
                 const std::string& prefix, const LoadOptions& options) {
  std::vector<std::string> missing;
  std::vector<std::string> misshapen;
  std::set<std::string> consumed;
  std::vector<std::pair<at::Tensor, at::Tensor>> assignments;

  for (auto& [name, target] : namedTensors(module)) {
    const std::string key = prefix + name;
    const TensorInfo* info = file.find(key);
    if (info == nullptr) {
      missing.push_back(key);
      continue;
    }
    consumed.insert(key);
    if (at::IntArrayRef(info->shape) != target.sizes()) {
      misshapen.push_back(key + " " + shapeText(info->shape) + " (model expects " +
                          shapeText(target.sizes()) + ")");
      continue;
    }
    assignments.emplace_back(target, file.tensor(*info));
  }

  std::vector<std::string> unexpected;
  for (const auto& key : file.namesWithPrefix(prefix)) {
    if (consumed.count(key) != 0) continue;
    bool ignored = false;
    for (const auto& suffix : options.ignoredSuffixes) ignored = ignored || endsWith(key, suffix);
    if (!ignored) unexpected.push_back(key);
  }

  if (!missing.empty() || !misshapen.empty() || !unexpected.empty()) {
    std::string message = "weights do not fit the model";
    if (!missing.empty()) {
      message += "; " + std::to_string(missing.size()) + " missing: " + listSome(missing);
    }
    if (!misshapen.empty()) {
      message += "; " + std::to_string(misshapen.size()) + " wrongly shaped: " + listSome(misshapen);
    }
    if (!unexpected.empty()) {
      message += "; " + std::to_string(unexpected.size()) + " unexpected: " + listSome(unexpected);
    }
    throw CelerityError(ErrorCode::WeightMismatch, message,
                        file.path().string() + (prefix.empty() ? "" : " [" + prefix + "*]"));
  }

  if (options.pinnedAsync && options.device.is_cuda()) {
    uploadPinned(assignments, options);
    return;
  }
  for (auto& [target, source] : assignments) {
    auto converted = source.is_floating_point()
                         ? source.to(options.device, options.dtype)
                         : source.to(options.device);
    converted = converted.contiguous();
    if (!options.zeroCopy && converted.data_ptr() == source.data_ptr()) converted = converted.clone();
    target.set_data(converted);
  }
}

}  // namespace celerity
