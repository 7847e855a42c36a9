// The studio's standalone widgets on the offscreen platform: profiler overlay, timeline
// review (Gantt, stage table, comparison, trace export), optimization panel, queue and
// gallery. Profiles are built by hand, so every expected number is known exactly.
#include <QCheckBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QApplication>
#include <QWheelEvent>
#include <cmath>
#include <QToolButton>
#include <fstream>
#include <sstream>

#include "GalleryView.h"
#include "GanttView.h"
#include "ImageConversions.h"
#include "OptimizationPanel.h"
#include "ProfileFormat.h"
#include "ProfilerOverlay.h"
#include "QueueView.h"
#include "StageColors.h"
#include "StageComparisonModel.h"
#include "StageTableModel.h"
#include "TimelineReview.h"
#include "celerity/AbRunner.h"
#include "celerity/Error.h"
#include "celerity/Options.h"
#include "celerity/Profiler.h"

using namespace celerity;
using namespace celerity::ui;

namespace {

constexpr std::int64_t kMiB = 1024 * 1024;

ProfileSpan makeSpan(const std::string& name, int parent, int depth, double startMs, double endMs,
                     std::int64_t memoryBytes = -1, int step = -1) {
  ProfileSpan span;
  span.name = name;
  span.parent = parent;
  span.depth = depth;
  span.startMs = startMs;
  span.endMs = endMs;
  span.memoryBytes = memoryBytes;
  span.step = step;
  return span;
}

// load 0–100, text 100–150, sample 150–850 (three steps), vae.decode 850–950, save 950–1000.
// `sampleScale` stretches the sampler (and everything after it) for a second, slower job.
JobProfile makeProfile(double sampleScale = 1.0, const std::string& label = "txt2img 512×512, 3 steps") {
  JobProfile profile;
  profile.label = label;
  profile.device = "cpu";
  profile.optimizations = {"load.mmap", "text.cache"};
  const double sampleEnd = 150.0 + 700.0 * sampleScale;
  const double stepMs = (sampleEnd - 150.0) / 3.0;
  profile.spans = {
      makeSpan("load.checkpoint", -1, 0, 0.0, 100.0, 900 * kMiB),
      makeSpan("text.encode", -1, 0, 100.0, 150.0, 950 * kMiB),
      makeSpan("sample", -1, 0, 150.0, sampleEnd, 1200 * kMiB),
      makeSpan("sample.step", 2, 1, 150.0, 150.0 + stepMs, 1100 * kMiB, 0),
      makeSpan("sample.step", 2, 1, 150.0 + stepMs, 150.0 + 2 * stepMs, 1200 * kMiB, 1),
      makeSpan("sample.step", 2, 1, 150.0 + 2 * stepMs, sampleEnd, 1150 * kMiB, 2),
      makeSpan("vae.decode", -1, 0, sampleEnd, sampleEnd + 100.0, 1300 * kMiB),
      makeSpan("save", -1, 0, sampleEnd + 100.0, sampleEnd + 150.0),
  };
  profile.wallMs = sampleEnd + 150.0;
  profile.checkWellFormed();
  return profile;
}

// Fraction of pixels in row `y`, columns [x0, x1), that have exactly `color`.
double colorShare(const QImage& image, int y, int x0, int x1, const QColor& color) {
  int matches = 0;
  int total = 0;
  for (int x = std::max(0, x0); x < std::min(image.width(), x1); ++x, ++total) {
    if (image.pixelColor(x, y).rgb() == color.rgb()) ++matches;
  }
  return total == 0 ? 0.0 : static_cast<double>(matches) / total;
}

}  // namespace

class TestStudioViews : public QObject {
  Q_OBJECT

 private slots:
  void stageColorsAreStablePerFamily();
  void imageConversionCopiesPixels();
  void overlayBarGeometry();
  void overlayRendersRecordedProfile();
  void overlayGrowsLive();
  void overlayHoverText();
  void ganttGeometryAndRendering();
  void stageTableValues();
  void comparisonDeltas();
  void reviewSelectionPages();
  void chromeTraceExportRoundTrip();
  void abReportInTheReview();
  void optimizationPanelListsCatalog();
  void optimizationPresetsAndSignals();
  void queueButtonsEmit();
  void galleryAddsThumbnails();
};

void TestStudioViews::stageColorsAreStablePerFamily() {
  QCOMPARE(StageColors::family(std::string("load.checkpoint")), QStringLiteral("load"));
  QCOMPARE(StageColors::family(std::string("save")), QStringLiteral("save"));
  QCOMPARE(StageColors::color(std::string("sample.step")), StageColors::color(std::string("sample")));
  QCOMPARE(StageColors::color(std::string("some.new.stage")), StageColors::color(std::string("some.other")));
  QSet<QRgb> distinct;
  const char* families[] = {"load", "text", "sample", "vae", "hires", "detail", "lora", "save", "preview"};
  for (const char* family : families) distinct.insert(StageColors::color(std::string(family)).rgb());
  QCOMPARE(distinct.size(), 9);
}

void TestStudioViews::imageConversionCopiesPixels() {
  GeneratedImage generated;
  generated.width = 3;
  generated.height = 2;
  for (int i = 0; i < 18; ++i) generated.rgb.push_back(static_cast<std::uint8_t>(i * 10));
  const QImage image = ImageConversions::toQImage(generated);
  generated.rgb.assign(18, 0);  // a deep copy survives its source
  QCOMPARE(image.size(), QSize(3, 2));
  QCOMPARE(image.pixelColor(0, 0), QColor(0, 10, 20));
  QCOMPARE(image.pixelColor(2, 0), QColor(60, 70, 80));
  QCOMPARE(image.pixelColor(1, 1), QColor(120, 130, 140));

  PreviewEvent preview;
  preview.width = 2;
  preview.height = 2;
  preview.rgb.assign(11, 1);  // one byte short
  try {
    ImageConversions::toQImage(preview);
    QFAIL("a short buffer was accepted");
  } catch (const CelerityError& error) {
    QCOMPARE(error.code(), ErrorCode::InvalidArgument);
    QCOMPARE(QString::fromStdString(error.error().where), QStringLiteral("PreviewEvent.rgb"));
  }
}

