#include "runtime/ProfileReport.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace celerity {

namespace {

constexpr double kBytesPerMiB = 1024.0 * 1024.0;

std::string fixed(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string mebibytes(std::int64_t bytes) {
  return bytes < 0 ? std::string("-") : fixed(static_cast<double>(bytes) / kBytesPerMiB, 1);
}

using Row = std::array<std::string, 6>;

}  // namespace

std::string formatStageTable(const JobProfile& profile) {
  std::vector<Row> rows;
  rows.push_back({"stage", "count", "total ms", "mean ms", "share %", "peak MiB"});
  std::int64_t peakBytes = -1;
  for (const StageSummary& stage : profile.summary()) {
    rows.push_back({stage.name, std::to_string(stage.count), fixed(stage.totalMs, 2),
                    fixed(stage.meanMs, 2), fixed(stage.share * 100.0, 1),
                    mebibytes(stage.peakMemoryBytes)});
    peakBytes = std::max(peakBytes, stage.peakMemoryBytes);
  }
  rows.push_back({"wall", "", fixed(profile.wallMs, 2), "", profile.wallMs > 0.0 ? "100.0" : "0.0",
                  mebibytes(peakBytes)});

  std::array<std::size_t, 6> widths{};
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string text;
  for (const Row& row : rows) {
    std::string line = row[0] + std::string(widths[0] - row[0].size(), ' ');  // names to the left
    for (std::size_t c = 1; c < row.size(); ++c) {
      line += "  " + std::string(widths[c] - row[c].size(), ' ') + row[c];  // numbers to the right
    }
    text += line + "\n";
  }
  return text;
}

}  // namespace celerity
