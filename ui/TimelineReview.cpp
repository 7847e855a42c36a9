#include "TimelineReview.h"

#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QSaveFile>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStringList>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

#include "GanttView.h"
#include "ProfileFormat.h"
#include "StageComparisonModel.h"
#include "StageTableModel.h"
#include "celerity/Error.h"

namespace celerity::ui {
namespace {

constexpr int kJobIdRole = Qt::UserRole;

QTableView* makeTable(QAbstractItemModel* model, const QString& objectName, bool sortable, QWidget* parent) {
  auto* table = new QTableView(parent);
  table->setObjectName(objectName);
  if (sortable) {  // sort by the raw numbers, not their formatted text
    auto* proxy = new QSortFilterProxyModel(table);
    proxy->setSourceModel(model);
    proxy->setSortRole(Qt::UserRole);
    table->setModel(proxy);
    table->setSortingEnabled(true);
    table->sortByColumn(-1, Qt::AscendingOrder);  // keep the model's (first-appearance) order
  } else {
    table->setModel(model);
  }
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->verticalHeader()->setVisible(false);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);  // the stage name
  table->setAlternatingRowColors(true);
  return table;
}

QToolButton* makeButton(const QString& text, const QString& toolTip, const QString& objectName, QWidget* parent) {
  auto* button = new QToolButton(parent);
  button->setText(text);
  button->setToolTip(toolTip);
  button->setObjectName(objectName);
  return button;
}

double wallRatioOf(const AbReport& report) {
  return report.a.wall.medianMs > 0 ? report.b.wall.medianMs / report.a.wall.medianMs
                                    : std::numeric_limits<double>::quiet_NaN();
}

// The chart's area exactly as tall as the chart plus its scroll bar: the table gets the rest.
void fitAreaHeight(QScrollArea* area) {
  const int chart = area->widget()->sizeHint().height();
  area->setFixedHeight(chart + area->horizontalScrollBar()->sizeHint().height() + 2 * area->frameWidth());
}

}  // namespace

