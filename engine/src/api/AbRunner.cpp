#include "celerity/AbRunner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"

namespace celerity {
namespace {

OptimizationOverrides armOverrides(const Request& request, const std::vector<std::string>& toggles, bool on) {
  auto overrides = request.optimizations;
  for (const auto& id : toggles) {
    if (findOptimization(id) == nullptr) OptimizationSet().enabled(id);  // throws, naming the known ids
    overrides[id] = on;
  }
  return overrides;
}

JobResult runOnce(GenerationEngine& engine, const Request& request, const AbArm& arm, const AbSettings& settings,
                  JobId id, const std::shared_ptr<CancelToken>& cancel) {
  Job job;
  job.id = id;
  job.request = request;
  job.request.optimizations = arm.overrides;
  job.previews = settings.previews;
  job.cancel = cancel;
  job.saveImages = false;
  auto result = engine.run(job);
  if (result.outcome != JobOutcome::Finished) {
    if (result.outcome == JobOutcome::Cancelled) throw CelerityError(ErrorCode::Cancelled, "A/B run cancelled", arm.name);
    throw CelerityError(result.error);
  }
  return result;
}

void summarise(AbArm& arm) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> totals;
  std::map<std::string, std::vector<int>> counts;
  for (const auto& run : arm.runs) {
    std::map<std::string, double> runTotals;
    std::map<std::string, int> runCounts;
    for (const auto& span : run.spans) {
      if (runTotals.find(span.name) == runTotals.end() &&
          std::find(order.begin(), order.end(), span.name) == order.end()) {
        order.push_back(span.name);
      }
      runTotals[span.name] += span.durationMs();
      ++runCounts[span.name];
    }
    for (const auto& name : order) {
      totals[name].push_back(runTotals[name]);  // 0 when a run lacks the stage (e.g. no load)
      counts[name].push_back(runCounts[name]);
    }
  }
  std::vector<double> walls;
  for (const auto& run : arm.runs) walls.push_back(run.wallMs);
  arm.wall = statsOf("job", walls);
  for (const auto& name : order) {
    auto& values = totals[name];
    values.resize(arm.runs.size(), 0.0);  // runs before the stage first appeared
    auto stats = statsOf(name, values);
    auto& c = counts[name];
    std::sort(c.begin(), c.end());
    stats.countPerRun = c.empty() ? 0 : c[c.size() / 2];
    arm.stages.push_back(std::move(stats));
  }
}

const StageStats* findStage(const AbArm& arm, const std::string& name) {
  for (const auto& stage : arm.stages) {
    if (stage.name == name) return &stage;
  }
  return nullptr;
}

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

std::string pad(const std::string& text, std::size_t width, bool right = true) {
  if (text.size() >= width) return text;
  const std::string fill(width - text.size(), ' ');
  return right ? fill + text : text + fill;
}

std::string range(const StageStats& s) {
  return fixed(s.medianMs, 1) + " (" + fixed(s.minMs, 1) + "–" + fixed(s.maxMs, 1) + ")";
}

nlohmann::json statsJson(const StageStats& s) {
  return {{"name", s.name}, {"count_per_run", s.countPerRun}, {"median_ms", s.medianMs}, {"min_ms", s.minMs},
          {"max_ms", s.maxMs}};
}

nlohmann::json armJson(const AbArm& arm) {
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& run : arm.runs) {
    nlohmann::json stages = nlohmann::json::object();
    for (const auto& row : run.summary()) stages[row.name] = row.totalMs;
    runs.push_back({{"wall_ms", run.wallMs}, {"stages_ms", stages}, {"optimizations", run.optimizations}});
  }
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& stage : arm.stages) stages.push_back(statsJson(stage));
  return {{"name", arm.name}, {"overrides", arm.overrides}, {"wall", statsJson(arm.wall)}, {"stages", stages},
          {"runs", runs}};
}

}  // namespace

StageStats statsOf(const std::string& name, std::vector<double> valuesMs) {
  StageStats stats;
  stats.name = name;
  if (valuesMs.empty()) return stats;
  std::sort(valuesMs.begin(), valuesMs.end());
  const auto n = valuesMs.size();
  stats.medianMs = n % 2 == 1 ? valuesMs[n / 2] : (valuesMs[n / 2 - 1] + valuesMs[n / 2]) / 2.0;
  stats.minMs = valuesMs.front();
  stats.maxMs = valuesMs.back();
  return stats;
}

ImageDifference compareImages(const GeneratedImage& a, const GeneratedImage& b) {
  ImageDifference difference;
  if (a.rgb.empty() || a.width != b.width || a.height != b.height || a.rgb.size() != b.rgb.size()) {
    return difference;
  }
  difference.compared = true;
  double sumAbs = 0.0;
  double sumSquares = 0.0;
  for (std::size_t i = 0; i < a.rgb.size(); ++i) {
    const int d = std::abs(static_cast<int>(a.rgb[i]) - static_cast<int>(b.rgb[i]));
    difference.maxAbs = std::max(difference.maxAbs, d);
    sumAbs += d;
    sumSquares += static_cast<double>(d) * d;
  }
  const auto count = static_cast<double>(a.rgb.size());
  difference.meanAbs = sumAbs / count;
  const double mse = sumSquares / count;
  difference.psnr = mse == 0.0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(255.0 * 255.0 / mse);
  return difference;
}

