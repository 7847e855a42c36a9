// The ADetailer panel (issue 8) on the offscreen platform: its tabs and defaults; every field
// of DetailerParams through the widgets and back; the window's request carries the panel's
// parameters; they persist in the settings (and across a restart of the studio); detector
// models come from the model folders; and the mask preview draws the regions a (fake) result
// reports, coloured per tab, only over the image they belong to.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <memory>

#include "DetailerPanel.h"
#include "DetailerSettings.h"
#include "DetailerTabEditor.h"
#include "DetectionOverlay.h"
#include "EngineController.h"
#include "MainWindow.h"
#include "StudioSession.h"
#include "StudioSettings.h"
#include "common/FakeEngine.h"

using namespace celerity;
using celerity::studio::EngineController;
using celerity::studio::StudioServices;
using celerity::studio::StudioSession;
using celerity::studio::StudioSettings;
using celerity::testing::FakeEngine;
using celerity::testing::FakeEngineScript;
using celerity::ui::DetailerPanel;
using celerity::ui::DetailerTabEditor;
using celerity::ui::DetectionOverlay;

namespace {

void touch(const QString& path) {
  QDir().mkpath(QFileInfo(path).path());
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("fake weights");
}

// Every field, compared one by one so that a failure names it.
void compareTabs(const DetailerTab& a, const DetailerTab& b) {
  QCOMPARE(a.enabled, b.enabled);
  QCOMPARE(a.model, b.model);
  QCOMPARE(a.prompt, b.prompt);
  QCOMPARE(a.negativePrompt, b.negativePrompt);
  QCOMPARE(a.confidence, b.confidence);
  QCOMPARE(a.maskMinRatio, b.maskMinRatio);
  QCOMPARE(a.maskMaxRatio, b.maskMaxRatio);
  QCOMPARE(a.maskTopK, b.maskTopK);
  QCOMPARE(a.topKBy, b.topKBy);
  QCOMPARE(a.sortOrder, b.sortOrder);
  QCOMPARE(a.xOffset, b.xOffset);
  QCOMPARE(a.yOffset, b.yOffset);
  QCOMPARE(a.dilateErode, b.dilateErode);
  QCOMPARE(a.mergeMode, b.mergeMode);
  QCOMPARE(a.maskBlur, b.maskBlur);
  QCOMPARE(a.denoisingStrength, b.denoisingStrength);
  QCOMPARE(a.inpaintOnlyMasked, b.inpaintOnlyMasked);
  QCOMPARE(a.inpaintPadding, b.inpaintPadding);
  QCOMPARE(a.inpaintSize, b.inpaintSize);
  QCOMPARE(a.inpaintWidth, b.inpaintWidth);
  QCOMPARE(a.inpaintHeight, b.inpaintHeight);
  QCOMPARE(a.steps, b.steps);
  QCOMPARE(a.cfgScale, b.cfgScale);
  QCOMPARE(a.sampler, b.sampler);
  QCOMPARE(a.scheduler, b.scheduler);
  QCOMPARE(a.checkpointPath, b.checkpointPath);
  QCOMPARE(a.vaePath, b.vaePath);
  QCOMPARE(a.clipSkip, b.clipSkip);
  QCOMPARE(a.noiseMultiplier, b.noiseMultiplier);
}

void compareParams(const DetailerParams& a, const DetailerParams& b) {
  QCOMPARE(a.tabs.size(), b.tabs.size());
  QCOMPARE(a.sameSeedForEachTab, b.sameSeedForEachTab);
  for (std::size_t i = 0; i < a.tabs.size(); ++i) {
    compareTabs(a.tabs[i], b.tabs[i]);
    if (QTest::currentTestFailed()) QFAIL(qPrintable(QStringLiteral("tab %1 differs").arg(i)));
  }
}

// Three tabs: every field away from its default (the first with every override set, the
// second with none, the third off with a model that is not installed).
DetailerParams unusualParams() {
  DetailerParams params;
  DetailerTab a;
  a.enabled = true;
  a.model = "face_yolov8n.pt";
  a.prompt = "a detailed face [SEP] [PROMPT], smiling [SEP] [SKIP]";
  a.negativePrompt = "blurry";
  a.confidence = 0.45;
  a.maskMinRatio = 0.012;
  a.maskMaxRatio = 0.875;
  a.maskTopK = 3;
  a.topKBy = DetailerTopKBy::Confidence;
  a.sortOrder = DetailerSortOrder::CenterToEdge;
  a.xOffset = -12;
  a.yOffset = 7;
  a.dilateErode = -8;
  a.mergeMode = DetailerMaskMerge::MergeInvert;
  a.maskBlur = 9;
  a.denoisingStrength = 0.55;
  a.inpaintOnlyMasked = false;
  a.inpaintPadding = 48;
  a.inpaintSize = DetailerInpaintSize::Custom;
  a.inpaintWidth = 640;
  a.inpaintHeight = 768;
  a.steps = 28;
  a.cfgScale = 5.5;
  a.sampler = "DPM++ 2M";
  a.scheduler = "karras";
  a.checkpointPath = "/m/b.safetensors";
  a.vaePath = "/v/sdxl_vae.safetensors";
  a.clipSkip = 2;
  a.noiseMultiplier = 1.05;
  DetailerTab b;
  b.enabled = true;
  b.model = kBuiltinFaceDetector;
  b.sortOrder = DetailerSortOrder::LeftToRight;
  b.mergeMode = DetailerMaskMerge::Merge;
  b.inpaintSize = DetailerInpaintSize::MatchBox;
  DetailerTab c;
  c.enabled = false;
  c.model = "hand_yolov9c.pt";  // not among the files found
  c.sortOrder = DetailerSortOrder::AreaDescending;
  params.tabs = {a, b, c};
  params.sameSeedForEachTab = true;
  return params;
}

// Pixels of the grab with exactly `color`.
int countColor(const QImage& image, const QColor& color) {
  int count = 0;
  for (int y = 0; y < image.height(); ++y) {
    for (int x = 0; x < image.width(); ++x) count += image.pixelColor(x, y).rgb() == color.rgb() ? 1 : 0;
  }
  return count;
}

}  // namespace

