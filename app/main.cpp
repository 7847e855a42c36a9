// The studio's composition root: the application, logging, translations, the real engine
// (made on the engine thread by the controller), the demo-checkpoint factory, the prompt
// token counter, and the session that wires the window to them.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <QLibraryInfo>
#include <QLocale>
#include <QStandardPaths>
#include <QTranslator>
#include <memory>

#include <spdlog/spdlog.h>

#include "EngineController.h"
#include "ModelFolders.h"
#include "ScriptedRun.h"
#include "StudioSession.h"
#include "StudioSettings.h"
#include "celerity/Engine.h"
#include "celerity/PromptTokens.h"
#include "checkpoint/CheckpointFactory.h"
#include "common/Log.h"

namespace {

using celerity::studio::StudioSettings;

// Qt's own warnings go to the "ui" log with everything else.
void forwardQtMessage(QtMsgType type, const QMessageLogContext&, const QString& message) {
  const auto log = celerity::logger("ui");
  const std::string text = message.toStdString();
  switch (type) {
    case QtDebugMsg: log->debug(text); break;
    case QtInfoMsg: log->info(text); break;
    case QtWarningMsg: log->warn(text); break;
    case QtCriticalMsg:
    case QtFatalMsg: log->error(text); break;
  }
}

// Qt's translations from its installation, ours from beside the executable (or the
// installed share folder); `language` empty follows the system locale.
void installTranslations(QApplication& app, const QString& language) {
  const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
  auto* qt = new QTranslator(&app);
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QApplication::installTranslator(qt);
  }
  const QString appDir = QApplication::applicationDirPath();
  auto* own = new QTranslator(&app);
  for (const QString& dir : {appDir + QStringLiteral("/translations"),
                             appDir + QStringLiteral("/../share/celerity/translations"), QStringLiteral(":/i18n")}) {
    if (own->load(locale, QStringLiteral("celerity"), QStringLiteral("_"), dir)) {
      QApplication::installTranslator(own);
      return;
    }
  }
  celerity::logger("ui")->info("no Celerity translation for {}", locale.name().toStdString());
}

// The demo checkpoint: the tiny SD 1.5 architecture with seeded random weights.
void writeDemoCheckpoint(const std::string& path) {
  celerity::CheckpointSpec spec;
  spec.family = celerity::ModelFamily::SD1;
  spec.full = false;
  spec.dtype = at::kFloat;
  spec.seed = 1;
  celerity::writeRandomCheckpoint(spec, path);
}

}  // namespace

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Celerity"));
  QApplication::setOrganizationName(QStringLiteral("Celerity"));
  QApplication::setApplicationVersion(QStringLiteral(CELERITY_VERSION));
  qInstallMessageHandler(forwardQtMessage);

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Celerity — a Stable Diffusion studio"));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption settingsOption(QStringLiteral("settings"),
                                          QStringLiteral("Read and write the settings in this INI file."),
                                          QStringLiteral("file"));
  parser.addOption(settingsOption);
  // For scripts (scripts/screenshot.sh): pick a checkpoint, generate once, grab the window.
  const QCommandLineOption modelOption(QStringLiteral("model"),
                                       QStringLiteral("Add this checkpoint's folder and select it."),
                                       QStringLiteral("file"));
  const QCommandLineOption autoGenerateOption(QStringLiteral("auto-generate"),
                                              QStringLiteral("Press Generate once at start."));
  const QCommandLineOption screenshotOption(
      QStringLiteral("screenshot"),
      QStringLiteral("With --auto-generate: save the window as a PNG when the job has finished, then quit."),
      QStringLiteral("file"));
  parser.addOption(modelOption);
  parser.addOption(autoGenerateOption);
  parser.addOption(screenshotOption);
  parser.process(app);

  std::unique_ptr<StudioSettings> settings = parser.isSet(settingsOption)
                                                 ? StudioSettings::fromFile(parser.value(settingsOption))
                                                 : std::make_unique<StudioSettings>();
  installTranslations(app, settings->language());

  const QString dataFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
  celerity::studio::ModelFolders folders(dataFolder + QStringLiteral("/models"));
  folders.setRoots(settings->modelFolders());

  celerity::EngineOptions options;
  options.clipVocabularyPath = settings->clipVocabularyPath().toStdString();
  for (const QString& folder : folders.folders().vaeApprox) options.vaeApproxFolders.push_back(folder.toStdString());
  // Folders added later are listed by the LoRA panel but reach the engine at the next start.
  for (const QString& folder : folders.folders().loras) options.loraFolders.push_back(folder.toStdString());
  for (const QString& folder : folders.folders().detailers) options.detectorFolders.push_back(folder.toStdString());
  options.hashCacheFile =
      (QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/hashes.json")).toStdString();
  celerity::studio::EngineController controller(
      [options]() -> std::unique_ptr<celerity::GenerationEngine> { return std::make_unique<celerity::Engine>(options); });

  celerity::studio::StudioServices services;
  services.makeDemoCheckpoint = writeDemoCheckpoint;
  services.studioModelsFolder = folders.studioFolder();
  services.defaultOutputFolder =
      QStandardPaths::writableLocation(QStandardPaths::PicturesLocation) + QStringLiteral("/Celerity");
  try {
    services.tokenCounter = celerity::PromptTokenCounter::loadDefault(options.clipVocabularyPath);
  } catch (const celerity::CelerityError& e) {
    celerity::logger("ui")->warn("token counter off: {}", e.error().toString());
  }

  celerity::studio::StudioSession session(controller, *settings, services);
  if (parser.isSet(modelOption)) {
    session.openCheckpoint(parser.value(modelOption));
  }
  session.window()->show();
  celerity::studio::ScriptedRun scripted(session, controller, parser.value(screenshotOption));
  if (parser.isSet(autoGenerateOption)) QTimer::singleShot(0, &scripted, &celerity::studio::ScriptedRun::start);
  const int code = QApplication::exec();
  controller.shutdown();  // cancel, quit the engine thread and wait for it
  return code;
}
