#pragma once
// Two jobs side by side, stage by stage: A's total, B's total, B − A in milliseconds and in
// percent of A, and the ratio B / A. Stages appear in A's order, then those only B has; a
// last row compares the jobs' wall times. An A/B report fills it with each arm's per-stage
// medians instead. Qt::UserRole holds raw numbers (NaN for a percentage without a base).
#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include "celerity/AbRunner.h"
#include "celerity/Profiler.h"

namespace celerity::ui {

struct StageDelta {
  std::string name;
  double aMs = 0.0;  // 0 when A has no such stage
  double bMs = 0.0;
  double deltaMs = 0.0;       // bMs − aMs
  double deltaPercent = 0.0;  // 100 · deltaMs / aMs; NaN when aMs is 0
  double ratio = 0.0;         // bMs / aMs; NaN when aMs is 0
};

class StageComparisonModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { StageColumn = 0, AColumn, BColumn, DeltaMsColumn, DeltaPercentColumn, RatioColumn, ColumnCount };
  static constexpr int kRawRole = Qt::UserRole;

  explicit StageComparisonModel(QObject* parent = nullptr);

  // Per-stage totals of both profiles (tested directly).
  static std::vector<StageDelta> compare(const JobProfile& a, const JobProfile& b);
  // The wall-time row.
  static StageDelta compareWall(const JobProfile& a, const JobProfile& b);
  // An A/B report's per-stage medians (arm A's order, then stages only B has), then the
  // median wall times.
  static std::vector<StageDelta> compare(const AbReport& report);

  void setProfiles(const JobProfile& a, const QString& aTitle, const JobProfile& b, const QString& bTitle);
  void setAbReport(const AbReport& report, const QString& aTitle, const QString& bTitle);
  void clear();
  // The stage rows followed by the wall row.
  const std::vector<StageDelta>& rows() const { return rows_; }

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::vector<StageDelta> rows_;
  QString aTitle_;
  QString bTitle_;
};

}  // namespace celerity::ui
