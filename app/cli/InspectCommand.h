#pragma once
#include <ostream>
#include <string>
#include <vector>

namespace celerity::cli {

// `inspect FILE...`: detection report of each checkpoint. Throws CelerityError on bad files.
int runInspect(const std::vector<std::string>& args, std::ostream& out);

}  // namespace celerity::cli
