#pragma once
// Reader of the safetensors format over a memory map. Everything in the header is checked
// before any byte of data is trusted; tensors are zero-copy views of the mapping that keep
// the file mapped for as long as they live.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>

#include "io/DType.h"

namespace celerity {

class MappedFile;

struct TensorInfo {
  std::string name;
  DType dtype = DType::Invalid;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;  // byte offsets inside the data section
  std::uint64_t end = 0;

  std::int64_t numel() const;
  std::uint64_t byteSize() const { return end - begin; }
};

class SafetensorsFile {
 public:
  // Upper bound for the JSON header (the format's own limit is 100 MB).
  static constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

  // Opens and validates. Throws CelerityError naming the file and the offending field;
  // pickle files (.ckpt, .pt, .pth, .bin, or pickle/zip bytes) are refused as unsafe.
  static std::shared_ptr<SafetensorsFile> open(const std::filesystem::path& path);

  const std::filesystem::path& path() const;
  // Tensors in the order of their data (their header order is not meaningful).
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  std::optional<std::string> metadataValue(const std::string& key) const;

  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  const TensorInfo* find(const std::string& name) const;
  // Zero-copy view (copied only when the bytes are misaligned for the element type).
  // Throws CelerityError when the tensor is absent or its dtype has no ATen type here.
  at::Tensor tensor(const std::string& name) const;
  at::Tensor tensor(const TensorInfo& info) const;

  // Names with the given prefix, in data order.
  std::vector<std::string> namesWithPrefix(const std::string& prefix) const;

 private:
  SafetensorsFile() = default;
  void parseHeader();

  std::shared_ptr<MappedFile> file_;
  std::uint64_t dataOffset_ = 0;
  std::vector<TensorInfo> tensors_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, std::string> metadata_;
};

// True for files that must never be read: pickle-based checkpoints can run code on load.
bool looksLikePickle(const std::filesystem::path& path, const std::uint8_t* head, std::size_t size);

}  // namespace celerity
