#include "common/ManifestSupport.h"

#include <fstream>

#include "celerity/Error.h"
#include "common/GoldenSupport.h"

namespace celerity::test {

Manifest loadManifest(const std::string& fileName) {
  const auto path = goldenPath(fileName);
  std::ifstream in(path);
  if (!in) throw CelerityError(ErrorCode::FileNotFound, "cannot open manifest", path.string());
  Manifest manifest;
  try {
    in >> manifest.json;
    for (const auto& [name, entry] : manifest.json.at("tensors").items()) {
      manifest.shapes.add(name, entry.at("shape").get<std::vector<std::int64_t>>(),
                          entry.at("dtype").get<std::string>());
    }
  } catch (const nlohmann::json::exception& e) {
    throw CelerityError(ErrorCode::MalformedFile, e.what(), path.string());
  }
  manifest.shapes.source = path.string();
  return manifest;
}

std::map<std::string, std::vector<std::int64_t>> manifestTensors(
    const Manifest& manifest, const std::string& prefix,
    const std::vector<std::string>& ignoredSuffixes) {
  std::map<std::string, std::vector<std::int64_t>> result;
  for (const auto& [name, entry] : manifest.shapes.entries()) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    bool ignored = false;
    for (const auto& suffix : ignoredSuffixes) {
      ignored = ignored || (name.size() >= suffix.size() &&
                            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0);
    }
    if (!ignored) result[name] = entry.shape;
  }
  return result;
}

}  // namespace celerity::test