void TestStudioViews::overlayBarGeometry() {
  const JobProfile profile = makeProfile();
  const QRectF area(10.0, 5.0, 1000.0, 20.0);  // 1 px per ms
  const auto bars = ProfilerOverlay::layoutBars(profile.spans, 1000.0, area);
  const int expectedSpans[] = {0, 1, 2, 6, 7};  // the top-level ones
  QCOMPARE(static_cast<int>(bars.size()), 5);
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const ProfileSpan& span = profile.spans[static_cast<std::size_t>(expectedSpans[i])];
    QCOMPARE(bars[i].spanIndex, expectedSpans[i]);
    QCOMPARE(bars[i].rect.left(), 10.0 + span.startMs);
    QCOMPARE(bars[i].rect.width(), span.durationMs());
    QCOMPARE(bars[i].rect.top(), 5.0);
    QCOMPARE(bars[i].rect.height(), 20.0);
    QCOMPARE(bars[i].color, StageColors::color(span.name));
  }
  // A zero-length stage still gets a visible pixel.
  const auto tiny = ProfilerOverlay::layoutBars({makeSpan("save", -1, 0, 500.0, 500.0)}, 1000.0, area);
  QCOMPARE(tiny.front().rect.width(), 1.0);
  const auto ticks = ProfilerOverlay::layoutStepTicks(profile.spans, 1000.0, area);
  QCOMPARE(static_cast<int>(ticks.size()), 3);
  QCOMPARE(ticks[0], 160.0);
  QCOMPARE(ticks[1], 10.0 + 150.0 + 700.0 / 3.0);
}

void TestStudioViews::overlayRendersRecordedProfile() {
  QWidget imageView;
  imageView.resize(1008, 300);
  auto* overlay = new ProfilerOverlay(&imageView);
  overlay->setProfile(makeProfile());
  imageView.show();  // a hidden widget's resize reaches no event filter
  QVERIFY(QTest::qWaitForWindowExposed(&imageView));
  // It follows its image view: a strip along the bottom edge, full width.
  QCOMPARE(overlay->geometry(), QRect(0, 300 - overlay->stripHeight(), 1008, overlay->stripHeight()));
  imageView.resize(1008, 400);
  QCOMPARE(overlay->y(), 400 - overlay->stripHeight());

  const QImage image = overlay->grab().toImage();
  const auto bars = overlay->bars();
  QCOMPARE(static_cast<int>(bars.size()), 5);
  QCOMPARE(overlay->barArea().width(), 1000.0);  // 4 px padding each side → 1 px per ms
  const JobProfile profile = makeProfile();
  for (const auto& bar : bars) {
    const ProfileSpan& span = profile.spans[static_cast<std::size_t>(bar.spanIndex)];
    const int x0 = 4 + static_cast<int>(span.startMs);
    const int x1 = 4 + static_cast<int>(span.endMs);
    const int y = static_cast<int>(bar.rect.top()) + 1;  // above the label and the step ticks
    QVERIFY2(colorShare(image, y, x0 + 1, x1 - 1, bar.color) > 0.95, span.name.c_str());
    // The neighbouring stage's range does not show this colour.
    if (bar.spanIndex == 2) {
      QCOMPARE(colorShare(image, y, 4, 104, bar.color), 0.0);
      QCOMPARE(colorShare(image, y, 860, 950, bar.color), 0.0);
    }
  }
}

void TestStudioViews::overlayGrowsLive() {
  ProfilerOverlay overlay;
  overlay.resize(508, 40);
  overlay.setLiveClockEnabled(false);
  QVERIFY(!overlay.isLive());
  overlay.beginStage(makeSpan("load.checkpoint", -1, 0, 0.0, 0.0));
  QVERIFY(overlay.isLive());
  QCOMPARE(static_cast<int>(overlay.bars().size()), 1);
  QVERIFY(overlay.bars().front().open);

  ProfileSpan loadEnd = makeSpan("load.checkpoint", -1, 0, 0.0, 120.0, 500 * kMiB);
  overlay.endStage(loadEnd);
  QVERIFY(!overlay.bars().front().open);
  QCOMPARE(overlay.spans().front().endMs, 120.0);
  QCOMPARE(overlay.spans().front().memoryBytes, 500 * kMiB);

  overlay.beginStage(makeSpan("sample", -1, 0, 120.0, 120.0));
  overlay.beginStage(makeSpan("sample.step", 1, 1, 120.0, 120.0, -1, 0));
  QCOMPARE(static_cast<int>(overlay.bars().size()), 2);  // steps are ticks, not bars
  QVERIFY(overlay.bars().back().open);
  const double widthBefore = overlay.bars().back().rect.width();
  overlay.setElapsedMs(300.0);  // progress moves the open bars on
  QCOMPARE(overlay.spans()[1].endMs, 300.0);
  QCOMPARE(overlay.spans()[2].endMs, 300.0);
  QVERIFY(overlay.bars().back().rect.width() > widthBefore);
  // The live scale stays ahead of the current time: the open bar does not reach the end.
  QVERIFY(overlay.timeScaleMs() > 300.0);
  QVERIFY(overlay.bars().back().rect.right() < overlay.barArea().right());

  overlay.endStage(makeSpan("sample.step", 1, 1, 120.0, 310.0, -1, 0));
  overlay.endStage(makeSpan("sample", -1, 0, 120.0, 320.0));
  QVERIFY(!overlay.bars().back().open);
  overlay.beginStage(makeSpan("vae.decode", -1, 0, 320.0, 320.0));
  QCOMPARE(static_cast<int>(overlay.bars().size()), 3);

  // The finished profile replaces the live strip; the next job starts afresh.
  overlay.setProfile(makeProfile());
  QVERIFY(!overlay.isLive());
  QCOMPARE(static_cast<int>(overlay.bars().size()), 5);
  QCOMPARE(overlay.timeScaleMs(), 1000.0);
  overlay.beginStage(makeSpan("text.encode", -1, 0, 0.0, 0.0));
  QCOMPARE(static_cast<int>(overlay.bars().size()), 1);
  overlay.clear();
  QVERIFY(overlay.bars().empty());
  QVERIFY(overlay.hoverText(QPoint(10, 20)).isEmpty());
}

