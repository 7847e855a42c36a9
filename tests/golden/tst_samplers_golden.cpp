// Sigma tables, schedules and sampler trajectories against the k-diffusion / ComfyUI
// reference vectors (samplers.safetensors and its JSON sidecar), and the sgm SDXL
// discretization against e2e_sdxl_tiny.expected. Everything is discovered from the keys and
// the sidecar: `schedule.<impl>.<name>.n<N>`, `traj.<case>.<impl>.<sampler>.x`.
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <QTest>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"
#include "io/SafetensorsFile.h"
#include "sampling/DiscreteSchedule.h"
#include "sampling/SamplerRegistry.h"
#include "sampling/ScheduleRegistry.h"
#include "sampling/Schedules.h"

using celerity::CelerityError;
using celerity::DiscreteSchedule;
using celerity::SafetensorsFile;
using celerity::SigmaTableFlavor;
using celerity::Sigmas;
using nlohmann::json;

namespace {

constexpr const char* kSamplersFile = "samplers.safetensors";
constexpr const char* kSdxlFile = "e2e_sdxl_tiny.expected.safetensors";

// README "Suggested tolerances": trajectories atol 1e-4 or rtol 1e-5, schedules rtol 1e-5.
constexpr double kTrajectoryAtol = 1e-4;
constexpr double kTrajectoryRtol = 1e-5;
constexpr double kScheduleRtol = 1e-5;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

std::string joinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += "\n  " + line;
  return out;
}

// The sigma table a reference implementation uses, by its golden name.
SigmaTableFlavor flavorOf(const std::string& impl) {
  static const std::map<std::string, SigmaTableFlavor> flavors = {
      {"comfyui", SigmaTableFlavor::ComfyUI},
      {"kdiffusion", SigmaTableFlavor::CompVis},
      {"a1111_compvis", SigmaTableFlavor::CompVis},
  };
  const auto it = flavors.find(impl);
  if (it == flavors.end()) {
    throw CelerityError(celerity::ErrorCode::InvalidArgument, "unknown implementation '" + impl + "'",
                        kSamplersFile);
  }
  return it->second;
}

json readSidecar(const SafetensorsFile& file) {
  const auto name = file.metadataValue("sidecar");
  if (!name) {
    throw CelerityError(celerity::ErrorCode::MalformedFile, "no 'sidecar' metadata",
                        file.path().string());
  }
  const auto path = celerity::test::goldenPath(*name);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CelerityError(celerity::ErrorCode::FileNotFound, "cannot open", path.string());
  return json::parse(in);
}

