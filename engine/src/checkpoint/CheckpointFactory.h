#pragma once
// Checkpoints without downloads: seeded random weights of the real SD 1.5 / SDXL base
// architectures in the original single-file layout (`celerity-cli make-checkpoint`). Full
// size has every tensor name and shape of the published files; tiny has the golden tiny
// models' sizes. The modules are built on the meta device and their tensors enumerated, so
// the file holds exactly what the loader expects, plus the keys real files carry that no
// module of ours holds (CLIP position_ids, OpenCLIP logit_scale, the schedule buffers).
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include "celerity/CheckpointInfo.h"
#include "io/DType.h"

namespace celerity {

struct CheckpointSpec {
  ModelFamily family = ModelFamily::SD1;  // SD1 or SDXL
  bool full = true;                       // false: the tiny golden sizes
  at::ScalarType dtype = at::kHalf;       // of every floating tensor: Half, BFloat16 or Float
  std::uint64_t seed = 0;
};

// How a tensor's values are made. Random ones follow the golden generator's scaling, so a
// tiny model gives non-degenerate images: norm weights 1 + 0.1·N, biases 0.1·N,
// embeddings 0.5·N, other tensors of ≥ 2 dims N / sqrt(fan_in).
enum class WeightInit {
  Invalid = 0,
  FanIn,
  NormWeight,
  Bias,
  Embedding,
  Fixed,  // `values` holds them (position ids, schedule buffers, logit scale)
};

struct TensorPlan {
  std::string name;
  std::vector<std::int64_t> shape;
  DType dtype = DType::Invalid;
  WeightInit init = WeightInit::Invalid;
  at::Tensor values;  // Fixed only: CPU float64 or int64, cast to `dtype` when written
  bool buffer = false;  // no learned values (position ids, schedule buffers)

  std::int64_t numel() const;
  std::uint64_t byteSize() const;
  bool isFloating() const { return dtype == DType::F16 || dtype == DType::BF16 || dtype == DType::F32; }
};

struct CheckpointWriteSummary {
  std::int64_t tensorCount = 0;
  std::int64_t parameterCount = 0;  // elements of the tensors that are not buffers
  std::uint64_t fileBytes = 0;
  double seconds = 0;
};

// "sd15" / "sdxl", "tiny" / "full", "fp16" / "bf16" / "fp32"; and back (InvalidArgument
// naming the accepted values on anything else).
const char* archName(ModelFamily family);
const char* dtypeOptionName(at::ScalarType dtype);
ModelFamily parseArchName(const std::string& name);
at::ScalarType parseDtypeOptionName(const std::string& name);

// Every tensor of the checkpoint, in file order. Throws InvalidArgument for an unsupported
// family or dtype.
std::vector<TensorPlan> plannedTensors(const CheckpointSpec& spec);

// The `__metadata__` written: celerity_random_weights = "true", arch, size, dtype, seed, and
// the attention heads the shapes do not tell (unet_config, clip_config, width/heads).
std::map<std::string, std::string> checkpointMetadata(const CheckpointSpec& spec);

// Writes the checkpoint, one tensor at a time (memory stays at a few chunks of values), to
// a temporary file renamed into place at the end. Identical bytes for identical specs on
// one LibTorch version. Throws CelerityError(FileUnreadable) naming the path on I/O errors.
CheckpointWriteSummary writeRandomCheckpoint(const CheckpointSpec& spec, const std::filesystem::path& path);

}  // namespace celerity
