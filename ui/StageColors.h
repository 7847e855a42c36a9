#pragma once
// One colour per kind of stage, shared by the profiler overlay and the timeline review so
// that "sample" is the same green everywhere. Keyed by the first dotted component of the
// stable stage name ("sample.step" → "sample"), so that nested stages share their family's hue.
#include <QColor>
#include <QString>
#include <string>

namespace celerity::ui {

class StageColors {
 public:
  // "load.checkpoint" → "load"; a name without a dot is its own family.
  static QString family(const QString& stageName);
  static QString family(const std::string& stageName);

  // A fixed colour for the known families (load, text, sample, vae, hires, detail, lora, save,
  // preview, …) and a stable hashed hue for any other, so a new stage never flickers.
  static QColor color(const QString& stageName);
  static QColor color(const std::string& stageName);

  // A slightly lighter/darker variant for nested spans (depth > 0), so that children stand
  // out against their parent while keeping its hue.
  static QColor colorAtDepth(const std::string& stageName, int depth);

  // Black or white, whichever reads better on `background`.
  static QColor textColorOn(const QColor& background);
};

}  // namespace celerity::ui
