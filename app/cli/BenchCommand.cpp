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
  if (!parseArgs(app, args, "bench", out)) return 0;
  auto request = options.build(app);
  request.outputFolder.clear();
  validateRequest(request);
  settings.previews = options.previews();

  // One engine per arm: each arm's model cache behaves as it would on its own.
  Engine engineA(options.engineOptions());
  Engine engineB(options.engineOptions());
  const auto progress = [](const std::string& arm, int run, const JobResult& result) {
    std::cerr << (run < 0 ? "warm-up " : "run ") << arm << ' ' << (run < 0 ? -run : run + 1) << ": "
              << std::fixed << std::setprecision(1) << result.output.profile.wallMs << " ms\n";
  };
  const auto report = runAb(engineA, engineB, request, settings, progress);
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
