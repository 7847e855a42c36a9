#include "LoraPanel.h"

#include <algorithm>

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTextCursor>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>
#include <exception>

#include "LoraWeightRow.h"

namespace celerity::ui {
namespace {

constexpr int kShownTriggerWords = 3;

std::string utf8(const QString& text) {
  const QByteArray bytes = text.toUtf8();
  return std::string(bytes.constData(), static_cast<std::size_t>(bytes.size()));
}

QString qs(const std::string& text) { return QString::fromStdString(text); }

// The same names in the same order: the rows can stay, only their weights change.
bool sameTags(const std::vector<LoraTag>& a, const std::vector<LoraTag>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].type != b[i].type) return false;
  }
  return true;
}

}  // namespace

LoraPanel::LoraPanel(QWidget* parent) : QWidget(parent) {
  inbox_ = new ThreadInbox(this);
  filter_ = new QLineEdit(this);
  filter_->setPlaceholderText(tr("Search name or trigger words"));
  filter_->setClearButtonEnabled(true);
  auto* refresh = new QPushButton(tr("Refresh"), this);
  refresh->setToolTip(tr("List the LoRA folders again"));

  model_ = new QStandardItemModel(0, ColumnCount, this);
  model_->setHorizontalHeaderLabels({tr("Name"), tr("Base"), tr("Rank"), tr("Trigger words")});
  proxy_ = new QSortFilterProxyModel(this);
  proxy_->setSourceModel(model_);
  proxy_->setFilterRole(SearchRole);
  proxy_->setFilterKeyColumn(NameColumn);
  proxy_->setSortCaseSensitivity(Qt::CaseInsensitive);
  view_ = new QTreeView(this);
  view_->setModel(proxy_);
  view_->setRootIsDecorated(false);
  view_->setUniformRowHeights(true);
  view_->setSortingEnabled(true);
  view_->sortByColumn(NameColumn, Qt::AscendingOrder);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
  view_->header()->setStretchLastSection(false);
  view_->setToolTip(tr("Click a LoRA to add it to the prompt"));

  status_ = new QLabel(this);
  status_->setWordWrap(true);
  activeHint_ = new QLabel(tr("The prompt names no LoRA. Click one above to add <lora:name:1>."), this);
  activeHint_->setWordWrap(true);
  activeHint_->setTextFormat(Qt::PlainText);

  auto* active = new QWidget(this);
  auto* activeBox = new QVBoxLayout(active);
  activeBox->setContentsMargins(0, 0, 0, 0);
  auto* activeTitle = new QLabel(tr("<b>In the prompt</b>"), active);
  activeBox->addWidget(activeTitle);
  activeBox->addWidget(activeHint_);
  activeLayout_ = new QVBoxLayout;
  activeBox->addLayout(activeLayout_);
  activeBox->addStretch(1);

  auto* top = new QHBoxLayout;
  top->addWidget(filter_, 1);
  top->addWidget(refresh);
  auto* listPart = new QWidget(this);
  auto* listBox = new QVBoxLayout(listPart);
  listBox->setContentsMargins(0, 0, 0, 0);
  listBox->addLayout(top);
  listBox->addWidget(view_, 1);
  listBox->addWidget(status_);
  auto* splitter = new QSplitter(Qt::Vertical, this);
  splitter->addWidget(listPart);
  splitter->addWidget(active);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(splitter);

  connect(filter_, &QLineEdit::textChanged, this, &LoraPanel::setFilterText);
  connect(refresh, &QPushButton::clicked, this, &LoraPanel::refresh);
  connect(view_, &QTreeView::clicked, this, &LoraPanel::onClicked);
  updateStatus();
}

LoraPanel::~LoraPanel() {
  // Results still posted to the inbox die with it (a child, deleted after this body).
  for (auto& listing : listings_) listing.thread.join();
}

QAbstractItemModel* LoraPanel::listModel() const { return proxy_; }

void LoraPanel::setPromptEdit(QPlainTextEdit* edit) {
  if (prompt_) disconnect(prompt_, nullptr, this, nullptr);
  prompt_ = edit;
  if (prompt_) connect(prompt_, &QPlainTextEdit::textChanged, this, &LoraPanel::onPromptChanged);
  onPromptChanged();
}

void LoraPanel::setFolders(const QStringList& folders) {
  folders_ = folders;
  refresh();
}

