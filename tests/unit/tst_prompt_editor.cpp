// The prompt editor: A1111's Ctrl+Up/Down weight editing (edit-attention.js cases), the keys
// of the prompt field, the live token counter and the syntax highlighting.
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>

#include "AttentionEdit.h"
#include "PromptEditor.h"
#include "PromptTextEdit.h"
#include "celerity/Error.h"
#include "celerity/PromptTokens.h"

using celerity::PromptTokenCounter;
using celerity::ui::AttentionEdit;
using celerity::ui::PromptEditor;
using celerity::ui::PromptTextEdit;

class TestPromptEditor : public QObject {
  Q_OBJECT

 private:
  std::shared_ptr<const PromptTokenCounter> counter_;

 private slots:
  void initTestCase() {
    try {
      counter_ = PromptTokenCounter::loadDefault();
    } catch (const celerity::CelerityError& e) {
      qWarning("no CLIP vocabulary: %s", e.what());
    }
  }

  void attentionEdit_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("end");
    QTest::addColumn<bool>("up");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<int>("expectedStart");
    QTest::addColumn<int>("expectedEnd");
    // Cursor in a word: the word gets a weight.
    QTest::newRow("word up") << "a cat" << 3 << 3 << true << "a (cat:1.1)" << 3 << 6;
    QTest::newRow("word down") << "a cat" << 3 << 3 << false << "a (cat:0.9)" << 3 << 6;
    QTest::newRow("delimiter comma") << "cat,dog" << 5 << 5 << true << "cat,(dog:1.1)" << 5 << 8;
    // A selection: trailing spaces stay outside.
    QTest::newRow("selection trailing space") << "a cat dog" << 2 << 6 << true << "a (cat:1.1) dog" << 3 << 6;
    QTest::newRow("two words") << "a red hat" << 2 << 9 << true << "a (red hat:1.1)" << 3 << 10;
    // Inside an explicit weight: only the number moves; reaching 1 drops the parentheses.
    QTest::newRow("weighted up") << "a (cat:1.1)" << 5 << 5 << true << "a (cat:1.2)" << 3 << 6;
    QTest::newRow("weighted down to one") << "a (cat:1.1)" << 5 << 5 << false << "a cat" << 2 << 5;
    QTest::newRow("whole number") << "(cat:1.9)" << 2 << 2 << true << "(cat:2.0)" << 1 << 4;
    QTest::newRow("float noise") << "(cat:1.2)" << 2 << 2 << true << "(cat:1.3)" << 1 << 4;
    // Old-style emphasis turns into one explicit weight, then moves.
    QTest::newRow("double parens") << "((cat))" << 3 << 3 << true << "(cat:1.3)" << 1 << 4;
    QTest::newRow("double parens down") << "((cat))" << 3 << 3 << false << "(cat:1.1)" << 1 << 4;
    QTest::newRow("square up reaches one") << "[cat]" << 2 << 2 << true << "cat" << 0 << 3;
    QTest::newRow("square down") << "[cat]" << 2 << 2 << false << "(cat:0.8)" << 1 << 4;
    // Extra networks move by 0.05 and keep their brackets at 1.
    QTest::newRow("lora up") << "x <lora:name:0.8> y" << 5 << 5 << true << "x <lora:name:0.85> y" << 3 << 12;
    QTest::newRow("lora to one") << "<lora:name:0.95>" << 2 << 2 << true << "<lora:name:1.0>" << 1 << 10;
  }

  void attentionEdit() {
    QFETCH(QString, text);
    QFETCH(int, start);
    QFETCH(int, end);
    QFETCH(bool, up);
    QFETCH(QString, expected);
    QFETCH(int, expectedStart);
    QFETCH(int, expectedEnd);
    const auto result = AttentionEdit::apply(text, start, end, up);
    QCOMPARE(result.text, expected);
    QCOMPARE(result.selectionStart, expectedStart);
    QCOMPARE(result.selectionEnd, expectedEnd);
    QVERIFY(result.changed);
  }

  void attentionEditOnEmptyTextChangesNothing() {
    const auto result = AttentionEdit::apply(QString(), 0, 0, true);
    QVERIFY(!result.changed);
    QCOMPARE(result.text, QString());
  }

  void weightFormatting() {
    QCOMPARE(AttentionEdit::formatWeight(2.0), QStringLiteral("2.0"));
    QCOMPARE(AttentionEdit::formatWeight(0.85), QStringLiteral("0.85"));
    QCOMPARE(AttentionEdit::formatWeight(-0.1), QStringLiteral("-0.1"));
    QCOMPARE(AttentionEdit::parseLeadingFloat(QStringLiteral(" 1.25abc")), 1.25);
    QVERIFY(std::isnan(AttentionEdit::parseLeadingFloat(QStringLiteral("abc"))));
  }

  void ctrlArrowsEditTheFieldInOneUndoStep() {
    PromptTextEdit edit;
    edit.setPlainText(QStringLiteral("a cat"));
    QTextCursor cursor = edit.textCursor();
    cursor.setPosition(3);
    edit.setTextCursor(cursor);
    QTest::keyClick(&edit, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(edit.toPlainText(), QStringLiteral("a (cat:1.1)"));
    QCOMPARE(edit.textCursor().selectedText(), QStringLiteral("cat"));
    QTest::keyClick(&edit, Qt::Key_Up, Qt::ControlModifier);
    QCOMPARE(edit.toPlainText(), QStringLiteral("a (cat:1.2)"));
    QTest::keyClick(&edit, Qt::Key_Down, Qt::ControlModifier);
    QTest::keyClick(&edit, Qt::Key_Down, Qt::ControlModifier);
    QCOMPARE(edit.toPlainText(), QStringLiteral("a cat"));
    edit.undo();
    QCOMPARE(edit.toPlainText(), QStringLiteral("a (cat:1.1)"));
  }

  void generateAndCancelKeys() {
    PromptTextEdit edit;
    QSignalSpy generate(&edit, &PromptTextEdit::generateRequested);
    QSignalSpy cancel(&edit, &PromptTextEdit::cancelRequested);
    QTest::keyClicks(&edit, QStringLiteral("a cat"));
    QTest::keyClick(&edit, Qt::Key_Return, Qt::ControlModifier);
    QTest::keyClick(&edit, Qt::Key_Enter, Qt::ControlModifier | Qt::KeypadModifier);
    QTest::keyClick(&edit, Qt::Key_Escape);
    QCOMPARE(generate.count(), 2);
    QCOMPARE(cancel.count(), 1);
    QCOMPARE(edit.toPlainText(), QStringLiteral("a cat"));  // no newline typed
  }

  void counterText() {
    celerity::PromptTokenCount count;
    count.tokenCount = 80;
    count.targetTokenCount = 150;
    count.chunkTokens = {75, 5};
    QCOMPARE(PromptEditor::counterText(count), QStringLiteral("80/150"));
    QCOMPARE(PromptEditor::counterToolTip(count), QStringLiteral("Chunk 1: 75/75 tokens\nChunk 2: 5/75 tokens"));
  }

  void tokenCounts_data() {
    QTest::addColumn<QString>("prompt");
    QTest::addColumn<bool>("positive");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QList<int>>("chunks");
    QString eighty;
    for (int i = 0; i < 80; ++i) eighty += QStringLiteral("cat ");
    QTest::newRow("empty") << "" << true << "0/75" << QList<int>{0};
    QTest::newRow("plain") << "a photo of a cat" << true << "5/75" << QList<int>{5};
    QTest::newRow("emphasis is not counted") << "a (photo:1.3) of a [cat]" << true << "5/75" << QList<int>{5};
    QTest::newRow("two chunks") << eighty << true << "80/150" << QList<int>{75, 5};
    // A chunk closed by BREAK counts 75, as A1111 counts it.
    QTest::newRow("break") << "a cat BREAK a dog" << true << "77/150" << QList<int>{2, 2};
    // The longest of the AND parts and of the scheduled texts.
    QTest::newRow("and") << "a cat AND a very big dog" << true << "4/75" << QList<int>{4};
    QTest::newRow("and negative") << "a cat AND a very big dog" << false << "7/75" << QList<int>{7};
    QTest::newRow("schedule") << "[a cat:a very big dog:5]" << true << "4/75" << QList<int>{4};
    QTest::newRow("lora tag cut") << "<lora:foo:0.5> a cat" << true << "2/75" << QList<int>{2};
  }

  void tokenCounts() {
    if (!counter_) QSKIP("the CLIP vocabulary is not installed");
    QFETCH(QString, prompt);
    QFETCH(bool, positive);
    QFETCH(QString, expected);
    QFETCH(QList<int>, chunks);
    const auto count = counter_->count(prompt.toStdString(), 20, positive);
    QCOMPARE(PromptEditor::counterText(count), expected);
    QCOMPARE(QList<int>(count.chunkTokens.begin(), count.chunkTokens.end()), chunks);
  }

  void editorCounterFollowsTyping() {
    PromptEditor editor(QStringLiteral("Prompt"), true);
    QCOMPARE(editor.counterText(), QStringLiteral("–"));
    if (!counter_) QSKIP("the CLIP vocabulary is not installed");
    editor.setTokenCounter(counter_);
    QCOMPARE(editor.counterText(), QStringLiteral("0/75"));
    QTest::keyClicks(editor.textEdit(), QStringLiteral("a photo of a cat"));
    QCOMPARE(editor.counterText(), QStringLiteral("5/75"));
    QCOMPARE(editor.counterToolTip(), QStringLiteral("Chunk 1: 5/75 tokens"));
  }

  void highlighting() {
    PromptEditor editor(QStringLiteral("Prompt"), true);
    editor.setText(QStringLiteral("a (cat:1.2) BREAK <lora:x:0.5> [a:b:3]"));
    const QTextBlock block = editor.textEdit()->document()->firstBlock();
    const auto formats = block.layout()->formats();
    const auto formatAt = [&](int position) -> QTextCharFormat {
      for (const auto& range : formats) {
        if (position >= range.start && position < range.start + range.length) return range.format;
      }
      return {};
    };
    const QString text = block.text();
    const auto* h = editor.highlighter();
    QCOMPARE(formatAt(text.indexOf('(')).foreground(), h->bracketFormat(0).foreground());
    QCOMPARE(formatAt(text.indexOf(":1.2") + 1).foreground(), h->weightFormat().foreground());
    QCOMPARE(formatAt(text.indexOf("BREAK")).foreground(), h->keywordFormat().foreground());
    QCOMPARE(formatAt(text.indexOf("lora")).foreground(), h->extraNetworkFormat().foreground());
    QCOMPARE(formatAt(text.indexOf("a:b") + 1).foreground(), h->scheduleFormat().foreground());
    QVERIFY(formatAt(text.indexOf("cat")).foreground() != h->keywordFormat().foreground());
  }
};

QTEST_MAIN(TestPromptEditor)
#include "tst_prompt_editor.moc"
