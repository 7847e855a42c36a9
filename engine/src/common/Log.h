#pragma once
// One named spdlog logger per area ("engine", "cli", "ui"), created on first use.
#include <memory>
#include <string>

namespace spdlog { class logger; }

namespace celerity {

std::shared_ptr<spdlog::logger> logger(const std::string& area);
inline std::shared_ptr<spdlog::logger> engineLog() { return logger("engine"); }

}  // namespace celerity
