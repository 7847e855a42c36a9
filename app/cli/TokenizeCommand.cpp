#include "TokenizeCommand.h"

#include <iomanip>
#include <sstream>

#include <CLI/CLI.hpp>

#include "celerity/Error.h"
#include "checkpoint/CheckpointDetector.h"
#include "conditioning/A1111PromptParser.h"
#include "conditioning/PromptChunker.h"
#include "io/SafetensorsFile.h"
#include "io/ShapeMap.h"
#include "prompt/ExtraNetworks.h"
#include "prompt/PromptSchedule.h"
#include "text/ClipTokenizer.h"

namespace celerity::cli {
namespace {

struct TokenizeArguments {
  std::string model;
  std::string vocabulary;
  std::string prompt;
  int steps = 20;
  int commaBacktrack = PromptChunker::kDefaultCommaPaddingBacktrack;
};

// Parses with CLI11; throws CelerityError(InvalidArgument) carrying CLI11's message.
TokenizeArguments parseArguments(const std::vector<std::string>& args, std::ostream& out,
                                 bool& helpShown) {
  TokenizeArguments parsed;
  CLI::App app{"Show how a prompt is read: schedule, extra networks, chunks, tokens, weights",
               "celerity-cli tokenize"};
  app.add_option("--model", parsed.model, "checkpoint (.safetensors): tells SD 1.x from SDXL");
  app.add_option("--vocab", parsed.vocabulary, "CLIP vocabulary (default: CELERITY_CLIP_VOCAB)");
  app.add_option("--steps", parsed.steps, "sampling steps for the prompt schedule")
      ->check(CLI::PositiveNumber);
  app.add_option("--comma-backtrack", parsed.commaBacktrack,
                 "A1111 comma_padding_backtrack (0 = off)")->check(CLI::NonNegativeNumber);
  app.add_option("prompt", parsed.prompt, "the prompt text")->required();
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them reversed
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    helpShown = true;
  } catch (const CLI::ParseError& e) {
    throw CelerityError(ErrorCode::InvalidArgument, e.what(), "tokenize");
  }
  return parsed;
}

std::string familyOf(const std::string& modelPath) {
  if (modelPath.empty()) return "SD 1.x (no --model given)";
  const auto file = SafetensorsFile::open(modelPath);
  const auto info = detectCheckpoint(ShapeMap::of(*file));
  if (info.family == ModelFamily::Unknown) {
    throw CelerityError(ErrorCode::UnknownModel, info.familyReason, modelPath);
  }
  return modelFamilyName(info.family);
}

void printChunks(const ChunkedPrompt& chunked, const PromptChunker& chunker, std::ostream& out) {
  out << "  tokens: " << chunked.tokenCount << "/" << chunked.targetTokenCount << " in "
      << chunked.chunks.size() << (chunked.chunks.size() == 1 ? " chunk" : " chunks") << '\n';
  const auto& tokenizer = chunker.tokenizer();
  for (std::size_t c = 0; c < chunked.chunks.size(); ++c) {
    const auto& chunk = chunked.chunks[c];
    out << "  chunk " << c + 1 << ":";
    int shown = 0;
    for (std::size_t i = 0; i < chunk.tokens.size(); ++i) {
      const auto id = chunk.tokens[i];
      if (id == chunker.bosId() || id == chunker.eosId()) continue;
      const std::string text = tokenizer.decode({static_cast<int>(id)});
      out << (shown % 8 == 0 ? "\n    " : " ") << std::quoted(text) << '(' << id;
      if (chunk.multipliers[i] != 1.0) out << " x" << chunk.multipliers[i];
      out << ')';
      ++shown;
    }
    out << (shown == 0 ? " (empty)" : "") << '\n';
  }
}

}  // namespace

int runTokenize(const std::vector<std::string>& args, std::ostream& out) {
  bool helpShown = false;
  const auto arguments = parseArguments(args, out, helpShown);
  if (helpShown) return 0;

  out << "model: " << familyOf(arguments.model) << '\n';
  const auto tokenizer = arguments.vocabulary.empty()
                             ? ClipTokenizer::loadDefault()
                             : ClipTokenizer::load(arguments.vocabulary);
  const PromptChunker chunker(tokenizer);

  const auto withoutTags = extractExtraNetworks(arguments.prompt);
  for (const auto& tag : withoutTags.tags) {
    out << "extra network: " << tag.type << " '" << tag.name << "'";
    if (isLoraTag(tag)) {
      const auto lora = loraRequest(tag);
      out << " text encoder x" << lora.teWeight << ", UNet x" << lora.unetWeight;
    }
    out << '\n';
  }

  const auto schedule = promptSchedule(withoutTags.text, arguments.steps);
  out << "schedule over " << arguments.steps << " steps: " << schedule.size()
      << (schedule.size() == 1 ? " text" : " texts") << '\n';
  for (const auto& entry : schedule) {
    out << "until step " << entry.endAtStep << ": " << std::quoted(entry.text) << '\n';
    printChunks(chunker.chunk(parseA1111Prompt(entry.text), arguments.commaBacktrack), chunker, out);
  }
  return 0;
}

}  // namespace celerity::cli
