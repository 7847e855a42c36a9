#pragma once
// How the studio writes profiler numbers: durations, shares, memory and deltas, in one place
// so that the overlay, the Gantt, the stage table and the comparison read the same.
#include <QCoreApplication>
#include <QString>
#include <cstdint>

#include "celerity/AbRunner.h"
#include "celerity/Profiler.h"

namespace celerity::ui {

class ProfileFormat {
  Q_DECLARE_TR_FUNCTIONS(celerity::ui::ProfileFormat)

 public:
  // "0.42 ms", "850 ms", "1.24 s", "2 min 05 s".
  static QString duration(double ms);
  // "37.5 %" for 0.375.
  static QString share(double fraction);
  // "512 MiB", "1.25 GiB"; an empty string for −1 (unknown).
  static QString memory(std::int64_t bytes);
  // "+120 ms", "−1.20 s" (a real minus sign), "±0 ms".
  static QString deltaDuration(double deltaMs);
  // "+12.5 %", "−40.0 %"; "—" when the base is zero (no meaningful ratio).
  static QString deltaPercent(double percent);
  // The tooltip of one span: name, duration, share of `wallMs`, memory, step and device time.
  static QString spanTooltip(const ProfileSpan& span, double wallMs);
  // "×0.820" (B / A); "—" when there is no ratio (NaN or infinite).
  static QString ratio(double value);
  // "identical", "max Δ 3, mean Δ 0.120, PSNR 48.1 dB", or "not compared".
  static QString imageDifference(const ImageDifference& difference);
  // An A/B report in a line: "wall ×0.820 (−18.0 %), images: identical".
  static QString abEffect(const AbReport& report);
  // "load.mmap, unet.cfg_batch" or "no optimizations".
  static QString toggles(const JobProfile& profile);
};

}  // namespace celerity::ui
