#include "runtime/FileHashCache.h"

#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "celerity/Error.h"
#include "common/Log.h"
#include "lora/Sha256.h"

namespace celerity {

FileHashCache::FileHashCache(std::filesystem::path cacheFile) : cacheFile_(std::move(cacheFile)) { load(); }

std::optional<std::pair<std::string, FileHashCache::Entry>> FileHashCache::keyOf(const std::filesystem::path& file) {
  std::error_code error;
  const auto canonical = std::filesystem::canonical(file, error);
  if (error) return std::nullopt;
  Entry entry;
  entry.size = std::filesystem::file_size(canonical, error);
  if (error) return std::nullopt;
  const auto time = std::filesystem::last_write_time(canonical, error);
  if (error) return std::nullopt;
  entry.mtime = static_cast<std::int64_t>(time.time_since_epoch().count());
  return std::make_pair(canonical.string(), entry);
}

std::optional<std::string> FileHashCache::cached(const std::filesystem::path& file) const {
  const auto key = keyOf(file);
  if (!key) return std::nullopt;
  const auto found = entries_.find(key->first);
  if (found == entries_.end() || found->second.size != key->second.size || found->second.mtime != key->second.mtime) {
    return std::nullopt;
  }
  return found->second.sha256;
}

std::string FileHashCache::sha256(const std::filesystem::path& file) {
  if (auto hit = cached(file)) return *hit;
  auto key = keyOf(file);
  if (!key) throw CelerityError(ErrorCode::FileNotFound, "file not found", file.string());
  key->second.sha256 = Sha256::hashFile(key->first);
  ++computed_;
  entries_[key->first] = key->second;
  save();
  return key->second.sha256;
}

void FileHashCache::load() {
  if (cacheFile_.empty()) return;
  std::ifstream in(cacheFile_);
  if (!in) return;
  try {
    const auto json = nlohmann::json::parse(in);
    for (const auto& [path, value] : json.at("sha256").items()) {
      Entry entry;
      entry.size = value.at("size").get<std::uintmax_t>();
      entry.mtime = value.at("mtime").get<std::int64_t>();
      entry.sha256 = value.at("sha256").get<std::string>();
      if (entry.sha256.size() == 64) entries_[path] = entry;
    }
  } catch (const std::exception& e) {
    engineLog()->warn("ignoring the hash cache {}: {}", cacheFile_.string(), e.what());
    entries_.clear();
  }
}

void FileHashCache::save() const {
  if (cacheFile_.empty()) return;
  nlohmann::json json;
  auto& hashes = json["sha256"] = nlohmann::json::object();
  for (const auto& [path, entry] : entries_) {
    hashes[path] = {{"size", entry.size}, {"mtime", entry.mtime}, {"sha256", entry.sha256}};
  }
  std::error_code error;
  std::filesystem::create_directories(cacheFile_.parent_path(), error);
  // Written beside and renamed over, so that a crash never leaves half a cache.
  const auto temporary = cacheFile_.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << json.dump(1);
    if (!out) {
      engineLog()->warn("cannot write the hash cache {}", cacheFile_.string());
      return;
    }
  }
  std::filesystem::rename(temporary, cacheFile_, error);
  if (error) engineLog()->warn("cannot write the hash cache {}: {}", cacheFile_.string(), error.message());
}

}  // namespace celerity
