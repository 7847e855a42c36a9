// The studio's entry point: creates the application and the main window.
#include <QApplication>

#include "MainWindow.h"

int main(int argc, char* argv[]) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Celerity"));
  QApplication::setOrganizationName(QStringLiteral("Celerity"));
  QApplication::setApplicationVersion(QStringLiteral(CELERITY_VERSION));
  celerity::ui::MainWindow window;
  window.show();
  return QApplication::exec();
}
