// A1111-style file hashes (runtime/FileHashCache): the SHA-256 of the whole file, computed
// once per file version and kept across runs in a cache file; a changed file is hashed again,
// a broken cache file is ignored.
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

#include "celerity/Error.h"
#include "lora/Sha256.h"
#include "runtime/FileHashCache.h"

using namespace celerity;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace

class TestFileHashes : public QObject {
  Q_OBJECT

 private slots:
  void hashesOncePerFileVersion() {
    QTemporaryDir dir;
    const fs::path file = dir.filePath("model.safetensors").toStdString();
    write(file, "abc");
    FileHashCache hashes;
    // FIPS 180-2's example: SHA-256("abc").
    const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QCOMPARE(hashes.sha256(file), abc);
    QCOMPARE(FileHashCache::shortHash(abc), std::string("ba7816bf8f"));
    QCOMPARE(hashes.sha256(dir.filePath("./model.safetensors").toStdString()), abc);  // same file
    QCOMPARE(hashes.hashesComputed(), 1);
    write(file, "abcd");  // another size: another version
    QCOMPARE(hashes.sha256(file), Sha256::hashFile(file));
    QCOMPARE(hashes.hashesComputed(), 2);
  }

  void keptAcrossRunsInTheCacheFile() {
    QTemporaryDir dir;
    const fs::path file = dir.filePath("vae.safetensors").toStdString();
    const fs::path cacheFile = dir.filePath("cache/hashes.json").toStdString();
    write(file, std::string(100000, 'x'));
    std::string first;
    {
      FileHashCache hashes(cacheFile);
      first = hashes.sha256(file);
    }
    QVERIFY(fs::exists(cacheFile));
    FileHashCache again(cacheFile);
    QCOMPARE(again.cached(file).value_or(""), first);
    QCOMPARE(again.sha256(file), first);
    QCOMPARE(again.hashesComputed(), 0);

    write(cacheFile, "{ not json");
    FileHashCache broken(cacheFile);  // ignored, then rewritten
    QVERIFY(!broken.cached(file));
    QCOMPARE(broken.sha256(file), first);
    QCOMPARE(FileHashCache(cacheFile).cached(file).value_or(""), first);
  }

  void missingFileNamesIt() {
    FileHashCache hashes;
    try {
      hashes.sha256("/nonexistent/model.safetensors");
      QFAIL("no error");
    } catch (const CelerityError& e) {
      QCOMPARE(e.code(), ErrorCode::FileNotFound);
      QCOMPARE(e.error().where, std::string("/nonexistent/model.safetensors"));
    }
  }
};

QTEST_GUILESS_MAIN(TestFileHashes)
#include "tst_file_hashes.moc"
