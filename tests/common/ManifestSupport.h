#pragma once
// The manifests of real full-size checkpoints (manifest_sd15.json, manifest_sdxl.json):
// tensor names, shapes and dtypes, and the per-component counts the reference recorded.
#include <string>

#include <nlohmann/json.hpp>

#include "io/ShapeMap.h"

namespace celerity::test {

struct Manifest {
  nlohmann::json json;  // the whole document (components, facts, ...)
  ShapeMap shapes;      // every entry of `tensors`
};

// Reads <golden dir>/<fileName>; throws CelerityError when it is missing or malformed.
Manifest loadManifest(const std::string& fileName);

// The manifest's tensors under `prefix`, minus those ending in one of `ignoredSuffixes`.
std::map<std::string, std::vector<std::int64_t>> manifestTensors(
    const Manifest& manifest, const std::string& prefix,
    const std::vector<std::string>& ignoredSuffixes = {});

}  // namespace celerity::test
