#pragma once
// Streaming writer of the safetensors format. Every tensor is declared first (name, dtype,
// shape), then the header is written and the tensors' bytes follow in declaration order, a
// piece at a time: a multi-gigabyte checkpoint never has to be in memory at once. The file
// appears under its name only when `finish()` succeeds (written to a temporary file in the
// same folder, then renamed); a writer destroyed before that removes the temporary file.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

#include "io/DType.h"

namespace celerity {

struct SafetensorsEntry {
  std::string name;
  DType dtype = DType::Invalid;
  std::vector<std::int64_t> shape;

  std::uint64_t byteSize() const;
};

class SafetensorsWriter {
 public:
  explicit SafetensorsWriter(std::filesystem::path path);
  ~SafetensorsWriter();

  SafetensorsWriter(const SafetensorsWriter&) = delete;
  SafetensorsWriter& operator=(const SafetensorsWriter&) = delete;

  // Before `begin()`. Names must be unique, not empty and not `__metadata__`.
  void add(std::string name, DType dtype, std::vector<std::int64_t> shape);
  void setMetadata(const std::string& key, const std::string& value);

  // Writes the header (8-byte little-endian length, JSON padded with spaces to a multiple of
  // 8 bytes); the data of the first tensor comes next.
  void begin();
  // Appends raw bytes, which may span tensors; more than the declared total is an error.
  void write(const void* data, std::size_t bytes);
  // Appends the whole next tensor; its dtype and shape must equal its declaration. Empty
  // tensors hold no bytes and are skipped without a call.
  void writeTensor(const at::Tensor& tensor);
  // Checks that every declared byte was written, flushes, closes and renames into place.
  void finish();

  const std::filesystem::path& path() const { return path_; }
  const std::vector<SafetensorsEntry>& entries() const { return entries_; }
  // Index of the tensor the next written byte belongs to (entries().size() when done).
  std::size_t nextTensor() const { return current_; }
  std::uint64_t dataBytes() const { return totalBytes_; }
  std::uint64_t fileBytes() const { return headerBytes_ + totalBytes_; }

 private:
  [[noreturn]] void fail(const std::string& message) const;
  void abandon() noexcept;

  std::filesystem::path path_;
  std::filesystem::path tempPath_;
  std::vector<SafetensorsEntry> entries_;
  std::map<std::string, std::string> metadata_;
  std::map<std::string, std::size_t> index_;
  std::FILE* file_ = nullptr;
  std::uint64_t headerBytes_ = 0;
  std::uint64_t totalBytes_ = 0;
  std::uint64_t writtenBytes_ = 0;
  std::size_t current_ = 0;          // tensor being written
  std::uint64_t currentEnd_ = 0;     // data offset where it ends
  bool begun_ = false;
  bool finished_ = false;
};

// Writes small tensor sets in one call (tests, exports): CPU tensors in their own dtypes.
void writeSafetensors(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace celerity
