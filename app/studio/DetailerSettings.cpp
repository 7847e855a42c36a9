#include "DetailerSettings.h"

#include <algorithm>

namespace celerity::studio {
namespace {

QString str(const std::string& s) { return QString::fromStdString(s); }

// An enum stored as its number; unknown numbers (another version) give the default.
template <typename Enum>
Enum readEnum(QSettings& s, const char* key, Enum fallback, Enum last) {
  const int value = s.value(key, static_cast<int>(fallback)).toInt();
  return value >= 0 && value <= static_cast<int>(last) ? static_cast<Enum>(value) : fallback;
}

template <typename T>
void writeOptional(QSettings& s, const char* key, const std::optional<T>& value) {
  if (value) {
    if constexpr (std::is_same_v<T, std::string>) {
      s.setValue(key, str(*value));
    } else {
      s.setValue(key, *value);
    }
  } else {
    s.remove(key);
  }
}

DetailerTab readTab(QSettings& s) {
  DetailerTab t;
  t.enabled = s.value("enabled", t.enabled).toBool();
  t.model = s.value("model", str(t.model)).toString().toStdString();
  t.prompt = s.value("prompt", str(t.prompt)).toString().toStdString();
  t.negativePrompt = s.value("negativePrompt", str(t.negativePrompt)).toString().toStdString();
  t.confidence = s.value("confidence", t.confidence).toDouble();
  t.maskMinRatio = s.value("maskMinRatio", t.maskMinRatio).toDouble();
  t.maskMaxRatio = s.value("maskMaxRatio", t.maskMaxRatio).toDouble();
  t.maskTopK = s.value("maskTopK", t.maskTopK).toInt();
  t.topKBy = readEnum(s, "topKBy", t.topKBy, DetailerTopKBy::Confidence);
  t.sortOrder = readEnum(s, "sortOrder", t.sortOrder, DetailerSortOrder::AreaDescending);
  t.xOffset = s.value("xOffset", t.xOffset).toInt();
  t.yOffset = s.value("yOffset", t.yOffset).toInt();
  t.dilateErode = s.value("dilateErode", t.dilateErode).toInt();
  t.mergeMode = readEnum(s, "mergeMode", t.mergeMode, DetailerMaskMerge::MergeInvert);
  t.maskBlur = s.value("maskBlur", t.maskBlur).toInt();
  t.denoisingStrength = s.value("denoisingStrength", t.denoisingStrength).toDouble();
  t.inpaintOnlyMasked = s.value("inpaintOnlyMasked", t.inpaintOnlyMasked).toBool();
  t.inpaintPadding = s.value("inpaintPadding", t.inpaintPadding).toInt();
  t.inpaintSize = readEnum(s, "inpaintSize", t.inpaintSize, DetailerInpaintSize::MatchBox);
  t.inpaintWidth = s.value("inpaintWidth", t.inpaintWidth).toInt();
  t.inpaintHeight = s.value("inpaintHeight", t.inpaintHeight).toInt();
  if (s.contains("steps")) t.steps = s.value("steps").toInt();
  if (s.contains("cfgScale")) t.cfgScale = s.value("cfgScale").toDouble();
  if (s.contains("sampler")) t.sampler = s.value("sampler").toString().toStdString();
  if (s.contains("scheduler")) t.scheduler = s.value("scheduler").toString().toStdString();
  if (s.contains("checkpoint")) t.checkpointPath = s.value("checkpoint").toString().toStdString();
  if (s.contains("vae")) t.vaePath = s.value("vae").toString().toStdString();
  if (s.contains("clipSkip")) t.clipSkip = s.value("clipSkip").toInt();
  if (s.contains("noiseMultiplier")) t.noiseMultiplier = s.value("noiseMultiplier").toDouble();
  return t;
}

void writeTab(QSettings& s, const DetailerTab& t) {
  s.setValue("enabled", t.enabled);
  s.setValue("model", str(t.model));
  s.setValue("prompt", str(t.prompt));
  s.setValue("negativePrompt", str(t.negativePrompt));
  s.setValue("confidence", t.confidence);
  s.setValue("maskMinRatio", t.maskMinRatio);
  s.setValue("maskMaxRatio", t.maskMaxRatio);
  s.setValue("maskTopK", t.maskTopK);
  s.setValue("topKBy", static_cast<int>(t.topKBy));
  s.setValue("sortOrder", static_cast<int>(t.sortOrder));
  s.setValue("xOffset", t.xOffset);
  s.setValue("yOffset", t.yOffset);
  s.setValue("dilateErode", t.dilateErode);
  s.setValue("mergeMode", static_cast<int>(t.mergeMode));
  s.setValue("maskBlur", t.maskBlur);
  s.setValue("denoisingStrength", t.denoisingStrength);
  s.setValue("inpaintOnlyMasked", t.inpaintOnlyMasked);
  s.setValue("inpaintPadding", t.inpaintPadding);
  s.setValue("inpaintSize", static_cast<int>(t.inpaintSize));
  s.setValue("inpaintWidth", t.inpaintWidth);
  s.setValue("inpaintHeight", t.inpaintHeight);
  writeOptional(s, "steps", t.steps);
  writeOptional(s, "cfgScale", t.cfgScale);
  writeOptional(s, "sampler", t.sampler);
  writeOptional(s, "scheduler", t.scheduler);
  writeOptional(s, "checkpoint", t.checkpointPath);
  writeOptional(s, "vae", t.vaePath);
  writeOptional(s, "clipSkip", t.clipSkip);
  writeOptional(s, "noiseMultiplier", t.noiseMultiplier);
}

}  // namespace

DetailerParams readDetailerParams(QSettings& settings, const QString& prefix) {
  DetailerParams params;
  settings.beginGroup(prefix);
  params.sameSeedForEachTab = settings.value("sameSeedForEachTab", params.sameSeedForEachTab).toBool();
  const int tabs = std::clamp(settings.value("tabs", 0).toInt(), 0, int{DetailerParams::kMaxTabs});
  for (int i = 0; i < tabs; ++i) {
    settings.beginGroup(QStringLiteral("tab%1").arg(i));
    params.tabs.push_back(readTab(settings));
    settings.endGroup();
  }
  settings.endGroup();
  return params;
}

void writeDetailerParams(QSettings& settings, const QString& prefix, const DetailerParams& params) {
  settings.remove(prefix);  // tabs removed since the last save must not come back
  settings.beginGroup(prefix);
  settings.setValue("sameSeedForEachTab", params.sameSeedForEachTab);
  const int tabs = std::min(static_cast<int>(params.tabs.size()), int{DetailerParams::kMaxTabs});
  settings.setValue("tabs", tabs);
  for (int i = 0; i < tabs; ++i) {
    settings.beginGroup(QStringLiteral("tab%1").arg(i));
    writeTab(settings, params.tabs[static_cast<std::size_t>(i)]);
    settings.endGroup();
  }
  settings.endGroup();
}

}  // namespace celerity::studio