TimelineReview::TimelineReview(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("timelineReview"));
  stageModel_ = new StageTableModel(this);
  comparisonModel_ = new StageComparisonModel(this);

  list_ = new QListWidget(this);
  list_->setObjectName(QStringLiteral("jobList"));
  list_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  list_->setWordWrap(true);
  list_->setSpacing(2);
  list_->setAlternatingRowColors(true);
  list_->setToolTip(tr("Select one job to see its timeline, two (Ctrl+click) to compare them"));
  connect(list_, &QListWidget::itemSelectionChanged, this, &TimelineReview::onSelectionChanged);

  // Toolbar shared by both views: zoom applies to every chart shown, export to the selection.
  zoomOutButton_ = makeButton(tr("−"), tr("Zoom out (Ctrl+wheel)"), QStringLiteral("zoomOut"), this);
  zoomInButton_ = makeButton(tr("+"), tr("Zoom in (Ctrl+wheel)"), QStringLiteral("zoomIn"), this);
  zoomFitButton_ = makeButton(tr("Fit"), tr("Show the whole job"), QStringLiteral("zoomFit"), this);
  exportButton_ = makeButton(tr("Export Chrome trace…"),
                             tr("Save the selected jobs as a trace for Perfetto or chrome://tracing"),
                             QStringLiteral("exportTrace"), this);
  connect(zoomOutButton_, &QToolButton::clicked, this, &TimelineReview::zoomOut);
  connect(zoomInButton_, &QToolButton::clicked, this, &TimelineReview::zoomIn);
  connect(zoomFitButton_, &QToolButton::clicked, this, &TimelineReview::zoomToFit);
  connect(exportButton_, &QToolButton::clicked, this, &TimelineReview::exportChromeTrace);
  auto* toolbar = new QHBoxLayout;
  toolbar->addWidget(zoomOutButton_);
  toolbar->addWidget(zoomInButton_);
  toolbar->addWidget(zoomFitButton_);
  toolbar->addStretch(1);
  toolbar->addWidget(exportButton_);

  pages_ = new QStackedWidget(this);
  emptyLabel_ = new QLabel(tr("Select a job to see where its time went; select two to compare them."), pages_);
  emptyLabel_->setAlignment(Qt::AlignCenter);
  emptyLabel_->setWordWrap(true);
  pages_->addWidget(emptyLabel_);

  auto* single = new QWidget(pages_);
  singleTitle_ = new QLabel(single);
  gantt_ = new GanttView(single);
  ganttArea_ = wrapGantt(gantt_);
  stageTable_ = makeTable(stageModel_, QStringLiteral("stageTable"), true, single);
  auto* singleSplit = new QSplitter(Qt::Vertical, single);
  singleSplit->addWidget(ganttArea_);
  singleSplit->addWidget(stageTable_);
  singleSplit->setStretchFactor(1, 1);  // spare height goes to the table, not around the chart
  auto* singleLayout = new QVBoxLayout(single);
  singleLayout->setContentsMargins(0, 0, 0, 0);
  singleLayout->addWidget(singleTitle_);
  singleLayout->addWidget(singleSplit, 1);
  pages_->addWidget(single);

  auto* comparison = new QWidget(pages_);
  titleA_ = new QLabel(comparison);
  titleB_ = new QLabel(comparison);
  ganttA_ = new GanttView(comparison);
  ganttA_->setObjectName(QStringLiteral("ganttA"));
  ganttB_ = new GanttView(comparison);
  ganttB_->setObjectName(QStringLiteral("ganttB"));
  ganttAreaA_ = wrapGantt(ganttA_);
  ganttAreaB_ = wrapGantt(ganttB_);
  // One zoom and one scroll position for both charts, so that equal times line up.
  connect(ganttA_, &GanttView::zoomChanged, ganttB_, &GanttView::setZoom);
  connect(ganttB_, &GanttView::zoomChanged, ganttA_, &GanttView::setZoom);
  connect(ganttAreaA_->horizontalScrollBar(), &QScrollBar::valueChanged, ganttAreaB_->horizontalScrollBar(),
          &QScrollBar::setValue);
  connect(ganttAreaB_->horizontalScrollBar(), &QScrollBar::valueChanged, ganttAreaA_->horizontalScrollBar(),
          &QScrollBar::setValue);
  comparisonTable_ = makeTable(comparisonModel_, QStringLiteral("comparisonTable"), false, comparison);
  abSummary_ = new QLabel(comparison);
  abSummary_->setObjectName(QStringLiteral("abSummary"));
  abSummary_->setWordWrap(true);
  abSummary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  abSummary_->setVisible(false);
  auto* charts = new QWidget(comparison);
  auto* chartsLayout = new QVBoxLayout(charts);
  chartsLayout->setContentsMargins(0, 0, 0, 0);
  chartsLayout->addWidget(abSummary_);
  chartsLayout->addWidget(titleA_);
  chartsLayout->addWidget(ganttAreaA_);
  chartsLayout->addWidget(titleB_);
  chartsLayout->addWidget(ganttAreaB_);
  chartsLayout->addStretch(1);
  auto* comparisonSplit = new QSplitter(Qt::Vertical, comparison);
  comparisonSplit->addWidget(charts);
  comparisonSplit->addWidget(comparisonTable_);
  comparisonSplit->setStretchFactor(1, 1);
  auto* comparisonLayout = new QVBoxLayout(comparison);
  comparisonLayout->setContentsMargins(0, 0, 0, 0);
  comparisonLayout->addWidget(comparisonSplit, 1);
  pages_->addWidget(comparison);

  auto* right = new QWidget(this);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addLayout(toolbar);
  rightLayout->addWidget(pages_, 1);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(list_);
  split->addWidget(right);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 3);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  onSelectionChanged();
}

QScrollArea* TimelineReview::wrapGantt(GanttView* gantt) {
  auto* area = new QScrollArea(gantt->parentWidget());
  area->setWidget(gantt);
  area->setWidgetResizable(true);
  area->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);  // the area is exactly as tall as the chart
  area->viewport()->installEventFilter(this);
  area->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  return area;
}

bool TimelineReview::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Resize) {
    for (QScrollArea* area : {ganttArea_, ganttAreaA_, ganttAreaB_}) {
      if (area != nullptr && watched == area->viewport()) {
        static_cast<GanttView*>(area->widget())->setFitWidth(area->viewport()->width());
      }
    }
  }
  return QWidget::eventFilter(watched, event);
}