void TestStudioViews::overlayHoverText() {
  ProfilerOverlay overlay;
  overlay.resize(1008, 40);
  overlay.setProfile(makeProfile());
  // x = 4 + 500 ms: inside "sample", in its second step (383.3 … 616.7 ms).
  const QString sample = overlay.hoverText(QPoint(504, 25));
  QVERIFY2(sample.contains(QStringLiteral("sample")), qPrintable(sample));
  QVERIFY2(sample.contains(ProfileFormat::duration(700.0)), qPrintable(sample));
  QVERIFY2(sample.contains(ProfileFormat::share(0.7)), qPrintable(sample));
  QVERIFY2(sample.contains(ProfileFormat::memory(1200 * kMiB)), qPrintable(sample));
  QVERIFY2(sample.contains(QStringLiteral("Step 2")), qPrintable(sample));
  QCOMPARE(ProfileFormat::share(0.7), QStringLiteral("70.0 %"));
  QCOMPARE(ProfileFormat::memory(1200 * kMiB), QStringLiteral("1.17 GiB"));

  const QString load = overlay.hoverText(QPoint(54, 25));
  QVERIFY2(load.startsWith(QStringLiteral("load.checkpoint")), qPrintable(load));
  QVERIFY2(load.contains(QStringLiteral("100 ms")), qPrintable(load));
  QVERIFY2(load.contains(QStringLiteral("10.0 %")), qPrintable(load));
  QVERIFY(!load.contains(QStringLiteral("Step")));
}

