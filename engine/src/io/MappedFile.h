#pragma once
// A read-only view of a whole file through a private memory mapping. Pages are copy-on-write:
// a tensor that views the mapping may be modified in memory (a LoRA merge, say) without ever
// writing to the file.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

namespace celerity {

class MappedFile {
 public:
  // Throws CelerityError (FileNotFound / FileUnreadable) naming the path.
  static std::shared_ptr<MappedFile> open(const std::filesystem::path& path);
  ~MappedFile();

  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  MappedFile() = default;
  std::filesystem::path path_;
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace celerity
