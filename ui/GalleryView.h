#pragma once
// The outputs made since the studio started, as thumbnails in the order they were made.
// Clicking one emits imageActivated(index) (the window shows it); hovering shows its A1111
// infotext. Keeps the full-size images so the window can show any of them again.
#include <QImage>
#include <QString>
#include <QWidget>
#include <vector>

#include "celerity/GeneratedImage.h"

class QListWidget;
class QModelIndex;

namespace celerity::ui {

class GalleryView : public QWidget {
  Q_OBJECT

 public:
  explicit GalleryView(QWidget* parent = nullptr);

  // Returns the new image's index (0 for the first). Throws CelerityError(InvalidArgument)
  // when the RGB buffer does not match the size.
  int addImage(const GeneratedImage& image, const QString& savedPath = QString());
  int addImage(const QImage& image, const QString& infotext, const QString& savedPath = QString());
  void clear();

  int count() const { return static_cast<int>(entries_.size()); }
  QImage image(int index) const;  // null when out of range
  QString infotext(int index) const;
  QString savedPath(int index) const;
  // The thumbnail as shown (its longer side is thumbnailSize()).
  QImage thumbnail(int index) const;

  int thumbnailSize() const { return thumbnailSize_; }
  void setThumbnailSize(int pixels);  // rescales the existing thumbnails

 signals:
  void imageActivated(int index);

 private:
  struct Entry {
    QImage image;
    QString infotext;
    QString savedPath;
  };

  QImage makeThumbnail(const QImage& image) const;
  void onClicked(const QModelIndex& index);

  std::vector<Entry> entries_;
  QListWidget* list_ = nullptr;
  int thumbnailSize_ = 128;
};

}  // namespace celerity::ui