void TestStudioViews::ganttGeometryAndRendering() {
  const JobProfile profile = makeProfile();
  // 1012 px wide with 6 px margins: 1 px per ms over 1000 ms.
  const QRectF step = GanttView::spanRect(profile.spans[4], 1000.0, 1012.0);
  QCOMPARE(step.left(), 6.0 + profile.spans[4].startMs);
  QCOMPARE(step.width(), profile.spans[4].durationMs());
  QCOMPARE(step.top(), GanttView::kAxisHeight + 1.0 * GanttView::kRowHeight + 1.0);
  const QRectF load = GanttView::spanRect(profile.spans[0], 1000.0, 1012.0);
  QCOMPARE(load.top(), GanttView::kAxisHeight + 1.0);

  GanttView gantt;
  gantt.setProfile(profile);
  gantt.setFitWidth(1012);
  gantt.resize(1012, gantt.sizeHint().height());
  QCOMPARE(gantt.sizeHint().height(), GanttView::kAxisHeight + 2 * GanttView::kRowHeight + GanttView::kMargin);
  const QImage image = gantt.grab().toImage();
  const int row0 = GanttView::kAxisHeight + 2;
  const int row1 = GanttView::kAxisHeight + GanttView::kRowHeight + 2;
  const QColor sampleColor = StageColors::colorAtDepth("sample", 0);
  const QColor stepColor = StageColors::colorAtDepth("sample.step", 1);
  QVERIFY(sampleColor != stepColor);
  QVERIFY(colorShare(image, row0, 6 + 152, 6 + 848, sampleColor) > 0.95);
  QVERIFY(colorShare(image, row0, 6 + 2, 6 + 98, StageColors::colorAtDepth("load.checkpoint", 0)) > 0.95);
  QVERIFY(colorShare(image, row1, 6 + 152, 6 + 848, stepColor) > 0.9);  // minus the step ticks
  QCOMPARE(colorShare(image, row1, 6 + 2, 6 + 148, stepColor), 0.0);
  QCOMPARE(gantt.spanAt(QPoint(6 + 500, row1)), 4);  // the deepest span under the point
  QCOMPARE(gantt.spanAt(QPoint(6 + 500, row0)), 2);

  // Zoom widens the chart; Ctrl+wheel zooms, a plain wheel does not.
  gantt.zoomIn();
  QCOMPARE(gantt.zoom(), 1.25);
  QCOMPARE(gantt.minimumWidth(), qRound(1012 * 1.25));
  QWheelEvent plain(QPointF(10, 10), QPointF(10, 10), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(&gantt, &plain);
  QCOMPARE(gantt.zoom(), 1.25);
  QWheelEvent ctrl(QPointF(10, 10), QPointF(10, 10), QPoint(), QPoint(0, 120), Qt::NoButton,
                   Qt::ControlModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(&gantt, &ctrl);
  QCOMPARE(gantt.zoom(), 1.25 * 1.25);
  gantt.zoomToFit();
  QCOMPARE(gantt.zoom(), 1.0);
}

void TestStudioViews::stageTableValues() {
  const JobProfile profile = makeProfile();
  StageTableModel model;
  model.setProfile(profile);
  QCOMPARE(model.columnCount(), 6);
  QCOMPARE(model.rowCount(), 6);  // load, text, sample, sample.step, vae.decode, save
  const auto raw = [&](int row, int column) { return model.index(row, column).data(StageTableModel::kRawRole); };
  const auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
  QCOMPARE(raw(3, StageTableModel::StageColumn).toString(), QStringLiteral("sample.step"));
  QCOMPARE(raw(3, StageTableModel::CountColumn).toInt(), 3);
  QCOMPARE(raw(3, StageTableModel::TotalColumn).toDouble(), 700.0);
  QCOMPARE(raw(3, StageTableModel::MeanColumn).toDouble(), 700.0 / 3.0);
  QCOMPARE(raw(3, StageTableModel::ShareColumn).toDouble(), 0.7);
  QCOMPARE(raw(3, StageTableModel::MemoryColumn).toLongLong(), 1200 * kMiB);
  QCOMPARE(text(3, StageTableModel::TotalColumn), QStringLiteral("700 ms"));
  QCOMPARE(text(3, StageTableModel::MeanColumn), QStringLiteral("233 ms"));
  QCOMPARE(text(3, StageTableModel::ShareColumn), QStringLiteral("70.0 %"));
  QCOMPARE(text(0, StageTableModel::StageColumn), QStringLiteral("load.checkpoint"));
  QCOMPARE(text(0, StageTableModel::MemoryColumn), QStringLiteral("900 MiB"));
  QCOMPARE(text(5, StageTableModel::MemoryColumn), QString());  // unknown memory stays blank
  QCOMPARE(model.index(2, 0).data(Qt::DecorationRole).value<QColor>(), StageColors::color(std::string("sample")));
  QCOMPARE(model.headerData(StageTableModel::MemoryColumn, Qt::Horizontal).toString(), QStringLiteral("Peak memory"));
}

void TestStudioViews::comparisonDeltas() {
  const JobProfile a = makeProfile(1.0);
  JobProfile b = makeProfile(0.5);  // the sampler twice as fast
  b.spans.erase(b.spans.begin());   // and no load stage: a second job on a resident model
  for (auto& span : b.spans) {
    if (span.parent > 0) span.parent -= 1;
  }
  b.spans.push_back(makeSpan("preview", -1, 0, b.wallMs - 10.0, b.wallMs));
  b.checkWellFormed();

  const auto deltas = StageComparisonModel::compare(a, b);
  QCOMPARE(static_cast<int>(deltas.size()), 7);  // A's six stages, then B's preview
  QCOMPARE(QString::fromStdString(deltas[0].name), QStringLiteral("load.checkpoint"));
  QCOMPARE(deltas[0].aMs, 100.0);
  QCOMPARE(deltas[0].bMs, 0.0);
  QCOMPARE(deltas[0].deltaMs, -100.0);
  QCOMPARE(deltas[0].deltaPercent, -100.0);
  QCOMPARE(QString::fromStdString(deltas[2].name), QStringLiteral("sample"));
  QCOMPARE(deltas[2].aMs, 700.0);
  QCOMPARE(deltas[2].bMs, 350.0);
  QCOMPARE(deltas[2].deltaMs, -350.0);
  QCOMPARE(deltas[2].deltaPercent, -50.0);
  QCOMPARE(deltas[1].deltaMs, 0.0);  // text.encode unchanged
  QCOMPARE(QString::fromStdString(deltas[6].name), QStringLiteral("preview"));
  QCOMPARE(deltas[6].bMs, 10.0);
  QVERIFY(std::isnan(deltas[6].deltaPercent));  // no base to take a percentage of

  StageComparisonModel model;
  model.setProfiles(a, QStringLiteral("off"), b, QStringLiteral("on"));
  QCOMPARE(model.rowCount(), 8);  // + the wall-time row
  const int wall = model.rowCount() - 1;
  QCOMPARE(model.index(wall, StageComparisonModel::AColumn).data(Qt::UserRole).toDouble(), 1000.0);
  QCOMPARE(model.index(wall, StageComparisonModel::BColumn).data(Qt::UserRole).toDouble(), 650.0);
  QCOMPARE(model.index(wall, StageComparisonModel::DeltaMsColumn).data(Qt::UserRole).toDouble(), -350.0);
  QCOMPARE(model.index(wall, StageComparisonModel::DeltaPercentColumn).data(Qt::UserRole).toDouble(), -35.0);
  QCOMPARE(model.index(2, StageComparisonModel::DeltaMsColumn).data().toString(),
           QString(QChar(0x2212)) + QStringLiteral("350 ms"));
  QCOMPARE(model.index(2, StageComparisonModel::DeltaPercentColumn).data().toString(),
           QString(QChar(0x2212)) + QStringLiteral("50.0 %"));
  QCOMPARE(model.index(6, StageComparisonModel::DeltaPercentColumn).data().toString(), QStringLiteral("—"));
  QCOMPARE(model.index(6, StageComparisonModel::AColumn).data().toString(), QStringLiteral("—"));
  QCOMPARE(model.headerData(StageComparisonModel::BColumn, Qt::Horizontal).toString(), QStringLiteral("B: on"));
}

void TestStudioViews::reviewSelectionPages() {
  TimelineReview review;
  review.resize(1200, 700);
  review.show();
  QVERIFY(QTest::qWaitForWindowExposed(&review));
  QSignalSpy single(&review, &TimelineReview::jobSelected);
  QSignalSpy pair(&review, &TimelineReview::comparisonSelected);
  QCOMPARE(review.page(), TimelineReview::Page::Empty);

  review.addJob(7, makeProfile(1.0, "first"), QStringLiteral("Job 7"));
  QCOMPARE(review.jobCount(), 1);
  QCOMPARE(review.selectedJobs(), QList<JobId>{7});  // follows the latest job
  QCOMPARE(review.page(), TimelineReview::Page::Single);
  QCOMPARE(single.count(), 1);
  QCOMPARE(single.last().at(0).value<JobId>(), JobId(7));
  QCOMPARE(review.ganttView()->profile().label, std::string("first"));
  QCOMPARE(review.stageModel()->rowCount(), 6);

  review.addJob(9, makeProfile(0.5, "second"), QStringLiteral("Job 9"));
  QCOMPARE(review.selectedJobs(), QList<JobId>{9});
  QCOMPARE(review.stageModel()->summary()[2].totalMs, 350.0);

  review.selectJobs({7, 9});
  QCOMPARE(review.page(), TimelineReview::Page::Comparison);
  QCOMPARE(pair.count(), 1);
  QCOMPARE(pair.last().at(0).value<JobId>(), JobId(7));
  QCOMPARE(pair.last().at(1).value<JobId>(), JobId(9));
  QCOMPARE(review.comparisonModel()->rows()[2].deltaMs, -350.0);
  // Both charts share the longer job's time scale and one zoom.
  QCOMPARE(review.comparisonGantt(0)->timeScaleMs(), 1000.0);
  QCOMPARE(review.comparisonGantt(1)->timeScaleMs(), 1000.0);
  review.findChild<QToolButton*>(QStringLiteral("zoomIn"))->click();
  QCOMPARE(review.comparisonGantt(0)->zoom(), 1.25);
  QCOMPARE(review.comparisonGantt(1)->zoom(), 1.25);

  // A third job while comparing keeps the comparison.
  review.addJob(11, makeProfile(), QStringLiteral("Job 11"));
  QCOMPARE(review.selectedJobs(), (QList<JobId>{7, 9}));
  review.selectJobs({7, 9, 11});
  QCOMPARE(review.page(), TimelineReview::Page::Empty);
  review.removeJob(9);
  QCOMPARE(review.selectedJobs(), (QList<JobId>{7, 11}));
  QCOMPARE(review.page(), TimelineReview::Page::Comparison);
  QVERIFY(!review.hasJob(9));
  QCOMPARE(review.title(11), QStringLiteral("Job 11"));

  // The review renders the selected job's Gantt with the stage colours.
  review.selectJobs({7});
  review.findChild<QToolButton*>(QStringLiteral("zoomFit"))->click();
  GanttView* gantt = review.ganttView();
  const QImage image = gantt->grab().toImage();
  const QRectF sampleBox = GanttView::spanRect(review.profile(7)->spans[2], gantt->timeScaleMs(), gantt->width());
  QVERIFY(gantt->width() > 200);
  QVERIFY(colorShare(image, static_cast<int>(sampleBox.top()) + 1, static_cast<int>(sampleBox.left()) + 2,
                     static_cast<int>(sampleBox.right()) - 2, StageColors::color(std::string("sample"))) > 0.95);
}

void TestStudioViews::chromeTraceExportRoundTrip() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  TimelineReview review;
  review.addJob(1, makeProfile(1.0, "A"), QStringLiteral("A"));
  review.addJob(2, makeProfile(0.5, "B"), QStringLiteral("B"));

  review.selectJobs({2});
  const QString one = dir.filePath(QStringLiteral("one.json"));
  review.exportSelectedTo(one);
  std::ifstream in(one.toStdString());
  std::stringstream text;
  text << in.rdbuf();
  const JobProfile back = profileFromChromeTrace(text.str());
  const JobProfile& original = *review.profile(2);
  QCOMPARE(back.label, original.label);
  QCOMPARE(back.wallMs, original.wallMs);
  QCOMPARE(back.spans.size(), original.spans.size());
  for (std::size_t i = 0; i < back.spans.size(); ++i) {
    QCOMPARE(back.spans[i].name, original.spans[i].name);
    QCOMPARE(back.spans[i].parent, original.spans[i].parent);
    QCOMPARE(back.spans[i].startMs, original.spans[i].startMs);
    QCOMPARE(back.spans[i].endMs, original.spans[i].endMs);
    QCOMPARE(back.spans[i].step, original.spans[i].step);
    QCOMPARE(back.spans[i].memoryBytes, original.spans[i].memoryBytes);
  }

  // Two jobs: one file with a process row per job.
  review.selectJobs({1, 2});
  const QString two = dir.filePath(QStringLiteral("two.json"));
  review.exportSelectedTo(two);
  QFile file(two);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QJsonArray events = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("traceEvents")).toArray();
  QSet<int> pids;
  int complete = 0;
  for (const auto& event : events) {
    pids.insert(event.toObject().value(QStringLiteral("pid")).toInt());
    if (event.toObject().value(QStringLiteral("ph")).toString() == QStringLiteral("X")) ++complete;
  }
  QCOMPARE(pids.size(), 2);
  QCOMPARE(complete, 16);

  // An unwritable place is a named error, not a silent failure.
  try {
    TimelineReview::writeTrace({makeProfile()}, dir.filePath(QStringLiteral("missing/folder/x.json")));
    QFAIL("writing into a missing folder succeeded");
  } catch (const CelerityError& error) {
    QCOMPARE(error.code(), ErrorCode::FileUnreadable);
  }
  try {
    TimelineReview::writeTrace({}, one);
    QFAIL("an empty export succeeded");
  } catch (const CelerityError& error) {
    QCOMPARE(error.code(), ErrorCode::InvalidArgument);
  }
}

