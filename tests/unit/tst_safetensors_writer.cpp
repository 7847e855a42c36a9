// The streaming safetensors writer: files read back through SafetensorsFile with the same
// names, dtypes, shapes, values and metadata; the header is 8-byte aligned; partial or failed
// writes leave no file behind; I/O errors name the path.
#include <cstring>
#include <fstream>

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"
#include "io/SafetensorsWriter.h"

using namespace celerity;

class TestSafetensorsWriter : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  std::filesystem::path pathOf(const char* name) const { return dir_.filePath(name).toStdString(); }

  // Files in the test folder (a failed write must leave no temporary file).
  int fileCount() const { return static_cast<int>(QDir(dir_.path()).entryList(QDir::Files | QDir::Hidden).size()); }

 private slots:
  void roundTripsTensorsAndMetadata() {
    const auto path = pathOf("round.safetensors");
    const std::vector<std::pair<std::string, at::Tensor>> tensors = {
        {"b.float", at::arange(12, at::kFloat).reshape({3, 4}) * 0.5},
        {"a.half", at::linspace(-1, 1, 5, at::kFloat).to(at::kHalf)},
        {"c.bf16", at::tensor({1.5f, -2.25f}).to(at::kBFloat16)},
        {"d.ids", at::arange(7, at::kLong).unsqueeze(0)},
        {"e.scalar", at::scalar_tensor(4.25, at::kFloat)},
        {"f.empty", at::empty({0, 3}, at::kFloat)},
        {"g.int", at::tensor({-3, 9}, at::kInt)},
    };
    writeSafetensors(path, tensors, {{"kind", "test"}, {"seed", "7"}});

    const auto file = SafetensorsFile::open(path);
    QCOMPARE(file->tensors().size(), tensors.size());
    for (const auto& [name, expected] : tensors) {
      QVERIFY2(file->contains(name), name.c_str());
      const auto actual = file->tensor(name);
      QCOMPARE(actual.scalar_type(), expected.scalar_type());
      QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
      QVERIFY2(at::equal(actual, expected), name.c_str());
    }
    QCOMPARE(file->metadata().size(), std::size_t(2));
    QCOMPARE(file->metadataValue("kind").value_or(""), std::string("test"));
    QCOMPARE(file->metadataValue("seed").value_or(""), std::string("7"));

    // Data follows the declaration order and starts 8-byte aligned.
    std::ifstream in(path, std::ios::binary);
    unsigned char length[8];
    in.read(reinterpret_cast<char*>(length), 8);
    std::uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i) headerLength = (headerLength << 8) | length[i];
    QCOMPARE(headerLength % 8, std::uint64_t(0));
    QCOMPARE(file->tensors().front().name, std::string("b.float"));
    QCOMPARE(file->tensors().front().begin, std::uint64_t(0));
    QCOMPARE(static_cast<std::uint64_t>(std::filesystem::file_size(path)),
             8 + headerLength + file->tensors().back().end);
  }

  void streamsPiecesAcrossTensors() {
    const auto path = pathOf("stream.safetensors");
    const auto first = at::arange(10, at::kFloat);
    const auto second = at::arange(6, at::kShort);
    SafetensorsWriter writer(path);
    writer.add("first", DType::F32, {10});
    writer.add("second", DType::I16, {2, 3});
    writer.begin();
    QCOMPARE(writer.nextTensor(), std::size_t(0));
    // 40 + 12 bytes in pieces of 7 that cross the boundary between the tensors.
    std::string bytes(static_cast<const char*>(first.data_ptr()), 40);
    bytes.append(static_cast<const char*>(second.data_ptr()), 12);
    for (std::size_t at = 0; at < bytes.size(); at += 7) {
      writer.write(bytes.data() + at, std::min<std::size_t>(7, bytes.size() - at));
    }
    QCOMPARE(writer.nextTensor(), std::size_t(2));
    QVERIFY(!std::filesystem::exists(path));  // only renamed into place by finish()
    writer.finish();
    QCOMPARE(static_cast<std::uint64_t>(std::filesystem::file_size(path)), writer.fileBytes());
    const auto file = SafetensorsFile::open(path);
    QVERIFY(at::equal(file->tensor("first"), first));
    QVERIFY(at::equal(file->tensor("second"), second.reshape({2, 3})));
  }

  void rejectsMisuse() {
    const int before = fileCount();
    {
      SafetensorsWriter writer(pathOf("misuse.safetensors"));
      writer.add("x", DType::F32, {2});
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.add("x", DType::F32, {2}));           // twice
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.add("__metadata__", DType::F32, {1}));
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.add("y", DType::Invalid, {1}));
      writer.begin();
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.add("z", DType::F32, {1}));  // after the header
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.writeTensor(at::zeros({3}, at::kFloat)));  // shape
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.writeTensor(at::zeros({2}, at::kHalf)));   // dtype
      const float values[3] = {1, 2, 3};
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.write(values, sizeof values));  // too many bytes
      writer.write(values, sizeof(float));
      QVERIFY_THROWS_EXCEPTION(CelerityError, writer.finish());  // 4 bytes missing
    }  // destroyed unfinished: the temporary file goes with it
    QCOMPARE(fileCount(), before);
    QVERIFY(!std::filesystem::exists(pathOf("misuse.safetensors")));
  }

  void reportsUnwritablePath() {
    const auto path = pathOf("no-such-folder") / "model.safetensors";
    try {
      writeSafetensors(path, {{"x", at::zeros({2}, at::kFloat)}});
      QFAIL("no error for a path in a missing folder");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileUnreadable));
      QVERIFY2(e.error().where == path.string(), e.what());
    }
    QVERIFY(!std::filesystem::exists(path));
  }

  void replacesAnExistingFileAtomically() {
    const auto path = pathOf("replace.safetensors");
    writeSafetensors(path, {{"old", at::ones({1}, at::kFloat)}});
    writeSafetensors(path, {{"new", at::full({2}, 3.0, at::kFloat)}}, {{"v", "2"}});
    const auto file = SafetensorsFile::open(path);
    QVERIFY(!file->contains("old"));
    QVERIFY(at::equal(file->tensor("new"), at::full({2}, 3.0, at::kFloat)));
    QCOMPARE(file->metadataValue("v").value_or(""), std::string("2"));
  }
};

QTEST_APPLESS_MAIN(TestSafetensorsWriter)
#include "tst_safetensors_writer.moc"
