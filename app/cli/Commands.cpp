#include "Commands.h"

#include <exception>
#include <functional>
#include <map>

#include "BenchCommand.h"
#include "GenerateCommand.h"
#include "InspectCommand.h"
#include "MakeCheckpointCommand.h"
#include "SelfTestCommand.h"
#include "TokenizeCommand.h"
#include "celerity/Error.h"

namespace celerity::cli {
namespace {

struct Command {
  const char* usage;
  std::function<int(const std::vector<std::string>&, std::ostream&)> run;
};

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> table = {
      {"inspect", {"inspect FILE...      architecture, components, parameter counts and dtypes",
                   runInspect}},
      {"tokenize", {"tokenize [--model F] [--steps N] PROMPT  chunks, tokens, weights, schedule",
                    runTokenize}},
      {"generate", {"generate --model F --prompt P [...]  txt2img / img2img / hires fix to PNG", runGenerate}},
      {"bench", {"bench --model F [...] [--ab ID]...  per-stage medians; A/B of optimization toggles",
                 runBench}},
      {"opts", {"opts                 optimization toggles: defaults, numerics, availability", runOpts}},
      {"selftest", {"selftest [--device cuda] [--json F]  every toggle and precision vs CPU fp32, with tolerances",
                    runSelfTestCommand}},
      {"make-checkpoint", {"make-checkpoint --arch sd15|sdxl [--size tiny|full] [--dtype fp16|bf16|fp32] --seed N OUT"
                           "  random weights, real layout",
                           runMakeCheckpoint}},
  };
  return table;
}

void printUsage(std::ostream& out) {
  out << "usage: celerity-cli <command> [arguments]\n\ncommands:\n";
  for (const auto& [name, command] : commands()) out << "  " << command.usage << '\n';
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    printUsage(err);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printUsage(out);
    return 0;
  }
  if (args[0] == "--version") {
    out << "celerity-cli " << CELERITY_VERSION << '\n';
    return 0;
  }
  const auto it = commands().find(args[0]);
  if (it == commands().end()) {
    err << "celerity-cli: unknown command '" << args[0] << "'\n";
    printUsage(err);
    return 2;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    return it->second.run(rest, out);
  } catch (const CelerityError& e) {
    err << "error: " << e.error().toString() << '\n';
    return 1;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace celerity::cli