void TestStudioViews::abReportInTheReview() {
  // Three measured runs per arm: A's sampler 700/840/630 ms, B's twice as fast; B alone
  // shows previews.
  AbReport report;
  report.settings.toggles = {"unet.example"};
  report.settings.repeat = 3;
  report.settings.warmup = 1;
  report.a.name = "A";
  report.b.name = "B";
  report.a.runs = {makeProfile(1.0, "a1"), makeProfile(1.2, "a2"), makeProfile(0.9, "a3")};
  report.b.runs = {makeProfile(0.5, "b1"), makeProfile(0.6, "b2"), makeProfile(0.4, "b3")};
  report.a.wall = statsOf("job", {1000.0, 1140.0, 930.0});
  report.b.wall = statsOf("job", {650.0, 720.0, 580.0});
  report.a.stages = {statsOf("sample", {700.0, 840.0, 630.0}), statsOf("vae.decode", {100.0, 100.0, 100.0})};
  report.b.stages = {statsOf("sample", {350.0, 420.0, 280.0}), statsOf("vae.decode", {100.0, 100.0, 100.0}),
                     statsOf("preview", {10.0, 10.0, 10.0})};
  report.difference.compared = true;
  report.difference.maxAbs = 3;
  report.difference.meanAbs = 0.25;
  report.difference.psnr = 44.5;

  const auto rows = StageComparisonModel::compare(report);
  QCOMPARE(static_cast<int>(rows.size()), 4);  // A's stages, B's preview, the wall row
  QCOMPARE(rows[0].aMs, 700.0);
  QCOMPARE(rows[0].bMs, 350.0);
  QCOMPARE(rows[0].deltaPercent, -50.0);
  QCOMPARE(rows[0].ratio, 0.5);
  QCOMPARE(rows[1].ratio, 1.0);
  QCOMPARE(QString::fromStdString(rows[2].name), QStringLiteral("preview"));
  QVERIFY(std::isnan(rows[2].ratio));
  QCOMPARE(rows[3].aMs, 1000.0);
  QCOMPARE(rows[3].bMs, 650.0);
  QCOMPARE(rows[3].ratio, 0.65);
  QCOMPARE(TimelineReview::typicalRun(report.a).label, std::string("a1"));  // the median run
  QCOMPARE(TimelineReview::typicalRun(report.b).label, std::string("b1"));
  QVERIFY(TimelineReview::typicalRun(AbArm{}).spans.empty());

  TimelineReview review;
  review.resize(1200, 700);
  review.show();
  QVERIFY(QTest::qWaitForWindowExposed(&review));
  review.addJob(1, makeProfile(), QStringLiteral("Job 1"));
  review.addAbReport(5, report, QStringLiteral("A/B unet.example"));
  QCOMPARE(review.selectedJobs(), QList<JobId>{5});
  QVERIFY(review.abReport(5) != nullptr);
  QVERIFY(review.abReport(1) == nullptr);
  QCOMPARE(review.page(), TimelineReview::Page::Comparison);  // one A/B entry: both arms side by side
  QCOMPARE(review.comparisonGantt(0)->profile().label, std::string("a1"));
  QCOMPARE(review.comparisonGantt(1)->profile().label, std::string("b1"));
  QCOMPARE(review.comparisonGantt(0)->timeScaleMs(), 1000.0);
  QCOMPARE(review.comparisonModel()->rows()[0].ratio, 0.5);
  const auto* model = review.comparisonModel();
  QCOMPARE(model->index(0, StageComparisonModel::RatioColumn).data().toString(), QStringLiteral("×0.500"));
  QCOMPARE(model->index(2, StageComparisonModel::RatioColumn).data().toString(), QStringLiteral("—"));
  QCOMPARE(model->headerData(StageComparisonModel::BColumn, Qt::Horizontal).toString(),
           QStringLiteral("B: unet.example on"));
  const QString summary = review.abSummaryText();
  QVERIFY2(summary.contains(QStringLiteral("×0.650")), qPrintable(summary));
  QVERIFY2(summary.contains(QStringLiteral("max Δ 3")), qPrintable(summary));
  QVERIFY2(summary.contains(QStringLiteral("medians of 3 interleaved")), qPrintable(summary));
  const QString item = review.findChild<QListWidget*>(QStringLiteral("jobList"))->item(1)->text();
  QVERIFY2(item.contains(QStringLiteral("A 1.00 s → B 650 ms (×0.650)")), qPrintable(item));
  QCOMPARE(ProfileFormat::abEffect(report), QStringLiteral("wall ×0.650 (") + QChar(0x2212) +
                                                QStringLiteral("35.0 %), images: max Δ 3, mean Δ 0.250, PSNR 44.5 dB"));
  report.difference.maxAbs = 0;
  QVERIFY(ProfileFormat::abEffect(report).endsWith(QStringLiteral("images: identical")));

  // Another job alone, or the report next to a job: the usual pages, no A/B summary.
  review.selectJobs({1});
  QCOMPARE(review.page(), TimelineReview::Page::Single);
  review.selectJobs({1, 5});
  QCOMPARE(review.page(), TimelineReview::Page::Comparison);
  QVERIFY(review.abSummaryText().isEmpty());

  // Exporting the report writes every measured run of both arms.
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  review.selectJobs({5});
  const QString path = dir.filePath(QStringLiteral("ab.json"));
  review.exportSelectedTo(path);
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QJsonArray events = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("traceEvents")).toArray();
  QSet<int> pids;
  for (const auto& event : events) pids.insert(event.toObject().value(QStringLiteral("pid")).toInt());
  QCOMPARE(pids.size(), 6);
}

