#include "GalleryView.h"

#include <QIcon>
#include <QListWidget>
#include <QPixmap>
#include <QVBoxLayout>
#include <algorithm>

#include "ImageConversions.h"

namespace celerity::ui {
namespace {

constexpr int kIndexRole = Qt::UserRole;
constexpr int kMinThumbnail = 32;
constexpr int kMaxThumbnail = 512;

// Infotexts hold "<lora:name:1>" and the like: escape them so the tooltip shows them verbatim
// instead of guessing rich text.
QString tooltipFor(const QString& infotext, const QString& savedPath) {
  QString html = QStringLiteral("<p style='white-space:pre-wrap'>") + infotext.toHtmlEscaped() +
                 QStringLiteral("</p>");
  if (!savedPath.isEmpty()) html += QStringLiteral("<p><i>") + savedPath.toHtmlEscaped() + QStringLiteral("</i></p>");
  return html;
}

}  // namespace

GalleryView::GalleryView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("galleryView"));
  list_ = new QListWidget(this);
  list_->setObjectName(QStringLiteral("galleryList"));
  list_->setViewMode(QListView::IconMode);
  list_->setResizeMode(QListView::Adjust);
  list_->setMovement(QListView::Static);
  list_->setUniformItemSizes(true);
  list_->setSpacing(4);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_->setIconSize(QSize(thumbnailSize_, thumbnailSize_));
  connect(list_, &QListWidget::clicked, this, &GalleryView::onClicked);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(list_);
}

int GalleryView::addImage(const GeneratedImage& image, const QString& savedPath) {
  return addImage(ImageConversions::toQImage(image), QString::fromStdString(image.infotext), savedPath);
}

int GalleryView::addImage(const QImage& image, const QString& infotext, const QString& savedPath) {
  const int index = count();
  entries_.push_back(Entry{image, infotext, savedPath});
  auto* item = new QListWidgetItem(list_);
  item->setIcon(QIcon(QPixmap::fromImage(makeThumbnail(image))));
  item->setData(kIndexRole, index);
  item->setToolTip(tooltipFor(infotext, savedPath));
  item->setText(tr("#%1").arg(index + 1));
  list_->scrollToItem(item);
  return index;
}

void GalleryView::clear() {
  entries_.clear();
  list_->clear();
}

QImage GalleryView::image(int index) const {
  if (index < 0 || index >= count()) return {};
  return entries_[static_cast<std::size_t>(index)].image;
}

QString GalleryView::infotext(int index) const {
  if (index < 0 || index >= count()) return {};
  return entries_[static_cast<std::size_t>(index)].infotext;
}

QString GalleryView::savedPath(int index) const {
  if (index < 0 || index >= count()) return {};
  return entries_[static_cast<std::size_t>(index)].savedPath;
}

QImage GalleryView::thumbnail(int index) const {
  if (index < 0 || index >= count()) return {};
  return list_->item(index)->icon().pixmap(list_->iconSize()).toImage();
}

void GalleryView::setThumbnailSize(int pixels) {
  thumbnailSize_ = std::clamp(pixels, kMinThumbnail, kMaxThumbnail);
  list_->setIconSize(QSize(thumbnailSize_, thumbnailSize_));
  for (int row = 0; row < list_->count(); ++row) {
    list_->item(row)->setIcon(QIcon(QPixmap::fromImage(makeThumbnail(entries_[static_cast<std::size_t>(row)].image))));
  }
}

QImage GalleryView::makeThumbnail(const QImage& image) const {
  if (image.isNull()) return {};
  return image.scaled(thumbnailSize_, thumbnailSize_, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

void GalleryView::onClicked(const QModelIndex& index) {
  if (index.isValid()) emit imageActivated(index.data(kIndexRole).toInt());
}

}  // namespace celerity::ui
