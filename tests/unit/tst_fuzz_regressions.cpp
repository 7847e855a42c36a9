// Inputs that once broke a parser under the fuzzers (scripts/fuzz.sh, docs/HARDENING.md),
// and their close relatives: each must now end in a CelerityError or a bounded result.
//  - a pickle whose list, dict, set or object state holds itself (DUP / memo): a reference
//    cycle that leaked and that every walker would go round for ever;
//  - shared references that describe an exponential tree (pickleToJson, module walks);
//  - tensor views that overflow the size arithmetic or repeat one element billions of times;
//  - an empty storage (memcpy from a null pointer) and an element count whose byte size
//    overflows the storage check;
//  - a safetensors header with a number too large for a double (nlohmann's out_of_range
//    escaped the reader, which caught only parse errors);
//  - a PNG of a few hundred bytes that declares 131 080 rows (fuzz_png_text): reading its text
//    decoded every declared row; now only a bounded image is decoded to reach text after IDAT;
//  - a PNG chunk that claims 1.9 GB in a 600-byte file (fuzz_png_text): libpng allocated it.
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

#include <chrono>
#include <functional>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <ATen/ATen.h>
#include <zlib.h>

#include "celerity/Error.h"
#include "io/RestrictedUnpickler.h"
#include "io/SafetensorsFile.h"
#include "metadata/PngTextChunks.h"
#include "io/TorchPickleReader.h"

using celerity::CelerityError;
using celerity::ErrorCode;
using celerity::PickleRef;
using celerity::RestrictedUnpickler;
using celerity::TorchPickleReader;

using namespace std::string_literals;

namespace {

void putLe(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::string str(const std::string& s) {
  std::string out = "X";
  putLe(out, s.size(), 4);
  return out + s;
}

// BININT of any 32-bit value; LONG1 for 64-bit ones.
std::string integer(std::int64_t v) {
  std::string out;
  if (v >= INT32_MIN && v <= INT32_MAX) {
    out = "J";
    putLe(out, static_cast<std::uint64_t>(v), 4);
  } else {
    out = "\x8a\x08";
    putLe(out, static_cast<std::uint64_t>(v), 8);
  }
  return out;
}

// A STORED zip as torch.save writes it (no CRCs: the reader does not check them).
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, directory;
  for (const auto& [name, data] : entries) {
    const std::uint64_t offset = out.size();
    putLe(out, 0x04034b50, 4);
    putLe(out, 20, 2); putLe(out, 0, 2); putLe(out, 0, 2); putLe(out, 0, 4); putLe(out, 0, 4);
    putLe(out, data.size(), 4); putLe(out, data.size(), 4);
    putLe(out, name.size(), 2); putLe(out, 0, 2);
    out += name + data;
    putLe(directory, 0x02014b50, 4);
    putLe(directory, 20, 2); putLe(directory, 20, 2); putLe(directory, 0, 2); putLe(directory, 0, 2);
    putLe(directory, 0, 4); putLe(directory, 0, 4);
    putLe(directory, data.size(), 4); putLe(directory, data.size(), 4);
    putLe(directory, name.size(), 2); putLe(directory, 0, 2); putLe(directory, 0, 2);
    putLe(directory, 0, 2); putLe(directory, 0, 2); putLe(directory, 0, 4);
    putLe(directory, offset, 4);
    directory += name;
  }
  const std::uint64_t directoryOffset = out.size();
  out += directory;
  putLe(out, 0x06054b50, 4);
  putLe(out, 0, 2); putLe(out, 0, 2);
  putLe(out, entries.size(), 2); putLe(out, entries.size(), 2);
  putLe(out, directory.size(), 4); putLe(out, directoryOffset, 4); putLe(out, 0, 2);
  return out;
}

// {"w": _rebuild_tensor_v2(storage(type, "0", numel), offset, size, stride)} as a .pt zip.
std::string tensorArchive(const std::string& storageType, std::int64_t numel, const std::string& storageBytes,
                          std::int64_t offset, const std::vector<std::int64_t>& size,
                          const std::vector<std::int64_t>& stride) {
  std::string p = "\x80\x02}(" + str("w");
  p += "ctorch._utils\n_rebuild_tensor_v2\n(";
  p += "(" + str("storage") + "ctorch\n" + storageType + "\n" + str("0") + str("cpu") + integer(numel) + "tQ";
  p += integer(offset) + "(";
  for (auto s : size) p += integer(s);
  p += "t(";
  for (auto s : stride) p += integer(s);
  p += "t\x89)tRu.";
  return zipOf({{"archive/data.pkl", p}, {"archive/data/0", storageBytes}, {"archive/version", "3\n"}});
}

void putBe(std::string& out, std::uint32_t value) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::string pngChunk(const std::string& type, const std::string& data) {
  std::string out;
  putBe(out, static_cast<std::uint32_t>(data.size()));
  const std::string body = type + data;
  out += body;
  putBe(out, static_cast<std::uint32_t>(
                 crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size()))));
  return out;
}

