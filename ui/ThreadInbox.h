#pragma once
// Work handed to the thread an object lives in: post() from any thread, the tasks run in
// order on the inbox's own thread. The tasks (and the data they carry: a job, an event) travel
// through a mutex-guarded queue and Qt only carries the wake-up, so the hand-off is visible to
// ThreadSanitizer, which cannot see the locking of Debian's uninstrumented Qt
// (docs/HARDENING.md). The studio's engine thread has one, the GUI side one for the engine's
// events, the LoRA panel one for its background listing.
#include <QObject>
#include <deque>
#include <functional>
#include <mutex>

namespace celerity::ui {

class ThreadInbox : public QObject {
  Q_OBJECT

 public:
  using QObject::QObject;
  ~ThreadInbox() override;

  void post(std::function<void()> task);
  // Drops the tasks not yet run (shutdown: they may refer to objects about to go).
  void discard();

 private slots:
  void runPosted();

 private:
  std::mutex mutex_;
  std::deque<std::function<void()>> tasks_;
};

}  // namespace celerity::ui
