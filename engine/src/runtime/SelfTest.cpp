#include "celerity/SelfTest.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <filesystem>
#include <iomanip>
#include <map>
#include <sstream>

#include <ATen/ATen.h>
#include <c10/util/Exception.h>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "checkpoint/CheckpointFactory.h"
#include "conditioning/EncodingCache.h"
#include "models/common/Precision.h"
#include "pipeline/GenerationPipeline.h"
#include "pipeline/LoadedModel.h"
#include "runtime/GraphedUNet.h"
#include "runtime/JobSetup.h"
#include "text/ClipTokenizer.h"

namespace celerity {
namespace {

constexpr double kFp32Tolerance = 1e-4;
constexpr double kHalfTolerance = 2e-2;

// Keeps the two tensors the comparison needs.
class FinalTensors final : public StageObserver {
 public:
  bool recordsTensors() const override { return true; }
  void onTensor(const std::string& name, const at::Tensor& value) override {
    if (name == "final_latent" || name == "image") tensors[name] = value.to(at::kCPU, at::kDouble);
  }
  std::map<std::string, at::Tensor> tensors;
};

struct CaseResult {
  at::Tensor latent;
  at::Tensor image;
  double ms = 0;
};

Request selfTestRequest(const std::string& checkpoint) {
  Request request;
  request.checkpointPath = checkpoint;
  request.prompt = "a red fox in the snow, (detailed fur:1.2), [sunset:dawn:2]";
  request.negativePrompt = "blurry";
  request.seed = 1234;
  request.steps = 4;
  request.cfgScale = 5.0;
  request.sampler = "Euler a";  // ancestral: the per-image noise streams are exercised too
  request.width = 64;
  request.height = 64;
  request.batchSize = 2;
  return request;
}

// One job with the given toggles (and optionally forced half precision) on `device`.
enum class ForceHalf { None = 0, UNet, Vae, Both };

CaseResult runCase(const std::string& checkpoint, const std::shared_ptr<const ClipTokenizer>& tokenizer,
                   const OptimizationSet& toggles, const at::Device& device, ForceHalf forceHalf) {
  auto setup = jobSetupFor(toggles, device);
  if (forceHalf == ForceHalf::UNet || forceHalf == ForceHalf::Both) setup.load.unetDtype = halfTypeFor(device);
  if (forceHalf == ForceHalf::Vae || forceHalf == ForceHalf::Both) setup.switches.halfVae = true;
  const auto start = std::chrono::steady_clock::now();
  auto model = LoadedModel::fromCheckpoint(checkpoint, setup.load);
  setUNetMemoryFormat(*model, setup.switches.channelsLast);
  GenerationPipeline pipeline(model, tokenizer);
  pipeline.conditioner().cache().setEnabled(setup.textCache);
  applySystemToggles(device, toggles);
  AttentionKernelScope attention(setup.attention);
  FinalTensors observer;
  JobControl control;
  control.observer = &observer;
  control.switches = setup.switches;
  const auto graphs = setup.cudaGraphs ? makeCudaGraphUNet() : nullptr;
  control.unetExecutor = graphs.get();
  pipeline.run(selfTestRequest(checkpoint), control);
  CaseResult result;
  result.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  result.latent = observer.tensors.at("final_latent");
  result.image = observer.tensors.at("image");
  return result;
}

double relativeError(const at::Tensor& value, const at::Tensor& reference) {
  const auto norm = reference.norm().item<double>();
  const auto difference = (value - reference).norm().item<double>();
  if (!std::isfinite(difference)) return std::numeric_limits<double>::infinity();
  return norm > 0 ? difference / norm : difference;
}

std::string precisionName(c10::ScalarType type) {
  return type == c10::kHalf ? "fp16" : type == c10::kBFloat16 ? "bf16" : "fp32";
}

// Toggles that a txt2img job of the self-test cannot exercise, and why.
std::string notExercised(const OptimizationInfo& info) {
  if (info.id.rfind("detail.", 0) == 0) return "detailer toggle: no detailer tab in the self-test";
  if (info.id.rfind("lora.", 0) == 0) return "LoRA toggle: no LoRA in the self-test";
  if (info.id == "preview.throttle") return "previews only";
  if (info.id == "cache.keep_loaded") return "one job per model";
  return {};
}

}  // namespace

bool SelfTestReport::passed() const {
  for (const auto& row : rows) {
    if (!row.skipped && !row.informational && !row.passed) return false;
  }
  return true;
}

SelfTestReport runSelfTest(const SelfTestOptions& options, const std::function<void(const SelfTestRow&)>& onRow) {
  at::Device device(at::kCPU);
  try {
    device = at::Device(options.device);
  } catch (const c10::Error&) {
    throw CelerityError(ErrorCode::InvalidArgument, "unknown device '" + options.device + "'", "--device");
  }
  if (device.is_cuda() && !at::hasCUDA()) {
    throw CelerityError(ErrorCode::InvalidArgument, "this build of LibTorch has no CUDA device", "--device");
  }
  const auto tokenizer = ClipTokenizer::loadDefault(options.clipVocabularyPath);
  std::filesystem::path folder = options.workFolder;
  if (folder.empty()) folder = std::filesystem::temp_directory_path() / "celerity-selftest";
  std::filesystem::create_directories(folder);

  SelfTestReport report;
  report.device = device.str();
  const auto add = [&](SelfTestRow row) {
    if (onRow) onRow(row);
    report.rows.push_back(std::move(row));
  };
  const auto capabilities = capabilitiesOf(device);

  for (const auto& arch : options.archs) {
    CheckpointSpec spec;
    spec.family = parseArchName(arch);
    spec.full = false;
    spec.dtype = at::kFloat;
    spec.seed = 7;
    const auto checkpoint = (folder / ("selftest-" + arch + ".safetensors")).string();
    writeRandomCheckpoint(spec, checkpoint);

    // The reference: CPU, fp32, the CPU's defaults.
    OptimizationSet cpuDefaults;
    cpuDefaults.restrictTo(capabilitiesOf(at::kCPU));
    const auto reference = runCase(checkpoint, tokenizer, cpuDefaults, at::kCPU, ForceHalf::None);

    const auto check = [&](const std::string& name, OptimizationSet toggles, ForceHalf forceHalf) {
      SelfTestRow row;
      row.arch = arch;
      row.name = name;
      const bool half =
          forceHalf != ForceHalf::None || toggles.enabled("unet.half") || toggles.enabled("vae.half");
      row.precision = half ? precisionName(halfTypeFor(device)) : "fp32";
      row.tolerance = half ? kHalfTolerance : kFp32Tolerance;
      // Half precision is a CUDA feature; the CPU's bf16 is measured for information only.
      row.informational = forceHalf != ForceHalf::None && !device.is_cuda();
      try {
        const auto result = runCase(checkpoint, tokenizer, toggles, device, forceHalf);
        row.ms = result.ms;
        row.latentError = relativeError(result.latent, reference.latent);
        row.imageError = relativeError(result.image, reference.image);
        row.passed = row.latentError <= row.tolerance && row.imageError <= row.tolerance;
      } catch (const std::exception& e) {
        const std::string what = e.what();
        row.note = what.substr(0, what.find('\n'));
      }
      add(std::move(row));
    };

    OptimizationSet defaults;
    defaults.restrictTo(capabilities);
    check("defaults", defaults, ForceHalf::None);
    for (const auto& info : optimizationCatalog()) {
      const auto name = info.id + (defaults.enabled(info.id) ? "=off" : "=on");
      const auto why = notExercised(info);
      const auto unavailable = unavailableReason(info, capabilities);
      if (!why.empty() || (!defaults.enabled(info.id) && !unavailable.empty())) {
        SelfTestRow row;
        row.arch = arch;
        row.name = name;
        row.skipped = true;
        row.note = why.empty() ? unavailable : why;
        add(std::move(row));
        continue;
      }
      auto flipped = defaults;
      flipped.set(info.id, !defaults.enabled(info.id));
      check(name, flipped, ForceHalf::None);
    }
    // Every precision on this device: all fp32, then UNet and VAE in half precision.
    auto fp32 = defaults;
    fp32.set("unet.half", false);
    fp32.set("vae.half", false);
    check("all fp32", fp32, ForceHalf::None);
    check("half precision UNet", fp32, ForceHalf::UNet);
    check("half precision VAE", fp32, ForceHalf::Vae);
    check("half precision UNet + VAE", fp32, ForceHalf::Both);
  }
  return report;
}

std::string formatSelfTestTable(const SelfTestReport& report) {
  std::ostringstream out;
  out << "self-test on " << report.device << " against the CPU fp32 result\n";
  out << std::left << std::setw(6) << "arch" << std::setw(34) << "case" << std::setw(6) << "prec" << std::right
      << std::setw(12) << "latent err" << std::setw(12) << "image err" << std::setw(10) << "tol" << std::setw(10)
      << "ms" << "  result\n";
  for (const auto& row : report.rows) {
    out << std::left << std::setw(6) << row.arch << std::setw(34) << row.name << std::setw(6) << row.precision
        << std::right;
    if (row.skipped) {
      out << std::setw(44) << "" << "  skipped: " << row.note << '\n';
      continue;
    }
    out << std::scientific << std::setprecision(2) << std::setw(12) << row.latentError << std::setw(12)
        << row.imageError << std::setw(10) << row.tolerance << std::fixed << std::setprecision(0) << std::setw(10)
        << row.ms << "  " << (row.informational ? "info" : row.passed ? "pass" : "FAIL")
        << (row.note.empty() ? "" : ": " + row.note) << '\n';
  }
  out << (report.passed() ? "all within tolerance\n" : "FAILED: some cases exceed their tolerance\n");
  return out.str();
}

std::string selfTestJson(const SelfTestReport& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : report.rows) {
    rows.push_back({{"arch", row.arch},
                    {"case", row.name},
                    {"precision", row.precision},
                    {"latent_error", row.latentError},
                    {"image_error", row.imageError},
                    {"tolerance", row.tolerance},
                    {"ms", row.ms},
                    {"skipped", row.skipped},
                    {"passed", row.passed},
                    {"informational", row.informational},
                    {"note", row.note}});
  }
  return nlohmann::json{{"device", report.device}, {"passed", report.passed()}, {"rows", rows}}.dump(2);
}

}  // namespace celerity
