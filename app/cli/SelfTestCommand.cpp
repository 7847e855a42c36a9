#include "SelfTestCommand.h"

#include <fstream>

#include <CLI/CLI.hpp>

#include "celerity/Error.h"
#include "celerity/SelfTest.h"

namespace celerity::cli {

int runSelfTestCommand(const std::vector<std::string>& args, std::ostream& out) {
  CLI::App app{"check every optimization toggle and precision on a device against CPU fp32",
               "celerity-cli selftest"};
  SelfTestOptions options;
  std::string json;
  std::vector<std::string> archs;
  app.add_option("--device", options.device, "cpu, cuda, cuda:N")->capture_default_str();
  app.add_option("--vocab", options.clipVocabularyPath, "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz)");
  app.add_option("--work", options.workFolder, "folder for the random test models (default: a temporary one)");
  app.add_option("--arch", archs, "sd15 and/or sdxl (default: both)");
  app.add_option("--json", json, "write the table as JSON to FILE");
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    throw CelerityError(ErrorCode::InvalidArgument, e.what(), "selftest");
  }
  if (!archs.empty()) options.archs = archs;
  const auto report = runSelfTest(options, [&](const SelfTestRow& row) {
    out << "  " << row.arch << ' ' << row.name << (row.skipped ? " (skipped)" : row.informational ? " (info)" : row.passed ? " ok" : " FAIL") << '\n'
        << std::flush;
  });
  out << '\n' << formatSelfTestTable(report);
  if (!json.empty()) {
    std::ofstream file(json);
    if (!file) throw CelerityError(ErrorCode::FileUnreadable, "cannot write the JSON report", json);
    file << selfTestJson(report) << '\n';
  }
  return report.passed() ? 0 : 1;
}

}  // namespace celerity::cli
