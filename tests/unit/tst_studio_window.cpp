// The studio window with a fake engine: widgets bind to the request and back; size, seed and
// mask controls; drag-and-drop of a PNG restores its parameters; the first-run empty state
// and the demo checkpoint; a job through the window (previews, result, gallery, timeline,
// overlay); a failed job shows its error and the next runs; cancel from the keyboard; "A/B
// this" runs the A/B runner in the background into the timeline review; and settings that
// persist across a restart of the window.
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUrl>
#include <cmath>
#include <filesystem>
#include <memory>

#include "EngineController.h"
#include "MainWindow.h"
#include "StudioSession.h"
#include "StageComparisonModel.h"
#include "StudioSettings.h"
#include "TimelineReview.h"
#include "celerity/AbRunner.h"
#include "celerity/Infotext.h"
#include "celerity/Options.h"
#include "common/FakeEngine.h"
#include "common/GoldenSupport.h"
#include "metadata/PngTextChunks.h"

using namespace celerity;
using celerity::studio::EngineController;
using celerity::studio::StudioServices;
using celerity::studio::StudioSession;
using celerity::studio::StudioSettings;
using celerity::testing::FakeEngine;
using celerity::testing::FakeEngineScript;
using celerity::ui::MainWindow;

namespace {

bool waitFor(QSignalSpy& spy, int count) {
  while (spy.count() < count) {
    if (!spy.wait(10000)) return false;
  }
  return true;
}

// Records every job end the controller reports from its construction on, so that a job
// which ends while the test waits for another is not missed.
class JobEnds {
 public:
  explicit JobEnds(EngineController& controller)
      : finished_(&controller, &EngineController::jobFinished),
        cancelled_(&controller, &EngineController::jobCancelled),
        failed_(&controller, &EngineController::jobFailed) {}

  bool ended(JobId id) const {
    for (const QSignalSpy* spy : {&finished_, &cancelled_, &failed_}) {
      for (const auto& args : *spy) {
        if (args.at(0).value<JobId>() == id) return true;
      }
    }
    return false;
  }
  // Processes events until job `id` has ended; false after 10 s without any job ending.
  bool wait(JobId id) {
    while (!ended(id)) {
      const auto before = finished_.count() + cancelled_.count() + failed_.count();
      if (!finished_.wait(10000) && finished_.count() + cancelled_.count() + failed_.count() == before) {
        return false;
      }
    }
    return true;
  }

 private:
  QSignalSpy finished_;
  QSignalSpy cancelled_;
  QSignalSpy failed_;
};

void touch(const QString& path) {
  QDir().mkpath(QFileInfo(path).path());
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("fake weights");
}

// A 16 × 16 grey PNG, with a "parameters" text chunk written as A1111 writes it when
// `parameters` is not empty (Qt's own writer would fold the text's line breaks).
QString writePng(const QString& path, const QString& parameters) {
  if (parameters.isEmpty()) {
    QImage image(16, 16, QImage::Format_RGB888);
    image.fill(Qt::gray);
    return image.save(path, "png") ? path : QString();
  }
  const std::vector<std::uint8_t> rgb(16 * 16 * 3, 128);
  writePngWithParameters(path.toStdString(), rgb, 16, 16, parameters.toStdString());
  return path;
}

void dropOn(QWidget& target, const QString& file) {
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(file)});
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&target, &enter);
  QVERIFY(enter.isAccepted());
  QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&target, &drop);
}

}  // namespace

