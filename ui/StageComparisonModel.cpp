#include "StageComparisonModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <cmath>
#include <limits>

#include "ProfileFormat.h"
#include "StageColors.h"

namespace celerity::ui {
namespace {

StageDelta makeDelta(std::string name, double aMs, double bMs) {
  StageDelta delta;
  delta.name = std::move(name);
  delta.aMs = aMs;
  delta.bMs = bMs;
  delta.deltaMs = bMs - aMs;
  delta.deltaPercent = aMs > 0.0 ? 100.0 * delta.deltaMs / aMs : std::numeric_limits<double>::quiet_NaN();
  delta.ratio = aMs > 0.0 ? bMs / aMs : std::numeric_limits<double>::quiet_NaN();
  return delta;
}

const StageStats* findStage(const std::vector<StageStats>& stages, const std::string& name) {
  for (const StageStats& stage : stages) {
    if (stage.name == name) return &stage;
  }
  return nullptr;
}

}  // namespace

StageComparisonModel::StageComparisonModel(QObject* parent) : QAbstractTableModel(parent) {}

std::vector<StageDelta> StageComparisonModel::compare(const JobProfile& a, const JobProfile& b) {
  const std::vector<StageSummary> aStages = a.summary();
  const std::vector<StageSummary> bStages = b.summary();
  const auto totalIn = [](const std::vector<StageSummary>& stages, const std::string& name) {
    for (const StageSummary& stage : stages) {
      if (stage.name == name) return stage.totalMs;
    }
    return 0.0;
  };
  const auto contains = [](const std::vector<StageSummary>& stages, const std::string& name) {
    for (const StageSummary& stage : stages) {
      if (stage.name == name) return true;
    }
    return false;
  };
  std::vector<StageDelta> deltas;
  for (const StageSummary& stage : aStages) {
    deltas.push_back(makeDelta(stage.name, stage.totalMs, totalIn(bStages, stage.name)));
  }
  for (const StageSummary& stage : bStages) {
    if (!contains(aStages, stage.name)) deltas.push_back(makeDelta(stage.name, 0.0, stage.totalMs));
  }
  return deltas;
}

StageDelta StageComparisonModel::compareWall(const JobProfile& a, const JobProfile& b) {
  return makeDelta(std::string(), a.wallMs, b.wallMs);
}

std::vector<StageDelta> StageComparisonModel::compare(const AbReport& report) {
  std::vector<StageDelta> deltas;
  for (const StageStats& stage : report.a.stages) {
    const StageStats* b = findStage(report.b.stages, stage.name);
    deltas.push_back(makeDelta(stage.name, stage.medianMs, b != nullptr ? b->medianMs : 0.0));
  }
  for (const StageStats& stage : report.b.stages) {
    if (findStage(report.a.stages, stage.name) == nullptr) deltas.push_back(makeDelta(stage.name, 0.0, stage.medianMs));
  }
  deltas.push_back(makeDelta(std::string(), report.a.wall.medianMs, report.b.wall.medianMs));
  return deltas;
}

void StageComparisonModel::setAbReport(const AbReport& report, const QString& aTitle, const QString& bTitle) {
  beginResetModel();
  rows_ = compare(report);
  aTitle_ = aTitle;
  bTitle_ = bTitle;
  endResetModel();
  emit headerDataChanged(Qt::Horizontal, AColumn, BColumn);
}

void StageComparisonModel::setProfiles(const JobProfile& a, const QString& aTitle, const JobProfile& b,
                                       const QString& bTitle) {
  beginResetModel();
  rows_ = compare(a, b);
  rows_.push_back(compareWall(a, b));
  aTitle_ = aTitle;
  bTitle_ = bTitle;
  endResetModel();
  emit headerDataChanged(Qt::Horizontal, AColumn, BColumn);
}

void StageComparisonModel::clear() {
  beginResetModel();
  rows_.clear();
  endResetModel();
}

int StageComparisonModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int StageComparisonModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant StageComparisonModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const StageDelta& row = rows_[static_cast<std::size_t>(index.row())];
  const bool wallRow = index.row() == rowCount() - 1;
  const int column = index.column();
  if (role == Qt::DisplayRole) {
    switch (column) {
      case StageColumn: return wallRow ? tr("Whole job (wall time)") : QString::fromStdString(row.name);
      case AColumn: return row.aMs > 0.0 || wallRow ? ProfileFormat::duration(row.aMs) : QStringLiteral("—");
      case BColumn: return row.bMs > 0.0 || wallRow ? ProfileFormat::duration(row.bMs) : QStringLiteral("—");
      case DeltaMsColumn: return ProfileFormat::deltaDuration(row.deltaMs);
      case DeltaPercentColumn: return ProfileFormat::deltaPercent(row.deltaPercent);
      case RatioColumn: return ProfileFormat::ratio(row.ratio);
      default: return {};
    }
  }
  if (role == kRawRole) {
    switch (column) {
      case StageColumn: return QString::fromStdString(row.name);
      case AColumn: return row.aMs;
      case BColumn: return row.bMs;
      case DeltaMsColumn: return row.deltaMs;
      case DeltaPercentColumn: return row.deltaPercent;
      case RatioColumn: return row.ratio;
      default: return {};
    }
  }
  if (role == Qt::DecorationRole && column == StageColumn && !wallRow) return StageColors::color(row.name);
  if (role == Qt::FontRole && wallRow) {
    QFont bold;
    bold.setBold(true);
    return bold;
  }
  // Faster in B reads green, slower red; changes under 1 % stay neutral (timing noise).
  const bool deltaColumn = column == DeltaMsColumn || column == DeltaPercentColumn || column == RatioColumn;
  if (role == Qt::ForegroundRole && deltaColumn &&
      std::isfinite(row.deltaPercent) && std::abs(row.deltaPercent) >= 1.0) {
    return QBrush(row.deltaMs < 0 ? QColor(0x2e, 0x7d, 0x32) : QColor(0xc6, 0x28, 0x28));
  }
  if (role == Qt::TextAlignmentRole && column != StageColumn) {
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
  }
  return {};
}

QVariant StageComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case StageColumn: return tr("Stage");
    case AColumn: return aTitle_.isEmpty() ? tr("A") : tr("A: %1").arg(aTitle_);
    case BColumn: return bTitle_.isEmpty() ? tr("B") : tr("B: %1").arg(bTitle_);
    case DeltaMsColumn: return tr("Δ ms");
    case DeltaPercentColumn: return tr("Δ %");
    case RatioColumn: return tr("B / A");
    default: return {};
  }
}

}  // namespace celerity::ui
