#include "io/ShapeMap.h"

#include <cctype>

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"

namespace celerity {

ShapeMap ShapeMap::of(const SafetensorsFile& file) {
  ShapeMap map;
  for (const auto& info : file.tensors()) map.add(info.name, info.shape, dtypeName(info.dtype));
  map.metadata = file.metadata();
  map.source = file.path().string();
  return map;
}

void ShapeMap::add(const std::string& name, std::vector<std::int64_t> shape, std::string dtype) {
  entries_[name] = ShapeEntry{std::move(shape), std::move(dtype)};
}

const std::vector<std::int64_t>& ShapeMap::shape(const std::string& name) const {
  const auto it = entries_.find(name);
  if (it == entries_.end()) {
    throw CelerityError(ErrorCode::WeightMismatch, "required tensor is missing",
                        source.empty() ? name : source + " [" + name + "]");
  }
  return it->second.shape;
}

std::optional<std::vector<std::int64_t>> ShapeMap::findShape(const std::string& name) const {
  const auto it = entries_.find(name);
  if (it == entries_.end()) return std::nullopt;
  return it->second.shape;
}

bool ShapeMap::hasPrefix(const std::string& prefix) const {
  const auto it = entries_.lower_bound(prefix);
  return it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

int ShapeMap::countIndexed(const std::string& prefix) const {
  int count = 0;
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    const std::string rest = it->first.substr(prefix.size());
    std::size_t digits = 0;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) ++digits;
    if (digits == 0 || digits >= rest.size() || rest[digits] != '.') continue;
    count = std::max(count, std::stoi(rest.substr(0, digits)) + 1);
  }
  return count;
}

}  // namespace celerity
