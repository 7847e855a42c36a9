// The LoRA panel on the offscreen platform: the listing with its compatibility badges and
// filter, a click inserting <lora:name:1> into the prompt, the active list's sliders
// rewriting their tag and following edits of the prompt, removal, warnings, and a real
// listing of a folder on the panel's worker thread.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>
#include <QTextCursor>
#include <QToolButton>
#include <QTreeView>
#include <QtEndian>

#include "LoraPanel.h"
#include "LoraWeightRow.h"
#include "celerity/LoraCatalog.h"

using namespace celerity;
using namespace celerity::ui;

namespace {

LoraEntry entry(const std::string& name, const std::string& base, int rank, std::vector<std::string> words = {},
                const std::string& error = {}) {
  LoraEntry e;
  e.name = name;
  e.relativeName = name;
  e.path = "/loras/" + name + ".safetensors";
  e.baseModel = base;
  e.rank = rank;
  e.alpha = rank / 2.0;
  e.triggerWords = std::move(words);
  e.error = error;
  return e;
}

std::vector<LoraEntry> sampleEntries() {
  return {entry("cat", "SD 1.x", 4, {"cat", "orange", "tabby", "kitten"}), entry("styles/xl", "SDXL", 16),
          entry("plain", "", 8), entry("broken", "", 0, {}, "not a safetensors file")};
}

// The row of the shown (filtered, sorted) list whose name column reads `name`; -1 if none.
int shownRow(LoraPanel& panel, const QString& name) {
  const QAbstractItemModel* model = panel.listModel();
  for (int row = 0; row < model->rowCount(); ++row) {
    if (model->index(row, LoraPanel::NameColumn).data().toString() == name) return row;
  }
  return -1;
}

QVariant cell(LoraPanel& panel, const QString& name, int column, int role = Qt::DisplayRole) {
  const int row = shownRow(panel, name);
  return row < 0 ? QVariant() : panel.listModel()->index(row, column).data(role);
}

// Types into the prompt as a user would: through a cursor on its document.
void replaceText(QPlainTextEdit& edit, const QString& before, const QString& after) {
  const int at = edit.toPlainText().indexOf(before);
  QVERIFY(at >= 0);
  QTextCursor cursor(edit.document());
  cursor.setPosition(at);
  cursor.setPosition(at + static_cast<int>(before.size()), QTextCursor::KeepAnchor);
  cursor.insertText(after);
}

// A kohya LoRA of one linear module (rank 2, zero weights) with SD 1.x metadata.
void writeLora(const QString& path) {
  QJsonObject meta{{"ss_base_model_version", "sd_v1"},
                   {"ss_tag_frequency", R"({"5_ink": {"ink": 7, "sketch": 3}})"}};
  QJsonObject header{{"__metadata__", meta},
                     {"lora_unet_x.lora_down.weight", QJsonObject{{"dtype", "F32"}, {"shape", QJsonArray{2, 4}},
                                                                  {"data_offsets", QJsonArray{0, 32}}}},
                     {"lora_unet_x.lora_up.weight", QJsonObject{{"dtype", "F32"}, {"shape", QJsonArray{4, 2}},
                                                                {"data_offsets", QJsonArray{32, 64}}}}};
  QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
  while (json.size() % 8 != 0) json.append(' ');
  QByteArray length(8, '\0');
  qToLittleEndian<quint64>(static_cast<quint64>(json.size()), length.data());
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(length + json + QByteArray(64, '\0'));
}

}  // namespace

class TestLoraPanel : public QObject {
  Q_OBJECT

 private slots:
  void listShowsBaseRankTriggerWordsAndBadge() {
    LoraPanel panel;
    panel.setEntries(sampleEntries());
    panel.setCheckpointFamily(QStringLiteral("SD 1.x"));
    QCOMPARE(panel.listModel()->rowCount(), 4);
    QCOMPARE(cell(panel, "cat", LoraPanel::BaseColumn).toString(), QStringLiteral("SD 1.x"));
    QCOMPARE(cell(panel, "cat", LoraPanel::RankColumn).toInt(), 4);
    QCOMPARE(cell(panel, "cat", LoraPanel::TriggerColumn).toString(), QStringLiteral("cat, orange, tabby, …"));
    QCOMPARE(cell(panel, "broken", LoraPanel::BaseColumn).toString(), QStringLiteral("unreadable"));
    const auto compatibility = [&](const char* name) {
      return static_cast<LoraCompatibility>(
          cell(panel, name, LoraPanel::BaseColumn, LoraPanel::CompatibilityRole).toInt());
    };
    QCOMPARE(compatibility("cat"), LoraCompatibility::Compatible);
    QCOMPARE(compatibility("styles/xl"), LoraCompatibility::Incompatible);
    QCOMPARE(compatibility("plain"), LoraCompatibility::Unknown);
    QCOMPARE(compatibility("broken"), LoraCompatibility::Unknown);
    QVERIFY(cell(panel, "styles/xl", LoraPanel::BaseColumn, Qt::ToolTipRole).toString().contains("SD 1.x"));
    QVERIFY(!cell(panel, "cat", LoraPanel::BaseColumn, Qt::DecorationRole).isNull());

    panel.setCheckpointFamily(QStringLiteral("SDXL base"));
    QCOMPARE(compatibility("cat"), LoraCompatibility::Incompatible);
    QCOMPARE(compatibility("styles/xl"), LoraCompatibility::Compatible);
    panel.setCheckpointFamily(QString());
    QCOMPARE(compatibility("cat"), LoraCompatibility::Unknown);
  }