Sigmas toSigmas(const at::Tensor& tensor) {
  const auto values = tensor.to(at::kDouble).contiguous();
  return Sigmas(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
}

at::Tensor toTensor(const Sigmas& sigmas) {
  return at::tensor(sigmas, at::TensorOptions().dtype(at::kDouble));
}

// Elementwise |out − ref| ≤ atol + rtol·|ref| (numpy allclose). `worst` is the largest
// |out − ref| / (atol + rtol·|ref|), so ≤ 1 passes.
struct Closeness {
  bool ok = false;
  double worst = 0;
  double maxAbs = 0;
  std::string message;
};

Closeness closeness(const at::Tensor& out, const at::Tensor& ref, double atol, double rtol) {
  Closeness result;
  if (out.sizes() != ref.sizes()) {
    std::ostringstream message;
    message << "shape " << out.sizes() << " vs reference " << ref.sizes();
    result.message = message.str();
    return result;
  }
  const auto o = out.to(at::kDouble);
  const auto r = ref.to(at::kDouble);
  const auto diff = (o - r).abs();
  result.maxAbs = diff.numel() ? diff.max().item<double>() : 0.0;
  // Where the tolerance is 0 (an exact zero with atol 0) only an exact match passes.
  const auto tolerance = atol + rtol * r.abs();
  const auto ratio = at::where(diff == 0, at::zeros_like(diff), diff / tolerance);
  result.worst = ratio.numel() ? ratio.max().item<double>() : 0.0;
  result.ok = at::isfinite(o).all().item<bool>() && result.worst <= 1.0;
  std::ostringstream message;
  message << "max|diff| " << result.maxAbs << ", worst diff/tolerance " << result.worst;
  result.message = message.str();
  return result;
}

// The golden's analytic stand-in for a model: (x·0.8)/sqrt(1 + sigma²) + 0.1·tanh(x) in
// float32, with sigma per batch item.
at::Tensor analyticDenoiser(const at::Tensor& x, const at::Tensor& sigma) {
  std::vector<std::int64_t> shape(x.dim(), 1);
  shape[0] = x.size(0);
  const auto s = sigma.to(x.dtype()).view(shape);
  return (x * 0.8) / at::sqrt(1.0 + s * s) + 0.1 * at::tanh(x);
}

// "schedule.<impl>.<name>.n<N>" → impl, name, N; a name may carry "_rho<value>".
struct ScheduleKey {
  std::string impl;
  std::string name;
  int steps = 0;
  celerity::ScheduleOptions options;
};

ScheduleKey parseScheduleKey(const std::string& key) {
  const auto parts = split(key, '.');
  if (parts.size() != 4 || parts[0] != "schedule" || parts[3].size() < 2 || parts[3][0] != 'n') {
    throw CelerityError(celerity::ErrorCode::MalformedFile, "unexpected schedule key", key);
  }
  ScheduleKey parsed;
  parsed.impl = parts[1];
  parsed.name = parts[2];
  parsed.steps = std::stoi(parts[3].substr(1));
  static const std::regex rhoSuffix("^(.+)_rho([0-9.]+)$");
  std::smatch match;
  if (std::regex_match(parsed.name, match, rhoSuffix)) {
    parsed.name = match[1];
    parsed.options.rho = std::stod(match[2]);
  }
  return parsed;
}

struct Failures {
  std::vector<std::string> lines;
  void add(const std::string& what, const std::string& why) { lines.push_back(what + ": " + why); }
  template <typename Fn>
  void check(const std::string& what, Fn&& fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      add(what, e.what());
    }
  }
};

}  // namespace

class TestSamplersGolden : public QObject {
  Q_OBJECT

 private:
  std::shared_ptr<SafetensorsFile> file_;
  json sidecar_;
  double worstAbs_ = 0;
  double worstRatio_ = 0;
  std::string worstKey_;

