#include "Commands.h"

namespace celerity::cli {

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    out << "usage: celerity-cli <command> [arguments]\n"
           "  inspect FILE   architecture, components, parameter counts and dtypes\n";
    return args.empty() ? 2 : 0;
  }
  err << "unknown command '" << args[0] << "'\n";
  return 2;
}

}  // namespace celerity::cli
