#pragma once
// What a first run shows instead of the image when no checkpoint is found: where models are
// looked for, a button to pick a folder (an AUTOMATIC1111 or ComfyUI install, or a folder of
// .safetensors files) and a button that makes the demo checkpoint on the spot — tiny random
// weights, said plainly: it exercises every part of the studio but paints no real pictures.
#include <QLabel>
#include <QPushButton>
#include <QStringList>
#include <QWidget>

namespace celerity::ui {

class EmptyStatePanel : public QWidget {
  Q_OBJECT

 public:
  explicit EmptyStatePanel(QWidget* parent = nullptr);

  void setSearchedPlaces(const QStringList& places);
  // Disables the demo button (with the reason) when no factory is available.
  void setDemoAvailable(bool available);

  QString placesText() const { return places_->text(); }
  QPushButton* chooseFolderButton() const { return chooseFolder_; }
  QPushButton* demoButton() const { return demo_; }

 signals:
  void chooseFolderRequested();
  void demoCheckpointRequested();

 private:
  QLabel* places_;
  QPushButton* chooseFolder_;
  QPushButton* demo_;
};

}  // namespace celerity::ui
