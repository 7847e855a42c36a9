#include "lora/LoraDeltaCache.h"

namespace celerity {

LoraDeltaCache::LoraDeltaCache(std::size_t capacityBytes) : capacityBytes_(capacityBytes) {}

at::Tensor LoraDeltaCache::find(const std::string& key) {
  const auto it = index_.find(key);
  if (it == index_.end()) return {};
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->delta;
}

void LoraDeltaCache::insert(const std::string& key, const at::Tensor& delta) {
  if (const auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->bytes;
    entries_.erase(it->second);
    index_.erase(it);
  }
  const auto size = static_cast<std::size_t>(delta.numel()) * delta.element_size();
  if (size > capacityBytes_) return;
  entries_.push_front({key, delta, size});
  index_[key] = entries_.begin();
  bytes_ += size;
  evict();
}

void LoraDeltaCache::removePrefix(const std::string& prefix) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->key.compare(0, prefix.size(), prefix) == 0) {
      bytes_ -= it->bytes;
      index_.erase(it->key);
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

void LoraDeltaCache::clear() {
  entries_.clear();
  index_.clear();
  bytes_ = 0;
}

void LoraDeltaCache::setCapacity(std::size_t capacityBytes) {
  capacityBytes_ = capacityBytes;
  evict();
}

void LoraDeltaCache::evict() {
  while (bytes_ > capacityBytes_ && !entries_.empty()) {
    bytes_ -= entries_.back().bytes;
    index_.erase(entries_.back().key);
    entries_.pop_back();
  }
}

}  // namespace celerity