class TestStudioWindow : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::shared_ptr<FakeEngineScript> script_;
  std::unique_ptr<EngineController> controller_;
  std::unique_ptr<StudioSettings> settings_;
  std::unique_ptr<StudioSession> session_;
  QString modelsRoot_;
  QString checkpoint_;

  QString settingsPath() const { return dir_->filePath(QStringLiteral("settings.ini")); }

  // A session over a settings file in the temporary folder; `withModels` adds a models root
  // holding one checkpoint.
  void startSession(bool withModels) {
    settings_ = StudioSettings::fromFile(settingsPath());
    if (withModels && settings_->modelFolders().isEmpty()) settings_->setModelFolders({modelsRoot_});
    StudioServices services;
    services.studioModelsFolder = dir_->filePath(QStringLiteral("studio-models"));
    services.makeDemoCheckpoint = [](const std::string& path) { touch(QString::fromStdString(path)); };
    session_ = std::make_unique<StudioSession>(*controller_, *settings_, services);
  }
  void restartWindow() {
    session_.reset();
    settings_.reset();
    startSession(false);
  }
  MainWindow* window() const { return session_->window(); }

 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    modelsRoot_ = dir_->filePath(QStringLiteral("models"));
    checkpoint_ = QDir::cleanPath(modelsRoot_ + QStringLiteral("/sd15.safetensors"));
    touch(checkpoint_);
    script_ = std::make_shared<FakeEngineScript>();
    auto script = script_;
    controller_ = std::make_unique<EngineController>([script]() { return std::make_unique<FakeEngine>(script); });
  }
  void cleanup() {
    script_->release();
    session_.reset();
    settings_.reset();
    controller_.reset();
    dir_.reset();
  }

  void widgetsBindToTheRequestAndBack() {
    MainWindow w;
    w.setCheckpoints({"/m/a.safetensors", "/m/b.safetensors"});
    w.prompts()->positive()->setText("a cat");
    w.prompts()->negative()->setText("ugly");
    auto* p = w.parameters();
    p->checkpointBox()->setCurrentIndex(1);
    p->samplerBox()->setCurrentIndex(p->samplerBox()->findData("DPM++ 2M"));
    p->scheduleBox()->setCurrentIndex(p->scheduleBox()->findData("karras"));
    p->stepsBox()->setValue(33);
    p->cfgBox()->setValue(5.5);
    p->seed()->setSeed(123456789012LL);
    p->size()->widthBox()->setValue(640);
    p->size()->heightBox()->setValue(832);
    p->batchCountBox()->setValue(3);
    p->batchSizeBox()->setValue(2);
    p->clipSkipBox()->setValue(2);
    p->hires()->setChecked(true);
    p->hires()->scaleBox()->setValue(1.5);
    p->hires()->upscalerBox()->setCurrentText("Latent (nearest)");
    p->hires()->stepsBox()->setValue(10);
    p->hires()->denoisingBox()->setValue(0.45);
    w.setOptimizations({{"unet.channels_last", true}});
    w.setOutputFolder("/out");

    const Request r = w.request();
    QCOMPARE(r.prompt, std::string("a cat"));
    QCOMPARE(r.negativePrompt, std::string("ugly"));
    QCOMPARE(r.checkpointPath, std::string("/m/b.safetensors"));
    QCOMPARE(r.sampler, std::string("DPM++ 2M"));
    QCOMPARE(r.scheduler, std::string("karras"));
    QCOMPARE(r.steps, 33);
    QCOMPARE(r.cfgScale, 5.5);
    QCOMPARE(r.seed, std::int64_t{123456789012});
    QCOMPARE(r.width, 640);
    QCOMPARE(r.height, 832);
    QCOMPARE(r.batchCount, 3);
    QCOMPARE(r.batchSize, 2);
    QCOMPARE(r.clipSkip, 2);
    QVERIFY(r.hires.enabled);
    QCOMPARE(r.hires.scale, 1.5);
    QCOMPARE(r.hires.upscaler, std::string("Latent (nearest)"));
    QCOMPARE(r.hires.steps, 10);
    QCOMPARE(r.hires.denoisingStrength, 0.45);
    QVERIFY(!r.isImg2Img());
    QCOMPARE(r.optimizations.at("unet.channels_last"), true);
    QCOMPARE(r.outputFolder, std::string("/out"));

    Request q;
    q.checkpointPath = "/m/a.safetensors";
    q.prompt = "a dog";
    q.negativePrompt = "blurry";
    q.sampler = "euler";  // the ComfyUI name shows as A1111's label
    q.scheduler = "Automatic";
    q.steps = 12;
    q.cfgScale = 9.0;
    q.seed = -1;
    q.width = 512;
    q.height = 768;
    q.clipSkip = 1;
    w.setRequest(q);
    QCOMPARE(w.prompts()->positive()->text(), QStringLiteral("a dog"));
    QCOMPARE(p->currentCheckpoint(), QStringLiteral("/m/a.safetensors"));
    QCOMPARE(p->samplerBox()->currentData().toString(), QStringLiteral("Euler"));
    QCOMPARE(p->scheduleBox()->currentData().toString(), QStringLiteral("normal"));
    QCOMPARE(p->seed()->field()->text(), QStringLiteral("-1"));
    QVERIFY(!p->hires()->isChecked());
    const Request back = w.request();
    QCOMPARE(back.prompt, q.prompt);
    QCOMPARE(back.negativePrompt, q.negativePrompt);
    QCOMPARE(back.steps, q.steps);
    QCOMPARE(back.cfgScale, q.cfgScale);
    QCOMPARE(back.seed, q.seed);
    QCOMPARE(back.width, q.width);
    QCOMPARE(back.height, q.height);
    QCOMPARE(back.batchCount, 1);
    QCOMPARE(back.sampler, std::string("Euler"));
    QCOMPARE(back.scheduler, std::string("normal"));
    QVERIFY(!back.hires.enabled);
  }

  void sizeAndSeedControls() {
    MainWindow w;
    auto* size = w.parameters()->size();
    size->setImageSize(512, 768);
    QTest::mouseClick(size->swapButton(), Qt::LeftButton);
    QCOMPARE(w.request().width, 768);
    QCOMPARE(w.request().height, 512);
    const int square = static_cast<int>(size->presets().indexOf(QSize(1024, 1024)));
    size->applyPreset(square);
    QCOMPARE(w.request().width, 1024);
    QCOMPARE(w.request().height, 1024);

    auto* seed = w.parameters()->seed();
    QVERIFY(!seed->reuseButton()->isEnabled());
    seed->setLastSeed(42);
    QTest::mouseClick(seed->reuseButton(), Qt::LeftButton);
    QCOMPARE(w.request().seed, std::int64_t{42});
    QTest::mouseClick(seed->randomButton(), Qt::LeftButton);
    QCOMPARE(w.request().seed, std::int64_t{-1});
  }

  void initImageAndPaintedMask() {
    MainWindow w;
    const QString init = writePng(dir_->filePath("init.png"), {});
    QVERIFY(!init.isEmpty());
    QVERIFY(w.imageInputs()->loadInitImage(init));
    Request r = w.request();
    QCOMPARE(QString::fromStdString(r.img2img.initImagePath), init);
    QVERIFY(!r.isInpaint());

    auto* painter = w.imageInputs()->painter();
    painter->resize(128, 128);
    painter->setBrushRadius(2);  // image pixels: a dot in the middle of the 16 × 16 image
    QVERIFY(!painter->imageRect().isEmpty());
    const QPoint centre = painter->imageRect().center();
    QSignalSpy changed(painter, &celerity::ui::MaskPainter::maskChanged);
    QTest::mouseClick(painter, Qt::LeftButton, Qt::NoModifier, centre);
    QCOMPARE(changed.count(), 1);
    QVERIFY(painter->hasMask());
    QVERIFY(!w.imageInputs()->maskPath().isEmpty());
    w.imageInputs()->inpaintGroup()->setChecked(true);
    r = w.request();
    QCOMPARE(QString::fromStdString(r.inpaint.maskPath), w.imageInputs()->maskPath());
    const QImage mask(w.imageInputs()->maskPath());
    QCOMPARE(mask.size(), QSize(16, 16));
    QCOMPARE(qGray(mask.pixel(painter->toImage(centre))), 255);
    QCOMPARE(qGray(mask.pixel(0, 0)), 0);

    w.imageInputs()->img2imgGroup()->setChecked(false);  // img2img off: neither is sent
    r = w.request();
    QVERIFY(!r.isImg2Img());
    QVERIFY(!r.isInpaint());
  }

  void droppingAPngRestoresItsParameters() {
    MainWindow w;
    w.setCheckpoints({"/m/a.safetensors", "/m/b.safetensors"});
    const QString png = writePng(dir_->filePath("made.png"),
                                 "a red fox\nNegative prompt: blurry\nSteps: 31, Sampler: DPM++ 2M, Schedule type: "
                                 "Karras, CFG scale: 6.5, Seed: 4242, Size: 640x448, Model: b");
    QVERIFY(!png.isEmpty());
    dropOn(w, png);
    const Request r = w.request();
    QVERIFY2(r.prompt == "a red fox", (r.prompt + " / " + r.sampler + " / " + w.statusBar()->currentMessage().toStdString()).c_str());
    QCOMPARE(r.negativePrompt, std::string("blurry"));
    QCOMPARE(r.steps, 31);
    QCOMPARE(r.sampler, std::string("DPM++ 2M"));
    QCOMPARE(r.scheduler, std::string("karras"));
    QCOMPARE(r.cfgScale, 6.5);
    QCOMPARE(r.seed, std::int64_t{4242});
    QCOMPARE(r.width, 640);
    QCOMPARE(r.height, 448);
    QCOMPARE(r.checkpointPath, std::string("/m/b.safetensors"));
    QCOMPARE(r.vaePath, std::string());  // no "VAE" entry: the checkpoint's own

    // A1111's "VAE" entry picks the listed VAE file of that name; an unknown one is reported.
    w.parameters()->setVaeFiles({"/v/vae-ft-mse.safetensors", "/v/sdxl_vae.safetensors"});
    QVERIFY(w.restoreParametersFromText("a red fox\nSteps: 31, Seed: 1, Size: 64x64, Model: b, VAE hash: 0123456789, "
                                        "VAE: sdxl_vae.safetensors"));
    QCOMPARE(w.request().vaePath, std::string("/v/sdxl_vae.safetensors"));
    QVERIFY(w.restoreParametersFromText("a red fox\nSteps: 31, Seed: 1, Size: 64x64, Model: b, VAE: other.safetensors"));
    QVERIFY(w.statusBar()->currentMessage().contains("other.safetensors"));
    QVERIFY(w.restoreParametersFromText("a red fox\nSteps: 31, Seed: 1, Size: 64x64, Model: b"));
    QCOMPARE(w.request().vaePath, std::string());

    // A PNG without parameters changes nothing.
    const QString plain = writePng(dir_->filePath("plain.png"), {});
    QVERIFY(!w.restoreParametersFromPng(plain));
    QCOMPARE(w.request().prompt, std::string("a red fox"));
  }

  void droppingTheGoldenPngsRestoresTheirParameters() {
    for (const char* name : {"infotext_png_latin1.png", "infotext_png_utf8.png"}) {
      const auto path = celerity::test::goldenPath(name);
      if (!std::filesystem::exists(path)) QSKIP("golden PNGs not available");
      MainWindow w;
      const auto text = readPngInfotext(path.string());
      QVERIFY(text.has_value());
      const GenerationParameters expected = parametersFromInfotext(*text);
      dropOn(w, QString::fromStdString(path.string()));
      const Request r = w.request();
      QCOMPARE(r.prompt, expected.prompt);
      QCOMPARE(r.negativePrompt, expected.negativePrompt);
      QCOMPARE(r.steps, expected.steps);
      QCOMPARE(r.cfgScale, expected.cfgScale);
      QCOMPARE(r.seed, static_cast<std::int64_t>(expected.seed));
      QCOMPARE(r.width, expected.width);
      QCOMPARE(r.height, expected.height);
    }
  }

  void firstRunShowsTheEmptyStateAndMakesTheDemo() {
    startSession(false);
    QVERIFY(window()->isShowingEmptyState());
    QVERIFY(!window()->actions()->generate->isEnabled());
    const QString studioFolder = dir_->filePath("studio-models");
    QVERIFY(window()->emptyState()->placesText().contains(QDir::toNativeSeparators(studioFolder)));
    QVERIFY(window()->emptyState()->demoButton()->isEnabled());

    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    QSignalSpy demoAsked(window(), &MainWindow::demoCheckpointRequested);
    window()->emptyState()->demoButton()->click();  // the panel is hidden: no mouse events reach it
    QCOMPARE(demoAsked.count(), 1);
    QVERIFY2(!window()->isShowingEmptyState(), qPrintable(window()->statusBar()->currentMessage()));
    const QString demo = QDir(studioFolder).filePath(StudioSession::kDemoCheckpointName);
    QCOMPARE(window()->parameters()->currentCheckpoint(), demo);
    QVERIFY(waitFor(finished, 1));
    QCOMPARE(script_->ranKinds().front(), JobKind::LoadModel);  // preloaded at once
    QCOMPARE(script_->ranRequests().front().checkpointPath, demo.toStdString());
  }

  void generateShowsPreviewsResultGalleryAndProfile() {
    startSession(true);
    QVERIFY(!window()->isShowingEmptyState());
    QCOMPARE(window()->parameters()->currentCheckpoint(), checkpoint_);
    window()->prompts()->positive()->setText("a cat");
    QSignalSpy previews(controller_.get(), &EngineController::jobPreview);
    QSignalSpy queued(controller_.get(), &EngineController::jobQueued);
    JobEnds ends(*controller_);
    QTest::mouseClick(window()->prompts()->generateButton(), Qt::LeftButton);
    const JobId id = queued.last().at(0).value<JobId>();
    QCOMPARE(queued.last().at(1).value<JobKind>(), JobKind::Generate);
    QVERIFY(ends.wait(id));
    QVERIFY(previews.count() > 0);
    const QImage shown = window()->imageView()->canvas()->image();
    QCOMPARE(shown.size(), QSize(64, 64));  // the fake engine's 512 / 8
    QCOMPARE(window()->imageView()->canvas()->caption(), QStringLiteral("Seed %1").arg(FakeEngine::kFirstSeed));
    QVERIFY(window()->imageView()->progress()->text().startsWith(QStringLiteral("Done")));
    QCOMPARE(session_->gallery()->count(), 1);
    QCOMPARE(session_->timeline()->jobCount(), 1);
    QVERIFY(!session_->overlay()->isLive());
    QVERIFY(!session_->overlay()->spans().empty());
    QCOMPARE(session_->queue()->model()->rowCount(), 0);
    QTest::mouseClick(window()->parameters()->seed()->reuseButton(), Qt::LeftButton);
    QCOMPARE(window()->request().seed, FakeEngine::kFirstSeed);
    QVERIFY(script_->ranRequests().back().prompt == "a cat");
  }

  void ctrlEnterInThePromptGenerates() {
    startSession(true);
    QSignalSpy queued(controller_.get(), &EngineController::jobQueued);
    JobEnds ends(*controller_);
    QTest::keyClick(window()->prompts()->positive()->textEdit(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(queued.count(), 1);
    QCOMPARE(queued.first().at(1).value<JobKind>(), JobKind::Generate);
    QVERIFY(ends.wait(queued.first().at(0).value<JobId>()));
  }

  void aFailedJobShowsItsErrorAndTheNextRuns() {
    startSession(true);
    QString shownAtFailure;
    connect(controller_.get(), &EngineController::jobFailed, this,
            [&]() { shownAtFailure = window()->imageView()->progress()->text(); });
    JobEnds ends(*controller_);
    window()->prompts()->positive()->setText("please FAIL");
    const JobId bad = session_->generate();
    window()->prompts()->positive()->setText("fine");
    const JobId good = session_->generate();
    QVERIFY(ends.wait(bad));
    QVERIFY(ends.wait(good));
    QVERIFY2(shownAtFailure.contains(QStringLiteral("scripted failure")), qPrintable(shownAtFailure));
    QVERIFY(window()->imageView()->progress()->text().startsWith(QStringLiteral("Done")));
  }

  void escapeCancelsTheRunningJobAndTheQueueMoves() {
    startSession(true);
    script_->setHold(true);
    QSignalSpy started(controller_.get(), &EngineController::jobStarted);
    QSignalSpy cancelled(controller_.get(), &EngineController::jobCancelled);
    JobEnds ends(*controller_);
    const JobId first = session_->generate();
    const JobId second = session_->generate();
    while (controller_->runningJob() == nullptr || controller_->runningJob()->id != first) {
      QVERIFY(started.wait(10000));
    }
    QCOMPARE(session_->queue()->model()->rowCount(), 2);
    QTest::keyClick(window()->prompts()->positive()->textEdit(), Qt::Key_Escape);
    QVERIFY(waitFor(cancelled, 1));
    QCOMPARE(cancelled.first().at(0).value<JobId>(), first);
    QCOMPARE(window()->imageView()->progress()->text(), QStringLiteral("Cancelled"));
    script_->release();
    QVERIFY(ends.wait(second));
    QCOMPARE(session_->queue()->model()->rowCount(), 0);
  }

  void abThisRunsTheAbRunnerInTheBackground() {
    startSession(true);
    auto* panel = session_->optimizationPanel();
    QString toggle;
    for (const auto& info : optimizationCatalog()) {
      if (panel->isAvailable(QString::fromStdString(info.id))) {
        toggle = QString::fromStdString(info.id);
        break;
      }
    }
    QVERIFY(!toggle.isEmpty());
    panel->setAbRuns(1, 3);
    window()->prompts()->positive()->setText("a lighthouse");
    QSignalSpy queued(controller_.get(), &EngineController::jobQueued);
    QSignalSpy progress(controller_.get(), &EngineController::abProgress);
    QSignalSpy reports(controller_.get(), &EngineController::abFinished);
    script_->setHold(true);  // the click returns while the engine thread is held: the GUI never waits
    panel->findChild<QToolButton*>(QStringLiteral("ab:") + toggle)->click();
    QCOMPARE(queued.count(), 1);
    const JobId id = queued.first().at(0).value<JobId>();
    QVERIFY(controller_->isAbJob(id));
    QCOMPARE(panel->abStatusText(), QStringLiteral("A/B %1: run 0 of 8").arg(toggle));
    QVERIFY(session_->queue()->model()->rowCount() >= 1);  // (behind the checkpoint's preload, maybe)
    script_->release();
    while (reports.isEmpty()) QVERIFY(reports.wait(10000));

    QCOMPARE(progress.count(), 8);  // (1 warm-up + 3 measured) × 2 arms
    QCOMPARE(progress.last().at(1).toInt(), 8);
    auto* review = session_->timeline();
    QVERIFY(review->hasJob(id));
    QVERIFY(review->abReport(id) != nullptr);
    QCOMPARE(review->abReport(id)->a.runs.size(), std::size_t{3});
    QCOMPARE(review->abReport(id)->settings.toggles, std::vector<std::string>{toggle.toStdString()});
    QCOMPARE(review->selectedJobs(), QList<JobId>{id});
    QCOMPARE(review->page(), celerity::ui::TimelineReview::Page::Comparison);
    QCOMPARE(review->title(id), QStringLiteral("A/B %1").arg(toggle));
    QVERIFY2(review->abSummaryText().contains(QStringLiteral("images: identical")), qPrintable(review->abSummaryText()));
    QVERIFY(std::isfinite(review->comparisonModel()->rows().back().ratio));
    QVERIFY(panel->measuredEffect(toggle).startsWith(QStringLiteral("wall ×")));
    QVERIFY(panel->abStatusText().contains(QStringLiteral("images: identical")));
    QVERIFY(window()->imageView()->progress()->text().startsWith(QStringLiteral("A/B done")));
    QCOMPARE(session_->queue()->model()->rowCount(), 0);
    QCOMPARE(session_->gallery()->count(), 0);  // measurements, not pictures

    // Every run: the window's request, one seed, the toggle off in A and on in B, nothing saved.
    std::vector<Request> requests;  // the generation runs (a preload of the checkpoint may come first)
    const auto kinds = script_->ranKinds();
    const auto ran = script_->ranRequests();
    for (std::size_t i = 0; i < ran.size(); ++i) {
      if (kinds[i] == JobKind::Generate) requests.push_back(ran[i]);
    }
    QCOMPARE(requests.size(), std::size_t{8});
    for (std::size_t i = 0; i < requests.size(); ++i) {
      QCOMPARE(requests[i].prompt, std::string("a lighthouse"));
      QCOMPARE(requests[i].seed, requests.front().seed);
      QVERIFY(requests[i].seed >= 0);
      QCOMPARE(requests[i].optimizations.at(toggle.toStdString()), i % 2 == 1);
      QVERIFY(requests[i].outputFolder.empty());
    }
    // The runs' counts persist.
    panel->setAbRuns(0, 5);
    window()->close();
    restartWindow();
    QCOMPARE(session_->optimizationPanel()->abWarmup(), 0);
    QCOMPARE(session_->optimizationPanel()->abRepeat(), 5);
  }

  void settingsPersistAcrossARestart() {
    startSession(true);
    window()->prompts()->positive()->setText("a lighthouse at dusk");
    window()->prompts()->negative()->setText("people");
    auto* p = window()->parameters();
    p->stepsBox()->setValue(37);
    p->samplerBox()->setCurrentIndex(p->samplerBox()->findData("Heun"));
    p->size()->setImageSize(768, 512);
    p->hires()->setChecked(true);
    window()->actions()->overlay->setChecked(false);
    session_->optimizationPanel()->applyPreset(celerity::ui::OptimizationPanel::Preset::AllOff);
    const QString a1111 = dir_->filePath(QStringLiteral("webui"));
    const QString vae = QDir::cleanPath(a1111 + QStringLiteral("/models/VAE/sdxl_vae.safetensors"));
    QVERIFY(QDir().mkpath(a1111 + QStringLiteral("/models/Stable-diffusion")));
    touch(vae);
    session_->addModelFolder(a1111);
    QCOMPARE(p->vaeBox()->count(), 2);  // Automatic + the install's VAE
    p->vaeBox()->setCurrentIndex(1);
    const Request before = window()->request();
    QCOMPARE(before.vaePath, vae.toStdString());
    QVERIFY(!before.optimizations.empty());
    window()->close();  // saves
    QVERIFY(!settings_->windowGeometry().isEmpty());

    restartWindow();
    const Request after = window()->request();
    QCOMPARE(after.prompt, before.prompt);
    QCOMPARE(after.negativePrompt, before.negativePrompt);
    QCOMPARE(after.steps, 37);
    QCOMPARE(after.sampler, std::string("Heun"));
    QCOMPARE(after.width, 768);
    QCOMPARE(after.height, 512);
    QVERIFY(after.hires.enabled);
    QCOMPARE(after.checkpointPath, checkpoint_.toStdString());
    QCOMPARE(after.vaePath, before.vaePath);
    QVERIFY(after.optimizations == before.optimizations);
    QVERIFY(!window()->actions()->overlay->isChecked());
    QCOMPARE(session_->modelFolders().roots(), (QStringList{modelsRoot_, QDir::cleanPath(a1111)}));
  }
};

QTEST_MAIN(TestStudioWindow)
#include "tst_studio_window.moc"
