#include "StudioStatusBar.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>
#if defined(__unix__)
#include <unistd.h>
#endif

#include "ProfileFormat.h"

namespace celerity::ui {

namespace {
constexpr int kMemoryRefreshMs = 3000;
}

StudioStatusBar::StudioStatusBar(QWidget* parent)
    : QStatusBar(parent), device_(new QLabel(this)), models_(new QLabel(this)), memory_(new QLabel(this)) {
  device_->setObjectName(QStringLiteral("deviceLabel"));
  models_->setObjectName(QStringLiteral("loadedModelsLabel"));
  memory_->setObjectName(QStringLiteral("memoryLabel"));
  addPermanentWidget(device_);
  addPermanentWidget(models_);
  addPermanentWidget(memory_);
  setLoadedModels({});
  timer_.setInterval(kMemoryRefreshMs);
  connect(&timer_, &QTimer::timeout, this, &StudioStatusBar::refreshMemory);
  timer_.start();
  refreshMemory();
}

void StudioStatusBar::setEngineDevice(const QString& device) { device_->setText(device); }

void StudioStatusBar::setLoadedModels(const std::vector<LoadedModelInfo>& models) {
  modelBytes_ = 0;
  QStringList names;
  QStringList details;
  for (const auto& model : models) {
    modelBytes_ += model.hostBytes + model.deviceBytes;
    const QString name = QFileInfo(QString::fromStdString(model.path)).completeBaseName();
    names << tr("%1 (%2)").arg(name, QString::fromStdString(model.family));
    QString line = tr("%1: %2, %3 in RAM").arg(QString::fromStdString(model.path), QString::fromStdString(model.family),
                                              ProfileFormat::memory(model.hostBytes));
    if (model.deviceBytes > 0) line += tr(", %1 on the GPU").arg(ProfileFormat::memory(model.deviceBytes));
    line += tr(", loaded in %1 s").arg(model.loadMs / 1000.0, 0, 'f', 2);
    details << line;
  }
  models_->setText(names.isEmpty() ? tr("No model loaded") : tr("Loaded: %1").arg(names.join(QStringLiteral(", "))));
  models_->setToolTip(details.join(QLatin1Char('\n')));
  refreshMemory();
}

std::int64_t StudioStatusBar::residentBytes() {
#if !defined(__unix__)
  return -1;
#else
  QFile statm(QStringLiteral("/proc/self/statm"));
  if (!statm.open(QIODevice::ReadOnly)) return -1;
  const QList<QByteArray> fields = statm.readAll().split(' ');
  if (fields.size() < 2) return -1;
  bool ok = false;
  const qint64 pages = fields[1].toLongLong(&ok);
  return ok ? pages * static_cast<std::int64_t>(sysconf(_SC_PAGESIZE)) : -1;
#endif
}

void StudioStatusBar::refreshMemory() {
  const std::int64_t resident = residentBytes();
  QString text = resident >= 0 ? tr("Memory: %1").arg(ProfileFormat::memory(resident)) : QString();
  if (modelBytes_ > 0) {
    text += (text.isEmpty() ? QString() : QStringLiteral(" · ")) + tr("models %1").arg(ProfileFormat::memory(modelBytes_));
  }
  memory_->setText(text);
}

}  // namespace celerity::ui
