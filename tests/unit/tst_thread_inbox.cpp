// The hand-off between threads (ui/ThreadInbox): tasks posted from other threads run on the
// inbox's own thread, in the order they were posted, each once; discard() drops what has not
// run; tasks still queued when the inbox goes are destroyed, never run.
#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "ThreadInbox.h"

using celerity::ui::ThreadInbox;

class TestThreadInbox : public QObject {
  Q_OBJECT

 private slots:
  void tasksFromOtherThreadsRunHereInOrder() {
    ThreadInbox inbox;
    std::vector<int> order;  // touched only on this thread, by the tasks
    std::vector<QThread*> ranOn;
    constexpr int kTasks = 200;
    std::thread producer([&inbox, &order, &ranOn]() {
      for (int i = 0; i < kTasks; ++i) {
        inbox.post([i, &order, &ranOn]() {
          order.push_back(i);
          ranOn.push_back(QThread::currentThread());
        });
      }
    });
    producer.join();
    QVERIFY(order.empty());  // nothing runs before this thread's event loop does
    QTRY_COMPARE(static_cast<int>(order.size()), kTasks);
    for (int i = 0; i < kTasks; ++i) QCOMPARE(order[static_cast<std::size_t>(i)], i);
    for (QThread* thread : ranOn) QCOMPARE(thread, QThread::currentThread());
  }

  void discardDropsWhatHasNotRun() {
    ThreadInbox inbox;
    int runs = 0;
    inbox.post([&runs]() { ++runs; });
    inbox.post([&runs]() { ++runs; });
    inbox.discard();
    QCoreApplication::processEvents();
    QCOMPARE(runs, 0);
    inbox.post([&runs]() { ++runs; });
    QTRY_COMPARE(runs, 1);
  }

  void queuedTasksDieWithTheInbox() {
    auto alive = std::make_shared<int>(0);
    std::weak_ptr<int> watch = alive;
    int runs = 0;
    {
      ThreadInbox inbox;
      inbox.post([alive, &runs]() { ++runs; });
      alive.reset();
      QVERIFY(!watch.expired());  // held by the queued task
    }
    QVERIFY(watch.expired());  // destroyed with the inbox
    QCoreApplication::processEvents();
    QCOMPARE(runs, 0);
  }
};

QTEST_GUILESS_MAIN(TestThreadInbox)
#include "tst_thread_inbox.moc"