// A grey 8-bit PNG of width × height whose IDAT holds one compressed empty row.
std::string pngFile(std::uint32_t width, std::uint32_t height, const std::string& textBefore,
                    const std::string& textAfter) {
  std::string ihdr;
  putBe(ihdr, width);
  putBe(ihdr, height);
  ihdr += std::string("\x08\x00\x00\x00\x00", 5);
  std::string raw(1 + width, '\0');
  uLongf packedSize = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packedSize, '\0');
  compress(reinterpret_cast<Bytef*>(packed.data()), &packedSize, reinterpret_cast<const Bytef*>(raw.data()),
           static_cast<uLong>(raw.size()));
  packed.resize(packedSize);
  std::string out("\x89PNG\r\n\x1a\n", 8);
  out += pngChunk("IHDR", ihdr);
  if (!textBefore.empty()) out += pngChunk("tEXt", "parameters" + std::string(1, '\0') + textBefore);
  out += pngChunk("IDAT", packed);
  if (!textAfter.empty()) out += pngChunk("tEXt", "comment" + std::string(1, '\0') + textAfter);
  out += pngChunk("IEND", "");
  return out;
}

celerity::TorchStateDict readZip(const std::string& zip) {
  return TorchPickleReader::readBytes(reinterpret_cast<const std::uint8_t*>(zip.data()), zip.size(), "test.pt");
}

PickleRef unpickle(const std::string& bytes) {
  RestrictedUnpickler unpickler(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "test.pkl");
  return unpickler.load();
}

void expectMalformed(const std::function<void()>& call, const std::string& needle) {
  try {
    call();
    QFAIL(("accepted; expected an error naming: " + needle).c_str());
  } catch (const CelerityError& e) {
    QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::MalformedFile));
    QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
  }
}

}  // namespace

class TestFuzzRegressions : public QObject {
  Q_OBJECT

 private slots:
  void containerThatHoldsItself() {
    // fuzz_pickle's leak: ] q0 ( DUP K1 K2 K3 G… TUPLE2 q1 APPENDS . — the list appends itself.
    const std::string found("\x80\x03]q\x00(2K\x01K\x02K\x03G*\x11\x00\x00\x00\x00\x00\x00\x86q\x01" "e.", 27);
    expectMalformed([&] { unpickle(found); }, "holds itself");
    // The same through APPEND, SETITEM (as key or value), ADDITEMS and BUILD.
    expectMalformed([&] { unpickle("\x80\x02]q\x00h\x00" "a."s); }, "holds itself");
    expectMalformed([&] { unpickle("\x80\x02}q\x00"s + str("k") + "h\x00s."s); }, "holds itself");
    expectMalformed([&] { unpickle("\x80\x02}q\x00h\x00"s + str("v") + "s."); }, "holds itself");
    expectMalformed([&] { unpickle("\x80\x04\x8fq\x00(]h\x00" "a\x90."s); }, "holds itself");
    expectMalformed(
        [&] { unpickle("\x80\x02" "cultralytics.nn.tasks\nDetectionModel\n)\x81q\x00}"s + str("self") + "h\x00sb."s); },
        "holds itself");
    // Sharing without a cycle stays allowed: [x, x] where x is one list.
    const PickleRef shared = unpickle("\x80\x02](]q\x01h\x01" "e."s);
    QCOMPARE(shared->items.size(), std::size_t(2));
    QCOMPARE(shared->items[0].get(), shared->items[1].get());
  }

  void sharedReferenceBombStaysBounded() {
    // Level k is a list holding level k−1 twice: 2^40 leaves if walked as a tree.
    std::string p = "\x80\x02]q\x00"s;
    for (int k = 1; k <= 40; ++k) {
      p += "](h" + std::string(1, static_cast<char>(k - 1)) + "h" + std::string(1, static_cast<char>(k - 1)) +
           "eq" + std::string(1, static_cast<char>(k));
    }
    p += ".";
    const PickleRef top = unpickle(p);
    const auto start = std::chrono::steady_clock::now();
    const std::string json = celerity::pickleToJson(top);
    QVERIFY(json.size() < (std::size_t{8} << 20));
    // Bounded work, not a timing test: an unbounded walk would take longer than the universe.
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::minutes(5));