 private slots:
  void initTestCase() {
    try {
      file_ = celerity::test::openGolden(kSamplersFile);
      sidecar_ = readSidecar(*file_);
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
    QVERIFY2(sidecar_.contains("trajectories") && sidecar_["trajectories"].is_array(),
             "sidecar has no trajectories");
  }

  void sigmaTables() {
    Failures failures;
    const auto names = file_->namesWithPrefix("sigmas_table.");
    QVERIFY2(!names.empty(), "no sigmas_table.* tensors");
    const auto& discrete = sidecar_["discrete_schedule"];
    for (const auto& key : names) {
      failures.check(key, [&] {
        const std::string impl = key.substr(std::string("sigmas_table.").size());
        const auto model = DiscreteSchedule::scaledLinear(flavorOf(impl));
        const auto ref = file_->tensor(key);
        const auto result = closeness(model.sigmas(), ref, 0.0, 1e-6);
        qInfo("%s: %s", key.c_str(), result.message.c_str());
        if (!result.ok) failures.add(key, result.message);
        // The sidecar's sigma_min/max of this table, under "<impl-prefix>_sigma_min_max".
        const std::string minMaxKey = split(impl, '_')[0] + "_sigma_min_max";
        if (!discrete.contains(minMaxKey)) throw std::runtime_error("sidecar lacks " + minMaxKey);
        const double refMin = discrete[minMaxKey][0].get<double>();
        const double refMax = discrete[minMaxKey][1].get<double>();
        if (std::abs(model.sigmaMin() - refMin) > 1e-6 * refMin ||
            std::abs(model.sigmaMax() - refMax) > 1e-6 * refMax) {
          failures.add(key, "sigma_min/max " + std::to_string(model.sigmaMin()) + "/" +
                                std::to_string(model.sigmaMax()));
        }
      });
    }
    QVERIFY2(failures.lines.empty(), joinLines(failures.lines).c_str());
  }

  void schedules() {
    Failures failures;
    const auto keys = file_->namesWithPrefix("schedule.");
    QVERIFY2(!keys.empty(), "no schedule.* tensors");
    double worstRel = 0;
    for (const auto& key : keys) {
      failures.check(key, [&] {
        const auto parsed = parseScheduleKey(key);
        const auto model = DiscreteSchedule::scaledLinear(flavorOf(parsed.impl));
        const auto sigmas =
            celerity::computeSchedule(parsed.name, model, parsed.steps, parsed.options);
        const auto ref = file_->tensor(key);
        const auto result = closeness(toTensor(sigmas), ref, 0.0, kScheduleRtol);
        worstRel = std::max(worstRel, result.worst * kScheduleRtol);
        if (!result.ok) failures.add(key, result.message);
        if (!sidecar_["schedules"].contains(key)) failures.add(key, "missing from the sidecar");
      });
    }
    for (const auto& [key, values] : sidecar_["schedules"].items()) {
      if (!file_->contains(key)) failures.add(key, "in the sidecar but not in the file");
    }
    qInfo("%zu schedules, worst relative error %.3g", keys.size(), worstRel);
    QVERIFY2(failures.lines.empty(), joinLines(failures.lines).c_str());
  }

  void trajectories() {
    Failures failures;
    std::set<std::string> checkedKeys;
    int runs = 0;
    for (const auto& trajectory : sidecar_["trajectories"]) {
      const std::string caseName = trajectory.at("case").get<std::string>();
      failures.check(caseName, [&] {
        const auto& keys = trajectory.at("keys");
        const Sigmas sigmas = toSigmas(file_->tensor(keys.at("sigmas").get<std::string>()));
        const auto xInit = file_->tensor(keys.at("x_init").get<std::string>()).clone();
        const auto bank = file_->tensor(keys.at("noise_bank").get<std::string>()).clone();
        checkScheduleDescription(trajectory, sigmas, failures);
        for (const auto& run : trajectory.at("runs")) {
          const std::string key = run.at("key").get<std::string>();
          checkedKeys.insert(key);
          ++runs;
          failures.check(key, [&] { checkRun(run, sigmas, xInit, bank, failures); });
        }
      });
    }
    // Every trajectory in the file must have been run.
    for (const auto& info : file_->tensors()) {
      const auto parts = split(info.name, '.');
      if (parts.size() == 5 && parts[0] == "traj" && parts[4] == "x" &&
          checkedKeys.count(info.name) == 0) {
        failures.add(info.name, "no run for it in the sidecar");
      }
    }
    qInfo("%d runs, worst max|diff| %.3g (%s), worst diff/tolerance %.3g", runs, worstAbs_,
          worstKey_.c_str(), worstRatio_);
    QVERIFY2(runs > 0, "no trajectory runs");
    QVERIFY2(failures.lines.empty(), joinLines(failures.lines).c_str());
  }

  // sgm's LegacyDDPMDiscretization and DiscreteDenoiser table of the SDXL end-to-end set.
  void sgmLegacyDiscretization() {
    try {
      const auto file = celerity::test::openGolden(kSdxlFile);
      const auto steps = std::stoi(file->metadataValue("steps").value());
      const auto model = DiscreteSchedule::scaledLinear(SigmaTableFlavor::Sgm);
      const auto table = closeness(model.sigmas(), file->tensor("denoiser.sigmas"), 0.0, 1e-6);
      qInfo("sgm table: %s", table.message.c_str());
      QVERIFY2(table.ok, table.message.c_str());
      const auto sigmas = celerity::computeSchedule("legacy_ddpm", model, steps);
      const auto result = closeness(toTensor(sigmas), file->tensor("sigmas"), 0.0, kScheduleRtol);
      qInfo("sgm sigmas (%d steps): %s", steps, result.message.c_str());
      QVERIFY2(result.ok, result.message.c_str());
      for (int i = 0; i < steps; ++i) {
        const std::string key = "step." + std::to_string(i) + ".unet_t";
        const auto t = file->tensor(key);
        QCOMPARE(model.nearestTimestep(sigmas[i]), t[0].item<std::int64_t>());
      }
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }

 private:
  // The sidecar names the schedule of a case ("calculate_sigmas(model_sampling, 'karras',
  // 10)"); when it does, the stored sigmas must be that schedule.
  void checkScheduleDescription(const json& trajectory, const Sigmas& sigmas, Failures& failures) {
    const std::string description = trajectory.value("schedule", "");
    static const std::regex pattern(R"(calculate_sigmas\(model_sampling,\s*'(\w+)',\s*(\d+)\))");
    std::smatch match;
    if (!std::regex_search(description, match, pattern)) {
      qInfo("%s: schedule '%s' not recomputed", trajectory.value("case", "?").c_str(),
            description.c_str());
      return;
    }
    const auto model = DiscreteSchedule::scaledLinear(SigmaTableFlavor::ComfyUI);
    const auto expected = celerity::computeSchedule(match[1].str(), model, std::stoi(match[2]));
    const auto result = closeness(toTensor(expected), toTensor(sigmas), 0.0, kScheduleRtol);
    if (!result.ok) failures.add(trajectory.value("case", "?") + " sigmas", result.message);
  }

  void checkRun(const json& run, const Sigmas& sigmas, const at::Tensor& xInit,
                const at::Tensor& bank, Failures& failures) {
    c10::InferenceMode inference;
    const std::string key = run.at("key").get<std::string>();
    const auto& sampler = celerity::findSampler(run.at("sampler").get<std::string>());
    celerity::SamplerOptions options;
    options.flavor = flavorOf(run.at("impl").get<std::string>()) == SigmaTableFlavor::ComfyUI
                         ? celerity::SamplerFlavor::ComfyUI
                         : celerity::SamplerFlavor::KDiffusion;
    std::vector<std::pair<double, double>> calls;
    options.noise = [&](double sigma, double sigmaNext) {
      if (static_cast<std::int64_t>(calls.size()) >= bank.size(0)) {
        throw std::runtime_error("noise bank exhausted");
      }
      calls.emplace_back(sigma, sigmaNext);
      return bank[static_cast<std::int64_t>(calls.size()) - 1].clone();
    };
    std::vector<at::Tensor> states;
    celerity::StepSink sink;
    sink.onStep = [&](int, int, const at::Tensor& x, const at::Tensor&, double) {
      states.push_back(x.clone());
    };
    const auto result = sampler.sample(analyticDenoiser, xInit.clone(), sigmas, sink, options);
    states.push_back(result);
    const auto ref = file_->tensor(key);
    const auto cmp = closeness(at::stack(states), ref, kTrajectoryAtol, kTrajectoryRtol);
    qInfo("%s: %s", key.c_str(), cmp.message.c_str());
    if (!cmp.ok) failures.add(key, cmp.message);
    if (cmp.maxAbs > worstAbs_) {
      worstAbs_ = cmp.maxAbs;
      worstKey_ = key;
    }
    worstRatio_ = std::max(worstRatio_, cmp.worst);

    const auto expectedCalls = run.at("noise_calls").get<std::size_t>();
    if (calls.size() != expectedCalls) {
      failures.add(key, "noise calls " + std::to_string(calls.size()) + ", expected " +
                            std::to_string(expectedCalls));
      return;
    }
    const auto& args = run.at("noise_call_args");
    for (std::size_t k = 0; k < calls.size(); ++k) {
      const double a = args.at(k).at(0).get<double>();
      const double b = args.at(k).at(1).get<double>();
      if (std::abs(calls[k].first - a) > 1e-5 * std::abs(a) ||
          std::abs(calls[k].second - b) > 1e-5 * std::abs(b)) {
        failures.add(key, "noise call " + std::to_string(k) + " got (" +
                              std::to_string(calls[k].first) + ", " +
                              std::to_string(calls[k].second) + ")");
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestSamplersGolden)
#include "tst_samplers_golden.moc"
