#pragma once
// The timeline review: the jobs run so far (title, toggles, total); one selected shows a
// zoomable Gantt of its nested stages and the per-stage table; two selected show both Gantts
// on one time scale and the per-stage deltas (B − A). An A/B report ("A/B this") is one
// entry: selected, it shows both arms' typical runs side by side with the per-stage median
// deltas, ratios and the difference between their images. Any selection can be exported as
// a Chrome trace (Perfetto, chrome://tracing).
#include <QList>
#include <QString>
#include <QWidget>
#include <memory>
#include <vector>

#include "celerity/AbRunner.h"
#include "celerity/Events.h"
#include "celerity/Profiler.h"

class QLabel;
class QListWidget;
class QScrollArea;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace celerity::ui {

class GanttView;
class StageComparisonModel;
class StageTableModel;

class TimelineReview : public QWidget {
  Q_OBJECT

 public:
  enum class Page { Empty, Single, Comparison };

  explicit TimelineReview(QWidget* parent = nullptr);

  // Adds a job at the end of the list (an id already listed is replaced in place). While at
  // most one job is selected and follow-latest is on, the new job becomes the selection.
  void addJob(JobId id, const JobProfile& profile, const QString& title);
  // Adds (or replaces) an A/B report under `id` and selects it: the comparison page with
  // arm A's and arm B's typical runs (a benchmark without toggles: the single page).
  void addAbReport(JobId id, const AbReport& report, const QString& title);
  const AbReport* abReport(JobId id) const;  // nullptr when `id` is no A/B report
  // The measured run whose wall time is nearest the arm's median (an empty profile for none).
  static JobProfile typicalRun(const AbArm& arm);
  // The comparison page's summary line (wall ratio and image difference of an A/B report).
  QString abSummaryText() const;
  void removeJob(JobId id);
  void clear();
  int jobCount() const;
  bool hasJob(JobId id) const;
  const JobProfile* profile(JobId id) const;  // nullptr when not listed
  QString title(JobId id) const;

  QList<JobId> selectedJobs() const;  // in list order
  void selectJobs(const QList<JobId>& ids);
  bool followsLatest() const { return followLatest_; }
  void setFollowLatest(bool follow) { followLatest_ = follow; }

  Page page() const;
  GanttView* ganttView() const { return gantt_; }
  GanttView* comparisonGantt(int side) const { return side == 0 ? ganttA_ : ganttB_; }
  const StageTableModel* stageModel() const { return stageModel_; }
  const StageComparisonModel* comparisonModel() const { return comparisonModel_; }

  // One profile → its own trace; several → one trace with a process row each. Throws
  // CelerityError(FileUnreadable, where = path) on I/O errors, (InvalidArgument) for none.
  static void writeTrace(const std::vector<JobProfile>& profiles, const QString& path);
  // The selected jobs' trace, written to `path` (no dialog). Throws like writeTrace.
  void exportSelectedTo(const QString& path) const;

 public slots:
  // Asks for a file name and writes the selected jobs' trace; reports errors in a message box.
  void exportChromeTrace();
  void zoomIn();
  void zoomOut();
  void zoomToFit();

 signals:
  void selectionChanged(const QList<celerity::JobId>& ids);
  void jobSelected(celerity::JobId id);                        // exactly one selected
  void comparisonSelected(celerity::JobId a, celerity::JobId b);  // exactly two selected

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  struct Entry {
    JobId id = 0;
    JobProfile profile;
    QString title;
    std::shared_ptr<const AbReport> ab;  // set for an A/B report
  };

  void onSelectionChanged();
  void showSingle(const Entry& entry);
  void showComparison(const Entry& a, const Entry& b);
  void showAbReport(const Entry& entry);
  void setComparisonCharts(const JobProfile& a, const QString& aTitle, const JobProfile& b, const QString& bTitle);
  const Entry* entry(JobId id) const;
  int rowOf(JobId id) const;
  QScrollArea* wrapGantt(GanttView* gantt);
  void refreshItem(int row);

  std::vector<Entry> entries_;  // parallel to the list's rows
  bool followLatest_ = true;

  QListWidget* list_ = nullptr;
  QStackedWidget* pages_ = nullptr;
  QLabel* emptyLabel_ = nullptr;
  QLabel* singleTitle_ = nullptr;
  QLabel* titleA_ = nullptr;
  QLabel* titleB_ = nullptr;
  QLabel* abSummary_ = nullptr;
  GanttView* gantt_ = nullptr;
  GanttView* ganttA_ = nullptr;
  GanttView* ganttB_ = nullptr;
  QScrollArea* ganttArea_ = nullptr;
  QScrollArea* ganttAreaA_ = nullptr;
  QScrollArea* ganttAreaB_ = nullptr;
  StageTableModel* stageModel_ = nullptr;
  StageComparisonModel* comparisonModel_ = nullptr;
  QTableView* stageTable_ = nullptr;
  QTableView* comparisonTable_ = nullptr;
  QToolButton* exportButton_ = nullptr;
  QToolButton* zoomInButton_ = nullptr;
  QToolButton* zoomOutButton_ = nullptr;
  QToolButton* zoomFitButton_ = nullptr;
};

}  // namespace celerity::ui
