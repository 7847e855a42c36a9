#include "ProfileFormat.h"

#include <cmath>

namespace celerity::ui {
namespace {

const QChar kMinus(0x2212);

}  // namespace

QString ProfileFormat::duration(double ms) {
  const double magnitude = std::abs(ms);
  if (ms == 0.0) return tr("0 ms");
  if (magnitude < 1.0) return tr("%1 ms").arg(ms, 0, 'f', 2);
  if (magnitude < 1000.0) return tr("%1 ms").arg(ms, 0, 'f', magnitude < 10.0 ? 1 : 0);
  if (magnitude < 60000.0) return tr("%1 s").arg(ms / 1000.0, 0, 'f', 2);
  const qint64 totalSeconds = std::llround(magnitude / 1000.0);
  const QString text = tr("%1 min %2 s")
                           .arg(totalSeconds / 60)
                           .arg(totalSeconds % 60, 2, 10, QLatin1Char('0'));
  return ms < 0 ? QString(kMinus) + text : text;
}

QString ProfileFormat::ratio(double value) {
  if (!std::isfinite(value)) return QStringLiteral("—");
  return QStringLiteral("×") + QString::number(value, 'f', 3);
}

QString ProfileFormat::imageDifference(const ImageDifference& d) {
  if (!d.compared) return tr("not compared (no image, or different sizes)");
  if (d.maxAbs == 0) return tr("identical");
  return tr("max Δ %1, mean Δ %2, PSNR %3 dB").arg(d.maxAbs).arg(d.meanAbs, 0, 'f', 3).arg(d.psnr, 0, 'f', 1);
}

QString ProfileFormat::abEffect(const AbReport& report) {
  const double a = report.a.wall.medianMs;
  const double b = report.b.wall.medianMs;
  if (!report.isAb() || a <= 0.0) return tr("wall %1 (median)").arg(duration(report.a.wall.medianMs));
  return tr("wall %1 (%2), images: %3")
      .arg(ratio(b / a), deltaPercent(100.0 * (b - a) / a), imageDifference(report.difference));
}

QString ProfileFormat::share(double fraction) {
  return tr("%1 %").arg(fraction * 100.0, 0, 'f', 1);
}

QString ProfileFormat::memory(std::int64_t bytes) {
  if (bytes < 0) return {};
  constexpr double kMiB = 1024.0 * 1024.0;
  constexpr double kGiB = kMiB * 1024.0;
  const auto value = static_cast<double>(bytes);
  if (value >= kGiB) return tr("%1 GiB").arg(value / kGiB, 0, 'f', 2);
  if (value >= kMiB) return tr("%1 MiB").arg(value / kMiB, 0, 'f', 0);
  return tr("%1 KiB").arg(value / 1024.0, 0, 'f', 0);
}

QString ProfileFormat::deltaDuration(double deltaMs) {
  if (deltaMs == 0.0) return QStringLiteral("±") + duration(0.0);
  const QString magnitude = duration(std::abs(deltaMs));
  return (deltaMs > 0 ? QStringLiteral("+") : QString(kMinus)) + magnitude;
}

QString ProfileFormat::deltaPercent(double percent) {
  if (!std::isfinite(percent)) return QStringLiteral("—");
  const QString magnitude = tr("%1 %").arg(std::abs(percent), 0, 'f', 1);
  if (percent == 0.0) return QStringLiteral("±") + magnitude;
  return (percent > 0 ? QStringLiteral("+") : QString(kMinus)) + magnitude;
}

QString ProfileFormat::spanTooltip(const ProfileSpan& span, double wallMs) {
  QStringList lines;
  lines << QString::fromStdString(span.name);
  lines << tr("Duration: %1").arg(duration(span.durationMs()));
  if (wallMs > 0.0) lines << tr("Share of the job: %1").arg(share(span.durationMs() / wallMs));
  if (span.deviceMs >= 0.0) lines << tr("Device time: %1").arg(duration(span.deviceMs));
  if (span.step >= 0) lines << tr("Step: %1").arg(span.step + 1);
  if (span.memoryBytes >= 0) lines << tr("Memory: %1").arg(memory(span.memoryBytes));
  return lines.join(QLatin1Char('\n'));
}

QString ProfileFormat::toggles(const JobProfile& profile) {
  if (profile.optimizations.empty()) return tr("no optimizations");
  QStringList ids;
  for (const auto& id : profile.optimizations) ids << QString::fromStdString(id);
  return ids.join(QStringLiteral(", "));
}

}  // namespace celerity::ui
