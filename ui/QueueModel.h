#pragma once
// The studio's job queue as a table: id, label, state, progress. Fed by the engine
// controller through setters; the view only reads it. Qt::UserRole holds raw values (the job
// id, the QueueJobState, the progress fraction).
#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include "celerity/Events.h"

namespace celerity::ui {

enum class QueueJobState {
  Invalid = 0,
  Pending,
  Running,
  Stopping,  // cancel or "finish current image and stop" requested, not yet ended
};

struct QueueEntry {
  JobId id = 0;
  QString label;
  QueueJobState state = QueueJobState::Pending;
  double progress = 0.0;  // 0 … 1
};

class QueueModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { IdColumn = 0, LabelColumn, StateColumn, ProgressColumn, ColumnCount };
  static constexpr int kRawRole = Qt::UserRole;

  explicit QueueModel(QObject* parent = nullptr);

  static QString stateText(QueueJobState state);

  // Replaces the whole queue (in display order: running first, then pending).
  void setJobs(std::vector<QueueEntry> jobs);
  // Adds a job at the end, or updates it in place when its id is listed.
  void upsertJob(const QueueEntry& job);
  void setState(JobId id, QueueJobState state);
  void setProgress(JobId id, double fraction);  // clamped to [0, 1]
  void removeJob(JobId id);  // a job that ended
  void clear();

  const std::vector<QueueEntry>& jobs() const { return jobs_; }
  int rowOf(JobId id) const;  // −1 when not listed
  bool hasRunning() const;

  int rowCount(const QModelIndex& parent = QModelIndex()) const override;
  int columnCount(const QModelIndex& parent = QModelIndex()) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  void rowChanged(int row);

  std::vector<QueueEntry> jobs_;
};

}  // namespace celerity::ui
