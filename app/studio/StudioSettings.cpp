#include "StudioSettings.h"

#include <utility>

#include "DetailerSettings.h"

namespace celerity::studio {

namespace {

QString str(const std::string& s) { return QString::fromStdString(s); }

// Keys of the request group; one place so that reading and writing cannot drift apart.
constexpr const char* kRequestGroup = "request";
constexpr const char* kOptimizationGroup = "optimizations";
constexpr const char* kDetailerGroup = "request/detailer";

}  // namespace

StudioSettings::StudioSettings() : settings_(std::make_unique<QSettings>()) {}

StudioSettings::StudioSettings(std::unique_ptr<QSettings> settings) : settings_(std::move(settings)) {}

std::unique_ptr<StudioSettings> StudioSettings::fromFile(const QString& path) {
  return std::make_unique<StudioSettings>(std::make_unique<QSettings>(path, QSettings::IniFormat));
}

QByteArray StudioSettings::windowGeometry() const { return settings_->value("window/geometry").toByteArray(); }
void StudioSettings::setWindowGeometry(const QByteArray& geometry) { settings_->setValue("window/geometry", geometry); }
QByteArray StudioSettings::windowState() const { return settings_->value("window/state").toByteArray(); }
void StudioSettings::setWindowState(const QByteArray& state) { settings_->setValue("window/state", state); }

Request StudioSettings::lastRequest() const {
  Request r;
  QSettings& s = *settings_;
  s.beginGroup(kRequestGroup);
  const auto text = [&s](const char* key, const std::string& fallback) {
    return s.value(key, str(fallback)).toString().toStdString();
  };
  r.checkpointPath = text("checkpoint", r.checkpointPath);
  r.vaePath = text("vae", r.vaePath);
  r.prompt = text("prompt", r.prompt);
  r.negativePrompt = text("negativePrompt", r.negativePrompt);
  r.seed = s.value("seed", static_cast<qlonglong>(r.seed)).toLongLong();
  r.steps = s.value("steps", r.steps).toInt();
  r.cfgScale = s.value("cfgScale", r.cfgScale).toDouble();
  r.sampler = text("sampler", r.sampler);
  r.scheduler = text("scheduler", r.scheduler);
  r.width = s.value("width", r.width).toInt();
  r.height = s.value("height", r.height).toInt();
  r.batchCount = s.value("batchCount", r.batchCount).toInt();
  r.batchSize = s.value("batchSize", r.batchSize).toInt();
  r.clipSkip = s.value("clipSkip", r.clipSkip).toInt();
  r.hires.enabled = s.value("hires/enabled", r.hires.enabled).toBool();
  r.hires.scale = s.value("hires/scale", r.hires.scale).toDouble();
  r.hires.upscaler = text("hires/upscaler", r.hires.upscaler);
  r.hires.steps = s.value("hires/steps", r.hires.steps).toInt();
  r.hires.denoisingStrength = s.value("hires/denoisingStrength", r.hires.denoisingStrength).toDouble();
  r.img2img.initImagePath = text("img2img/initImage", r.img2img.initImagePath);
  r.img2img.denoisingStrength = s.value("img2img/denoisingStrength", r.img2img.denoisingStrength).toDouble();
  r.img2img.resizeMode = static_cast<ImageResizeMode>(
      s.value("img2img/resizeMode", static_cast<int>(r.img2img.resizeMode)).toInt());
  r.inpaint.maskBlur = s.value("inpaint/maskBlur", r.inpaint.maskBlur).toInt();
  r.inpaint.onlyMasked = s.value("inpaint/onlyMasked", r.inpaint.onlyMasked).toBool();
  r.inpaint.onlyMaskedPadding = s.value("inpaint/onlyMaskedPadding", r.inpaint.onlyMaskedPadding).toInt();
  r.inpaint.maskedContent = static_cast<MaskedContent>(
      s.value("inpaint/maskedContent", static_cast<int>(r.inpaint.maskedContent)).toInt());
  r.inpaint.invertMask = s.value("inpaint/invertMask", r.inpaint.invertMask).toBool();
  r.outputFolder = text("outputFolder", r.outputFolder);
  s.endGroup();
  // A painted mask is a temporary file of one session: it is not restored.

  s.beginGroup(kOptimizationGroup);
  for (const QString& id : s.childKeys()) r.optimizations[id.toStdString()] = s.value(id).toBool();
  s.endGroup();
  r.detailer = readDetailerParams(s, QLatin1String(kDetailerGroup));
  return r;
}

void StudioSettings::setLastRequest(const Request& r) {
  QSettings& s = *settings_;
  s.beginGroup(kRequestGroup);
  s.setValue("checkpoint", str(r.checkpointPath));
  s.setValue("vae", str(r.vaePath));
  s.setValue("prompt", str(r.prompt));
  s.setValue("negativePrompt", str(r.negativePrompt));
  s.setValue("seed", static_cast<qlonglong>(r.seed));
  s.setValue("steps", r.steps);
  s.setValue("cfgScale", r.cfgScale);
  s.setValue("sampler", str(r.sampler));
  s.setValue("scheduler", str(r.scheduler));
  s.setValue("width", r.width);
  s.setValue("height", r.height);
  s.setValue("batchCount", r.batchCount);
  s.setValue("batchSize", r.batchSize);
  s.setValue("clipSkip", r.clipSkip);
  s.setValue("hires/enabled", r.hires.enabled);
  s.setValue("hires/scale", r.hires.scale);
  s.setValue("hires/upscaler", str(r.hires.upscaler));
  s.setValue("hires/steps", r.hires.steps);
  s.setValue("hires/denoisingStrength", r.hires.denoisingStrength);
  s.setValue("img2img/initImage", str(r.img2img.initImagePath));
  s.setValue("img2img/denoisingStrength", r.img2img.denoisingStrength);
  s.setValue("img2img/resizeMode", static_cast<int>(r.img2img.resizeMode));
  s.setValue("inpaint/maskBlur", r.inpaint.maskBlur);
  s.setValue("inpaint/onlyMasked", r.inpaint.onlyMasked);
  s.setValue("inpaint/onlyMaskedPadding", r.inpaint.onlyMaskedPadding);
  s.setValue("inpaint/maskedContent", static_cast<int>(r.inpaint.maskedContent));
  s.setValue("inpaint/invertMask", r.inpaint.invertMask);
  s.setValue("outputFolder", str(r.outputFolder));
  s.endGroup();

  s.remove(kOptimizationGroup);
  s.beginGroup(kOptimizationGroup);
  for (const auto& [id, on] : r.optimizations) s.setValue(str(id), on);
  s.endGroup();
  writeDetailerParams(s, QLatin1String(kDetailerGroup), r.detailer);
}

QStringList StudioSettings::modelFolders() const { return settings_->value("models/folders").toStringList(); }
void StudioSettings::setModelFolders(const QStringList& folders) { settings_->setValue("models/folders", folders); }
QString StudioSettings::outputFolder() const { return settings_->value("output/folder").toString(); }
void StudioSettings::setOutputFolder(const QString& folder) { settings_->setValue("output/folder", folder); }
QString StudioSettings::lastCheckpoint() const { return settings_->value("models/lastCheckpoint").toString(); }
void StudioSettings::setLastCheckpoint(const QString& path) { settings_->setValue("models/lastCheckpoint", path); }

PreviewSettings StudioSettings::previews() const {
  PreviewSettings p;
  const QString method = settings_->value("previews/method", previewMethodName(p.method)).toString();
  try {
    p.method = previewMethodFromName(method.toStdString());
  } catch (const CelerityError&) {
    // An unknown name from another version: keep the default.
  }
  p.everySteps = settings_->value("previews/everySteps", p.everySteps).toInt();
  p.minIntervalMs = settings_->value("previews/minIntervalMs", p.minIntervalMs).toInt();
  return p;
}

void StudioSettings::setPreviews(const PreviewSettings& p) {
  settings_->setValue("previews/method", previewMethodName(p.method));
  settings_->setValue("previews/everySteps", p.everySteps);
  settings_->setValue("previews/minIntervalMs", p.minIntervalMs);
}

int StudioSettings::abWarmup() const { return settings_->value("ab/warmup", 1).toInt(); }
int StudioSettings::abRepeat() const { return settings_->value("ab/repeat", 3).toInt(); }
void StudioSettings::setAbRuns(int warmup, int repeat) {
  settings_->setValue("ab/warmup", warmup);
  settings_->setValue("ab/repeat", repeat);
}

bool StudioSettings::detectedRegionsVisible() const { return settings_->value("view/detectedRegions", true).toBool(); }
void StudioSettings::setDetectedRegionsVisible(bool visible) { settings_->setValue("view/detectedRegions", visible); }

bool StudioSettings::overlayVisible() const { return settings_->value("view/overlay", true).toBool(); }
void StudioSettings::setOverlayVisible(bool visible) { settings_->setValue("view/overlay", visible); }
QString StudioSettings::clipVocabularyPath() const { return settings_->value("engine/clipVocabulary").toString(); }
void StudioSettings::setClipVocabularyPath(const QString& path) { settings_->setValue("engine/clipVocabulary", path); }
QString StudioSettings::language() const { return settings_->value("ui/language").toString(); }
void StudioSettings::setLanguage(const QString& language) { settings_->setValue("ui/language", language); }

void StudioSettings::sync() { settings_->sync(); }

}  // namespace celerity::studio