void TimelineReview::addJob(JobId id, const JobProfile& profile, const QString& title) {
  const int existing = rowOf(id);
  if (existing >= 0) {
    entries_[static_cast<std::size_t>(existing)] = Entry{id, profile, title};
    refreshItem(existing);
    onSelectionChanged();  // the shown profile may be this one
    return;
  }
  const bool follow = followLatest_ && list_->selectedItems().size() <= 1;
  entries_.push_back(Entry{id, profile, title});
  auto* item = new QListWidgetItem(list_);
  item->setData(kJobIdRole, QVariant::fromValue<qulonglong>(id));
  refreshItem(list_->count() - 1);
  if (follow) selectJobs({id});
}

void TimelineReview::addAbReport(JobId id, const AbReport& report, const QString& title) {
  auto shared = std::make_shared<const AbReport>(report);
  Entry entry{id, typicalRun(report.isAb() ? report.b : report.a), title, std::move(shared)};
  const int existing = rowOf(id);
  if (existing >= 0) {
    entries_[static_cast<std::size_t>(existing)] = std::move(entry);
    refreshItem(existing);
  } else {
    entries_.push_back(std::move(entry));
    auto* item = new QListWidgetItem(list_);
    item->setData(kJobIdRole, QVariant::fromValue<qulonglong>(id));
    refreshItem(list_->count() - 1);
  }
  selectJobs({id});  // asked for explicitly: shown at once, whatever was selected
}

const AbReport* TimelineReview::abReport(JobId id) const {
  const Entry* found = entry(id);
  return found != nullptr ? found->ab.get() : nullptr;
}

JobProfile TimelineReview::typicalRun(const AbArm& arm) {
  const JobProfile* best = nullptr;
  for (const JobProfile& run : arm.runs) {
    if (best == nullptr || std::abs(run.wallMs - arm.wall.medianMs) < std::abs(best->wallMs - arm.wall.medianMs)) {
      best = &run;
    }
  }
  return best != nullptr ? *best : JobProfile{};
}

QString TimelineReview::abSummaryText() const { return abSummary_->isHidden() ? QString() : abSummary_->text(); }

void TimelineReview::refreshItem(int row) {
  const Entry& job = entries_[static_cast<std::size_t>(row)];
  QListWidgetItem* item = list_->item(row);
  const QString name = job.title.isEmpty() ? tr("Job %1").arg(job.id) : job.title;
  if (job.ab && job.ab->isAb()) {
    const AbReport& r = *job.ab;
    item->setText(tr("%1 — A %2 → B %3 (%4)\nimages: %5")
                      .arg(name, ProfileFormat::duration(r.a.wall.medianMs), ProfileFormat::duration(r.b.wall.medianMs),
                           ProfileFormat::ratio(wallRatioOf(r)),
                           ProfileFormat::imageDifference(r.difference)));
    item->setToolTip(QString::fromStdString(formatAbReport(r)));
    return;
  }
  if (job.ab) {  // a benchmark: one arm
    item->setText(tr("%1 — median %2 of %n run(s)", nullptr, static_cast<int>(job.ab->a.runs.size()))
                      .arg(name, ProfileFormat::duration(job.ab->a.wall.medianMs)));
    item->setToolTip(QString::fromStdString(formatAbReport(*job.ab)));
    return;
  }
  item->setText(tr("%1 — %2\n%3").arg(name, ProfileFormat::duration(job.profile.wallMs),
                                      ProfileFormat::toggles(job.profile)));
  item->setToolTip(tr("%1\nDevice: %2\nOptimizations: %3")
                       .arg(QString::fromStdString(job.profile.label),
                            QString::fromStdString(job.profile.device), ProfileFormat::toggles(job.profile)));
}

void TimelineReview::removeJob(JobId id) {
  const int row = rowOf(id);
  if (row < 0) return;
  {
    const QSignalBlocker blocker(list_);  // rows and entries_ must agree when the slot runs
    delete list_->takeItem(row);
    entries_.erase(entries_.begin() + row);
  }
  onSelectionChanged();
}

void TimelineReview::clear() {
  {
    const QSignalBlocker blocker(list_);
    list_->clear();
    entries_.clear();
  }
  onSelectionChanged();
}

int TimelineReview::jobCount() const { return static_cast<int>(entries_.size()); }

bool TimelineReview::hasJob(JobId id) const { return rowOf(id) >= 0; }

const JobProfile* TimelineReview::profile(JobId id) const {
  const Entry* found = entry(id);
  return found != nullptr ? &found->profile : nullptr;
}

