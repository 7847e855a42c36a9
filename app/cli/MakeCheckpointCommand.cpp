#include "MakeCheckpointCommand.h"

#include <cstdint>
#include <iomanip>

#include <CLI/CLI.hpp>

#include "celerity/Error.h"
#include "checkpoint/CheckpointFactory.h"

namespace celerity::cli {

int runMakeCheckpoint(const std::vector<std::string>& args, std::ostream& out) {
  CLI::App app{"write a checkpoint of seeded random weights (real SD 1.5 / SDXL layout)",
               "celerity-cli make-checkpoint"};
  std::string arch;
  std::string size = "full";
  std::string dtype = "fp16";
  std::uint64_t seed = 0;
  std::string output;
  app.add_option("--arch", arch, "sd15 or sdxl")->required();
  app.add_option("--size", size, "full (the real shapes) or tiny (the golden test sizes)")->capture_default_str();
  app.add_option("--dtype", dtype, "fp16, bf16 or fp32")->capture_default_str();
  app.add_option("--seed", seed, "seed of the weights")->required();
  app.add_option("OUT", output, "output .safetensors file")->required();

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    throw CelerityError(ErrorCode::InvalidArgument, e.what(), "make-checkpoint");
  }
  if (size != "full" && size != "tiny") {
    throw CelerityError(ErrorCode::InvalidArgument, "unknown size '" + size + "'; use tiny or full", "--size");
  }

  CheckpointSpec spec;
  spec.family = parseArchName(arch);
  spec.full = size == "full";
  spec.dtype = parseDtypeOptionName(dtype);
  spec.seed = seed;
  const auto summary = writeRandomCheckpoint(spec, output);
  out << "wrote " << output << ": " << arch << ' ' << size << ' ' << dtype << ", seed " << seed
      << ", random weights\n"
      << "  tensors:    " << summary.tensorCount << '\n'
      << "  parameters: " << summary.parameterCount << '\n'
      << "  bytes:      " << summary.fileBytes << '\n'
      << "  seconds:    " << std::fixed << std::setprecision(2) << summary.seconds << '\n';
  return 0;
}

}  // namespace celerity::cli
