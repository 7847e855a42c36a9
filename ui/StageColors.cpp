#include "StageColors.h"

#include <QHash>
#include <algorithm>
#include <array>

namespace celerity::ui {
namespace {

struct FamilyColor {
  const char* family;
  QRgb rgb;
};

// Hues far enough apart to tell adjacent bars apart on both dark and light images.
constexpr std::array<FamilyColor, 13> kFamilyColors{{
    {"load", 0xff8e6bc7},     // violet: disk and weights
    {"cache", 0xffa58fd6},    // lighter violet: resident models
    {"lora", 0xffd66bb5},     // magenta
    {"text", 0xffe0a030},     // amber: prompt encoding
    {"sample", 0xff4caf50},   // green: the sampler, usually the longest bar
    {"hires", 0xff26a69a},    // teal: the second pass
    {"vae", 0xff3f8fd6},      // blue: decode / encode
    {"detail", 0xffe5603d},   // orange-red: ADetailer
    {"inpaint", 0xffc9733b},  // brown
    {"preview", 0xff9e9e9e},  // grey: overhead
    {"save", 0xff607d8b},     // slate
    {"img2img", 0xff7cb342},  // olive
    {"job", 0xff78909c},
}};

}  // namespace

QString StageColors::family(const QString& stageName) {
  const int dot = stageName.indexOf(QLatin1Char('.'));
  return dot < 0 ? stageName : stageName.left(dot);
}

QString StageColors::family(const std::string& stageName) {
  return family(QString::fromStdString(stageName));
}

QColor StageColors::color(const QString& stageName) {
  const QString key = family(stageName);
  for (const auto& entry : kFamilyColors) {
    if (key == QLatin1String(entry.family)) return QColor::fromRgba(entry.rgb);
  }
  // qHash with a fixed seed: the same name gets the same hue in every run.
  const auto hash = qHash(key, 0x5eed);
  const int hue = static_cast<int>(hash % 360U);
  return QColor::fromHsv(hue, 140, 210);
}

QColor StageColors::color(const std::string& stageName) {
  return color(QString::fromStdString(stageName));
}

QColor StageColors::colorAtDepth(const std::string& stageName, int depth) {
  const QColor base = color(stageName);
  if (depth <= 0) return base;
  // Each level a little lighter, bounded so that deep steps stay visible.
  return base.lighter(100 + 12 * std::min(depth, 4));
}

QColor StageColors::textColorOn(const QColor& background) {
  // Relative luminance (Rec. 709 weights) against a mid-grey threshold.
  const double luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() +
                           0.0722 * background.blueF();
  return luminance > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
}

}  // namespace celerity::ui
