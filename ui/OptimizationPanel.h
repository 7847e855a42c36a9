#pragma once
// Every optimization toggle of the engine's catalogue: title, description, numerics class (a
// badge when it changes the image), availability on this device (greyed, with the reason),
// the last measured effect and an "A/B this" button. Presets: defaults, all on, all off. The
// A/B runs' counts (warm-ups, measured repeats per arm) are set here too, and the running
// A/B shows its progress. The caller persists overrides() and restores them with
// setOverrides().
#include <QString>
#include <QWidget>
#include <map>
#include <string>

#include "celerity/Options.h"

class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace celerity::ui {

class OptimizationPanel : public QWidget {
  Q_OBJECT

 public:
  enum class Preset { Defaults, AllOn, AllOff };
  Q_ENUM(Preset)

  explicit OptimizationPanel(QWidget* parent = nullptr);

  // Greys the toggles this device cannot run and shows why (celerity::unavailableReason).
  void setCapabilities(const DeviceCapabilities& capabilities);
  const DeviceCapabilities& capabilities() const { return capabilities_; }

  // The toggles whose state differs from their default (what a request needs; ids not named
  // take their default).
  OptimizationOverrides overrides() const;
  // Restores saved choices: ids not named go back to their default, ids the catalogue no
  // longer has (settings of an older version) are skipped. Emits nothing.
  void setOverrides(const OptimizationOverrides& overrides);

  bool toggleState(const QString& id) const;  // false for an unknown id
  bool isAvailable(const QString& id) const;
  // "" when available, else the reason shown next to the toggle.
  QString unavailableText(const QString& id) const;
  // Shown as "Last measured: …" (e.g. "sample.step −18 %, image identical"); empty hides it.
  void setMeasuredEffect(const QString& id, const QString& effect);
  QString measuredEffect(const QString& id) const;
  // Runs of an "A/B this": unmeasured warm-ups, then measured repeats, per arm (interleaved).
  int abWarmup() const;
  int abRepeat() const;
  void setAbRuns(int warmup, int repeat);
  // The running A/B of toggle `id`: `done` of `total` runs.
  void showAbProgress(const QString& id, int done, int total);
  // The A/B of `id` ended; `outcome` says how ("×0.82, image identical", "cancelled", …).
  void showAbEnded(const QString& id, const QString& outcome);
  QString abStatusText() const;

  // The translated name of a numerics class, as the badge shows it.
  static QString numericsText(NumericsClass numerics);

 public slots:
  // Defaults; all on (those available here); all off. Emits overridesChanged when anything moved.
  void applyPreset(celerity::ui::OptimizationPanel::Preset preset);

 signals:
  // The user changed a toggle or applied a preset.
  void overridesChanged(const celerity::OptimizationOverrides& overrides);
  // "A/B this": run the current request with this toggle off and on.
  void abRequested(const QString& id);

 private:
  struct Row {
    const OptimizationInfo* info = nullptr;
    QCheckBox* check = nullptr;
    QLabel* badge = nullptr;
    QLabel* reason = nullptr;
    QLabel* effect = nullptr;
    QToolButton* abButton = nullptr;
  };

  QWidget* makeRow(const OptimizationInfo& info, QWidget* parent);
  const Row* row(const QString& id) const;
  void refreshAvailability();

  std::map<std::string, Row> rows_;  // by id
  QSpinBox* abWarmup_ = nullptr;
  QSpinBox* abRepeat_ = nullptr;
  QLabel* abStatus_ = nullptr;
  QProgressBar* abProgress_ = nullptr;
  DeviceCapabilities capabilities_;
};

}  // namespace celerity::ui
