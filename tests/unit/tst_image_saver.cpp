// Output safety: images are saved atomically under the next free A1111 name, never over an
// existing file and never outside the output folder; a folder that cannot be written is a
// clear error that keeps the image (the caller still holds it), never a silent loss.
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <string>

#include "celerity/Error.h"
#include "celerity/GeneratedImage.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/StageObserver.h"
#include "runtime/ImageSaver.h"

using namespace celerity;
namespace fs = std::filesystem;

namespace {

GeneratedImage image(std::int64_t seed, int size = 8) {
  GeneratedImage out;
  out.width = size;
  out.height = size;
  out.rgb.assign(static_cast<std::size_t>(size * size * 3), static_cast<std::uint8_t>(seed & 0xff));
  out.seed = seed;
  out.infotext = "a cat\nSteps: 2, Sampler: Euler, Seed: " + std::to_string(seed) + ", Size: 8x8";
  return out;
}

std::string readAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every entry of the folder that is not a finished image (hidden staging or temporary files).
int leftovers(const fs::path& folder) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename().string().front() == '.' || entry.path().extension() == ".tmp") ++count;
  }
  return count;
}

}  // namespace

class TestImageSaver : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  fs::path folder(const std::string& name) const { return fs::path(dir_.path().toStdString()) / name; }

 private slots:
  void savesUnderNextNamesWithParameters() {
    const fs::path out = folder("plain");  // made on the first save
    ImageSaver saver(out);
    const auto first = saver.save(image(7));
    const auto second = saver.save(image(8));
    QCOMPARE(first, out / "00000-7.png");
    QCOMPARE(second, out / "00001-8.png");
    QCOMPARE(readPngParameters(second).value_or(""), image(8).infotext);
    QCOMPARE(leftovers(out), 0);
  }

  void neverReplacesAnExistingFile() {
    const fs::path out = folder("taken");
    fs::create_directories(out);
    std::ofstream(out / "00000-5.png") << "someone else's file";
    ImageSaver saver(out);
    QCOMPARE(saver.save(image(5)), out / "00001-5.png");
    QCOMPARE(readAll(out / "00000-5.png"), std::string("someone else's file"));

    // The final step refuses a name that appeared meanwhile.
    std::ofstream(out / "staged") << "new";
    std::ofstream(out / "target") << "old";
    QVERIFY(!renameNoReplace(out / "staged", out / "target"));
    QCOMPARE(readAll(out / "target"), std::string("old"));
    QCOMPARE(readAll(out / "staged"), std::string("new"));
    QVERIFY(renameNoReplace(out / "staged", out / "fresh"));
    QCOMPARE(readAll(out / "fresh"), std::string("new"));
    QVERIFY(!fs::exists(out / "staged"));
  }

  void unwritableFolderIsAClearErrorAndKeepsTheImages() {
    // /proc/self exists but takes no new files, even for root (tests may run as root, where
    // permission bits would not stop the write).
    const std::vector<GeneratedImage> images{image(1), image(2)};
    for (const fs::path out : {fs::path("/proc/self"), fs::path("/proc/self/celerity-out")}) {
      const auto outcome = saveImages(out, images, JobControl{});
      QVERIFY2(outcome.error.has_value(), out.c_str());
      QCOMPARE(static_cast<int>(outcome.error->code), static_cast<int>(ErrorCode::FileUnreadable));
      QCOMPARE(outcome.error->where, out.string());
      QVERIFY2(outcome.error->message.find("kept in memory") != std::string::npos, outcome.error->message.c_str());
      QVERIFY2(outcome.error->message.find("image 1 of 2") != std::string::npos, outcome.error->message.c_str());
      QCOMPARE(outcome.paths, (std::vector<std::string>{"", ""}));
    }
  }

  void fileWhereTheFolderShouldBe() {
    const fs::path out = folder("not-a-folder");
    std::ofstream(out) << "x";
    try {
      ImageSaver(out).save(image(3));
      QFAIL("saved into a file");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::FileUnreadable));
      QCOMPARE(e.error().where, out.string());
    }
    QCOMPARE(readAll(out), std::string("x"));
  }

  void aBadImageIsNotBlamedOnTheFolder() {
    GeneratedImage bad = image(4);
    bad.rgb.resize(5);
    const fs::path out = folder("bad-image");
    try {
      ImageSaver(out).save(bad);
      QFAIL("saved a truncated image");
    } catch (const CelerityError& e) {
      QCOMPARE(static_cast<int>(e.code()), static_cast<int>(ErrorCode::InvalidArgument));
    }
    QCOMPARE(leftovers(out), 0);
  }

  void partialBatchKeepsWhatWasSaved() {
    const fs::path out = folder("partial");
    const std::vector<GeneratedImage> images{image(1), image(2)};
    auto outcome = saveImages(out, images, JobControl{});
    QVERIFY(!outcome.error);
    QCOMPARE(outcome.paths.size(), std::size_t(2));
    for (const auto& path : outcome.paths) QVERIFY(fs::is_regular_file(path));
  }
};

QTEST_APPLESS_MAIN(TestImageSaver)
#include "tst_image_saver.moc"