void TestStudioViews::optimizationPanelListsCatalog() {
  OptimizationPanel panel;
  const auto& catalog = optimizationCatalog();
  QVERIFY(!catalog.empty());
  for (const DeviceCapabilities caps : {DeviceCapabilities{false, 1}, DeviceCapabilities{true, 2}}) {
    panel.setCapabilities(caps);
    for (const OptimizationInfo& info : catalog) {
      const QString id = QString::fromStdString(info.id);
      auto* check = panel.findChild<QCheckBox*>(QStringLiteral("toggle:") + id);
      QVERIFY2(check != nullptr, info.id.c_str());
      QCOMPARE(check->text(), QString::fromStdString(info.title));
      QCOMPARE(check->isChecked(), info.defaultOn);
      auto* description = panel.findChild<QLabel*>(QStringLiteral("description:") + id);
      QVERIFY(description != nullptr);
      QCOMPARE(description->text(), QString::fromStdString(info.description));
      auto* badge = panel.findChild<QLabel*>(QStringLiteral("badge:") + id);
      QVERIFY(badge != nullptr);
      QCOMPARE(badge->text(), OptimizationPanel::numericsText(info.numerics));
      QCOMPARE(badge->text(), QString::fromLatin1(numericsClassName(info.numerics)));  // English build
      QCOMPARE(badge->property("changesImage").toBool(), info.numerics == NumericsClass::ChangesImage);
      const QString reason = QString::fromStdString(unavailableReason(info, caps));
      QCOMPARE(panel.unavailableText(id), reason);
      QCOMPARE(panel.isAvailable(id), reason.isEmpty());
      QCOMPARE(check->isEnabled(), reason.isEmpty());
      QCOMPARE(panel.findChild<QToolButton*>(QStringLiteral("ab:") + id)->isEnabled(), reason.isEmpty());
      auto* reasonLabel = panel.findChild<QLabel*>(QStringLiteral("reason:") + id);
      QCOMPARE(reasonLabel->isVisibleTo(&panel), !reason.isEmpty());
      if (!reason.isEmpty()) QVERIFY(reasonLabel->text().contains(reason));
    }
  }
  // The unavailable-reason path itself, with a toggle that needs more than a CPU.
  OptimizationInfo cudaOnly;
  cudaOnly.requirement = OptimizationRequirement::Cuda;
  QVERIFY(!unavailableReason(cudaOnly, DeviceCapabilities{false, 2}).empty());

  const QString first = QString::fromStdString(catalog.front().id);
  panel.setMeasuredEffect(first, QStringLiteral("load.checkpoint −42 %"));
  QCOMPARE(panel.measuredEffect(first), QStringLiteral("load.checkpoint −42 %"));
  auto* effect = panel.findChild<QLabel*>(QStringLiteral("effect:") + first);
  QVERIFY(effect->isVisibleTo(&panel));
  QVERIFY(effect->text().contains(QStringLiteral("−42 %")));
  panel.setMeasuredEffect(first, QString());
  QVERIFY(!effect->isVisibleTo(&panel));
}

