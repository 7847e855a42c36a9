#include "InspectCommand.h"

#include "celerity/Error.h"
#include "checkpoint/ArchitectureSummary.h"
#include "checkpoint/CheckpointDetector.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"

namespace celerity::cli {

int runInspect(const std::vector<std::string>& args, std::ostream& out) {
  if (args.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "inspect needs at least one FILE");
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto file = SafetensorsFile::open(args[i]);
    const auto shapes = ShapeMap::of(*file);
    const auto info = detectCheckpoint(shapes);
    if (i > 0) out << '\n';
    out << describeCheckpoint(info);
    const auto architecture = describeArchitecture(shapes, info);
    if (!architecture.empty()) out << "config:\n";
    for (const auto& line : architecture) out << "  " << line << '\n';
  }
  return 0;
}

}  // namespace celerity::cli