QString TimelineReview::title(JobId id) const {
  const Entry* found = entry(id);
  return found != nullptr ? found->title : QString();
}

const TimelineReview::Entry* TimelineReview::entry(JobId id) const {
  const int row = rowOf(id);
  return row >= 0 ? &entries_[static_cast<std::size_t>(row)] : nullptr;
}

int TimelineReview::rowOf(JobId id) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.id == id; });
  return it == entries_.end() ? -1 : static_cast<int>(it - entries_.begin());
}

QList<JobId> TimelineReview::selectedJobs() const {
  QList<JobId> ids;
  for (int row = 0; row < list_->count(); ++row) {
    if (list_->item(row)->isSelected()) ids << entries_[static_cast<std::size_t>(row)].id;
  }
  return ids;
}

void TimelineReview::selectJobs(const QList<JobId>& ids) {
  const QSignalBlocker blocker(list_);  // one selectionChanged for the whole change
  list_->clearSelection();
  for (const JobId id : ids) {
    const int row = rowOf(id);
    if (row >= 0) list_->item(row)->setSelected(true);
  }
  if (!ids.isEmpty() && rowOf(ids.back()) >= 0) list_->scrollToItem(list_->item(rowOf(ids.back())));
  onSelectionChanged();
}

TimelineReview::Page TimelineReview::page() const {
  switch (pages_->currentIndex()) {
    case 1: return Page::Single;
    case 2: return Page::Comparison;
    default: return Page::Empty;
  }
}

void TimelineReview::onSelectionChanged() {
  const QList<JobId> ids = selectedJobs();
  exportButton_->setEnabled(!ids.isEmpty());
  const bool charts = ids.size() == 1 || ids.size() == 2;
  zoomInButton_->setEnabled(charts);
  zoomOutButton_->setEnabled(charts);
  zoomFitButton_->setEnabled(charts);
  if (ids.size() == 1) {
    const Entry& only = *entry(ids.front());
    if (only.ab && only.ab->isAb()) {
      showAbReport(only);
    } else {
      showSingle(only);
    }
  } else if (ids.size() == 2) {
    showComparison(*entry(ids[0]), *entry(ids[1]));
  } else {
    emptyLabel_->setText(ids.isEmpty()
                             ? tr("Select a job to see where its time went; select two to compare them.")
                             : tr("%n jobs selected: select one to see its timeline or two to compare them.",
                                  nullptr, static_cast<int>(ids.size())));
    pages_->setCurrentIndex(0);
  }
  emit selectionChanged(ids);
  if (ids.size() == 1) emit jobSelected(ids.front());
  if (ids.size() == 2) emit comparisonSelected(ids[0], ids[1]);
}

void TimelineReview::showSingle(const Entry& job) {
  singleTitle_->setText(tr("<b>%1</b> — %2 — %3")
                            .arg(job.title.toHtmlEscaped(),
                                 QString::fromStdString(job.profile.label).toHtmlEscaped(),
                                 ProfileFormat::duration(job.profile.wallMs)));
  gantt_->setProfile(job.profile);
  gantt_->setTimeScaleMs(0.0);
  stageModel_->setProfile(job.profile);
  fitAreaHeight(ganttArea_);
  pages_->setCurrentIndex(1);
}

void TimelineReview::setComparisonCharts(const JobProfile& a, const QString& aTitle, const JobProfile& b,
                                         const QString& bTitle) {
  const double scaleMs = std::max({a.wallMs, b.wallMs, 1.0});
  titleA_->setText(aTitle);
  titleB_->setText(bTitle);
  ganttA_->setProfile(a);
  ganttB_->setProfile(b);
  ganttA_->setTimeScaleMs(scaleMs);
  ganttB_->setTimeScaleMs(scaleMs);
  fitAreaHeight(ganttAreaA_);
  fitAreaHeight(ganttAreaB_);
  pages_->setCurrentIndex(2);
}

void TimelineReview::showComparison(const Entry& a, const Entry& b) {
  abSummary_->setVisible(false);
  comparisonModel_->setProfiles(a.profile, a.title, b.profile, b.title);
  setComparisonCharts(a.profile, tr("<b>A</b>: %1 — %2").arg(a.title.toHtmlEscaped(), ProfileFormat::duration(a.profile.wallMs)),
                      b.profile, tr("<b>B</b>: %1 — %2").arg(b.title.toHtmlEscaped(), ProfileFormat::duration(b.profile.wallMs)));
}