class TestDetailerPanel : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<QTemporaryDir> dir_;
  std::shared_ptr<FakeEngineScript> script_;
  std::unique_ptr<EngineController> controller_;
  std::unique_ptr<StudioSettings> settings_;
  std::unique_ptr<StudioSession> session_;
  QString webui_;

  void startSession() {
    settings_ = StudioSettings::fromFile(dir_->filePath(QStringLiteral("settings.ini")));
    if (settings_->modelFolders().isEmpty()) settings_->setModelFolders({webui_});
    StudioServices services;
    services.studioModelsFolder = dir_->filePath(QStringLiteral("studio-models"));
    session_ = std::make_unique<StudioSession>(*controller_, *settings_, services);
  }

 private slots:
  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    QVERIFY(dir_->isValid());
    webui_ = dir_->filePath(QStringLiteral("webui"));
    touch(webui_ + QStringLiteral("/models/Stable-diffusion/sd15.safetensors"));
    touch(webui_ + QStringLiteral("/models/adetailer/face_yolov8n.pt"));
    touch(webui_ + QStringLiteral("/models/adetailer/hand_yolov8n.safetensors"));
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

  void defaultsAndTabs() {
    DetailerPanel panel;
    QCOMPARE(panel.tabCount(), DetailerPanel::kDefaultTabs);
    const DetailerParams params = panel.params();
    QCOMPARE(static_cast<int>(params.tabs.size()), 2);
    QVERIFY(!params.active());  // a fresh studio makes plain images
    QVERIFY(!params.sameSeedForEachTab);
    for (const DetailerTab& tab : params.tabs) {
      QCOMPARE(tab.model, std::string(kBuiltinFaceDetector));
      QCOMPARE(tab.confidence, 0.3);  // ADetailer's defaults otherwise
      QCOMPARE(tab.dilateErode, 4);
      QCOMPARE(tab.maskBlur, 4);
      QCOMPARE(tab.denoisingStrength, 0.4);
      QVERIFY(tab.inpaintOnlyMasked);
      QCOMPARE(tab.inpaintPadding, 32);
      QVERIFY(!tab.steps && !tab.cfgScale && !tab.sampler && !tab.scheduler && !tab.checkpointPath && !tab.vaePath &&
              !tab.clipSkip && !tab.noiseMultiplier);
    }
    QVERIFY(panel.summaryText().contains(QStringLiteral("off")));

    auto* add = panel.findChild<QToolButton*>(QStringLiteral("addDetailerTab"));
    auto* remove = panel.findChild<QToolButton*>(QStringLiteral("removeDetailerTab"));
    add->click();
    add->click();
    QCOMPARE(panel.tabCount(), DetailerParams::kMaxTabs);
    QVERIFY(!add->isEnabled());
    add->click();
    QCOMPARE(panel.tabCount(), DetailerParams::kMaxTabs);
    QCOMPARE(static_cast<int>(panel.params().tabs.size()), DetailerParams::kMaxTabs);
    for (int i = 0; i < 3; ++i) remove->click();
    QCOMPARE(panel.tabCount(), 1);
    QVERIFY(!remove->isEnabled());

    // The enable switch of a tab turns the detailer on.
    panel.tabEditor(0)->enabledBox()->click();
    QVERIFY(panel.params().active());
    QVERIFY(panel.summaryText().contains(QStringLiteral("1")));
  }

  void everyFieldRoundTrips() {
    DetailerPanel panel;
    panel.setDetectorModels({"face_yolov8n.pt", "hand_yolov8n.safetensors"});
    panel.setCheckpoints({"/m/a.safetensors", "/m/b.safetensors"});
    panel.setVaeFiles({"/v/sdxl_vae.safetensors"});
    const DetailerParams in = unusualParams();
    panel.setParams(in);
    QCOMPARE(panel.tabCount(), 3);
    compareParams(panel.params(), in);
    // The missing model stays selected, marked as such; the found ones are listed.
    QComboBox* model = panel.tabEditor(2)->modelBox();
    QCOMPARE(model->currentData().toString(), QStringLiteral("hand_yolov9c.pt"));
    QVERIFY(model->currentText().contains(QStringLiteral("not found")));
    QVERIFY(panel.tabEditor(0)->modelBox()->findData(QStringLiteral("hand_yolov8n.safetensors")) >= 0);
    QCOMPARE(panel.tabEditor(0)->modelBox()->itemData(0).toString(), QString::fromLatin1(kBuiltinFaceDetector));
    // A new model list keeps every tab's choice.
    panel.setDetectorModels({"face_yolov8n.pt"});
    compareParams(panel.params(), in);

    // Fewer tabs than the default still show two; back to defaults clears everything.
    DetailerParams one;
    one.tabs = {in.tabs[1]};
    panel.setParams(one);
    QCOMPARE(panel.tabCount(), 2);
    compareTabs(panel.params().tabs[0], in.tabs[1]);
    compareTabs(panel.params().tabs[1], DetailerPanel::defaultTab());
    QVERIFY(!panel.params().sameSeedForEachTab);
  }

  void widgetsWriteTheParams() {
    DetailerPanel panel;
    panel.setDetectorModels({"face_yolov8n.pt"});
    panel.setCheckpoints({"/m/a.safetensors"});
    DetailerTabEditor* tab = panel.tabEditor(1);
    tab->enabledBox()->click();
    tab->modelBox()->setCurrentIndex(tab->modelBox()->findData(QStringLiteral("face_yolov8n.pt")));
    tab->findChild<QPlainTextEdit*>(QStringLiteral("prompt"))->setPlainText(QStringLiteral("[PROMPT], freckles"));
    tab->findChild<QDoubleSpinBox*>(QStringLiteral("confidence"))->setValue(0.6);
    tab->findChild<QSpinBox*>(QStringLiteral("topK"))->setValue(2);
    auto* sort = tab->findChild<QComboBox*>(QStringLiteral("sortOrder"));
    sort->setCurrentIndex(sort->findData(static_cast<int>(DetailerSortOrder::LeftToRight)));
    tab->findChild<QSpinBox*>(QStringLiteral("dilateErode"))->setValue(-4);
    tab->findChild<QCheckBox*>(QStringLiteral("onlyMasked"))->click();
    QVERIFY(!tab->findChild<QSpinBox*>(QStringLiteral("padding"))->isEnabled());
    auto* size = tab->findChild<QComboBox*>(QStringLiteral("inpaintSize"));
    QVERIFY(!tab->findChild<QSpinBox*>(QStringLiteral("inpaintWidth"))->isEnabled());
    size->setCurrentIndex(size->findData(static_cast<int>(DetailerInpaintSize::Custom)));
    QVERIFY(tab->findChild<QSpinBox*>(QStringLiteral("inpaintWidth"))->isEnabled());
    auto* steps = tab->findChild<QSpinBox*>(QStringLiteral("steps"));
    QVERIFY(!steps->isEnabled());  // an override is off until its box is ticked
    tab->findChild<QCheckBox*>(QStringLiteral("use_steps"))->click();
    QVERIFY(steps->isEnabled());
    steps->setValue(12);
    tab->findChild<QCheckBox*>(QStringLiteral("use_checkpoint"))->click();
    tab->findChild<QCheckBox*>(QStringLiteral("use_vae"))->click();  // "None": the checkpoint's own
    panel.sameSeedBox()->click();

    const DetailerParams params = panel.params();
    const DetailerTab& t = params.tabs[1];
    QVERIFY(t.enabled);
    QCOMPARE(t.model, std::string("face_yolov8n.pt"));
    QCOMPARE(t.prompt, std::string("[PROMPT], freckles"));
    QCOMPARE(t.confidence, 0.6);
    QCOMPARE(t.maskTopK, 2);
    QCOMPARE(t.sortOrder, DetailerSortOrder::LeftToRight);
    QCOMPARE(t.dilateErode, -4);
    QVERIFY(!t.inpaintOnlyMasked);
    QCOMPARE(t.inpaintSize, DetailerInpaintSize::Custom);
    QCOMPARE(t.steps, std::optional<int>(12));
    QCOMPARE(t.checkpointPath, std::optional<std::string>("/m/a.safetensors"));
    QCOMPARE(t.vaePath, std::optional<std::string>(""));
    QVERIFY(!t.cfgScale && !t.sampler && !t.noiseMultiplier);
    QVERIFY(params.sameSeedForEachTab);
    QVERIFY(!params.tabs[0].enabled);
  }

  void windowRequestCarriesTheParams() {
    ui::MainWindow window;
    window.setCheckpoints({"/m/a.safetensors", "/m/b.safetensors"});
    auto* panel = new DetailerPanel;
    window.setDetailerPanel(panel);
    QCOMPARE(window.detailerPanel(), panel);
    QVERIFY(window.detectionOverlay() != nullptr);
    panel->tabEditor(0)->enabledBox()->click();
    compareParams(window.request().detailer, panel->params());
    QVERIFY(window.request().detailer.active());

    Request r = window.request();
    r.detailer = unusualParams();
    window.setRequest(r);
    compareParams(panel->params(), r.detailer);
    compareParams(window.request().detailer, r.detailer);
  }

  void settingsRoundTrip() {
    QSettings ini(dir_->filePath(QStringLiteral("detailer.ini")), QSettings::IniFormat);
    const DetailerParams in = unusualParams();
    studio::writeDetailerParams(ini, QStringLiteral("request/detailer"), in);
    compareParams(studio::readDetailerParams(ini, QStringLiteral("request/detailer")), in);
    // Fewer tabs later: the removed ones do not come back; unset overrides have no key.
    DetailerParams fewer;
    fewer.tabs = {in.tabs[1]};
    studio::writeDetailerParams(ini, QStringLiteral("request/detailer"), fewer);
    compareParams(studio::readDetailerParams(ini, QStringLiteral("request/detailer")), fewer);
    QVERIFY(!ini.contains(QStringLiteral("request/detailer/tab1/model")));
    QVERIFY(!ini.contains(QStringLiteral("request/detailer/tab0/steps")));
    // A number from another version falls back to the default.
    ini.setValue(QStringLiteral("request/detailer/tab0/sortOrder"), 42);
    QCOMPARE(studio::readDetailerParams(ini, QStringLiteral("request/detailer")).tabs[0].sortOrder,
             DetailerSortOrder::None);
  }

  void persistsAcrossARestart() {
    startSession();
    DetailerPanel* panel = session_->detailerPanel();
    // The A1111 install's detector files are offered, after the built-in one.
    QCOMPARE(panel->detectorModels(), (QStringList{"face_yolov8n.pt", "hand_yolov8n.safetensors"}));
    QVERIFY(panel->tabEditor(0)->modelBox()->findData(QStringLiteral("hand_yolov8n.safetensors")) >= 0);
    DetailerParams in = unusualParams();
    in.tabs[0].checkpointPath = QDir::cleanPath(webui_ + QStringLiteral("/models/Stable-diffusion/sd15.safetensors")).toStdString();
    panel->setParams(in);
    panel->setShowRegions(false);
    session_->window()->close();  // saves

    session_.reset();
    settings_.reset();
    startSession();
    compareParams(session_->detailerPanel()->params(), in);
    QVERIFY(!session_->detailerPanel()->showsRegions());
    QVERIFY(!session_->window()->detectionOverlay()->isEnabledByUser());
  }

  void overlayHelpers() {
    DetailedRegion a;
    a.tab = 0;
    a.x1 = 1, a.y1 = 1, a.x2 = 3, a.y2 = 2;
    a.score = 0.875f;
    a.label = "face";
    a.mask = {0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0, 0};  // 4 × 3: (1,1) and (2,1)
    DetailedRegion b = a;
    b.tab = 1;
    b.mask = {255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    DetailedRegion merged = a;  // a merged tab's later regions carry no mask
    merged.mask.clear();
    const QImage layer = DetectionOverlay::maskLayer({a, b, merged}, 4, 3);
    QCOMPARE(layer.size(), QSize(4, 3));
    // Stored premultiplied: the colour comes back within rounding.
    const auto near = [](const QColor& a, const QColor& b) {
      return std::abs(a.red() - b.red()) <= 2 && std::abs(a.green() - b.green()) <= 2 && std::abs(a.blue() - b.blue()) <= 2;
    };
    QCOMPARE(layer.pixelColor(1, 1).alpha(), DetectionOverlay::kMaskAlpha);
    QVERIFY(near(layer.pixelColor(1, 1), DetectionOverlay::tabColor(0)));
    QVERIFY(near(layer.pixelColor(2, 1), DetectionOverlay::tabColor(0)));
    QVERIFY(near(layer.pixelColor(0, 0), DetectionOverlay::tabColor(1)));
    QCOMPARE(layer.pixelColor(1, 0).alpha(), 0);
    QCOMPARE(layer.pixelColor(3, 2).alpha(), 0);
    QVERIFY(DetectionOverlay::tabColor(0) != DetectionOverlay::tabColor(1));
    QCOMPARE(DetectionOverlay::caption(a), QStringLiteral("1: face 0.88"));
    b.skipped = true;
    QCOMPARE(DetectionOverlay::caption(b), QStringLiteral("2: face (skipped)"));
    // An image of 4 × 3 drawn ten times larger at (100, 50).
    QCOMPARE(DetectionOverlay::boxOnCanvas(a, QSize(4, 3), QRect(100, 50, 40, 30)), QRectF(110, 60, 20, 10));
  }

  void overlayDrawsTheRegionsOfAResult() {
    startSession();
    ui::MainWindow* window = session_->window();
    window->resize(1200, 800);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    DetailerPanel* panel = session_->detailerPanel();
    panel->addTab();
    panel->tabEditor(0)->enabledBox()->click();
    panel->tabEditor(2)->enabledBox()->click();
    QSignalSpy finished(controller_.get(), &EngineController::jobFinished);
    const JobId id = session_->generate();
    QVERIFY(id != 0);
    while (finished.isEmpty()) QVERIFY(finished.wait(10000));
    // The engine got the panel's parameters.
    compareParams(script_->ranRequests().back().detailer, panel->params());

    DetectionOverlay* overlay = window->detectionOverlay();
    QCOMPARE(static_cast<int>(overlay->regions().size()), 2);
    QCOMPARE(overlay->regions()[0].tab, 0);
    QCOMPARE(overlay->regions()[1].tab, 2);
    QVERIFY(overlay->isVisible());
    QVERIFY(overlay->hasRegionsForShownImage());
    ui::ImageCanvas* canvas = window->imageView()->canvas();
    QImage shot = canvas->grab().toImage();
    // Labels and outlines in each found tab's colour; none in the colour of a tab that found nothing.
    QVERIFY(countColor(shot, DetectionOverlay::tabColor(0)) > 40);
    QVERIFY(countColor(shot, DetectionOverlay::tabColor(2)) > 40);
    QCOMPARE(countColor(shot, DetectionOverlay::tabColor(1)), 0);
    // Inside a region: the image's grey under the tab's translucent colour.
    const QRectF box = DetectionOverlay::boxOnCanvas(overlay->regions()[0], canvas->image().size(), canvas->imageRect());
    const QColor inside = shot.pixelColor(box.center().toPoint());
    const double alpha = DetectionOverlay::kMaskAlpha / 255.0;
    const QColor tab = DetectionOverlay::tabColor(0);
    QVERIFY2(std::abs(inside.blue() - (tab.blue() * alpha + 128 * (1 - alpha))) <= 2, qPrintable(inside.name()));
    QVERIFY2(std::abs(inside.red() - (tab.red() * alpha + 128 * (1 - alpha))) <= 2, qPrintable(inside.name()));
    // Outside every region: the plain image.
    const QRect image = canvas->imageRect();
    QCOMPARE(shot.pixelColor(image.right() - 2, image.bottom() - image.height() / 2).rgb(), QColor(128, 128, 128).rgb());

    // The switch hides the preview; another picture on the canvas hides it too.
    panel->showRegionsBox()->click();
    QVERIFY(!overlay->isVisible());
    QCOMPARE(countColor(canvas->grab().toImage(), DetectionOverlay::tabColor(0)), 0);
    panel->showRegionsBox()->click();
    QVERIFY(overlay->isVisible());
    QImage other(64, 64, QImage::Format_RGB888);
    other.fill(Qt::darkGray);
    canvas->setImage(other, QStringLiteral("another"));
    QVERIFY(!overlay->hasRegionsForShownImage());
    QCOMPARE(countColor(canvas->grab().toImage(), DetectionOverlay::tabColor(0)), 0);
  }
};

QTEST_MAIN(TestDetailerPanel)
#include "tst_detailer_panel.moc"
