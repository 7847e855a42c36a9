#pragma once
// Text-encoder outputs of single 77-token rows, kept while the model stays loaded so that a
// prompt repeated across jobs (or the same negative prompt every time) skips the encoder.
// A row is keyed by the encoder's identity, the output it was asked for (e.g. the CLIP
// skip) and its exact token ids. Emphasis is not part of the key: the cache holds the
// encoder's raw output and the (cheap) weighting runs on every use, because A1111's
// "Original" mode normalises over the whole batch a row ends up in. Least recently used rows
// are dropped past the byte budget. Thread-safe.
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <ATen/ATen.h>

namespace celerity {

struct EncodingKey {
  std::string encoder;                // identity of the loaded weights (+ role, e.g. "clip_l")
  int variant = 0;                    // which output: e.g. the CLIP skip it depends on
  std::vector<std::int64_t> tokens;   // the row as fed to the encoder
};

struct CachedEncoding {
  at::Tensor hidden;  // [T, C]
  at::Tensor pooled;  // [P]; undefined for encoders without a pooled output
};

class EncodingCache {
 public:
  static constexpr std::size_t kDefaultCapacityBytes = std::size_t{128} << 20;

  explicit EncodingCache(std::size_t capacityBytes = kDefaultCapacityBytes);

  std::optional<CachedEncoding> find(const EncodingKey& key);
  void insert(const EncodingKey& key, CachedEncoding value);

  // Disabled (`text.cache` off): find() misses and insert() keeps nothing.
  void setEnabled(bool enabled);
  bool enabled() const;

  // Drops every row; call it when the weights change (model unloaded, LoRA merged into
  // the text encoder) unless the encoder identity changes with them.
  void clear();
  // Drops the rows of one encoder identity.
  void removeEncoder(const std::string& encoder);

  std::size_t size() const;
  std::size_t bytes() const;
  std::size_t capacityBytes() const { return capacityBytes_; }
  std::int64_t hits() const;
  std::int64_t misses() const;

 private:
  struct Entry {
    std::string key;
    std::string encoder;
    CachedEncoding value;
    std::size_t bytes = 0;
  };
  static std::string flatKey(const EncodingKey& key);
  void evictLocked();
  void eraseLocked(std::list<Entry>::iterator it);

  std::size_t capacityBytes_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  bool enabled_ = true;
  std::int64_t hits_ = 0;
  std::int64_t misses_ = 0;
};

}  // namespace celerity
