#pragma once
// The ADetailer panel: up to four tabs (two shown at first), each with its enable switch and
// every option of a DetailerTab, "same seed for each tab", and the switch of the mask preview
// (the regions the last image's tabs found, drawn over it by DetectionOverlay). It reads from
// and writes to Request::detailer (applyTo / setFrom), so the window, the settings and the
// PNG drop share one binding.
#include <QStringList>
#include <QWidget>
#include <vector>

#include "celerity/DetailerOptions.h"
#include "celerity/Request.h"

class QCheckBox;
class QLabel;
class QTabWidget;
class QToolButton;

namespace celerity::ui {

class DetailerTabEditor;

class DetailerPanel : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kDefaultTabs = 2;

  explicit DetailerPanel(QWidget* parent = nullptr);

  // Every shown tab, enabled or not (a tab's index is its seed offset).
  DetailerParams params() const;
  // Shows `params`' tabs (at least kDefaultTabs, at most DetailerParams::kMaxTabs); missing
  // tabs are the defaults: switched off, the built-in face detector.
  void setParams(const DetailerParams& params);
  void applyTo(Request& request) const { request.detailer = params(); }
  void setFrom(const Request& request) { setParams(request.detailer); }

  // Detector files (names) found in the detector folders; the built-in one is always listed.
  void setDetectorModels(const QStringList& fileNames);
  const QStringList& detectorModels() const { return models_; }
  // Checkpoints (full paths) for the tabs' checkpoint override.
  void setCheckpoints(const QStringList& paths);
  // Standalone VAE files (full paths) for the tabs' VAE override.
  void setVaeFiles(const QStringList& paths);

  int tabCount() const;
  DetailerTabEditor* tabEditor(int index) const;
  // Adds a default tab (up to kMaxTabs) / removes the last one (down to one).
  void addTab();
  void removeLastTab();

  bool showsRegions() const;
  void setShowRegions(bool show);
  QCheckBox* sameSeedBox() const { return sameSeed_; }
  QCheckBox* showRegionsBox() const { return showRegions_; }
  // "ADetailer: tabs 1, 2 on" / "ADetailer is off".
  QString summaryText() const;

  // The default tab the panel starts from (off, built-in face detector, ADetailer's values).
  static DetailerTab defaultTab();

 signals:
  void showRegionsToggled(bool show);
  void refreshModelsRequested();

 private:
  DetailerTabEditor* makeEditor();
  void refreshTitles();

  QTabWidget* tabs_;
  std::vector<DetailerTabEditor*> editors_;
  QToolButton* addButton_;
  QToolButton* removeButton_;
  QToolButton* refreshButton_;
  QCheckBox* sameSeed_;
  QCheckBox* showRegions_;
  QLabel* summary_;
  QStringList models_;
  QStringList checkpoints_;
  QStringList vaeFiles_;
};

}  // namespace celerity::ui
