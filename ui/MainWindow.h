#pragma once
// The studio's main window. The prompt panel, preview and timeline arrive with the studio issue.
#include <QMainWindow>

namespace celerity::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace celerity::ui
