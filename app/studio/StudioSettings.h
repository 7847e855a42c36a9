#pragma once
// Everything the studio remembers between runs, in QSettings: window geometry and dock
// layout, the last prompts and parameters (the whole Request, toggles included), the model
// folders, the output folder, preview and overlay choices, the CLIP vocabulary setting and
// the language. Tests pass their own QSettings (an INI file in a temporary folder).
#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <memory>

#include "celerity/Engine.h"
#include "celerity/Request.h"

namespace celerity::studio {

class StudioSettings {
 public:
  // The application's QSettings (organisation / application names set by main).
  StudioSettings();
  explicit StudioSettings(std::unique_ptr<QSettings> settings);
  // An INI file at `path` (tests, portable installs).
  static std::unique_ptr<StudioSettings> fromFile(const QString& path);

  QByteArray windowGeometry() const;
  void setWindowGeometry(const QByteArray& geometry);
  QByteArray windowState() const;  // docks and toolbars (QMainWindow::saveState)
  void setWindowState(const QByteArray& state);

  // The last request the window held: prompts, parameters, hires, img2img and toggles.
  // Missing keys keep Request's defaults.
  Request lastRequest() const;
  void setLastRequest(const Request& request);

  QStringList modelFolders() const;  // roots as the user chose them (installs or plain folders)
  void setModelFolders(const QStringList& folders);
  QString outputFolder() const;  // empty: the default (pictures folder / Celerity)
  void setOutputFolder(const QString& folder);
  QString lastCheckpoint() const;
  void setLastCheckpoint(const QString& path);

  PreviewSettings previews() const;
  void setPreviews(const PreviewSettings& previews);
  // "A/B this": unmeasured warm-ups and measured repeats per arm (defaults 1 and 3).
  int abWarmup() const;
  int abRepeat() const;
  void setAbRuns(int warmup, int repeat);
  // The ADetailer mask preview over finished images (on by default).
  bool detectedRegionsVisible() const;
  void setDetectedRegionsVisible(bool visible);
  bool overlayVisible() const;
  void setOverlayVisible(bool visible);

  QString clipVocabularyPath() const;  // empty: the engine's usual places
  void setClipVocabularyPath(const QString& path);
  // A locale name ("ru", "en"); empty follows the system locale.
  QString language() const;
  void setLanguage(const QString& language);

  void sync();
  QSettings& raw() { return *settings_; }

 private:
  std::unique_ptr<QSettings> settings_;
};

}  // namespace celerity::studio
