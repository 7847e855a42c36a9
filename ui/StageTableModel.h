#pragma once
// The flat per-stage view of one job (JobProfile::summary()): stage, count, total, mean,
// share and peak memory. Display text is formatted; Qt::UserRole holds the raw number
// (milliseconds, fraction, bytes) so that a proxy can sort and tests can read values.
#include <QAbstractTableModel>
#include <vector>

#include "celerity/Profiler.h"

namespace celerity::ui {

class StageTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { StageColumn = 0, CountColumn, TotalColumn, MeanColumn, ShareColumn, MemoryColumn, ColumnCount };
  static constexpr int kRawRole = Qt::UserRole;

  explicit StageTableModel(QObject* parent = nullptr);

  void setSummary(std::vector<StageSummary> summary);
  void setProfile(const JobProfile& profile) { setSummary(profile.summary()); }
  const std::vector<StageSummary>& summary() const { return rows_; }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<StageSummary> rows_;
};

}  // namespace celerity::ui