void TimelineReview::showAbReport(const Entry& job) {
  const AbReport& r = *job.ab;
  QStringList toggles;
  for (const auto& id : r.settings.toggles) toggles << QString::fromStdString(id);
  const QString names = toggles.join(QStringLiteral(", "));
  const QString aName = tr("%1 off").arg(names);
  const QString bName = tr("%1 on").arg(names);
  const auto armTitle = [](const QString& side, const QString& name, const AbArm& arm) {
    return tr("<b>%1</b>: %2 — median %3 (%4 … %5); typical run shown")
        .arg(side, name.toHtmlEscaped(), ProfileFormat::duration(arm.wall.medianMs),
             ProfileFormat::duration(arm.wall.minMs), ProfileFormat::duration(arm.wall.maxMs));
  };
  comparisonModel_->setAbReport(r, aName, bName);
  const QString warmups = r.settings.warmup > 0 ? tr(", after %n warm-up run(s)", nullptr, r.settings.warmup) : QString();
  abSummary_->setText(tr("%1 — B / A %2 on the wall time (medians of %n interleaved run(s) per arm%3) · images: %4",
                         nullptr, static_cast<int>(r.a.runs.size()))
                          .arg(job.title, ProfileFormat::ratio(wallRatioOf(r)), warmups,
                               ProfileFormat::imageDifference(r.difference)));
  abSummary_->setVisible(true);
  setComparisonCharts(typicalRun(r.a), armTitle(QStringLiteral("A"), aName, r.a), typicalRun(r.b),
                      armTitle(QStringLiteral("B"), bName, r.b));
}

void TimelineReview::zoomIn() {
  if (page() == Page::Single) gantt_->zoomIn();
  if (page() == Page::Comparison) ganttA_->zoomIn();  // B follows
}

void TimelineReview::zoomOut() {
  if (page() == Page::Single) gantt_->zoomOut();
  if (page() == Page::Comparison) ganttA_->zoomOut();
}

void TimelineReview::zoomToFit() {
  if (page() == Page::Single) gantt_->zoomToFit();
  if (page() == Page::Comparison) ganttA_->zoomToFit();
}

void TimelineReview::writeTrace(const std::vector<JobProfile>& profiles, const QString& path) {
  if (profiles.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "no job to export", path.toStdString());
  }
  if (profiles.size() == 1) {
    writeChromeTrace(profiles.front(), path.toStdString());
    return;
  }
  // Several jobs: one file, one process row per job (the engine writes single profiles only).
  const std::string text = toChromeTrace(profiles);
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    throw CelerityError(ErrorCode::FileUnreadable,
                        "cannot create the trace file: " + file.errorString().toStdString(), path.toStdString());
  }
  if (file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) ||
      !file.commit()) {
    throw CelerityError(ErrorCode::FileUnreadable,
                        "writing the trace failed: " + file.errorString().toStdString(), path.toStdString());
  }
}

void TimelineReview::exportSelectedTo(const QString& path) const {
  std::vector<JobProfile> profiles;
  for (const JobId id : selectedJobs()) {
    const Entry* job = entry(id);
    if (!job->ab) {
      profiles.push_back(job->profile);
      continue;
    }
    for (const AbArm* arm : {&job->ab->a, &job->ab->b}) {  // every measured run, A's first
      profiles.insert(profiles.end(), arm->runs.begin(), arm->runs.end());
    }
  }
  writeTrace(profiles, path);
}

void TimelineReview::exportChromeTrace() {
  const QList<JobId> ids = selectedJobs();
  if (ids.isEmpty()) return;
  const QString suggested = ids.size() == 1 ? QStringLiteral("celerity-job-%1.json").arg(ids.front())
                                            : QStringLiteral("celerity-jobs.json");
  const QString path = QFileDialog::getSaveFileName(this, tr("Export Chrome trace"), suggested,
                                                    tr("Chrome trace (*.json);;All files (*)"));
  if (path.isEmpty()) return;
  try {
    exportSelectedTo(path);
  } catch (const CelerityError& error) {
    QMessageBox::warning(this, tr("Export Chrome trace"),
                         tr("The trace could not be written to %1:\n%2")
                             .arg(path, QString::fromStdString(error.error().message)));
  }
}

}  // namespace celerity::ui
