#include "QueueModel.h"

#include <algorithm>

namespace celerity::ui {

QueueModel::QueueModel(QObject* parent) : QAbstractTableModel(parent) {}

QString QueueModel::stateText(QueueJobState state) {
  switch (state) {
    case QueueJobState::Pending: return tr("pending");
    case QueueJobState::Running: return tr("running");
    case QueueJobState::Stopping: return tr("stopping");
    case QueueJobState::Invalid: break;
  }
  return tr("unknown");
}

void QueueModel::setJobs(std::vector<QueueEntry> jobs) {
  beginResetModel();
  jobs_ = std::move(jobs);
  for (QueueEntry& job : jobs_) job.progress = std::clamp(job.progress, 0.0, 1.0);
  endResetModel();
}

void QueueModel::upsertJob(const QueueEntry& job) {
  QueueEntry clamped = job;
  clamped.progress = std::clamp(job.progress, 0.0, 1.0);
  const int row = rowOf(job.id);
  if (row >= 0) {
    jobs_[static_cast<std::size_t>(row)] = clamped;
    rowChanged(row);
    return;
  }
  const int end = rowCount();
  beginInsertRows(QModelIndex(), end, end);
  jobs_.push_back(clamped);
  endInsertRows();
}

void QueueModel::setState(JobId id, QueueJobState state) {
  const int row = rowOf(id);
  if (row < 0) return;
  jobs_[static_cast<std::size_t>(row)].state = state;
  rowChanged(row);
}

void QueueModel::setProgress(JobId id, double fraction) {
  const int row = rowOf(id);
  if (row < 0) return;
  jobs_[static_cast<std::size_t>(row)].progress = std::clamp(fraction, 0.0, 1.0);
  rowChanged(row);
}

void QueueModel::removeJob(JobId id) {
  const int row = rowOf(id);
  if (row < 0) return;
  beginRemoveRows(QModelIndex(), row, row);
  jobs_.erase(jobs_.begin() + row);
  endRemoveRows();
}

void QueueModel::clear() { setJobs({}); }

int QueueModel::rowOf(JobId id) const {
  const auto it = std::find_if(jobs_.begin(), jobs_.end(), [&](const QueueEntry& job) { return job.id == id; });
  return it == jobs_.end() ? -1 : static_cast<int>(it - jobs_.begin());
}

bool QueueModel::hasRunning() const {
  return std::any_of(jobs_.begin(), jobs_.end(),
                     [](const QueueEntry& job) { return job.state == QueueJobState::Running; });
}

void QueueModel::rowChanged(int row) {
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int QueueModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(jobs_.size());
}

int QueueModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant QueueModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const QueueEntry& job = jobs_[static_cast<std::size_t>(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case IdColumn: return QStringLiteral("#%1").arg(job.id);
      case LabelColumn: return job.label;
      case StateColumn: return stateText(job.state);
      case ProgressColumn: return tr("%1 %").arg(qRound(job.progress * 100.0));
      default: return {};
    }
  }
  if (role == kRawRole) {
    switch (index.column()) {
      case IdColumn: return QVariant::fromValue<qulonglong>(job.id);
      case LabelColumn: return job.label;
      case StateColumn: return static_cast<int>(job.state);
      case ProgressColumn: return job.progress;
      default: return {};
    }
  }
  if (role == Qt::ToolTipRole && index.column() == LabelColumn) return job.label;
  return {};
}

QVariant QueueModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case IdColumn: return tr("Job");
    case LabelColumn: return tr("Request");
    case StateColumn: return tr("State");
    case ProgressColumn: return tr("Progress");
    default: return {};
  }
}

}  // namespace celerity::ui
