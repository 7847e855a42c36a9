#include "TerminalProgress.h"

#include <iomanip>
#include <sstream>
#include <string>

#include "runtime/ProfileReport.h"

namespace celerity::cli {

void TerminalProgress::onProgress(JobId, const ProgressEvent& progress) {
  if (quiet_ || progress.steps <= 0) return;
  constexpr int kWidth = 30;
  const int filled = kWidth * progress.step / progress.steps;
  std::ostringstream line;
  line << '\r';
  if (progress.batches > 1) line << "batch " << progress.batch + 1 << '/' << progress.batches << ' ';
  if (progress.pass != "sample") line << progress.pass << ' ';
  line << '[' << std::string(static_cast<std::size_t>(filled), '=')
       << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << progress.step << '/'
       << progress.steps;
  if (progress.itPerSecond > 0) line << "  " << std::fixed << std::setprecision(2) << progress.itPerSecond << " it/s";
  if (progress.etaMs >= 0) line << "  ETA " << std::setprecision(1) << progress.etaMs / 1000.0 << " s";
  err_ << line.str() << std::flush;
  barOpen_ = true;
}

void TerminalProgress::onStage(JobId, const ProfileSpan& span, bool ended) {
  // A stage outside the sampling loop begins: the bar of the finished pass stays as it is.
  if (!ended && barOpen_ && span.name != "sample.step" && span.name != "preview") endBar();
}

void TerminalProgress::printSummary(const JobProfile& profile) {
  if (barOpen_) endBar();
  if (quiet_) return;
  err_ << formatStageTable(profile);
}

void TerminalProgress::endBar() {
  err_ << '\n';
  barOpen_ = false;
}

}  // namespace celerity::cli
