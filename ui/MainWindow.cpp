#include "MainWindow.h"

#include <QLabel>
#include <QStatusBar>

namespace celerity::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("Celerity"));
  resize(1280, 800);
  auto* placeholder = new QLabel(tr("Celerity %1").arg(QStringLiteral(CELERITY_VERSION)), this);
  placeholder->setAlignment(Qt::AlignCenter);
  setCentralWidget(placeholder);
  statusBar()->showMessage(tr("Ready"));
}

}  // namespace celerity::ui
