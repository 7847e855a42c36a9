#pragma once
// A1111's file hashes: the SHA-256 of a whole checkpoint or VAE file, written to the infotext
// as its first 10 hex digits ("Model hash", "VAE hash"; Civitai links resources by them).
// Hashing a multi-GB checkpoint takes seconds, so results are kept per (path, size,
// modification time) in memory and, given a cache file, on disk across runs — as A1111's
// cache.json does; a changed file is hashed again. Not thread-safe: the engine thread owns it.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace celerity {

class FileHashCache {
 public:
  // `cacheFile` empty: memory only. An unreadable or malformed cache file is ignored (and
  // rewritten on the next new hash); failing to write it only loses the cache.
  explicit FileHashCache(std::filesystem::path cacheFile = {});

  // The file's SHA-256 (64 hex digits), from the cache when the file is unchanged. Throws
  // CelerityError (FileNotFound / FileUnreadable) naming the file.
  std::string sha256(const std::filesystem::path& file);
  // The cached value, without hashing.
  std::optional<std::string> cached(const std::filesystem::path& file) const;

  int hashesComputed() const { return computed_; }

  // A1111's short form: the first 10 hex digits.
  static std::string shortHash(const std::string& sha256) { return sha256.substr(0, 10); }

 private:
  struct Entry {
    std::uintmax_t size = 0;
    std::int64_t mtime = 0;
    std::string sha256;
  };
  static std::optional<std::pair<std::string, Entry>> keyOf(const std::filesystem::path& file);
  void load();
  void save() const;

  std::filesystem::path cacheFile_;
  std::map<std::string, Entry> entries_;  // by canonical path
  int computed_ = 0;
};

}  // namespace celerity
