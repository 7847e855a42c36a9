#pragma once
// The queue: pending and running jobs (id, request, state, progress) with "Cancel" (the
// selected jobs), "Cancel all" and "Finish current image and stop". The buttons only emit
// signals; the engine controller acts on them and feeds the model back.
#include <QList>
#include <QWidget>
#include <vector>

#include "QueueModel.h"

class QLabel;
class QPushButton;
class QTableView;

namespace celerity::ui {

class QueueView : public QWidget {
  Q_OBJECT

 public:
  explicit QueueView(QWidget* parent = nullptr);

  QueueModel* model() const { return model_; }
  // Shorthands for model()'s setters.
  void setJobs(std::vector<QueueEntry> jobs) { model_->setJobs(std::move(jobs)); }
  void upsertJob(const QueueEntry& job) { model_->upsertJob(job); }
  void setState(JobId id, QueueJobState state) { model_->setState(id, state); }
  void setProgress(JobId id, double fraction) { model_->setProgress(id, fraction); }
  void removeJob(JobId id) { model_->removeJob(id); }

  QList<JobId> selectedJobs() const;  // in queue order
  void selectJob(JobId id);

 public slots:
  void cancelSelected();  // emits cancelRequested for each selected job
  void cancelAll();       // emits cancelAllRequested
  void finishCurrent();   // emits finishCurrentRequested

 signals:
  void cancelRequested(celerity::JobId id);
  void cancelAllRequested();
  void finishCurrentRequested();

 private:
  void updateButtons();

  QueueModel* model_ = nullptr;
  QTableView* table_ = nullptr;
  QLabel* emptyLabel_ = nullptr;
  QPushButton* cancelButton_ = nullptr;
  QPushButton* cancelAllButton_ = nullptr;
  QPushButton* finishButton_ = nullptr;
};

}  // namespace celerity::ui