AbReport runAb(GenerationEngine& engineA, GenerationEngine& engineB, const Request& request,
               const AbSettings& settings, const AbProgress& progress, const std::shared_ptr<CancelToken>& cancel) {
  if (settings.repeat < 1) throw CelerityError(ErrorCode::InvalidArgument, "repeat must be at least 1", "--repeat");
  if (settings.warmup < 0) throw CelerityError(ErrorCode::InvalidArgument, "warmup must not be negative", "--warmup");
  AbReport report;
  report.request = request;
  report.settings = settings;
  if (report.request.seed == -1) report.request.seed = 1234;  // both arms must draw the same noise
  report.a.name = "A";
  report.a.overrides = armOverrides(request, settings.toggles, false);
  if (!settings.toggles.empty()) {
    report.b.name = "B";
    report.b.overrides = armOverrides(request, settings.toggles, true);
  } else {
    report.a.overrides = request.optimizations;
  }

  JobId id = 0;
  const auto step = [&](AbArm& arm, GenerationEngine& engine, int run) {
    auto result = runOnce(engine, report.request, arm, settings, ++id, cancel);
    if (progress) progress(arm.name, run, result);
    if (run < 0) return;
    arm.runs.push_back(result.output.profile);
    if (!result.output.images.empty()) arm.image = std::move(result.output.images.front());
  };
  for (int run = -settings.warmup; run < settings.repeat; ++run) {
    step(report.a, engineA, run);
    if (report.isAb()) step(report.b, engineB, run);
  }
  summarise(report.a);
  if (report.isAb()) {
    summarise(report.b);
    report.difference = compareImages(report.a.image, report.b.image);
  }
  return report;
}

std::string formatAbReport(const AbReport& report) {
  std::ostringstream out;
  const bool ab = report.isAb();
  out << (ab ? "A/B" : "benchmark") << ": " << report.settings.repeat << " runs";
  if (report.settings.warmup > 0) out << " after " << report.settings.warmup << " warm-up";
  out << " per arm\n";
  if (ab) {
    out << "A: ";
    for (const auto& id : report.settings.toggles) out << id << "=off ";
    out << "   B: ";
    for (const auto& id : report.settings.toggles) out << id << "=on ";
    out << '\n';
  }
  out << pad("stage", 18, false) << pad(ab ? "A median (min–max) ms" : "median (min–max) ms", 30);
  if (ab) out << pad("B median (min–max) ms", 30) << pad("B/A", 8);
  out << '\n';
  std::vector<std::string> names;
  for (const auto& stage : report.a.stages) names.push_back(stage.name);
  for (const auto& stage : report.b.stages) {
    if (std::find(names.begin(), names.end(), stage.name) == names.end()) names.push_back(stage.name);
  }
  const auto row = [&](const std::string& name, const StageStats* a, const StageStats* b) {
    out << pad(name, 18, false) << pad(a ? range(*a) : "–", 30);
    if (ab) {
      out << pad(b ? range(*b) : "–", 30);
      out << pad(a && b && a->medianMs > 0 ? fixed(b->medianMs / a->medianMs, 3) : "–", 8);
    }
    out << '\n';
  };
  for (const auto& name : names) row(name, findStage(report.a, name), findStage(report.b, name));
  row("job (wall)", &report.a.wall, ab ? &report.b.wall : nullptr);
  if (ab) {
    const auto& d = report.difference;
    if (!d.compared) {
      out << "image difference: not compared (no image or different sizes)\n";
    } else {
      out << "image difference: max abs " << d.maxAbs << ", mean abs " << fixed(d.meanAbs, 4) << ", PSNR "
          << (std::isinf(d.psnr) ? std::string("inf (identical)") : fixed(d.psnr, 2) + " dB") << '\n';
    }
  }
  return out.str();
}

std::string abReportJson(const AbReport& report) {
  const auto& r = report.request;
  nlohmann::json json;
  json["request"] = {{"checkpoint", r.checkpointPath}, {"prompt", r.prompt},   {"steps", r.steps},
                     {"sampler", r.sampler},           {"scheduler", r.scheduler}, {"width", r.width},
                     {"height", r.height},             {"seed", r.seed},       {"cfg", r.cfgScale},
                     {"batch_size", r.batchSize},      {"batch_count", r.batchCount}};
  json["toggles"] = report.settings.toggles;
  json["repeat"] = report.settings.repeat;
  json["warmup"] = report.settings.warmup;
  json["arms"] = nlohmann::json::array({armJson(report.a)});
  if (report.isAb()) {
    json["arms"].push_back(armJson(report.b));
    nlohmann::json ratios = nlohmann::json::object();
    for (const auto& a : report.a.stages) {
      const auto* b = findStage(report.b, a.name);
      if (b != nullptr && a.medianMs > 0) ratios[a.name] = b->medianMs / a.medianMs;
    }
    if (report.a.wall.medianMs > 0) ratios["job"] = report.b.wall.medianMs / report.a.wall.medianMs;
    json["ratio_b_over_a"] = ratios;
    const auto& d = report.difference;
    json["image_difference"] = {{"compared", d.compared},
                                {"max_abs", d.maxAbs},
                                {"mean_abs", d.meanAbs},
                                {"psnr_db", std::isinf(d.psnr) ? nlohmann::json("inf") : nlohmann::json(d.psnr)}};
  }
  return json.dump(2);
}

}  // namespace celerity
