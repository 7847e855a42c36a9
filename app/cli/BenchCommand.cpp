#include "BenchCommand.h"

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include <CLI/CLI.hpp>
#include <torch/version.h>

#include "RequestOptions.h"
#include "celerity/AbRunner.h"
#include "celerity/Engine.h"
#include "celerity/Error.h"
#include "celerity/LoraCatalog.h"
#include "celerity/Options.h"
#include "celerity/Profiler.h"

namespace celerity::cli {
namespace {

// False when the user asked for help (printed on `out`).
bool parseArgs(CLI::App& app, const std::vector<std::string>& args, const char* command, std::ostream& out) {
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return false;
  } catch (const CLI::ParseError& e) {
    throw CelerityError(ErrorCode::InvalidArgument, e.what(), command);
  }
  return true;
}

// The benchmark's engine with every job's <lora:…> multipliers scaled by the next factor of a
// cycle, so that each run of an arm changes the LoRA weights (`--vary-lora-weight`). Each arm
// has its own cycler: run k of A and run k of B use the same factor, so the images the
// report compares (the last measured runs) were made with the same weights.
class LoraWeightCycler final : public GenerationEngine {
 public:
  LoraWeightCycler(GenerationEngine& inner, std::vector<double> factors)
      : inner_(inner), factors_(std::move(factors)) {}

  JobResult run(const Job& job) override {
    Job varied = job;
    varied.request.prompt = scaleLoraWeights(job.request.prompt, factors_[calls_++ % factors_.size()]);
    return inner_.run(varied);
  }
  std::vector<LoadedModelInfo> loadedModels() const override { return inner_.loadedModels(); }
  DeviceCapabilities capabilities() const override { return inner_.capabilities(); }
  void unloadAll() override { inner_.unloadAll(); }

 private:
  GenerationEngine& inner_;
  std::vector<double> factors_;
  std::size_t calls_ = 0;
};

void writeText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  if (!file) throw CelerityError(ErrorCode::FileUnreadable, "cannot write the file", path.string());
}

}  // namespace

int runBench(const std::vector<std::string>& args, std::ostream& out) {
  CLI::App app{"benchmark a request, or A/B optimization toggles on it", "celerity-cli bench"};
  RequestOptions options;
  options.addTo(app, "");
  AbSettings settings;
  std::string jsonPath;
  std::string traceDir;
  app.add_option("--repeat", settings.repeat, "measured runs per arm")->capture_default_str();
  app.add_option("--warmup", settings.warmup, "unmeasured runs per arm first")->capture_default_str();
  app.add_option("--ab", settings.toggles, "toggle to A/B (off in A, on in B); repeatable");
  app.add_option("--json", jsonPath, "write the report as JSON to FILE");
  app.add_option("--trace", traceDir, "write one Chrome trace per measured run into DIR");
  bool varyLoraWeight = false;
  std::vector<double> loraFactors{1.0, 0.8, 0.6, 0.4, 0.2};
  app.add_flag("--vary-lora-weight", varyLoraWeight,
               "scale the prompt's <lora:…> multipliers by the next --lora-factors value on every run "
               "(warm-ups included), so each run re-weights the LoRAs");
  app.add_option("--lora-factors", loraFactors, "the factors --vary-lora-weight cycles through")
      ->capture_default_str();
  if (!parseArgs(app, args, "bench", out)) return 0;
  auto request = options.build(app);
  request.outputFolder.clear();
  validateRequest(request);
  settings.previews = options.previews();
  if (varyLoraWeight) {
    if (findLoraTags(request.prompt).empty()) {
      throw CelerityError(ErrorCode::InvalidArgument, "the prompt has no <lora:name:weight> tag to vary",
                          "--vary-lora-weight");
    }
    if (loraFactors.size() < 2) {
      throw CelerityError(ErrorCode::InvalidArgument, "needs at least two factors to change the weights",
                          "--lora-factors");
    }
    std::cerr << "LoRA multipliers scaled by";
    for (const double factor : loraFactors) std::cerr << ' ' << formatLoraWeight(factor);
    std::cerr << " in turn, run by run in each arm\n";
  }

  // One engine per arm: each arm's model cache behaves as it would on its own.
  Engine engineA(options.engineOptions());
  Engine engineB(options.engineOptions());
  LoraWeightCycler cyclerA(engineA, loraFactors);
  LoraWeightCycler cyclerB(engineB, loraFactors);
  GenerationEngine& armA = varyLoraWeight ? static_cast<GenerationEngine&>(cyclerA) : engineA;
  GenerationEngine& armB = varyLoraWeight ? static_cast<GenerationEngine&>(cyclerB) : engineB;
  const auto progress = [&](const std::string& arm, int run, const JobResult& result) {
    std::cerr << (run < 0 ? "warm-up " : "run ") << arm << ' ' << (run < 0 ? -run : run + 1) << ": ";
    if (varyLoraWeight) {  // the cycler's call index (warm-ups run from -warmup)
      const auto call = static_cast<std::size_t>(settings.warmup + run);
      std::cerr << "LoRA ×" << formatLoraWeight(loraFactors[call % loraFactors.size()]) << ", ";
    }
    std::cerr << std::fixed << std::setprecision(1) << result.output.profile.wallMs << " ms\n";
  };
  const auto report = runAb(armA, armB, request, settings, progress);
  out << formatAbReport(report);
  if (!jsonPath.empty()) writeText(jsonPath, abReportJson(report));
  if (!traceDir.empty()) {
    std::filesystem::create_directories(traceDir);
    for (const auto* arm : {&report.a, &report.b}) {
      for (std::size_t i = 0; i < arm->runs.size(); ++i) {
        const auto file = std::filesystem::path(traceDir) / (arm->name + "-" + std::to_string(i + 1) + ".json");
        writeChromeTrace(arm->runs[i], file.string());
      }
    }
  }
  return 0;
}

int runOpts(const std::vector<std::string>& args, std::ostream& out) {
  CLI::App app{"list the optimization toggles", "celerity-cli opts"};
  std::string device = "cpu";
  app.add_option("--device", device, "report availability for this device (cpu, cuda)")->capture_default_str();
  if (!parseArgs(app, args, "opts", out)) return 0;
  DeviceCapabilities capabilities;
  capabilities.cuda = device.rfind("cuda", 0) == 0;
  capabilities.torchMajor = TORCH_VERSION_MAJOR;
  for (const auto& info : optimizationCatalog()) {
    out << std::left << std::setw(22) << info.id << std::setw(5) << (info.defaultOn ? "on" : "off")
        << std::setw(18) << numericsClassName(info.numerics) << info.title << '\n';
    out << "    " << info.description << '\n';
    out << "    stages:";
    for (const auto& stage : info.stages) out << ' ' << stage;
    out << '\n';
    const auto reason = unavailableReason(info, capabilities);
    if (!reason.empty()) out << "    unavailable: " << reason << '\n';
  }
  return 0;
}

}  // namespace celerity::cli
