// The safetensors reader: valid files read as zero-copy views, malformed files are clear
// errors naming the file and the offending field, pickle files are refused.
#include <cstring>
#include <fstream>

#include <QTemporaryDir>
#include <QTest>

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"

using celerity::CelerityError;
using celerity::ErrorCode;
using celerity::SafetensorsFile;

namespace {

std::string withLength(const std::string& header) {
  std::string bytes(8, '\0');
  std::uint64_t n = header.size();
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  return bytes + header;
}

std::string floatBytes(std::initializer_list<float> values) {
  std::string bytes;
  for (float v : values) bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  return bytes;
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  std::string write(const std::string& name, const std::string& bytes) {
    const std::string path = dir_.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // Opens and expects a failure with `code` whose text contains `needle`.
  void expectError(const std::string& path, ErrorCode code, const std::string& needle) {
    try {
      SafetensorsFile::open(path);
      QFAIL(("no error for " + path).c_str());
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(code));
      const std::string text = e.what();
      QVERIFY2(text.find(path) != std::string::npos, text.c_str());
      QVERIFY2(text.find(needle) != std::string::npos, text.c_str());
    }
  }

 private slots:
  void readsTensorsAsViews() {
    const std::string header =
        R"({"__metadata__":{"k":"v"},"b":{"dtype":"I64","shape":[2],"data_offsets":[16,32]},)"
        R"("a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},)"
        R"("h":{"dtype":"F16","shape":[1],"data_offsets":[32,34]},)"
        R"("z":{"dtype":"BF16","shape":[0],"data_offsets":[34,34]}})";
    std::string data = floatBytes({1.f, 2.f, 3.f, 4.f});
    std::int64_t ints[2] = {7, -9};
    data.append(reinterpret_cast<const char*>(ints), sizeof ints);
    data.append("\x00\x3c", 2);  // 1.0 in half precision
    const auto path = write("ok.safetensors", withLength(header) + data);

    auto file = SafetensorsFile::open(path);
    QCOMPARE(file->tensors().size(), size_t(4));
    QCOMPARE(file->metadataValue("k").value(), std::string("v"));
    auto a = file->tensor("a");
    QCOMPARE(a.sizes().vec(), (std::vector<std::int64_t>{2, 2}));
    QCOMPARE(a[1][0].item<float>(), 3.f);
    auto b = file->tensor("b");
    QCOMPARE(b.scalar_type(), at::kLong);
    QCOMPARE(b[1].item<std::int64_t>(), std::int64_t(-9));
    QCOMPARE(file->tensor("h").to(at::kFloat).item<float>(), 1.f);
    QCOMPARE(file->tensor("z").numel(), std::int64_t(0));
    // A view keeps the mapping alive after the file object is gone.
    file.reset();
    QCOMPARE(a.sum().item<float>(), 10.f);
    // Writes land in private pages, never in the file.
    a.fill_(0.f);
    auto again = SafetensorsFile::open(path);
    QCOMPARE(again->tensor("a").sum().item<float>(), 10.f);
  }

  void refusesTruncatedFile() {
    expectError(write("short.safetensors", "abc"), ErrorCode::MalformedFile, "shorter than");
  }

  void refusesHeaderPastEnd() {
    std::string bytes = withLength(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})");
    bytes[0] = static_cast<char>(0xff);
    bytes[1] = static_cast<char>(0x7f);
    expectError(write("pastend.safetensors", bytes + floatBytes({1.f})), ErrorCode::MalformedFile,
                "past the end");
  }

  void refusesTruncatedData() {
    const auto bytes = withLength(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})") +
                       floatBytes({1.f, 2.f});
    expectError(write("trunc.safetensors", bytes), ErrorCode::MalformedFile, "[a]");
  }

  void refusesOverlappingSpans() {
    const auto bytes =
        withLength(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                   R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})") +
        floatBytes({1.f, 2.f, 3.f});
    expectError(write("overlap.safetensors", bytes), ErrorCode::MalformedFile, "overlaps");
  }

  void refusesWrongByteCount() {
    const auto bytes =
        withLength(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})") + floatBytes({1.f, 2.f});
    expectError(write("count.safetensors", bytes), ErrorCode::MalformedFile, "need 12 bytes");
  }

  void refusesUnknownDtype() {
    const auto bytes =
        withLength(R"({"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}})") + floatBytes({1.f});
    expectError(write("dtype.safetensors", bytes), ErrorCode::MalformedFile, "unknown dtype 'Q4'");
  }

  void refusesInvalidJson() {
    const auto bytes = withLength(R"({"a":{"dtype":"F32",)") + floatBytes({1.f});
    expectError(write("json.safetensors", bytes), ErrorCode::MalformedFile, "not valid JSON");
  }

  void refusesNegativeShape() {
    const auto bytes =
        withLength(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})") + floatBytes({1.f});
    expectError(write("neg.safetensors", bytes), ErrorCode::MalformedFile, "[a]");
  }

  void refusesPickleCheckpoints() {
    expectError(write("model.ckpt", "PK\x03\x04 anything"), ErrorCode::UnsafeFormat, "pickle");
    expectError(write("model.pt", "\x80\x02 anything"), ErrorCode::UnsafeFormat, "pickle");
    // Pickle bytes under a safetensors name are refused too.
    expectError(write("disguised.safetensors", std::string("\x80\x04\x95 xxxxxxxx", 13)),
                ErrorCode::UnsafeFormat, "pickle");
  }

  void reportsMissingFile() {
    expectError(dir_.filePath("absent.safetensors").toStdString(), ErrorCode::FileNotFound,
                "does not exist");
  }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "tst_safetensors.moc"
