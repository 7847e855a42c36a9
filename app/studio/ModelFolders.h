#pragma once
// Where the studio looks for models. The user names roots: an AUTOMATIC1111 install
// (models/Stable-diffusion, models/Lora, models/VAE, models/VAE-approx, models/adetailer), a
// ComfyUI install (models/checkpoints, models/loras, models/vae, models/vae_approx), the
// `models` folder of either, or a plain folder of checkpoints (its `adetailer` subfolder
// holds detector models, as in A1111). ComfyUI keeps detectors in models/ultralytics/bbox
// and models/ultralytics/segm (Impact Pack). The studio's own models
// folder (where the demo checkpoint goes) is always searched too.
#include <QString>
#include <QStringList>

namespace celerity::studio {

enum class ModelInstallKind {
  Invalid = 0,
  Plain,          // a folder of checkpoints
  Automatic1111,  // AUTOMATIC1111 / Forge
  ComfyUi,
};

struct ModelFolderSet {
  QStringList checkpoints;
  QStringList loras;
  QStringList vae;
  QStringList vaeApprox;  // TAESD decoders for previews
  QStringList detailers;  // ADetailer's detector models

  void append(const ModelFolderSet& other);
};

class ModelFolders {
 public:
  // `studioFolder`: the studio's own models folder (e.g. AppDataLocation/models).
  explicit ModelFolders(QString studioFolder = {});

  // What `root` is: an install (or its `models` folder) or a plain folder. A folder that
  // does not exist is Plain.
  static ModelInstallKind detect(const QString& root);
  // The existing model folders under `root`, by kind.
  static ModelFolderSet foldersOf(const QString& root);
  static QString kindName(ModelInstallKind kind);  // translated: "AUTOMATIC1111 install", …

  void setRoots(const QStringList& roots) { roots_ = roots; }
  const QStringList& roots() const { return roots_; }
  const QString& studioFolder() const { return studioFolder_; }

  // Every root's folders, the studio folder's first; duplicates removed.
  ModelFolderSet folders() const;
  // Every `.safetensors` file in the checkpoint folders and their subfolders (A1111 sorts
  // checkpoints into subfolders), sorted by path, without duplicates.
  QStringList checkpointFiles() const;
  // Standalone VAE files (`.safetensors`) in the VAE folders and their subfolders, sorted.
  QStringList vaeFiles() const;
  // ADetailer's detector models: the file names (`.pt`, `.pth`, `.safetensors`) directly in
  // the detector folders, sorted, without duplicates — what DetailerTab::model names.
  QStringList detectorFiles() const;
  // For the empty state: the places checkpoints are looked for, as readable lines.
  QStringList searchedPlaces() const;

 private:
  QString studioFolder_;
  QStringList roots_;
};

}  // namespace celerity::studio
