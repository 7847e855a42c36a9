#pragma once
// Tensor names and shapes without data: what model configs and checkpoint detection read.
// Made from a safetensors file, or from a manifest of a real checkpoint in the tests.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace celerity {

class SafetensorsFile;

struct ShapeEntry {
  std::vector<std::int64_t> shape;
  std::string dtype;  // safetensors spelling: F32, F16, BF16, I64, ...
};

class ShapeMap {
 public:
  ShapeMap() = default;
  static ShapeMap of(const SafetensorsFile& file);

  void add(const std::string& name, std::vector<std::int64_t> shape, std::string dtype);
  bool contains(const std::string& name) const { return entries_.count(name) != 0; }
  // Throws CelerityError(WeightMismatch) naming the tensor when it is absent.
  const std::vector<std::int64_t>& shape(const std::string& name) const;
  std::optional<std::vector<std::int64_t>> findShape(const std::string& name) const;
  bool hasPrefix(const std::string& prefix) const;
  // Highest N + 1 over keys `prefix + N + "."…`, 0 when there is none.
  int countIndexed(const std::string& prefix) const;

  const std::map<std::string, ShapeEntry>& entries() const { return entries_; }
  // Metadata of the source file (`__metadata__`), where it came from a file.
  std::map<std::string, std::string> metadata;
  std::string source;  // file path or manifest name, for error messages

 private:
  std::map<std::string, ShapeEntry> entries_;
};

}  // namespace celerity