void TestStudioViews::optimizationPresetsAndSignals() {
  OptimizationPanel panel;
  QSignalSpy changed(&panel, &OptimizationPanel::overridesChanged);
  QSignalSpy ab(&panel, &OptimizationPanel::abRequested);
  const auto& catalog = optimizationCatalog();
  QVERIFY(panel.overrides().empty());

  panel.findChild<QPushButton*>(QStringLiteral("presetAllOff"))->click();
  QCOMPARE(changed.count(), 1);
  OptimizationOverrides expectedOff;
  for (const auto& info : catalog) {
    QVERIFY(!panel.toggleState(QString::fromStdString(info.id)));
    if (info.defaultOn) expectedOff[info.id] = false;
  }
  QCOMPARE(panel.overrides(), expectedOff);
  QCOMPARE(changed.last().at(0).value<OptimizationOverrides>(), expectedOff);
  // The engine accepts what the panel produces.
  const OptimizationSet resolved = OptimizationSet::resolve(panel.overrides());
  QVERIFY(resolved.enabledIds().empty());

  panel.applyPreset(OptimizationPanel::Preset::AllOn);
  QCOMPARE(changed.count(), 2);
  for (const auto& info : catalog) {
    const QString id = QString::fromStdString(info.id);
    QCOMPARE(panel.toggleState(id), panel.isAvailable(id));
  }
  int available = 0;
  for (const auto& info : catalog) available += panel.isAvailable(QString::fromStdString(info.id)) ? 1 : 0;
  QCOMPARE(static_cast<int>(OptimizationSet::resolve(panel.overrides()).enabledIds().size()), available);

  panel.findChild<QPushButton*>(QStringLiteral("presetDefaults"))->click();
  QCOMPARE(changed.count(), 3);
  QVERIFY(panel.overrides().empty());
  panel.applyPreset(OptimizationPanel::Preset::Defaults);  // nothing moved: no signal
  QCOMPARE(changed.count(), 3);

  // The user's click is announced; restoring saved overrides is not.
  const OptimizationInfo& first = catalog.front();
  auto* check = panel.findChild<QCheckBox*>(QStringLiteral("toggle:") + QString::fromStdString(first.id));
  check->click();
  QCOMPARE(changed.count(), 4);
  const OptimizationOverrides flipped{{first.id, !first.defaultOn}};
  QCOMPARE(changed.last().at(0).value<OptimizationOverrides>(), flipped);
  panel.setOverrides({});
  QCOMPARE(panel.toggleState(QString::fromStdString(first.id)), first.defaultOn);
  panel.setOverrides({{first.id, !first.defaultOn}, {"no.such_toggle", true}});
  QCOMPARE(panel.overrides(), flipped);
  QCOMPARE(changed.count(), 4);

  const OptimizationInfo& last = catalog.back();
  panel.findChild<QToolButton*>(QStringLiteral("ab:") + QString::fromStdString(last.id))->click();
  QCOMPARE(ab.count(), 1);
  QCOMPARE(ab.last().at(0).toString(), QString::fromStdString(last.id));

  // The A/B runs' counts and the running A/B's progress.
  QCOMPARE(panel.abWarmup(), 1);
  QCOMPARE(panel.abRepeat(), 3);
  panel.findChild<QSpinBox*>(QStringLiteral("abRepeat"))->setValue(5);
  panel.setAbRuns(2, panel.abRepeat());
  QCOMPARE(panel.abWarmup(), 2);
  QCOMPARE(panel.abRepeat(), 5);
  QVERIFY(panel.abStatusText().isEmpty());
  const QString id = QString::fromStdString(last.id);
  panel.showAbProgress(id, 3, 14);
  QCOMPARE(panel.abStatusText(), QStringLiteral("A/B %1: run 3 of 14").arg(id));
  QCOMPARE(panel.findChild<QProgressBar*>(QStringLiteral("abProgress"))->value(), 3);
  panel.showAbEnded(id, QStringLiteral("cancelled"));
  QCOMPARE(panel.abStatusText(), QStringLiteral("A/B %1: cancelled").arg(id));
}