  void filterMatchesEveryWordInNameOrTriggerWords() {
    LoraPanel panel;
    panel.setEntries(sampleEntries());
    panel.setFilterText(QStringLiteral("ORANGE"));
    QCOMPARE(panel.listModel()->rowCount(), 1);
    QCOMPARE(shownRow(panel, "cat"), 0);
    QVERIFY(panel.statusText().contains(QStringLiteral("1 shown")));
    panel.setFilterText(QStringLiteral("sdxl styles"));
    QCOMPARE(panel.listModel()->rowCount(), 1);
    QCOMPARE(shownRow(panel, "styles/xl"), 0);
    panel.filterEdit()->setText(QStringLiteral("kitten plain"));  // both words must match
    QCOMPARE(panel.listModel()->rowCount(), 0);
    panel.filterEdit()->clear();
    QCOMPARE(panel.listModel()->rowCount(), 4);
  }

  void clickInsertsTagOnce() {
    QPlainTextEdit prompt(QStringLiteral("a photo"));
    LoraPanel panel;
    panel.setPromptEdit(&prompt);
    panel.setEntries(sampleEntries());
    panel.setCheckpointFamily(QStringLiteral("SD 1.x"));
    panel.resize(500, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTreeView* view = panel.listView();
    const QModelIndex cat = panel.listModel()->index(shownRow(panel, "cat"), LoraPanel::NameColumn);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cat).center());
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a photo <lora:cat:1>"));
    QCOMPARE(panel.activeCount(), 1);
    QCOMPARE(panel.activeRow(0)->name(), QStringLiteral("cat"));
    QVERIFY(panel.activeRow(0)->warning().isEmpty());

    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->visualRect(cat).center());
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a photo <lora:cat:1>"));
    QVERIFY(panel.statusText().contains(QStringLiteral("already")));

    QVERIFY(panel.insertLora(QStringLiteral("styles/xl")));  // inserted, with the refusal shown
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a photo <lora:cat:1> <lora:styles/xl:1>"));
    QVERIFY(panel.statusText().contains(QStringLiteral("refuses")));
    QCOMPARE(panel.activeCount(), 2);
    QVERIFY(panel.activeRow(1)->warning().contains(QStringLiteral("refuses")));
    QVERIFY(!panel.insertLora(QStringLiteral("broken")));
    QCOMPARE(panel.activeCount(), 2);
  }

  void slidersRewriteTheTag() {
    QPlainTextEdit prompt(QStringLiteral("a <lora:cat:0.5>, b"));
    LoraPanel panel;
    panel.setEntries(sampleEntries());
    panel.setPromptEdit(&prompt);
    QCOMPARE(panel.activeCount(), 1);
    LoraWeightRow* row = panel.activeRow(0);
    QCOMPARE(row->teSlider()->value(), 50);
    QCOMPARE(row->unetSlider()->value(), 50);

    row->teSlider()->setValue(80);  // no UNet weight written: the UNet follows
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a <lora:cat:0.8>, b"));
    QCOMPARE(row->unetSlider()->value(), 80);
    QCOMPARE(row->unetText(), QStringLiteral("0.8"));
    row->unetSlider()->setValue(30);
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a <lora:cat:0.8:0.3>, b"));
    row->teSlider()->setValue(100);  // the written UNet weight stays
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a <lora:cat:1:0.3>, b"));
    QCOMPARE(panel.activeRow(0), row);  // same tags, same rows

    prompt.undo();
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a <lora:cat:0.8:0.3>, b"));
    QCOMPARE(row->teSlider()->value(), 80);
  }

  void promptEditsMoveTheSliders() {
    QPlainTextEdit prompt;
    LoraPanel panel;
    panel.setEntries(sampleEntries());
    panel.setPromptEdit(&prompt);
    QCOMPARE(panel.activeCount(), 0);
    prompt.setPlainText(QStringLiteral("ü <lora:cat:1.5:0.25> x"));
    QCOMPARE(panel.activeCount(), 1);
    LoraWeightRow* row = panel.activeRow(0);
    QCOMPARE(row->teSlider()->value(), 150);
    QCOMPARE(row->unetSlider()->value(), 25);
    replaceText(prompt, QStringLiteral(":1.5:"), QStringLiteral(":1.25:"));
    QCOMPARE(panel.activeRow(0), row);
    QCOMPARE(row->teSlider()->value(), 125);
    QCOMPARE(row->teText(), QStringLiteral("1.25"));

    replaceText(prompt, QStringLiteral(":1.25:0.25"), QStringLiteral(":3"));  // beyond the slider
    QCOMPARE(row->teSlider()->value(), 200);
    QCOMPARE(row->teText(), QStringLiteral("3"));
    QCOMPARE(prompt.toPlainText(), QStringLiteral("ü <lora:cat:3> x"));  // clamping writes nothing

    replaceText(prompt, QStringLiteral(" x"), QStringLiteral(" <lyco:plain:te=0.4>"));
    QCOMPARE(panel.activeCount(), 2);
    QCOMPARE(panel.activeRow(1)->name(), QStringLiteral("plain"));
    QCOMPARE(panel.activeRow(1)->unetSlider()->value(), 40);
    panel.activeRow(1)->unetSlider()->setValue(60);
    QCOMPARE(prompt.toPlainText(), QStringLiteral("ü <lora:cat:3> <lyco:plain:0.4:0.6>"));
  }

  void warningsForUnknownNamesAndBadTags() {
    QPlainTextEdit prompt(QStringLiteral("<lora:nothere:1> <lora:cat:abc>"));
    LoraPanel panel;
    panel.setEntries(sampleEntries());
    panel.setPromptEdit(&prompt);
    QCOMPARE(panel.activeCount(), 2);
    QVERIFY(panel.activeRow(0)->warning().contains(QStringLiteral("No LoRA")));
    QVERIFY(panel.activeRow(1)->warning().contains(QStringLiteral("abc")));
    panel.activeRow(1)->teSlider()->setValue(70);  // a slider repairs the tag
    QCOMPARE(prompt.toPlainText(), QStringLiteral("<lora:nothere:1> <lora:cat:0.7>"));
    QVERIFY(panel.activeRow(1)->warning().isEmpty());
  }

  void removeButtonTakesTheTagOut() {
    QPlainTextEdit prompt(QStringLiteral("a, <lora:cat:1>, b <lora:plain:0.5>"));
    LoraPanel panel;
    panel.setEntries(sampleEntries());
    panel.setPromptEdit(&prompt);
    QCOMPARE(panel.activeCount(), 2);
    panel.activeRow(0)->removeButton()->click();
    QCOMPARE(prompt.toPlainText(), QStringLiteral("a, b <lora:plain:0.5>"));
    QCOMPARE(panel.activeCount(), 1);
    QCOMPARE(panel.activeRow(0)->name(), QStringLiteral("plain"));
  }

  void listsAFolderOnItsWorkerThread() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("styles")));
    writeLora(dir.filePath(QStringLiteral("styles/ink.safetensors")));
    LoraPanel panel;
    QVERIFY(panel.statusText().contains(QStringLiteral("No LoRA folder")));
    QSignalSpy finished(&panel, &LoraPanel::scanFinished);
    panel.setFolders({dir.path()});
    QVERIFY(panel.isScanning() || finished.count() == 1);
    QVERIFY(finished.count() == 1 || finished.wait(10000));
    QCOMPARE(finished.takeFirst().at(0).toInt(), 1);
    QVERIFY(!panel.isScanning());
    QCOMPARE(panel.entries().size(), std::size_t(1));
    const LoraEntry& ink = panel.entries().front();
    QCOMPARE(ink.name, std::string("ink"));
    QCOMPARE(ink.relativeName, std::string("styles/ink"));
    QCOMPARE(ink.baseModel, std::string("SD 1.x"));
    QCOMPARE(ink.rank, 2);
    QCOMPARE(ink.triggerWords, (std::vector<std::string>{"ink", "sketch"}));
    QCOMPARE(cell(panel, "ink", LoraPanel::TriggerColumn).toString(), QStringLiteral("ink, sketch"));
    QVERIFY(panel.statusText().contains(QStringLiteral("1 LoRA")));
  }
};

QTEST_MAIN(TestLoraPanel)
#include "tst_lora_panel.moc"