void LoraPanel::refresh() {
  const int generation = ++scanGeneration_;
  ++scanning_;
  updateStatus();
  std::vector<std::string> folders;
  for (const QString& folder : folders_) folders.push_back(utf8(QDir::toNativeSeparators(folder)));
  // Finished listings are joined here; a newer listing supersedes the older ones' results.
  listings_.erase(std::remove_if(listings_.begin(), listings_.end(),
                                 [](Listing& listing) {
                                   if (!listing.done->load()) return false;
                                   listing.thread.join();
                                   return true;
                                 }),
                  listings_.end());
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, folders, generation, done]() {
    std::vector<LoraEntry> entries;
    try {
      entries = listLoras(folders);
    } catch (const std::exception&) {  // listLoras reports bad files per entry; this is the folder walk
    }
    inbox_->post([this, entries = std::move(entries), generation]() mutable {
      --scanning_;
      if (generation != scanGeneration_) return;  // a newer listing is on its way
      setEntries(std::move(entries));
      emit scanFinished(static_cast<int>(entries_.size()));
    });
    done->store(true);
  });
  listings_.push_back({std::move(thread), std::move(done)});
}

void LoraPanel::setEntries(std::vector<LoraEntry> entries) {
  entries_ = std::move(entries);
  fillModel();
  for (int i = 0; i < activeCount(); ++i) updateRow(i);
  updateStatus();
}

void LoraPanel::fillModel() {
  model_->removeRows(0, model_->rowCount());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const LoraEntry& e = entries_[i];
    QStringList words;
    for (const auto& word : e.triggerWords) words << qs(word);
    auto* name = new QStandardItem(qs(e.name));
    QString tip = QDir::toNativeSeparators(qs(e.path));
    if (!e.outputName.empty() && e.outputName != e.name) tip += QLatin1Char('\n') + tr("Output name: %1").arg(qs(e.outputName));
    tip += QLatin1Char('\n') + tr("%1 MB").arg(static_cast<double>(e.fileBytes) / (1024.0 * 1024.0), 0, 'f', 1);
    if (!e.error.empty()) {
      tip += QLatin1Char('\n') + tr("Cannot be read: %1").arg(qs(e.error));
      name->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
    }
    name->setToolTip(tip);
    name->setData(QStringList({qs(e.name), qs(e.relativeName), qs(e.outputName), qs(e.baseModel), words.join(' ')})
                      .join(QLatin1Char(' ')),
                  SearchRole);
    auto* base = new QStandardItem(e.error.empty() ? (e.baseModel.empty() ? tr("unknown") : qs(e.baseModel))
                                                   : tr("unreadable"));
    auto* rank = new QStandardItem;
    if (e.rank > 0) {  // 0: unreadable, or a format without a rank (full diffs)
      rank->setData(e.rank, Qt::DisplayRole);
      rank->setData(tr("Alpha %1").arg(e.alpha), Qt::ToolTipRole);
    }
    auto* trigger = new QStandardItem(words.mid(0, kShownTriggerWords).join(QStringLiteral(", ")) +
                                      (words.size() > kShownTriggerWords ? QStringLiteral(", …") : QString()));
    trigger->setToolTip(words.isEmpty() ? tr("The file names no trigger words") : words.join(QStringLiteral(", ")));
    const QList<QStandardItem*> row{name, base, rank, trigger};
    for (QStandardItem* item : row) item->setData(static_cast<int>(i), EntryRole);
    model_->appendRow(row);
  }
  updateCompatibility();
}

void LoraPanel::setCheckpointFamily(const QString& family) {
  if (family == family_) return;
  family_ = family;
  updateCompatibility();
  for (int i = 0; i < activeCount(); ++i) updateRow(i);
}

QIcon LoraPanel::badge(LoraCompatibility compatibility) const {
  QPixmap pixmap(12, 12);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(Qt::NoPen);
  painter.setBrush(compatibility == LoraCompatibility::Compatible     ? QColor(0x2e, 0x7d, 0x32)
                   : compatibility == LoraCompatibility::Incompatible ? QColor(0xc6, 0x28, 0x28)
                                                                      : QColor(0x9e, 0x9e, 0x9e));
  painter.drawEllipse(1, 1, 10, 10);
  return QIcon(pixmap);
}

void LoraPanel::updateCompatibility() {
  const QIcon icons[] = {badge(LoraCompatibility::Unknown), badge(LoraCompatibility::Compatible),
                         badge(LoraCompatibility::Incompatible)};
  for (int row = 0; row < model_->rowCount(); ++row) {
    QStandardItem* base = model_->item(row, BaseColumn);
    const LoraEntry& e = entries_.at(static_cast<std::size_t>(base->data(EntryRole).toInt()));
    const auto compatibility = e.error.empty() ? loraCompatibility(e.baseModel, utf8(family_)) : LoraCompatibility::Unknown;
    base->setData(static_cast<int>(compatibility), CompatibilityRole);
    base->setIcon(icons[static_cast<int>(compatibility)]);
    base->setToolTip(compatibilityText(e));
  }
}