void TestStudioViews::queueButtonsEmit() {
  QueueView view;
  QSignalSpy cancelOne(&view, &QueueView::cancelRequested);
  QSignalSpy cancelAll(&view, &QueueView::cancelAllRequested);
  QSignalSpy finish(&view, &QueueView::finishCurrentRequested);
  auto* cancelButton = view.findChild<QPushButton*>(QStringLiteral("cancelSelected"));
  auto* cancelAllButton = view.findChild<QPushButton*>(QStringLiteral("cancelAll"));
  auto* finishButton = view.findChild<QPushButton*>(QStringLiteral("finishCurrent"));
  QVERIFY(!cancelAllButton->isEnabled());
  QVERIFY(!finishButton->isEnabled());

  view.upsertJob({3, QStringLiteral("a cat"), QueueJobState::Pending, 0.0});
  view.upsertJob({4, QStringLiteral("a dog"), QueueJobState::Pending, 0.0});
  view.upsertJob({5, QStringLiteral("a fox"), QueueJobState::Pending, 0.0});
  QVERIFY(cancelAllButton->isEnabled());
  QVERIFY(!finishButton->isEnabled());  // nothing runs yet
  view.setState(3, QueueJobState::Running);
  view.setProgress(3, 0.25);
  view.setProgress(4, 7.0);  // clamped
  QVERIFY(finishButton->isEnabled());
  const QueueModel& model = *view.model();
  QCOMPARE(model.rowCount(), 3);
  QCOMPARE(model.index(0, QueueModel::StateColumn).data().toString(), QStringLiteral("running"));
  QCOMPARE(model.index(0, QueueModel::ProgressColumn).data(QueueModel::kRawRole).toDouble(), 0.25);
  QCOMPARE(model.index(0, QueueModel::ProgressColumn).data().toString(), QStringLiteral("25 %"));
  QCOMPARE(model.index(1, QueueModel::ProgressColumn).data(QueueModel::kRawRole).toDouble(), 1.0);
  QCOMPARE(model.index(2, QueueModel::IdColumn).data().toString(), QStringLiteral("#5"));
  QCOMPARE(model.index(2, QueueModel::LabelColumn).data().toString(), QStringLiteral("a fox"));

  QVERIFY(!cancelButton->isEnabled());
  view.selectJob(4);
  QCOMPARE(view.selectedJobs(), QList<JobId>{4});
  QVERIFY(cancelButton->isEnabled());
  cancelButton->click();
  QCOMPARE(cancelOne.count(), 1);
  QCOMPARE(cancelOne.last().at(0).value<JobId>(), JobId(4));
  cancelAllButton->click();
  QCOMPARE(cancelAll.count(), 1);
  finishButton->click();
  QCOMPARE(finish.count(), 1);
  QCOMPARE(cancelOne.count(), 1);

  view.removeJob(4);
  view.removeJob(3);
  QCOMPARE(model.rowCount(), 1);
  QVERIFY(!finishButton->isEnabled());
  view.setJobs({});
  QVERIFY(!cancelAllButton->isEnabled());
}

void TestStudioViews::galleryAddsThumbnails() {
  GalleryView gallery;
  gallery.resize(600, 400);
  QSignalSpy activated(&gallery, &GalleryView::imageActivated);
  const auto solid = [](int width, int height, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    GeneratedImage image;
    image.width = width;
    image.height = height;
    for (int i = 0; i < width * height; ++i) image.rgb.insert(image.rgb.end(), {r, g, b});
    return image;
  };
  GeneratedImage red = solid(256, 128, 200, 10, 10);
  red.infotext = "a <lora:style:0.8> castle\nSteps: 20, Sampler: Euler a, Seed: 42";
  QCOMPARE(gallery.addImage(red, QStringLiteral("/out/00001.png")), 0);
  QCOMPARE(gallery.addImage(solid(64, 64, 10, 10, 200)), 1);
  QCOMPARE(gallery.count(), 2);
  QCOMPARE(gallery.image(0).size(), QSize(256, 128));
  QCOMPARE(gallery.image(0).pixelColor(5, 5), QColor(200, 10, 10));
  QCOMPARE(gallery.infotext(0), QString::fromStdString(red.infotext));
  QCOMPARE(gallery.savedPath(0), QStringLiteral("/out/00001.png"));
  const QImage thumb = gallery.thumbnail(0);
  QCOMPARE(thumb.size(), QSize(128, 64));  // the longer side fits the thumbnail size
  QCOMPARE(thumb.pixelColor(64, 32), QColor(200, 10, 10));
  QVERIFY(gallery.image(5).isNull());

  auto* list = gallery.findChild<QListWidget*>(QStringLiteral("galleryList"));
  QCOMPARE(list->count(), 2);
  const QString tip = list->item(0)->toolTip();
  QVERIFY2(tip.contains(QStringLiteral("&lt;lora:style:0.8&gt;")), qPrintable(tip));  // shown, not parsed
  QVERIFY(tip.contains(QStringLiteral("Seed: 42")));

  gallery.show();
  QVERIFY(QTest::qWaitForWindowExposed(&gallery));
  const QRect second = list->visualItemRect(list->item(1));
  QVERIFY(second.isValid());
  QTest::mouseClick(list->viewport(), Qt::LeftButton, Qt::NoModifier, second.center());
  QCOMPARE(activated.count(), 1);
  QCOMPARE(activated.last().at(0).toInt(), 1);

  gallery.setThumbnailSize(64);
  QCOMPARE(gallery.thumbnail(0).size(), QSize(64, 32));
  gallery.clear();
  QCOMPARE(gallery.count(), 0);
}

QTEST_MAIN(TestStudioViews)
#include "tst_studio_views.moc"
