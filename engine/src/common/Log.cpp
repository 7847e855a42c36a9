#include "common/Log.h"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace celerity {

std::shared_ptr<spdlog::logger> logger(const std::string& area) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto existing = spdlog::get(area)) return existing;
  auto created = spdlog::stderr_color_mt(area);
  return created;
}

}  // namespace celerity