    // The same bomb as nested state dicts of a .pt: refused, not walked 8^12 times.
    std::string d = "\x80\x02}q\x00"s;
    for (int k = 1; k <= 12; ++k) {
      d += "}(";
      for (int i = 0; i < 8; ++i) d += str("k" + std::to_string(i)) + "h" + std::string(1, static_cast<char>(k - 1));
      d += "uq" + std::string(1, static_cast<char>(k));
    }
    d += ".";
    const std::string zip = zipOf({{"archive/data.pkl", d}, {"archive/version", "3\n"}});
    try {
      const auto state = readZip(zip);
      QVERIFY(state.tensors.empty());  // no tensors in it: a bounded walk may also finish
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::MalformedFile));
    }
  }

  void safetensorsNumberTooLarge() {
    // fuzz_lora_file: "shape":[444…e4444] made the JSON parser throw out_of_range.
    QTemporaryDir dir;
    for (const std::string number : {"1e400", "-1e400", "44444444444444444444444e4444"}) {
      std::string header = R"({"a":{"dtype":"F32","shape":[)" + number + R"(],"data_offsets":[0,4]}})";
      header.append((8 - header.size() % 8) % 8, ' ');
      std::string file;
      putLe(file, header.size(), 8);
      file += header + std::string(4, '\0');
      const std::string path = dir.filePath("big.safetensors").toStdString();
      std::ofstream(path, std::ios::binary) << file;
      expectMalformed([&] { celerity::SafetensorsFile::open(path); }, "not valid JSON");
    }
  }

  void pngThatDeclaresAMillionRows() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("tall.png").toStdString();
    // 999 999 rows declared (libpng's own limit is a million), one row of data: the text
    // before IDAT is read, the rows are not.
    std::ofstream(path, std::ios::binary) << pngFile(1, 999999, "a cat\nSteps: 2", "after");
    const auto texts = celerity::readPngTextChunks(path);
    QCOMPARE(texts.at("parameters"), std::string("a cat\nSteps: 2"));
    QCOMPARE(texts.count("comment"), std::size_t(0));
    // A small image is still decoded to reach text after IDAT (A1111 reads those too).
    std::ofstream(path, std::ios::binary) << pngFile(4, 1, "", "after");
    QCOMPARE(celerity::readPngTextChunks(path).at("comment"), std::string("after"));
  }

  void pngChunkThatClaimsTwoGigabytes() {
    // fuzz_png_text: an iTXt chunk whose length says 1.9 GB in a file of 600 bytes made libpng
    // allocate 1.9 GB before finding the file too short. Now the chunk walk refuses it first.
    std::string file = pngFile(4, 1, "a cat", "");
    const std::string iend = file.substr(file.size() - 12);
    file.resize(file.size() - 12);
    putBe(file, 1953458034u);
    file += "iTXt" + std::string(40, 'x') + iend;
    QTemporaryDir dir;
    const std::string path = dir.filePath("claims.png").toStdString();
    std::ofstream(path, std::ios::binary) << file;
    expectMalformed([&] { celerity::readPngTextChunks(path); }, "truncated chunk iTXt");
  }

  void emptyStorageReadsAsEmptyTensor() {
    // fuzz_pt_reader's UB: memcpy from the null data of an empty storage.
    const auto state = readZip(tensorArchive("FloatStorage", 0, "", 0, {0}, {1}));
    QCOMPARE(state.tensors.size(), std::size_t(1));
    QCOMPARE(state.tensors[0].second.numel(), std::int64_t(0));
  }

  void storageSizeThatOverflows() {
    // 2^61 doubles are 2^64 bytes: the byte count wraps to 0 and once passed the check.
    expectMalformed([&] { readZip(tensorArchive("DoubleStorage", std::int64_t{1} << 61, "", 0, {1}, {1})); },
                    "shorter than its element count");
  }

  void viewsThatOverflowOrRepeat() {
    const std::string one(4, '\0');
    expectMalformed([&] { readZip(tensorArchive("FloatStorage", 1, one, 0, {3}, {INT64_MAX / 2 + 1})); },
                    "reaches past its storage");
    expectMalformed([&] { readZip(tensorArchive("FloatStorage", 1, one, 0, {INT64_MAX, 4}, {0, 0})); },
                    "too large");
    expectMalformed([&] { readZip(tensorArchive("FloatStorage", 1, one, 0, {std::int64_t{1} << 30}, {0})); },
                    "repeats its storage");
    // A modest expanded tensor (stride 0) is still read.
    const auto state = readZip(tensorArchive("FloatStorage", 1, one, 0, {3, 2}, {0, 0}));
    QCOMPARE(state.tensors.at(0).second.numel(), std::int64_t(6));
  }
};

QTEST_APPLESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
