#pragma once
// Checkpoints kept resident between jobs: each entry holds the loaded model and its
// generation pipeline (whose text-encoding cache lives as long as the model). A byte budget
// per memory (host RAM, device VRAM) bounds what stays; the least recently used models are
// evicted first, and a job's own model never is while it runs (shared ownership). Not
// thread-safe: the engine thread owns it.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "celerity/Engine.h"

namespace celerity {

class GraphedUNet;

class GenerationPipeline;
class LoadedModel;
class LoraPatcher;

struct CachedModel {
  std::string key;  // canonical path of the checkpoint
  std::shared_ptr<LoadedModel> model;
  std::shared_ptr<GenerationPipeline> pipeline;
  std::shared_ptr<LoraPatcher> lora;  // the LoRAs merged into this model (kept across jobs)
  std::shared_ptr<GraphedUNet> graphs;  // unet.cuda_graphs: captured UNet forwards
  std::int64_t hostBytes = 0;
  std::int64_t deviceBytes = 0;
  double loadMs = 0.0;
  std::uint64_t lastUsed = 0;
};

class ModelCache {
 public:
  ModelCache(std::int64_t hostBudgetBytes, std::int64_t deviceBudgetBytes);

  // The entry for `key`, marked as just used; null when it is not resident.
  std::shared_ptr<CachedModel> find(const std::string& key);
  // Evicts least recently used entries until `hostBytes`/`deviceBytes` more would fit (a
  // model larger than the whole budget empties the cache and is admitted alone).
  void makeRoom(std::int64_t hostBytes, std::int64_t deviceBytes);
  // Adds a freshly loaded model (marked as just used), then evicts others that no longer fit.
  std::shared_ptr<CachedModel> insert(CachedModel entry);
  void evict(const std::string& key);
  void clear();

  void setBudget(std::int64_t hostBudgetBytes, std::int64_t deviceBudgetBytes);
  std::int64_t hostBudgetBytes() const { return hostBudget_; }
  std::int64_t deviceBudgetBytes() const { return deviceBudget_; }
  std::int64_t hostBytes() const;
  std::int64_t deviceBytes() const;
  std::vector<LoadedModelInfo> describe() const;

  // Called with the key of every evicted model (logging, tests).
  std::function<void(const std::string&)> onEvict;

 private:
  void evictUntil(std::int64_t hostLimit, std::int64_t deviceLimit, const std::string& keep);

  std::int64_t hostBudget_;
  std::int64_t deviceBudget_;
  std::uint64_t clock_ = 0;
  std::vector<std::shared_ptr<CachedModel>> entries_;
};

// Bytes of a model's parameters and buffers on the host and on devices.
struct ModelFootprint {
  std::int64_t hostBytes = 0;
  std::int64_t deviceBytes = 0;
};
ModelFootprint measureFootprint(LoadedModel& model);

}  // namespace celerity
