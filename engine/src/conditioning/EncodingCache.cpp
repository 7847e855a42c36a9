#include "conditioning/EncodingCache.h"

#include <cstring>
#include <utility>

namespace celerity {

namespace {

std::size_t tensorBytes(const at::Tensor& tensor) {
  return tensor.defined() ? static_cast<std::size_t>(tensor.numel()) * tensor.element_size() : 0;
}

}  // namespace

EncodingCache::EncodingCache(std::size_t capacityBytes) : capacityBytes_(capacityBytes) {}

std::string EncodingCache::flatKey(const EncodingKey& key) {
  // encoder, NUL, variant, then the raw token bytes: unambiguous and cheap to hash.
  std::string flat = key.encoder;
  flat.push_back('\0');
  flat += std::to_string(key.variant);
  flat.push_back('\0');
  const auto offset = flat.size();
  flat.resize(offset + key.tokens.size() * sizeof(std::int64_t));
  if (!key.tokens.empty()) {
    std::memcpy(&flat[offset], key.tokens.data(), key.tokens.size() * sizeof(std::int64_t));
  }
  return flat;
}

void EncodingCache::setEnabled(bool enabled) {
  std::lock_guard<std::mutex> lock(mutex_);
  enabled_ = enabled;
}

bool EncodingCache::enabled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return enabled_;
}

std::optional<CachedEncoding> EncodingCache::find(const EncodingKey& key) {
  const auto flat = flatKey(key);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!enabled_) {
    ++misses_;
    return std::nullopt;
  }
  const auto it = index_.find(flat);
  if (it == index_.end()) {
    ++misses_;
    return std::nullopt;
  }
  ++hits_;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->value;
}

void EncodingCache::insert(const EncodingKey& key, CachedEncoding value) {
  auto flat = flatKey(key);
  const auto size = tensorBytes(value.hidden) + tensorBytes(value.pooled);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!enabled_) return;
  const auto existing = index_.find(flat);
  if (existing != index_.end()) eraseLocked(existing->second);
  if (size > capacityBytes_) return;  // would evict everything and still not fit
  entries_.push_front(Entry{flat, key.encoder, std::move(value), size});
  index_.emplace(std::move(flat), entries_.begin());
  bytes_ += size;
  evictLocked();
}

void EncodingCache::clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  index_.clear();
  bytes_ = 0;
}

void EncodingCache::removeEncoder(const std::string& encoder) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    const auto next = std::next(it);
    if (it->encoder == encoder) eraseLocked(it);
    it = next;
  }
}

void EncodingCache::evictLocked() {
  while (bytes_ > capacityBytes_ && !entries_.empty()) eraseLocked(std::prev(entries_.end()));
}

void EncodingCache::eraseLocked(std::list<Entry>::iterator it) {
  bytes_ -= it->bytes;
  index_.erase(it->key);
  entries_.erase(it);
}

std::size_t EncodingCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

std::size_t EncodingCache::bytes() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bytes_;
}

std::int64_t EncodingCache::hits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return hits_;
}

std::int64_t EncodingCache::misses() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return misses_;
}

}  // namespace celerity
