#include "ModelFolders.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <utility>

namespace celerity::studio {

namespace {

// Subfolders of an install's `models` folder, by kind.
struct Layout {
  QStringList checkpoints, loras, vae, vaeApprox, detailers;
};

const Layout& a1111Layout() {
  static const Layout layout{{"Stable-diffusion"}, {"Lora", "LyCORIS"}, {"VAE"}, {"VAE-approx"}, {"adetailer"}};
  return layout;
}

const Layout& comfyLayout() {
  // ComfyUI-Impact-Pack keeps detector models under models/ultralytics.
  static const Layout layout{{"checkpoints"}, {"loras"}, {"vae"}, {"vae_approx"},
                             {"ultralytics/bbox", "ultralytics/segm"}};
  return layout;
}

bool isDir(const QString& path) { return QFileInfo(path).isDir(); }

// The `models` folder of an install given as its root or as the models folder itself.
QString modelsFolder(const QString& root, const QString& marker) {
  if (isDir(QDir(root).filePath("models/" + marker))) return QDir(root).filePath("models");
  if (isDir(QDir(root).filePath(marker))) return root;
  return {};
}

QStringList existing(const QString& models, const QStringList& subfolders) {
  QStringList out;
  for (const QString& sub : subfolders) {
    const QString path = QDir::cleanPath(QDir(models).filePath(sub));
    if (isDir(path)) out << path;
  }
  return out;
}

void appendUnique(QStringList& to, const QStringList& from) {
  for (const QString& path : from) {
    if (!to.contains(path)) to << path;
  }
}

}  // namespace

void ModelFolderSet::append(const ModelFolderSet& other) {
  appendUnique(checkpoints, other.checkpoints);
  appendUnique(loras, other.loras);
  appendUnique(vae, other.vae);
  appendUnique(vaeApprox, other.vaeApprox);
  appendUnique(detailers, other.detailers);
}

ModelFolders::ModelFolders(QString studioFolder) : studioFolder_(std::move(studioFolder)) {}

ModelInstallKind ModelFolders::detect(const QString& root) {
  if (!modelsFolder(root, a1111Layout().checkpoints.front()).isEmpty()) return ModelInstallKind::Automatic1111;
  if (!modelsFolder(root, comfyLayout().checkpoints.front()).isEmpty()) return ModelInstallKind::ComfyUi;
  return ModelInstallKind::Plain;
}

ModelFolderSet ModelFolders::foldersOf(const QString& root) {
  ModelFolderSet set;
  const ModelInstallKind kind = detect(root);
  if (kind == ModelInstallKind::Plain) {
    if (isDir(root)) set.checkpoints << QDir::cleanPath(root);
    set.detailers = existing(root, a1111Layout().detailers);  // e.g. the studio's own models/adetailer
    return set;
  }
  const Layout& layout = kind == ModelInstallKind::Automatic1111 ? a1111Layout() : comfyLayout();
  const QString models = modelsFolder(root, layout.checkpoints.front());
  set.checkpoints = existing(models, layout.checkpoints);
  set.loras = existing(models, layout.loras);
  set.vae = existing(models, layout.vae);
  set.vaeApprox = existing(models, layout.vaeApprox);
  set.detailers = existing(models, layout.detailers);
  return set;
}

QString ModelFolders::kindName(ModelInstallKind kind) {
  switch (kind) {
    case ModelInstallKind::Automatic1111: return QCoreApplication::translate("ModelFolders", "AUTOMATIC1111 install");
    case ModelInstallKind::ComfyUi: return QCoreApplication::translate("ModelFolders", "ComfyUI install");
    case ModelInstallKind::Plain: return QCoreApplication::translate("ModelFolders", "folder");
    case ModelInstallKind::Invalid: break;
  }
  return {};
}

ModelFolderSet ModelFolders::folders() const {
  ModelFolderSet set;
  if (!studioFolder_.isEmpty()) set.append(foldersOf(studioFolder_));
  for (const QString& root : roots_) set.append(foldersOf(root));
  return set;
}

namespace {

QStringList safetensorsFilesUnder(const QStringList& folders) {
  QStringList files;
  for (const QString& folder : folders) {
    QDirIterator it(folder, {"*.safetensors"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QString path = QDir::cleanPath(it.next());
      if (!files.contains(path)) files << path;
    }
  }
  files.sort();
  return files;
}

}  // namespace

QStringList ModelFolders::checkpointFiles() const { return safetensorsFilesUnder(folders().checkpoints); }

QStringList ModelFolders::vaeFiles() const { return safetensorsFilesUnder(folders().vae); }

QStringList ModelFolders::detectorFiles() const {
  QStringList names;
  for (const QString& folder : folders().detailers) {
    // ADetailer lists its folder without descending; so does the engine when it resolves a name.
    const QFileInfoList files =
        QDir(folder).entryInfoList({"*.pt", "*.pth", "*.safetensors"}, QDir::Files, QDir::Name);
    for (const QFileInfo& file : files) {
      if (!names.contains(file.fileName())) names << file.fileName();
    }
  }
  names.sort();
  return names;
}

QStringList ModelFolders::searchedPlaces() const {
  QStringList lines;
  if (!studioFolder_.isEmpty()) {
    lines << QCoreApplication::translate("ModelFolders", "%1 (the studio's own folder)")
                 .arg(QDir::toNativeSeparators(studioFolder_));
  }
  for (const QString& root : roots_) {
    const ModelInstallKind kind = detect(root);
    const QStringList checkpoints = foldersOf(root).checkpoints;
    const QString where = checkpoints.isEmpty() ? root : checkpoints.join(QStringLiteral(", "));
    lines << QCoreApplication::translate("ModelFolders", "%1 (%2)")
                 .arg(QDir::toNativeSeparators(where), kindName(kind));
  }
  return lines;
}

}  // namespace celerity::studio
