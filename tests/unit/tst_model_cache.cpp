// The resident-model cache: least-recently-used eviction under the host/device budgets, the
// running job's model kept even when it alone is too big, and every eviction reported once
// with the evicted key (a regression: clear() once passed a reference into the erased entry).
#include <QTest>

#include <string>
#include <vector>

#include "runtime/ModelCache.h"

using namespace celerity;

namespace {

CachedModel entry(const std::string& key, std::int64_t hostBytes, std::int64_t deviceBytes = 0) {
  CachedModel model;
  model.key = key;
  model.hostBytes = hostBytes;
  model.deviceBytes = deviceBytes;
  return model;
}

// A cache that records the keys it reports as evicted.
struct RecordingCache {
  ModelCache cache;
  std::vector<std::string> evicted;

  RecordingCache(std::int64_t hostBudget, std::int64_t deviceBudget) : cache(hostBudget, deviceBudget) {
    cache.onEvict = [this](const std::string& key) { evicted.push_back(key); };
  }
};

}  // namespace

class ModelCacheTest : public QObject {
  Q_OBJECT

 private slots:
  void evictsLeastRecentlyUsedFirst() {
    RecordingCache recording(300, 1000);
    auto& cache = recording.cache;
    const auto& evicted = recording.evicted;
    cache.insert(entry("a", 100));
    cache.insert(entry("b", 100));
    cache.insert(entry("c", 100));
    QVERIFY(cache.find("a"));  // a is now the most recently used: b goes first
    cache.insert(entry("d", 100));
    QCOMPARE(evicted, std::vector<std::string>{"b"});
    QVERIFY(!cache.find("b"));
    QCOMPARE(cache.hostBytes(), std::int64_t{300});
    const auto infos = cache.describe();
    QCOMPARE(infos.size(), std::size_t{3});
    QCOMPARE(infos.front().path, std::string("d"));  // most recently used first
  }

  void makeRoomCountsTheDeviceBudgetToo() {
    RecordingCache recording(10'000, 250);
    auto& cache = recording.cache;
    const auto& evicted = recording.evicted;
    cache.insert(entry("a", 10, 100));
    cache.insert(entry("b", 10, 100));
    cache.makeRoom(0, 100);  // 200 + 100 > 250: the older one goes
    QCOMPARE(evicted, std::vector<std::string>{"a"});
    QCOMPARE(cache.deviceBytes(), std::int64_t{100});
  }

  void oversizedModelIsAdmittedAlone() {
    RecordingCache recording(100, 100);
    auto& cache = recording.cache;
    const auto& evicted = recording.evicted;
    cache.insert(entry("small", 50));
    const auto big = cache.insert(entry("big", 500));
    QVERIFY(big);
    QCOMPARE(evicted, std::vector<std::string>{"small"});
    QVERIFY(cache.find("big"));
    QCOMPARE(cache.hostBytes(), std::int64_t{500});
  }

  void reinsertReplacesTheOldEntry() {
    RecordingCache recording(1000, 1000);
    auto& cache = recording.cache;
    const auto& evicted = recording.evicted;
    cache.insert(entry("a", 100));
    cache.insert(entry("a", 200));
    QCOMPARE(evicted, std::vector<std::string>{"a"});
    QCOMPARE(cache.hostBytes(), std::int64_t{200});
  }

  void clearReportsEveryKeyIntact() {
    RecordingCache recording(1000, 1000);
    auto& cache = recording.cache;
    const auto& evicted = recording.evicted;
    // Keys longer than the small-string buffer: a dangling reference reads freed heap.
    const std::string first(64, 'x');
    const std::string second(64, 'y');
    cache.insert(entry(first, 10));
    cache.insert(entry(second, 10));
    cache.clear();
    QCOMPARE(evicted, (std::vector<std::string>{first, second}));
    QCOMPARE(cache.hostBytes(), std::int64_t{0});
    QVERIFY(cache.describe().empty());
  }

  void shrinkingTheBudgetEvicts() {
    RecordingCache recording(1000, 1000);
    auto& cache = recording.cache;
    const auto& evicted = recording.evicted;
    cache.insert(entry(std::string(40, 'a'), 400));
    cache.insert(entry(std::string(40, 'b'), 400));
    cache.setBudget(500, 1000);
    QCOMPARE(evicted, std::vector<std::string>{std::string(40, 'a')});
    QCOMPARE(cache.hostBudgetBytes(), std::int64_t{500});
  }
};

QTEST_GUILESS_MAIN(ModelCacheTest)
#include "tst_model_cache.moc"
