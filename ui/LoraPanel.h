#pragma once
// The LoRA tab: the LoRA files of the configured folders (name, base model with a badge that
// says whether it fits the loaded checkpoint, rank, trigger words), a search filter, and the
// LoRAs the positive prompt names, each with text-encoder and UNet weight sliders. Clicking
// a LoRA appends <lora:name:1> to the prompt; the active list is read from the prompt's tags
// on every edit, and moving a slider rewrites its tag (one undo step per drag), so the text
// stays the one truth. The folders are listed on a pool thread (each file's header and
// adapter shapes are read); the list appears when that ends (scanFinished).
#include <QIcon>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>
#include <thread>
#include <QWidget>
#include <vector>

#include "celerity/LoraCatalog.h"
#include "ThreadInbox.h"

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QModelIndex;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTreeView;
class QVBoxLayout;

namespace celerity::ui {

class LoraWeightRow;

class LoraPanel : public QWidget {
  Q_OBJECT

 public:
  enum Column { NameColumn = 0, BaseColumn, RankColumn, TriggerColumn, ColumnCount };
  enum Role {
    CompatibilityRole = Qt::UserRole + 1,  // int(LoraCompatibility), on the base column
    EntryRole,                             // index into entries(), on every column
    SearchRole,                            // the text the filter matches, on the name column
  };

  explicit LoraPanel(QWidget* parent = nullptr);
  ~LoraPanel() override;  // waits for a running listing

  // The positive prompt the panel inserts into and follows (may be null).
  void setPromptEdit(QPlainTextEdit* edit);
  // Lists the folders again (in the background).
  void setFolders(const QStringList& folders);
  QStringList folders() const { return folders_; }
  void refresh();
  bool isScanning() const { return scanning_ > 0; }
  // Shows a listing made elsewhere (what a scan ends with).
  void setEntries(std::vector<LoraEntry> entries);
  const std::vector<LoraEntry>& entries() const { return entries_; }
  // LoadedModelInfo::family of the selected checkpoint ("SD 1.x", "SDXL base"); empty when
  // it is not loaded yet.
  void setCheckpointFamily(const QString& family);
  QString checkpointFamily() const { return family_; }

  // Appends <lora:name:1> unless the prompt already names it; false when it does not (no
  // prompt, already there, an unreadable file).
  bool insertLora(const QString& name);
  void setFilterText(const QString& text);

  QLineEdit* filterEdit() const { return filter_; }
  QTreeView* listView() const { return view_; }
  QAbstractItemModel* listModel() const;  // filtered and sorted, as shown
  int activeCount() const { return static_cast<int>(rows_.size()); }
  LoraWeightRow* activeRow(int index) const;
  QString statusText() const;
  // "Made for SDXL, the checkpoint is SD 1.x: the engine refuses it", "" when it fits.
  QString compatibilityText(const LoraEntry& entry) const;

 signals:
  void scanFinished(int count);

 private:
  void onPromptChanged();
  void onClicked(const QModelIndex& index);
  void rebuildRows();
  void updateRow(int index);
  void setTagWeights(int index, double teWeight, double unetWeight);
  void removeTag(int index);
  // Replaces the prompt by `text`, editing only the part that differs (keeps the cursor and
  // the undo history); `joinUndo` merges the edit with the previous one.
  void applyPromptText(const QString& text, bool joinUndo);
  const LoraEntry* entryNamed(const std::string& name) const;
  void fillModel();
  void updateCompatibility();
  void updateStatus();
  QIcon badge(LoraCompatibility compatibility) const;

  QLineEdit* filter_;
  QTreeView* view_;
  QStandardItemModel* model_;
  QSortFilterProxyModel* proxy_;
  QLabel* status_;
  QLabel* activeHint_;
  QVBoxLayout* activeLayout_;
  std::vector<LoraWeightRow*> rows_;
  std::vector<LoraTag> tags_;  // the prompt's lora tags, one per row
  QPointer<QPlainTextEdit> prompt_;
  QStringList folders_;
  std::vector<LoraEntry> entries_;
  QString family_;
  QString message_;  // the last click's outcome, shown under the list
  // Background listings (file headers only), joined when done or at the latest on
  // destruction: plain threads, whose start ThreadSanitizer sees, unlike a pool's hand-off.
  struct Listing {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Listing> listings_;
  ThreadInbox* inbox_;  // the listing's result comes back through it (a child)
  int scanning_ = 0;
  int scanGeneration_ = 0;
  int draggingRow_ = -1;  // the row whose drag has made an edit already
};

}  // namespace celerity::ui
