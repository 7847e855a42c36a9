#pragma once
// Where the running program's own data is, found from the program's location so that an
// installed tree or an unpacked .tar.gz works wherever it is put: <prefix>/bin/celerity-cli
// reads <prefix>/share/celerity. In a build tree the executables sit one or two folders
// deeper (build/app/cli/celerity-cli, build/tests/tst_x) and the build folder's
// share/celerity mirrors the installed one. No path of the build machine is compiled in.
#include <filesystem>

namespace celerity {

// The running executable (/proc/self/exe); empty when the system does not say.
std::filesystem::path executablePath();

// The first <ancestor>/share/celerity that exists, for the parent, grand-parent and
// great-grand-parent of `executableFolder`; empty when there is none.
std::filesystem::path programDataFolderFor(const std::filesystem::path& executableFolder);

// programDataFolderFor(the running executable's folder).
std::filesystem::path programDataFolder();

}  // namespace celerity
