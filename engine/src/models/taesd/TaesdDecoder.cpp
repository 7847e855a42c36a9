#include "models/taesd/TaesdDecoder.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <system_error>

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"

namespace celerity {
namespace {

constexpr std::int64_t kBlocksPerStage[] = {3, 3, 3, 1};
// Prefixes a decoder state dict is found under: madebyollin's files have none; full TAESD
// files (encoder and decoder together) use these.
const char* const kPrefixes[] = {"", "decoder.", "taesd_decoder."};

std::string lowerExtension(const std::filesystem::path& path) {
  auto ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool isPickleExtension(const std::filesystem::path& path) {
  const auto ext = lowerExtension(path);
  return ext == ".pth" || ext == ".pt" || ext == ".ckpt" || ext == ".bin";
}

bool isFile(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

std::string stemFor(ModelFamily family) {
  switch (family) {
    case ModelFamily::SD1:
      return "taesd_decoder";
    case ModelFamily::SDXL:
      return "taesdxl_decoder";
    default:
      throw CelerityError(ErrorCode::InvalidArgument,
                          "TAESD previews exist for SD 1.x and SDXL models only",
                          "TAESD decoder");
  }
}

std::string shapeText(const at::Tensor& x) {
  if (!x.defined()) return "none";
  std::string text = "[";
  for (std::int64_t i = 0; i < x.dim(); ++i) text += (i ? "," : "") + std::to_string(x.size(i));
  return text + "]";
}

}  // namespace

TaesdConvImpl::TaesdConvImpl(std::int64_t inChannels, std::int64_t outChannels,
                             std::int64_t kernelSize, bool withBias,
                             const at::TensorOptions& options)
    : padding(kernelSize / 2) {
  weight = register_parameter(
      "weight", at::empty({outChannels, inChannels, kernelSize, kernelSize}, options), false);
  if (withBias) bias = register_parameter("bias", at::empty({outChannels}, options), false);
}

at::Tensor TaesdConvImpl::forward(const at::Tensor& x) {
  return at::conv2d(x, weight, bias, {1, 1}, {padding, padding});
}

TaesdBlockImpl::TaesdBlockImpl(std::int64_t inChannels, std::int64_t outChannels,
                               const at::TensorOptions& options) {
  // torch.nn.Sequential(conv, ReLU, conv, ReLU, conv): the convs are its items 0, 2 and 4.
  auto group = register_module("conv", std::make_shared<torch::nn::Module>());
  conv0 = group->register_module("0", TaesdConv(inChannels, outChannels, 3, true, options));
  conv2 = group->register_module("2", TaesdConv(outChannels, outChannels, 3, true, options));
  conv4 = group->register_module("4", TaesdConv(outChannels, outChannels, 3, true, options));
  if (inChannels != outChannels) {
    skip = register_module("skip", TaesdConv(inChannels, outChannels, 1, false, options));
  }
}

at::Tensor TaesdBlockImpl::forward(const at::Tensor& x) {
  auto y = conv4(at::relu(conv2(at::relu(conv0(x)))));
  return at::relu(y + (skip ? skip(x) : x));
}

TaesdDecoderImpl::TaesdDecoderImpl(const at::TensorOptions& options) {
  // Sequential items: 0 Clamp, 1 conv, 2 ReLU, then per stage its blocks, and between
  // stages Upsample + conv without bias; 19 is the last conv.
  std::int64_t index = 1;
  in_ = register_module(std::to_string(index), TaesdConv(kLatentChannels, kWidth, 3, true, options));
  index += 2;
  const std::size_t stages = std::size(kBlocksPerStage);
  for (std::size_t stage = 0; stage < stages; ++stage) {
    for (std::int64_t b = 0; b < kBlocksPerStage[stage]; ++b) {
      blocks_.push_back(
          register_module(std::to_string(index++), TaesdBlock(kWidth, kWidth, options)));
    }
    if (stage + 1 < stages) {
      ++index;  // Upsample
      upConvs_.push_back(
          register_module(std::to_string(index++), TaesdConv(kWidth, kWidth, 3, false, options)));
    }
  }
  out_ = register_module(std::to_string(index), TaesdConv(kWidth, 3, 3, true, options));
}

at::Tensor TaesdDecoderImpl::forward(const at::Tensor& latent) {
  auto x = at::relu(in_(at::tanh(latent / 3.0) * 3.0));
  std::size_t block = 0;
  const std::size_t stages = std::size(kBlocksPerStage);
  for (std::size_t stage = 0; stage < stages; ++stage) {
    for (std::int64_t b = 0; b < kBlocksPerStage[stage]; ++b) x = blocks_[block++](x);
    if (stage + 1 < stages) {
      x = upConvs_[stage](at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2}));
    }
  }
  return out_(x);
}

at::Tensor TaesdDecoderImpl::decode(const at::Tensor& latent) {
  if (!latent.defined() || latent.dim() != 4 || latent.size(1) != kLatentChannels ||
      latent.size(2) < 1 || latent.size(3) < 1 || !latent.is_floating_point()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "expected a floating [batch, 4, height, width] latent, got " +
                            shapeText(latent),
                        "TAESD decode input");
  }
  c10::InferenceMode guard;
  const auto& weight = in_->weight;
  return forward(latent.to(weight.device(), weight.scalar_type())).clamp(0.0, 1.0);
}

