#include "StageTableModel.h"

#include <QBrush>

#include "ProfileFormat.h"
#include "StageColors.h"

namespace celerity::ui {

StageTableModel::StageTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void StageTableModel::setSummary(std::vector<StageSummary> summary) {
  beginResetModel();
  rows_ = std::move(summary);
  endResetModel();
}

int StageTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int StageTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant StageTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const StageSummary& row = rows_[static_cast<std::size_t>(index.row())];
  const int column = index.column();
  if (role == Qt::DisplayRole) {
    switch (column) {
      case StageColumn: return QString::fromStdString(row.name);
      case CountColumn: return QString::number(row.count);
      case TotalColumn: return ProfileFormat::duration(row.totalMs);
      case MeanColumn: return ProfileFormat::duration(row.meanMs);
      case ShareColumn: return ProfileFormat::share(row.share);
      case MemoryColumn: return ProfileFormat::memory(row.peakMemoryBytes);
      default: return {};
    }
  }
  if (role == kRawRole) {
    switch (column) {
      case StageColumn: return QString::fromStdString(row.name);
      case CountColumn: return row.count;
      case TotalColumn: return row.totalMs;
      case MeanColumn: return row.meanMs;
      case ShareColumn: return row.share;
      case MemoryColumn: return static_cast<qlonglong>(row.peakMemoryBytes);
      default: return {};
    }
  }
  if (role == Qt::DecorationRole && column == StageColumn) return StageColors::color(row.name);
  if (role == Qt::TextAlignmentRole && column != StageColumn) {
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
  }
  return {};
}

QVariant StageTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case StageColumn: return tr("Stage");
    case CountColumn: return tr("Count");
    case TotalColumn: return tr("Total");
    case MeanColumn: return tr("Mean");
    case ShareColumn: return tr("Share");
    case MemoryColumn: return tr("Peak memory");
    default: return {};
  }
}

}  // namespace celerity::ui
