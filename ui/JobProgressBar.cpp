#include "JobProgressBar.h"

#include <QHBoxLayout>
#include <algorithm>
#include <cmath>

namespace celerity::ui {

JobProgressBar::JobProgressBar(QWidget* parent)
    : QWidget(parent), bar_(new QProgressBar(this)), label_(new QLabel(this)) {
  setObjectName(QStringLiteral("jobProgress"));
  bar_->setRange(0, 100);
  bar_->setValue(0);
  bar_->setTextVisible(false);
  bar_->setMaximumWidth(240);
  label_->setObjectName(QStringLiteral("jobProgressText"));
  label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  layout->addWidget(bar_);
  layout->addWidget(label_, 1);
  showMessage(tr("Ready"));
}

QString JobProgressBar::etaText(double ms) {
  if (ms < 0) return QStringLiteral("…");
  const int seconds = static_cast<int>(std::ceil(ms / 1000.0));
  if (seconds < 60) return tr("%1 s").arg(seconds);
  return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

int JobProgressBar::percentDone(const ProgressEvent& p) {
  if (p.steps <= 0) return 0;
  const int batches = std::max(1, p.batches);
  const double done = (static_cast<double>(p.batch) * p.steps + p.step) / (static_cast<double>(batches) * p.steps);
  return std::clamp(static_cast<int>(std::lround(done * 100.0)), 0, 100);
}

QString JobProgressBar::progressText(const ProgressEvent& p) {
  QString text = p.pass == "hires" ? tr("Hires step %1/%2").arg(p.step).arg(p.steps)
                                   : tr("Step %1/%2").arg(p.step).arg(p.steps);
  if (p.itPerSecond > 0) {
    text += QStringLiteral(" · ") + tr("%1 it/s").arg(p.itPerSecond, 0, 'f', 2);
  }
  text += QStringLiteral(" · ") + tr("ETA %1").arg(etaText(p.etaMs));
  if (p.batches > 1) text += QStringLiteral(" · ") + tr("batch %1/%2").arg(p.batch + 1).arg(p.batches);
  return text;
}

void JobProgressBar::showStarted(const QString& label) {
  bar_->setValue(0);
  label_->setStyleSheet(QString());
  label_->setText(tr("Started: %1").arg(label));
}

void JobProgressBar::showProgress(const ProgressEvent& progress) {
  bar_->setValue(percentDone(progress));
  label_->setStyleSheet(QString());
  label_->setText(progressText(progress));
}

void JobProgressBar::showFinished(double wallMs, int images) {
  bar_->setValue(100);
  label_->setStyleSheet(QString());
  const QString seconds = QString::number(wallMs / 1000.0, 'f', 2);
  label_->setText(images == 1 ? tr("Done in %1 s").arg(seconds) : tr("%n image(s) done in %1 s", nullptr, images).arg(seconds));
}

void JobProgressBar::showCancelled() {
  bar_->setValue(0);
  label_->setStyleSheet(QString());
  label_->setText(tr("Cancelled"));
}

void JobProgressBar::showFailed(const Error& error) {
  bar_->setValue(0);
  label_->setStyleSheet(QStringLiteral("color: #c0392b;"));
  QString text = tr("Failed: %1").arg(QString::fromStdString(error.message));
  if (!error.where.empty()) text += QStringLiteral(" (%1)").arg(QString::fromStdString(error.where));
  label_->setText(text);
}

void JobProgressBar::showRuns(int done, int total, const QString& text) {
  bar_->setValue(total > 0 ? std::clamp(static_cast<int>(std::lround(100.0 * done / total)), 0, 100) : 0);
  label_->setStyleSheet(QString());
  label_->setText(text);
}

void JobProgressBar::showMessage(const QString& text) {
  label_->setStyleSheet(QString());
  label_->setText(text);
}

}  // namespace celerity::ui