QString LoraPanel::compatibilityText(const LoraEntry& entry) const {
  if (!entry.error.empty()) return tr("Cannot be read: %1").arg(qs(entry.error));
  const QString base = qs(entry.baseModel);
  switch (loraCompatibility(entry.baseModel, utf8(family_))) {
    case LoraCompatibility::Compatible:
      return tr("Made for %1, like the loaded checkpoint (%2)").arg(base, family_);
    case LoraCompatibility::Incompatible:
      return tr("Made for %1, the loaded checkpoint is %2: the engine refuses it").arg(base, family_);
    case LoraCompatibility::Unknown:
      break;
  }
  if (entry.baseModel.empty()) return tr("The file does not tell which base model it was made for");
  return tr("Made for %1; no checkpoint is loaded yet").arg(base);
}

void LoraPanel::setFilterText(const QString& text) {
  if (filter_->text() != text) filter_->setText(text);  // comes back here through textChanged
  // Every word must occur somewhere, in any order.
  QString pattern = QStringLiteral("^");
  for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
    pattern += QStringLiteral("(?=.*") + QRegularExpression::escape(word) + QLatin1Char(')');
  }
  proxy_->setFilterRegularExpression(QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption));
  updateStatus();
}

void LoraPanel::updateStatus() {
  QString text;
  if (isScanning()) {
    text = tr("Listing the LoRA folders…");
  } else if (folders_.isEmpty() && entries_.empty()) {
    text = tr("No LoRA folder. Add an AUTOMATIC1111 or ComfyUI install (with models/Lora or models/loras) as a "
              "model folder to list its LoRAs.");
  } else {
    text = tr("%n LoRA(s)", nullptr, static_cast<int>(entries_.size()));
    if (!filter_->text().trimmed().isEmpty()) text += QStringLiteral(", ") + tr("%1 shown").arg(proxy_->rowCount());
  }
  if (!message_.isEmpty()) text += QLatin1Char('\n') + message_;
  status_->setText(text);
}

QString LoraPanel::statusText() const { return status_->text(); }

const LoraEntry* LoraPanel::entryNamed(const std::string& name) const {
  QString wanted = qs(name);
  wanted.replace(QLatin1Char('\\'), QLatin1Char('/'));
  if (wanted.endsWith(QStringLiteral(".safetensors"), Qt::CaseInsensitive)) wanted.chop(12);
  const std::string key = utf8(wanted);
  for (const LoraEntry& e : entries_) {
    if (e.name == key || e.relativeName == key) return &e;
  }
  return nullptr;
}

void LoraPanel::onClicked(const QModelIndex& index) {
  if (!index.isValid()) return;
  const int entry = index.data(EntryRole).toInt();
  if (entry < 0 || entry >= static_cast<int>(entries_.size())) return;
  insertLora(qs(entries_[static_cast<std::size_t>(entry)].name));
}

bool LoraPanel::insertLora(const QString& name) {
  const std::string key = utf8(name);
  const LoraEntry* entry = entryNamed(key);
  if (prompt_.isNull()) {
    message_ = tr("No prompt to add %1 to").arg(name);
  } else if (entry != nullptr && !entry->error.empty()) {
    message_ = tr("%1 cannot be read: %2").arg(name, qs(entry->error));
  } else if (std::any_of(tags_.begin(), tags_.end(), [&](const LoraTag& t) {
               return t.name == key || (entry != nullptr && entryNamed(t.name) == entry);
             })) {
    message_ = tr("%1 is already in the prompt").arg(name);
  } else {
    applyPromptText(qs(appendLoraTag(utf8(prompt_->toPlainText()), key, 1.0)), false);
    const bool refused = entry != nullptr && loraCompatibility(entry->baseModel, utf8(family_)) ==
                                                 LoraCompatibility::Incompatible;
    message_ = refused ? compatibilityText(*entry) : tr("Added %1 to the prompt").arg(name);
    updateStatus();
    return true;
  }
  updateStatus();
  return false;
}

void LoraPanel::onPromptChanged() {
  std::vector<LoraTag> tags = prompt_ ? findLoraTags(utf8(prompt_->toPlainText())) : std::vector<LoraTag>{};
  const bool keepRows = sameTags(tags, tags_);
  tags_ = std::move(tags);
  if (!keepRows) {
    rebuildRows();
    return;
  }
  for (int i = 0; i < activeCount(); ++i) updateRow(i);
}

