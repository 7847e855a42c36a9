#include "GenerateCommand.h"

#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "RequestOptions.h"
#include "TerminalProgress.h"
#include "celerity/Engine.h"
#include "celerity/Error.h"
#include "celerity/Profiler.h"

namespace celerity::cli {

int runGenerate(const std::vector<std::string>& args, std::ostream& out) {
  CLI::App app{"txt2img / img2img with a Stable Diffusion checkpoint", "celerity-cli generate"};
  RequestOptions options;
  options.addTo(app, "outputs");
  std::string tracePath;
  app.add_option("--trace", tracePath, "write the job's Chrome trace (open in Perfetto) to FILE");

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    throw CelerityError(ErrorCode::InvalidArgument, e.what(), "generate");
  }

  auto request = options.build(app);
  if (request.prompt.empty() && app.get_option("--prompt")->count() == 0 &&
      app.get_option("--params-from")->count() == 0) {
    throw CelerityError(ErrorCode::InvalidArgument, "give --prompt (or --params-from PNG)", "--prompt");
  }
  validateRequest(request);
  std::error_code ec;
  std::filesystem::create_directories(request.outputFolder, ec);
  if (ec) {
    throw CelerityError(ErrorCode::FileUnreadable, "cannot create the output folder: " + ec.message(),
                        request.outputFolder);
  }

  Engine engine(options.engineOptions());
  TerminalProgress progress(std::cerr);
  Job job;
  job.id = 1;
  job.request = request;
  job.previews = options.previews();
  job.events = &progress;
  const auto result = engine.run(job);
  if (!tracePath.empty()) writeChromeTrace(result.output.profile, tracePath);
  for (const auto& path : result.output.savedPaths) {
    if (!path.empty()) out << path << '\n';
  }
  progress.printSummary(result.output.profile);
  if (result.outcome != JobOutcome::Finished) throw CelerityError(result.error);
  return 0;
}

}  // namespace celerity::cli
