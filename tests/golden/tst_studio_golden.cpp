// The studio through the real engine on the golden tiny SD 1.x checkpoint: click Generate →
// previews arrive → the final image is shown → the job's profile is in the timeline review
// and the overlay, and a second job on the same model loads nothing.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <memory>

#include "EngineController.h"
#include "StudioSession.h"
#include "StudioSettings.h"
#include "celerity/Engine.h"
#include "common/GoldenSupport.h"

using namespace celerity;
using celerity::studio::EngineController;
using celerity::studio::StudioServices;
using celerity::studio::StudioSession;
using celerity::studio::StudioSettings;

namespace {

bool hasStage(const JobProfile& profile, const std::string& prefix) {
  for (const auto& span : profile.spans) {
    if (span.name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

}  // namespace

class TestStudioGolden : public QObject {
  Q_OBJECT

 private slots:
  void generateThroughTheWindow() {
    const auto checkpoint = test::goldenPath("sd15_tiny.safetensors");
    QVERIFY2(std::filesystem::exists(checkpoint), checkpoint.string().c_str());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EngineController controller([]() -> std::unique_ptr<GenerationEngine> { return std::make_unique<Engine>(); });
    auto settings = StudioSettings::fromFile(dir.filePath("settings.ini"));
    StudioServices services;
    services.studioModelsFolder = dir.filePath("models");
    StudioSession session(controller, *settings, services);
    session.openCheckpoint(QString::fromStdString(checkpoint.string()));
    auto* window = session.window();
    QCOMPARE(window->parameters()->currentCheckpoint().toStdString(), checkpoint.string());

    window->prompts()->positive()->setText("a lighthouse at dusk, (oil painting:1.2)");
    window->parameters()->stepsBox()->setValue(4);
    window->parameters()->size()->setImageSize(64, 64);
    window->parameters()->seed()->setSeed(7);

    QSignalSpy previews(&controller, &EngineController::jobPreview);
    QSignalSpy finished(&controller, &EngineController::jobFinished);
    QSignalSpy failed(&controller, &EngineController::jobFailed);
    QSignalSpy queued(&controller, &EngineController::jobQueued);
    QTest::mouseClick(window->prompts()->generateButton(), Qt::LeftButton);
    QCOMPARE(queued.last().at(1).value<JobKind>(), JobKind::Generate);
    const JobId id = queued.last().at(0).value<JobId>();
    JobOutput output;
    bool done = false;
    QElapsedTimer clock;
    clock.start();
    while (!done) {
      QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : failed.first().at(1).value<Error>().message.c_str());
      QVERIFY2(clock.elapsed() < 600000, "timed out");
      finished.wait(1000);
      for (const auto& args : finished) {
        if (args.at(0).value<JobId>() == id) {
          output = args.at(1).value<JobOutput>();
          done = true;
        }
      }
    }
    QVERIFY(previews.count() > 0);
    QCOMPARE(output.images.size(), std::size_t(1));
    QCOMPARE(output.images[0].seed, std::int64_t{7});
    const QImage shown = window->imageView()->canvas()->image();
    QCOMPARE(shown.size(), QSize(64, 64));
    QCOMPARE(qRed(shown.pixel(0, 0)), int(output.images[0].rgb[0]));
    QCOMPARE(session.timeline()->jobCount(), 1);
    QVERIFY(session.timeline()->profile(id) != nullptr);
    QVERIFY(hasStage(*session.timeline()->profile(id), "sample"));
    QVERIFY(!session.overlay()->spans().empty());
    QCOMPARE(session.gallery()->count(), 1);

    // The model stayed resident (preloaded when selected, or loaded by the first job).
    const int before = static_cast<int>(finished.count());
    const JobId second = session.generate();
    while (finished.count() == before) QVERIFY(finished.wait(600000));
    QCOMPARE(finished.last().at(0).value<JobId>(), second);
    QVERIFY(!hasStage(finished.last().at(1).value<JobOutput>().profile, "load."));
    controller.shutdown();
  }
};

QTEST_MAIN(TestStudioGolden)
#include "tst_studio_golden.moc"