std::string taesdDecoderFileName(ModelFamily family) {
  return stemFor(family) + ".safetensors";
}

std::optional<std::filesystem::path> findTaesdDecoder(ModelFamily family,
                                                      const std::vector<std::string>& folders) {
  const auto name = taesdDecoderFileName(family);
  for (const auto& folder : folders) {
    if (folder.empty()) continue;
    const auto candidate = std::filesystem::path(folder) / name;
    if (isFile(candidate)) return candidate;
  }
  return std::nullopt;
}

std::filesystem::path requireTaesdDecoder(ModelFamily family,
                                          const std::vector<std::string>& folders) {
  if (auto found = findTaesdDecoder(family, folders)) return *found;
  const auto name = taesdDecoderFileName(family);
  std::string searched;
  std::string refused;
  for (const auto& folder : folders) {
    if (folder.empty()) continue;
    searched += (searched.empty() ? "" : ", ") + folder;
    for (const char* ext : {".pth", ".pt"}) {
      const auto pickle = std::filesystem::path(folder) / (stemFor(family) + ext);
      if (isFile(pickle)) refused += (refused.empty() ? "" : ", ") + pickle.string();
    }
  }
  std::string message = "TAESD preview decoder " + name + " not found; searched: " +
                        (searched.empty() ? std::string("no VAE-approx folders configured") : searched);
  if (!refused.empty()) {
    message += " (found " + refused +
               ": pickled files are refused because they can run code; convert it to .safetensors)";
  }
  throw CelerityError(ErrorCode::FileNotFound, message, name);
}

TaesdDecoder loadTaesdDecoder(const std::filesystem::path& path, const LoadOptions& options) {
  if (isPickleExtension(path)) {
    throw CelerityError(ErrorCode::UnsafeFormat,
                        "TAESD weights must be .safetensors: pickled " + lowerExtension(path) +
                            " files can run code when read",
                        path.string());
  }
  if (!isFile(path)) {
    throw CelerityError(ErrorCode::FileNotFound, "TAESD decoder file does not exist", path.string());
  }
  const auto file = SafetensorsFile::open(path);
  std::string prefix;
  bool found = false;
  for (const char* candidate : kPrefixes) {
    if (file->contains(std::string(candidate) + "1.weight")) {
      prefix = candidate;
      found = true;
      break;
    }
  }
  if (!found) {
    throw CelerityError(ErrorCode::WeightMismatch,
                        "not a TAESD decoder: no \"1.weight\" (first convolution) at the top level "
                        "or under \"decoder.\" / \"taesd_decoder.\"",
                        path.string());
  }
  TaesdDecoder decoder(at::TensorOptions().dtype(options.dtype).device(options.device));
  loadWeights(*decoder, *file, prefix, options);
  return decoder;
}

}  // namespace celerity
