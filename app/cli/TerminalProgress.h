#pragma once
// A job's events on a terminal: a one-line progress bar per sampling pass with it/s, and the
// profile's per-stage table at the end.
#include <ostream>

#include "celerity/Events.h"

namespace celerity::cli {

class TerminalProgress final : public JobEventSink {
 public:
  explicit TerminalProgress(std::ostream& err, bool quiet = false) : err_(err), quiet_(quiet) {}

  void onProgress(JobId job, const ProgressEvent& progress) override;
  void onStage(JobId job, const ProfileSpan& span, bool ended) override;

  // Ends an open bar, then prints the stage table of `profile`.
  void printSummary(const JobProfile& profile);

 private:
  void endBar();

  std::ostream& err_;
  bool quiet_;
  bool barOpen_ = false;
};

}  // namespace celerity::cli
