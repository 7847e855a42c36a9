#include "ThreadInbox.h"

#include <utility>

namespace celerity::ui {

void ThreadInbox::post(std::function<void()> task) {
  // The wake-up is queued under the lock: the receiving thread cannot take the task (and, at
  // shutdown, finish and delete the inbox's owner) before this call is done with the object.
  // By name: Qt carries no data of ours across the threads.
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.push_back(std::move(task));
  QMetaObject::invokeMethod(this, "runPosted", Qt::QueuedConnection);
}

ThreadInbox::~ThreadInbox() {
  // Under the lock: tasks another thread posted are destroyed after its post() is seen.
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.clear();
}

void ThreadInbox::discard() {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_.clear();
}

void ThreadInbox::runPosted() {
  // One task per wake-up, as one queued call is one event: the receiving thread's other events
  // (input, painting) interleave with a long run of tasks, and an event loop that stops after
  // an event stops after one task.
  std::function<void()> task;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (tasks_.empty()) return;  // discarded
    task = std::move(tasks_.front());
    tasks_.pop_front();
  }
  task();
}

}  // namespace celerity::ui
