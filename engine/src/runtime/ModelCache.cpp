#include "runtime/ModelCache.h"

#include <algorithm>

#include "checkpoint/CheckpointDetector.h"
#include "pipeline/LoadedModel.h"

namespace celerity {

ModelCache::ModelCache(std::int64_t hostBudgetBytes, std::int64_t deviceBudgetBytes)
    : hostBudget_(hostBudgetBytes), deviceBudget_(deviceBudgetBytes) {}

std::shared_ptr<CachedModel> ModelCache::find(const std::string& key) {
  for (auto& entry : entries_) {
    if (entry->key == key) {
      entry->lastUsed = ++clock_;
      return entry;
    }
  }
  return nullptr;
}

void ModelCache::makeRoom(std::int64_t hostBytes, std::int64_t deviceBytes) {
  evictUntil(hostBudget_ - hostBytes, deviceBudget_ - deviceBytes, {});
}

std::shared_ptr<CachedModel> ModelCache::insert(CachedModel entry) {
  evict(entry.key);
  entry.lastUsed = ++clock_;
  auto shared = std::make_shared<CachedModel>(std::move(entry));
  entries_.push_back(shared);
  evictUntil(hostBudget_, deviceBudget_, shared->key);
  return shared;
}

void ModelCache::evict(const std::string& key) {
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) { return e->key == key; });
  if (it == entries_.end()) return;
  // `key` may be the entry's own key (clear(), evictUntil()): keep a copy past the erase.
  const std::string evicted = (*it)->key;
  entries_.erase(it);
  if (onEvict) onEvict(evicted);
}

void ModelCache::clear() {
  while (!entries_.empty()) evict(entries_.front()->key);
}

void ModelCache::setBudget(std::int64_t hostBudgetBytes, std::int64_t deviceBudgetBytes) {
  hostBudget_ = hostBudgetBytes;
  deviceBudget_ = deviceBudgetBytes;
  evictUntil(hostBudget_, deviceBudget_, {});
}

std::int64_t ModelCache::hostBytes() const {
  std::int64_t total = 0;
  for (const auto& entry : entries_) total += entry->hostBytes;
  return total;
}

std::int64_t ModelCache::deviceBytes() const {
  std::int64_t total = 0;
  for (const auto& entry : entries_) total += entry->deviceBytes;
  return total;
}

void ModelCache::evictUntil(std::int64_t hostLimit, std::int64_t deviceLimit, const std::string& keep) {
  while (hostBytes() > hostLimit || deviceBytes() > deviceLimit) {
    std::shared_ptr<CachedModel> oldest;
    for (const auto& entry : entries_) {
      if (entry->key == keep) continue;
      if (!oldest || entry->lastUsed < oldest->lastUsed) oldest = entry;
    }
    if (!oldest) return;  // only `keep` is left: it is admitted even when it alone is too big
    evict(oldest->key);
  }
}

std::vector<LoadedModelInfo> ModelCache::describe() const {
  std::vector<LoadedModelInfo> infos;
  for (const auto& entry : entries_) {
    LoadedModelInfo info;
    info.path = entry->key;
    info.family = entry->model ? modelFamilyName(entry->model->family()) : "";
    info.hostBytes = entry->hostBytes;
    info.deviceBytes = entry->deviceBytes;
    info.loadMs = entry->loadMs;
    info.lastUsed = entry->lastUsed;
    infos.push_back(std::move(info));
  }
  std::sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) { return a.lastUsed > b.lastUsed; });
  return infos;
}

ModelFootprint measureFootprint(LoadedModel& model) {
  ModelFootprint footprint;
  const auto add = [&](const torch::nn::Module& module) {
    for (const auto& tensor : module.parameters()) {
      const auto bytes = static_cast<std::int64_t>(tensor.numel() * tensor.element_size());
      (tensor.is_cuda() ? footprint.deviceBytes : footprint.hostBytes) += bytes;
    }
    for (const auto& tensor : module.buffers()) {
      const auto bytes = static_cast<std::int64_t>(tensor.numel() * tensor.element_size());
      (tensor.is_cuda() ? footprint.deviceBytes : footprint.hostBytes) += bytes;
    }
  };
  add(*model.unet());
  add(*model.vae());
  add(*model.clipL());
  if (model.openClipG()) add(*model.openClipG());
  return footprint;
}

}  // namespace celerity
