#include "DetailerPanel.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "DetailerTabEditor.h"

namespace celerity::ui {

DetailerTab DetailerPanel::defaultTab() {
  DetailerTab tab;
  tab.enabled = false;  // a fresh studio makes plain images until the user switches a tab on
  tab.model = kBuiltinFaceDetector;  // works without any download
  return tab;
}

DetailerPanel::DetailerPanel(QWidget* parent)
    : QWidget(parent),
      tabs_(new QTabWidget(this)),
      addButton_(new QToolButton(this)),
      removeButton_(new QToolButton(this)),
      refreshButton_(new QToolButton(this)),
      sameSeed_(new QCheckBox(tr("Same seed for each tab"), this)),
      showRegions_(new QCheckBox(tr("Show detected regions on the image"), this)),
      summary_(new QLabel(this)) {
  setObjectName(QStringLiteral("detailerPanel"));
  tabs_->setObjectName(QStringLiteral("detailerTabs"));
  tabs_->setDocumentMode(true);
  addButton_->setObjectName(QStringLiteral("addDetailerTab"));
  addButton_->setText(QStringLiteral("+"));
  addButton_->setToolTip(tr("Add a tab (up to %1)").arg(DetailerParams::kMaxTabs));
  removeButton_->setObjectName(QStringLiteral("removeDetailerTab"));
  removeButton_->setText(QStringLiteral("−"));
  removeButton_->setToolTip(tr("Remove the last tab"));
  refreshButton_->setObjectName(QStringLiteral("refreshDetectors"));
  refreshButton_->setText(QStringLiteral("⟳"));
  refreshButton_->setToolTip(tr("Look for detector models again"));
  sameSeed_->setObjectName(QStringLiteral("sameSeed"));
  sameSeed_->setToolTip(tr("Off: tab n uses the image's seed + n, as ADetailer does"));
  showRegions_->setObjectName(QStringLiteral("showRegions"));
  showRegions_->setToolTip(tr("Draw each region a tab found (box, label, score and mask) over the finished image"));
  showRegions_->setChecked(true);
  summary_->setObjectName(QStringLiteral("detailerSummary"));
  summary_->setWordWrap(true);

  auto* top = new QHBoxLayout;
  top->addWidget(summary_, 1);
  top->addWidget(refreshButton_);
  top->addWidget(removeButton_);
  top->addWidget(addButton_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(top);
  layout->addWidget(sameSeed_);
  layout->addWidget(showRegions_);
  layout->addWidget(tabs_, 1);

  connect(addButton_, &QToolButton::clicked, this, &DetailerPanel::addTab);
  connect(removeButton_, &QToolButton::clicked, this, &DetailerPanel::removeLastTab);
  connect(refreshButton_, &QToolButton::clicked, this, &DetailerPanel::refreshModelsRequested);
  connect(showRegions_, &QCheckBox::toggled, this, &DetailerPanel::showRegionsToggled);
  setParams(DetailerParams{});
}

DetailerTabEditor* DetailerPanel::makeEditor() {
  auto* editor = new DetailerTabEditor;
  editor->setDetectorModels(models_);
  editor->setCheckpoints(checkpoints_);
  editor->setVaeFiles(vaeFiles_);
  connect(editor, &DetailerTabEditor::enabledChanged, this, &DetailerPanel::refreshTitles);
  auto* area = new QScrollArea(tabs_);
  area->setWidget(editor);
  area->setWidgetResizable(true);
  area->setFrameShape(QFrame::NoFrame);
  editors_.push_back(editor);
  tabs_->addTab(area, QString());
  return editor;
}

void DetailerPanel::refreshTitles() {
  QStringList on;
  for (std::size_t i = 0; i < editors_.size(); ++i) {
    const bool enabled = editors_[i]->isTabEnabled();
    const QString number = QString::number(i + 1);
    tabs_->setTabText(static_cast<int>(i), enabled ? tr("Tab %1 ✓").arg(number) : tr("Tab %1").arg(number));
    if (enabled) on << number;
  }
  summary_->setText(on.isEmpty() ? tr("ADetailer is off: switch a tab on to fix faces and hands after each image")
                                 : tr("ADetailer: tab(s) %1 on").arg(on.join(QStringLiteral(", "))));
  addButton_->setEnabled(tabCount() < DetailerParams::kMaxTabs);
  removeButton_->setEnabled(tabCount() > 1);
}

QString DetailerPanel::summaryText() const { return summary_->text(); }

int DetailerPanel::tabCount() const { return static_cast<int>(editors_.size()); }

DetailerTabEditor* DetailerPanel::tabEditor(int index) const {
  return index >= 0 && index < tabCount() ? editors_[static_cast<std::size_t>(index)] : nullptr;
}

void DetailerPanel::addTab() {
  if (tabCount() >= DetailerParams::kMaxTabs) return;
  makeEditor()->setTab(defaultTab());
  tabs_->setCurrentIndex(tabCount() - 1);
  refreshTitles();
}

void DetailerPanel::removeLastTab() {
  if (tabCount() <= 1) return;
  QWidget* page = tabs_->widget(tabCount() - 1);
  tabs_->removeTab(tabCount() - 1);
  editors_.pop_back();
  page->deleteLater();
  refreshTitles();
}

DetailerParams DetailerPanel::params() const {
  DetailerParams params;
  for (const DetailerTabEditor* editor : editors_) params.tabs.push_back(editor->tab());
  params.sameSeedForEachTab = sameSeed_->isChecked();
  return params;
}

void DetailerPanel::setParams(const DetailerParams& params) {
  const int wanted = std::clamp(static_cast<int>(params.tabs.size()), kDefaultTabs, int{DetailerParams::kMaxTabs});
  while (tabCount() > wanted) {
    QWidget* page = tabs_->widget(tabCount() - 1);
    tabs_->removeTab(tabCount() - 1);
    editors_.pop_back();
    page->deleteLater();
  }
  while (tabCount() < wanted) makeEditor();
  for (int i = 0; i < wanted; ++i) {
    editors_[static_cast<std::size_t>(i)]->setTab(i < static_cast<int>(params.tabs.size())
                                                      ? params.tabs[static_cast<std::size_t>(i)]
                                                      : defaultTab());
  }
  sameSeed_->setChecked(params.sameSeedForEachTab);
  refreshTitles();
}

void DetailerPanel::setDetectorModels(const QStringList& fileNames) {
  models_ = fileNames;
  for (DetailerTabEditor* editor : editors_) editor->setDetectorModels(fileNames);
}

void DetailerPanel::setVaeFiles(const QStringList& paths) {
  vaeFiles_ = paths;
  for (DetailerTabEditor* editor : editors_) editor->setVaeFiles(paths);
}

void DetailerPanel::setCheckpoints(const QStringList& paths) {
  checkpoints_ = paths;
  for (DetailerTabEditor* editor : editors_) editor->setCheckpoints(paths);
}

bool DetailerPanel::showsRegions() const { return showRegions_->isChecked(); }

void DetailerPanel::setShowRegions(bool show) { showRegions_->setChecked(show); }

}  // namespace celerity::ui
