#pragma once
// A GenerationEngine for the studio's tests: no models, no torch. It plays a job the way the
// real engine reports one — started, stages (load.checkpoint, text.encode, sample.step,
// vae.decode), progress and a small preview every step, then exactly one final event — and
// follows a script shared with the test: hold every job at its first step until released,
// fail a job whose prompt contains "FAIL" (after its first step) or whose checkpoint path
// contains "missing" (at load). Cancel is honoured at every step and while held; "finish
// current image" ends the job after the running batch. Every enabled detailer tab "finds"
// one kRegionSide² square region per image (tab t at x = 4 + 16·t, y = 4, score 0.9 − 0.1·t,
// label "face" for the built-in detector, else "object"), with its mask.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "celerity/Engine.h"

namespace celerity::testing {

class FakeEngineScript {
 public:
  // While on, every Generate job waits at its first step (cancel still ends it).
  void setHold(bool hold);
  // Turns hold off and wakes held jobs.
  void release() { setHold(false); }

  // Jobs in the order run() saw them, with their kinds and requests (any thread).
  std::vector<JobId> ranJobs() const;
  std::vector<Request> ranRequests() const;
  std::vector<JobKind> ranKinds() const;
  int loadCount() const;  // load.checkpoint stages run so far

 private:
  friend class FakeEngine;
  // Blocks while hold is on and the token has not been set.
  void waitWhileHeld(const CancelToken* cancel);
  void record(const Job& job);
  void countLoad();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  std::vector<JobId> ran_;
  std::vector<JobKind> kinds_;
  std::vector<Request> requests_;
  int loads_ = 0;
};

class FakeEngine final : public GenerationEngine {
 public:
  static constexpr int kPreviewSide = 8;
  static constexpr std::int64_t kFirstSeed = 1000;  // seeds given to −1 requests: 1000, 1001, …
  static constexpr int kRegionSide = 12;

  explicit FakeEngine(std::shared_ptr<FakeEngineScript> script);

  JobResult run(const Job& job) override;
  std::vector<LoadedModelInfo> loadedModels() const override;
  DeviceCapabilities capabilities() const override { return {}; }
  void unloadAll() override;

 private:
  class Recorder;
  static void addDetailedRegions(const DetailerParams& detailer, GeneratedImage& image);

  std::shared_ptr<FakeEngineScript> script_;
  mutable std::mutex mutex_;
  std::vector<std::string> loaded_;
  std::uint64_t uses_ = 0;
};

}  // namespace celerity::testing
