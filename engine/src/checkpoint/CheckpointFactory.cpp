#include "checkpoint/CheckpointFactory.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "celerity/Error.h"
#include "checkpoint/CheckpointDetector.h"
#include "checkpoint/RandomWeights.h"
#include "checkpoint/ScheduleBuffers.h"
#include "common/Log.h"
#include "io/SafetensorsWriter.h"
#include "models/clip/ClipTextModel.h"
#include "models/clip/OpenClipTextModel.h"
#include "models/common/Layers.h"
#include "models/common/WeightLoader.h"
#include "models/unet/UNetModel.h"
#include "models/vae/Vae.h"

namespace celerity {
namespace {

namespace keys = checkpoint_keys;
const std::string kTextModel = "text_model.";
const std::string kDenoiserSigmas = "denoiser.sigmas";
// open_clip trains it from log(1 / 0.07); the published bigG holds the clamp value log(100).
const double kOpenClipLogitScale = std::log(100.0);

struct Architecture {
  UNetConfig unet;
  VaeConfig vae;
  ClipTextConfig clipL;
  std::optional<OpenClipTextConfig> openClipG;  // SDXL only
};

// The VAE of the tiny goldens (sd15_tiny): 32 channels, two nin_shortcut convs fewer.
VaeConfig tinyVae() {
  VaeConfig config;
  config.ch = 32;
  config.chMult = {1, 2, 2, 2};
  return config;
}

// SD 1.5 at the sizes of sd15_tiny (32 channels, 8 heads, context 32; CLIP 32 wide, 2 layers).
Architecture tinySd1() {
  Architecture arch;
  arch.unet.modelChannels = 32;
  arch.unet.timeEmbedDim = 128;
  arch.unet.contextDim = 32;
  arch.vae = tinyVae();
  arch.clipL.width = 32;
  arch.clipL.layers = 2;
  arch.clipL.heads = 4;
  arch.clipL.mlpWidth = 128;
  return arch;
}

// SDXL base at the sizes of unet_sdxl_tiny, clip_l_tiny and clip_g_tiny.
Architecture tinySdxl() {
  Architecture arch;
  arch.unet = UNetConfig::sdxlBase();
  arch.unet.modelChannels = 32;
  arch.unet.timeEmbedDim = 128;
  arch.unet.inputDepths = {0, 0, 1, 1, 2, 2};
  arch.unet.outputDepths = {2, 2, 2, 1, 1, 1, 0, 0, 0};
  arch.unet.middleDepth = 2;
  arch.unet.numHeadChannels = 8;
  arch.vae = tinyVae();
  arch.clipL.width = 32;
  arch.clipL.layers = 4;
  arch.clipL.heads = 4;
  arch.clipL.mlpWidth = 128;
  OpenClipTextConfig openClip;
  openClip.width = 64;
  openClip.layers = 3;
  openClip.heads = 4;
  openClip.mlpWidth = 256;
  openClip.projectionDim = 64;
  arch.openClipG = openClip;
  // Context = CLIP-L + bigG widths; y = pooled bigG + 6 × 256 size/crop embeddings.
  arch.unet.contextDim = arch.clipL.width + openClip.width;
  arch.unet.admInChannels = openClip.projectionDim + 6 * 256;
  return arch;
}

void requireSupported(const CheckpointSpec& spec) {
  if (spec.family != ModelFamily::SD1 && spec.family != ModelFamily::SDXL) {
    throw CelerityError(ErrorCode::InvalidArgument, "only SD 1.x and SDXL checkpoints can be made",
                        "CheckpointSpec.family");
  }
  if (spec.dtype != at::kHalf && spec.dtype != at::kBFloat16 && spec.dtype != at::kFloat) {
    throw CelerityError(ErrorCode::InvalidArgument, "dtype must be fp16, bf16 or fp32", "CheckpointSpec.dtype");
  }
}

Architecture architectureFor(const CheckpointSpec& spec) {
  requireSupported(spec);
  if (!spec.full) return spec.family == ModelFamily::SDXL ? tinySdxl() : tinySd1();
  Architecture arch;  // the config defaults are SD 1.5's VAE, CLIP-L and OpenCLIP bigG
  if (spec.family == ModelFamily::SDXL) {
    arch.unet = UNetConfig::sdxlBase();
    arch.openClipG = OpenClipTextConfig{};
  }
  return arch;
}

// Norms and embeddings are told by their module type, everything else by its rank.
std::map<std::string, WeightInit> initsByModuleType(const torch::nn::Module& module) {
  std::map<std::string, WeightInit> inits;
  for (const auto& item : module.named_modules()) {
    const auto* child = item.value().get();
    const std::string path = item.key().empty() ? "" : item.key() + ".";
    if (dynamic_cast<const layers::GroupNormImpl*>(child) != nullptr ||
        dynamic_cast<const layers::LayerNormImpl*>(child) != nullptr) {
      inits[path + "weight"] = WeightInit::NormWeight;
      inits[path + "bias"] = WeightInit::Bias;
    } else if (dynamic_cast<const layers::EmbeddingImpl*>(child) != nullptr) {
      inits[path + "weight"] = WeightInit::Embedding;
    }
  }
  return inits;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The module's tensors (built on meta: no memory) under `prefix`.
void addModule(std::vector<TensorPlan>& plan, const torch::nn::Module& module, const std::string& prefix,
               DType dtype) {
  const auto inits = initsByModuleType(module);
  for (const auto& [name, tensor] : namedTensors(module)) {
    TensorPlan entry;
    entry.name = prefix + name;
    entry.shape = tensor.sizes().vec();
    entry.dtype = dtype;
    if (const auto it = inits.find(name); it != inits.end()) {
      entry.init = it->second;
    } else if (tensor.dim() >= 2) {
      // open_clip's positional_embedding is a bare parameter, an embedding all the same.
      entry.init = endsWith(name, "embedding") ? WeightInit::Embedding : WeightInit::FanIn;
    } else {
      entry.init = WeightInit::Bias;
    }
    plan.push_back(std::move(entry));
  }
}

TensorPlan fixedTensor(std::string name, const at::Tensor& values, DType dtype, bool buffer) {
  TensorPlan entry;
  entry.buffer = buffer;
  entry.name = std::move(name);
  entry.shape = values.sizes().vec();
  entry.dtype = dtype;
  entry.init = WeightInit::Fixed;
  entry.values = values;
  return entry;
}

// Hugging Face CLIPTextModel's persistent buffer: 0 … context − 1.
TensorPlan positionIds(const std::string& clipPrefix, std::int64_t context) {
  return fixedTensor(clipPrefix + "embeddings.position_ids",
                     at::arange(context, at::TensorOptions().dtype(at::kLong)).unsqueeze(0), DType::I64,
                     /*buffer=*/true);
}

}  // namespace

std::int64_t TensorPlan::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::uint64_t TensorPlan::byteSize() const { return static_cast<std::uint64_t>(numel()) * dtypeSize(dtype); }

const char* archName(ModelFamily family) { return family == ModelFamily::SDXL ? "sdxl" : "sd15"; }

const char* dtypeOptionName(at::ScalarType dtype) {
  if (dtype == at::kBFloat16) return "bf16";
  if (dtype == at::kFloat) return "fp32";
  return "fp16";
}

ModelFamily parseArchName(const std::string& name) {
  if (name == "sd15") return ModelFamily::SD1;
  if (name == "sdxl") return ModelFamily::SDXL;
  throw CelerityError(ErrorCode::InvalidArgument, "unknown architecture '" + name + "'; use sd15 or sdxl", "--arch");
}

at::ScalarType parseDtypeOptionName(const std::string& name) {
  if (name == "fp16") return at::kHalf;
  if (name == "bf16") return at::kBFloat16;
  if (name == "fp32") return at::kFloat;
  throw CelerityError(ErrorCode::InvalidArgument, "unknown dtype '" + name + "'; use fp16, bf16 or fp32",
                      "--dtype");
}

std::vector<TensorPlan> plannedTensors(const CheckpointSpec& spec) {
  const auto arch = architectureFor(spec);
  const auto dtype = *dtypeOf(spec.dtype);
  const auto meta = at::TensorOptions().device(at::kMeta).dtype(at::kFloat);
  std::vector<TensorPlan> plan;

  addModule(plan, *UNetModel(arch.unet, meta), keys::kUNet, dtype);
  addModule(plan, *Vae(arch.vae, meta), keys::kVae, dtype);
  const bool sdxl = spec.family == ModelFamily::SDXL;
  const auto clipPrefix = (sdxl ? keys::kSdxlClipL : keys::kSd1ClipL) + kTextModel;
  addModule(plan, *ClipTextModel(arch.clipL, meta), clipPrefix, dtype);
  plan.push_back(positionIds(clipPrefix, arch.clipL.context));
  if (sdxl) {
    addModule(plan, *OpenClipTextModel(*arch.openClipG, meta), keys::kSdxlOpenClipG, dtype);
    // Part of open_clip's module, so in every file; inference does not use it.
    plan.push_back(fixedTensor(keys::kSdxlOpenClipG + "logit_scale",
                               at::scalar_tensor(kOpenClipLogitScale, at::kDouble), dtype, /*buffer=*/false));
    plan.push_back(fixedTensor(kDenoiserSigmas, sgmDenoiserSigmas(), dtype, /*buffer=*/true));
  } else {
    for (const auto& [name, values] : ldmScheduleBuffers()) {
      plan.push_back(fixedTensor(name, values, dtype, /*buffer=*/true));
    }
  }
  return plan;
}

std::map<std::string, std::string> checkpointMetadata(const CheckpointSpec& spec) {
  const auto arch = architectureFor(spec);
  std::map<std::string, std::string> metadata = {
      {"celerity_random_weights", "true"},
      {"arch", archName(spec.family)},
      {"size", spec.full ? "full" : "tiny"},
      {"dtype", dtypeOptionName(spec.dtype)},
      {"seed", std::to_string(spec.seed)},
  };
  // What the shapes do not tell: the attention heads (read back by the config readers).
  nlohmann::json unet = nlohmann::json::object();
  if (arch.unet.numHeadChannels > 0) {
    unet["num_head_channels"] = arch.unet.numHeadChannels;
  } else {
    unet["num_heads"] = arch.unet.numHeads;
  }
  metadata["unet_config"] = unet.dump();
  metadata["clip_config"] = nlohmann::json{{"width", arch.clipL.width}, {"heads", arch.clipL.heads}}.dump();
  if (arch.openClipG) {
    metadata["width"] = std::to_string(arch.openClipG->width);
    metadata["heads"] = std::to_string(arch.openClipG->heads);
  }
  return metadata;
}

CheckpointWriteSummary writeRandomCheckpoint(const CheckpointSpec& spec, const std::filesystem::path& path) {
  const auto start = std::chrono::steady_clock::now();
  const auto plan = plannedTensors(spec);
  SafetensorsWriter writer(path);
  for (const auto& [key, value] : checkpointMetadata(spec)) writer.setMetadata(key, value);
  CheckpointWriteSummary summary;
  for (const auto& entry : plan) {
    writer.add(entry.name, entry.dtype, entry.shape);
    if (!entry.buffer) summary.parameterCount += entry.numel();
  }
  writer.begin();
  for (std::size_t i = 0; i < plan.size(); ++i) writePlannedTensor(writer, plan[i], spec.seed, i);
  writer.finish();
  summary.tensorCount = static_cast<std::int64_t>(plan.size());
  summary.fileBytes = writer.fileBytes();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  engineLog()->info("wrote random {} {} checkpoint {} ({} tensors, {} bytes) in {:.1f} s", archName(spec.family),
                    spec.full ? "full" : "tiny", path.string(), summary.tensorCount, summary.fileBytes,
                    summary.seconds);
  return summary;
}

}  // namespace celerity