void LoraPanel::rebuildRows() {
  for (LoraWeightRow* row : rows_) {
    activeLayout_->removeWidget(row);
    row->hide();
    row->deleteLater();  // it may be the sender of the edit that brought us here
  }
  rows_.clear();
  draggingRow_ = -1;
  for (std::size_t i = 0; i < tags_.size(); ++i) {
    auto* row = new LoraWeightRow(qs(tags_[i].name), this);
    const int index = static_cast<int>(i);
    connect(row, &LoraWeightRow::teWeightMoved, this, [this, index](double weight) {
      const LoraTag& tag = tags_.at(static_cast<std::size_t>(index));
      setTagWeights(index, weight, tag.unetGiven ? tag.unetWeight : weight);  // an unset UNet follows
    });
    connect(row, &LoraWeightRow::unetWeightMoved, this, [this, index](double weight) {
      setTagWeights(index, tags_.at(static_cast<std::size_t>(index)).teWeight, weight);
    });
    connect(row, &LoraWeightRow::dragFinished, this, [this]() { draggingRow_ = -1; });
    connect(row, &LoraWeightRow::removeRequested, this, [this, index]() { removeTag(index); });
    activeLayout_->addWidget(row);
    rows_.push_back(row);
    updateRow(index);
  }
  activeHint_->setVisible(rows_.empty());
}

LoraWeightRow* LoraPanel::activeRow(int index) const {
  return index >= 0 && index < activeCount() ? rows_[static_cast<std::size_t>(index)] : nullptr;
}

void LoraPanel::updateRow(int index) {
  LoraWeightRow* row = activeRow(index);
  if (row == nullptr) return;
  const LoraTag& tag = tags_[static_cast<std::size_t>(index)];
  row->setWeights(tag.teWeight, tag.unetWeight);
  const LoraEntry* entry = entryNamed(tag.name);
  QString warning;
  if (!tag.error.empty()) {
    warning = tr("The engine refuses this tag: %1").arg(qs(tag.error));
  } else if (entry == nullptr) {
    if (!isScanning()) warning = tr("No LoRA of this name in the LoRA folders");
  } else if (!entry->error.empty() ||
             loraCompatibility(entry->baseModel, utf8(family_)) == LoraCompatibility::Incompatible) {
    warning = compatibilityText(*entry);
  }
  row->setWarning(warning);
  QStringList words;
  if (entry != nullptr) {
    for (const auto& word : entry->triggerWords) words << qs(word);
  }
  row->setToolTip(words.isEmpty() ? QString() : tr("Trigger words: %1").arg(words.join(QStringLiteral(", "))));
}

void LoraPanel::setTagWeights(int index, double teWeight, double unetWeight) {
  if (prompt_.isNull() || index < 0 || index >= static_cast<int>(tags_.size())) return;
  const LoraTag tag = tags_[static_cast<std::size_t>(index)];
  if (tag.error.empty() && formatLoraWeight(tag.teWeight) == formatLoraWeight(teWeight) &&
      formatLoraWeight(tag.unetWeight) == formatLoraWeight(unetWeight)) {
    return;
  }
  const std::string text = setLoraTagWeights(utf8(prompt_->toPlainText()), tag, teWeight, unetWeight);
  const LoraWeightRow* row = activeRow(index);
  const bool dragging = row != nullptr && row->isDragging();
  applyPromptText(qs(text), dragging && draggingRow_ == index);
  draggingRow_ = dragging ? index : -1;
}

void LoraPanel::removeTag(int index) {
  if (prompt_.isNull() || index < 0 || index >= static_cast<int>(tags_.size())) return;
  const std::string name = tags_[static_cast<std::size_t>(index)].name;
  applyPromptText(qs(removeLoraTag(utf8(prompt_->toPlainText()), tags_[static_cast<std::size_t>(index)])), false);
  message_ = tr("Removed %1 from the prompt").arg(qs(name));
  updateStatus();
}

void LoraPanel::applyPromptText(const QString& text, bool joinUndo) {
  const QString old = prompt_->toPlainText();
  if (old == text) return;
  int prefix = 0;
  const int shortest = static_cast<int>(std::min(old.size(), text.size()));
  while (prefix < shortest && old[prefix] == text[prefix]) ++prefix;
  if (prefix > 0 && old[prefix - 1].isHighSurrogate()) --prefix;  // never split a pair
  int suffix = 0;
  while (suffix < shortest - prefix && old[old.size() - 1 - suffix] == text[text.size() - 1 - suffix]) ++suffix;
  if (suffix > 0 && old[old.size() - suffix].isLowSurrogate()) --suffix;
  QTextCursor cursor(prompt_->document());
  if (joinUndo) {
    cursor.joinPreviousEditBlock();
  } else {
    cursor.beginEditBlock();
  }
  cursor.setPosition(prefix);
  cursor.setPosition(static_cast<int>(old.size()) - suffix, QTextCursor::KeepAnchor);
  cursor.insertText(text.mid(prefix, text.size() - suffix - prefix));
  cursor.endEditBlock();
}

}  // namespace celerity::ui
