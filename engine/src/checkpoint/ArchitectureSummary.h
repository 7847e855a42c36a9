#pragma once
// One line per component with the hyper-parameters read from its weights (what
// `celerity-cli inspect` prints under the component list).
#include <string>
#include <vector>

#include "celerity/CheckpointInfo.h"
#include "io/ShapeMap.h"

namespace celerity {

// A component whose config cannot be read gets a line saying why instead of a config.
std::vector<std::string> describeArchitecture(const ShapeMap& shapes, const CheckpointInfo& info);

}  // namespace celerity
