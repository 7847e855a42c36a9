#include "QueueView.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace celerity::ui {
namespace {

// Draws the progress column as a progress bar.
class ProgressDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = qRound(index.data(QueueModel::kRawRole).toDouble() * 1000.0);
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.state = option.state | QStyle::State_Horizontal;
    const QWidget* widget = option.widget;
    QStyle* style = widget != nullptr ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
  }
};

}  // namespace

QueueView::QueueView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("queueView"));
  model_ = new QueueModel(this);

  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("queueTable"));
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setVisible(false);
  table_->horizontalHeader()->setSectionResizeMode(QueueModel::LabelColumn, QHeaderView::Stretch);
  table_->setItemDelegateForColumn(QueueModel::ProgressColumn, new ProgressDelegate(table_));

  emptyLabel_ = new QLabel(tr("No jobs queued. Generate with Ctrl+Enter."), this);
  emptyLabel_->setAlignment(Qt::AlignCenter);
  emptyLabel_->setEnabled(false);

  cancelButton_ = new QPushButton(tr("Cancel"), this);
  cancelButton_->setObjectName(QStringLiteral("cancelSelected"));
  cancelButton_->setToolTip(tr("Cancel the selected jobs"));
  cancelAllButton_ = new QPushButton(tr("Cancel all"), this);
  cancelAllButton_->setObjectName(QStringLiteral("cancelAll"));
  cancelAllButton_->setToolTip(tr("Stop the running job at the next step and drop every pending one"));
  finishButton_ = new QPushButton(tr("Finish current image and stop"), this);
  finishButton_->setObjectName(QStringLiteral("finishCurrent"));
  finishButton_->setToolTip(tr("Let the image being made finish, then stop the job and the queue"));
  connect(cancelButton_, &QPushButton::clicked, this, &QueueView::cancelSelected);
  connect(cancelAllButton_, &QPushButton::clicked, this, &QueueView::cancelAll);
  connect(finishButton_, &QPushButton::clicked, this, &QueueView::finishCurrent);

  auto* buttons = new QHBoxLayout;
  buttons->addWidget(cancelButton_);
  buttons->addWidget(cancelAllButton_);
  buttons->addWidget(finishButton_);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(table_, 1);
  layout->addWidget(emptyLabel_);
  layout->addLayout(buttons);

  connect(model_, &QAbstractItemModel::modelReset, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::rowsInserted, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::rowsRemoved, this, &QueueView::updateButtons);
  connect(model_, &QAbstractItemModel::dataChanged, this, &QueueView::updateButtons);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &QueueView::updateButtons);
  updateButtons();
}

QList<JobId> QueueView::selectedJobs() const {
  QList<JobId> ids;
  const QItemSelectionModel* selection = table_->selectionModel();
  for (int row = 0; row < model_->rowCount(); ++row) {
    if (selection->isRowSelected(row, QModelIndex())) ids << model_->jobs()[static_cast<std::size_t>(row)].id;
  }
  return ids;
}

void QueueView::selectJob(JobId id) {
  const int row = model_->rowOf(id);
  if (row < 0) {
    table_->clearSelection();
    return;
  }
  table_->selectionModel()->select(model_->index(row, 0),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void QueueView::cancelSelected() {
  for (const JobId id : selectedJobs()) emit cancelRequested(id);
}

void QueueView::cancelAll() {
  if (model_->rowCount() > 0) emit cancelAllRequested();
}

void QueueView::finishCurrent() {
  if (model_->hasRunning()) emit finishCurrentRequested();
}

void QueueView::updateButtons() {
  const bool any = model_->rowCount() > 0;
  cancelButton_->setEnabled(!selectedJobs().isEmpty());
  cancelAllButton_->setEnabled(any);
  finishButton_->setEnabled(model_->hasRunning());
  table_->setVisible(any);
  emptyLabel_->setVisible(!any);
}

}  // namespace celerity::ui
