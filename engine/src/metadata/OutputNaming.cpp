#include "metadata/OutputNaming.h"

#include <algorithm>
#include <cstdio>
#include <system_error>

#include "metadata/PythonFormat.h"

namespace celerity {

namespace fs = std::filesystem;

namespace {

// os.path.splitext(name)[0]: the extension starts at the last dot that follows a non-dot.
std::string withoutExtension(const std::string& name) {
  const auto dot = name.rfind('.');
  if (dot == std::string::npos) return name;
  const auto firstNonDot = name.find_first_not_of('.');
  if (firstNonDot == std::string::npos || dot < firstNonDot) return name;
  return name.substr(0, dot);
}

}  // namespace

long long nextSequenceNumber(const fs::path& folder) {
  long long result = -1;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string stem = withoutExtension(it->path().filename().string());
    const auto number = pyfmt::parseInt(stem.substr(0, stem.find('-')));
    if (number) result = std::max(result, *number);
  }
  return result + 1;
}

std::string outputFileName(long long number, long long seed, const std::string& extension) {
  char prefix[32];
  std::snprintf(prefix, sizeof prefix, "%05lld", number);
  return std::string(prefix) + "-" + std::to_string(seed) + "." + extension;
}

fs::path nextOutputPath(const fs::path& folder, long long seed, const std::string& extension) {
  const long long base = nextSequenceNumber(folder);
  fs::path candidate;
  for (int i = 0; i < 500; ++i) {
    candidate = folder / outputFileName(base + i, seed, extension);
    std::error_code ec;
    if (!fs::exists(candidate, ec)) break;
  }
  return candidate;
}

}  // namespace celerity
