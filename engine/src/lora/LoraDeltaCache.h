#pragma once
// The merge cache's memory (`lora.merge_cache`): each adapter's ΔW for its target, fp32 on
// the weight's device, so that re-weighting, removing or re-adding a LoRA costs one add per
// touched tensor and no reconstruction from factors. Least recently used entries go first
// past the byte budget; an entry larger than the budget is not kept.
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

#include <ATen/core/Tensor.h>

namespace celerity {

class LoraDeltaCache {
 public:
  explicit LoraDeltaCache(std::size_t capacityBytes);

  // Undefined when absent.
  at::Tensor find(const std::string& key);
  void insert(const std::string& key, const at::Tensor& delta);
  // Drops every entry whose key starts with `prefix` (a file that changed on disk).
  void removePrefix(const std::string& prefix);
  void clear();

  void setCapacity(std::size_t capacityBytes);
  std::size_t capacityBytes() const { return capacityBytes_; }
  std::size_t bytes() const { return bytes_; }
  std::size_t size() const { return index_.size(); }

 private:
  struct Entry {
    std::string key;
    at::Tensor delta;
    std::size_t bytes = 0;
  };
  void evict();

  std::size_t capacityBytes_;
  std::size_t bytes_ = 0;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace celerity
