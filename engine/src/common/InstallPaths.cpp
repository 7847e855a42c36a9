#include "common/InstallPaths.h"

#include <system_error>

namespace fs = std::filesystem;

namespace celerity {

fs::path executablePath() {
  std::error_code ec;
  fs::path path = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : path;
}

fs::path programDataFolderFor(const fs::path& executableFolder) {
  if (executableFolder.empty()) return {};
  // bin/ → prefix (installed); app/cli/ → build, tests/ → build (build tree).
  fs::path ancestor = executableFolder;
  for (int level = 0; level < 3; ++level) {
    if (!ancestor.has_parent_path() || ancestor.parent_path() == ancestor) break;
    ancestor = ancestor.parent_path();
    const fs::path candidate = ancestor / "share" / "celerity";
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) return candidate;
  }
  return {};
}

fs::path programDataFolder() {
  const fs::path executable = executablePath();
  return executable.empty() ? fs::path() : programDataFolderFor(executable.parent_path());
}

}  // namespace celerity
