#include "lora/PromptLoras.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/Log.h"
#include "prompt/ExtraNetworks.h"

namespace celerity {

std::vector<LoraSelection> promptLoraSelections(const std::string& prompt, LoraResolver& resolver) {
  std::vector<LoraSelection> selections;
  for (const auto& tag : extractExtraNetworks(prompt).tags) {
    if (!isLoraTag(tag)) continue;
    const auto request = loraRequest(tag);
    if (request.dynDim) {
      engineLog()->warn("<{}:{}>: dyn (rank limit) is not supported; the full rank is applied", tag.type,
                        request.name);
    }
    LoraSelection selection;
    selection.file = resolver.resolve(request.name);
    selection.name = request.name;
    selection.teWeight = request.teWeight;
    selection.unetWeight = request.unetWeight;
    selections.push_back(std::move(selection));
  }
  return selections;
}

std::string loraHashesText(const LoraApplyReport& report) {
  // A1111 keys a dict by the mentioned name without ':' and ',' (they would break the field).
  std::vector<std::pair<std::string, std::string>> hashes;
  for (const auto& file : report.files) {
    if (file.shortHash.empty()) continue;
    auto name = file.name;
    name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return c == ':' || c == ','; }), name.end());
    const auto same = std::find_if(hashes.begin(), hashes.end(), [&](const auto& h) { return h.first == name; });
    if (same == hashes.end()) {
      hashes.emplace_back(name, file.shortHash);
    } else {
      same->second = file.shortHash;
    }
  }
  std::string text;
  for (const auto& [name, hash] : hashes) text += (text.empty() ? "" : ", ") + name + ": " + hash;
  return text;
}

PromptLoraResult applyPromptLoras(const Request& request, LoraResolver& resolver, LoraPatcher& patcher,
                                  const LoraApplyOptions& options, const JobControl& control) {
  PromptLoraResult result;
  // Name resolution is counted in the job's time but not as a stage: lora.load is the
  // patcher's (one span per job, not two).
  result.selections = promptLoraSelections(request.prompt, resolver);
  if (result.selections.empty() && patcher.stateId().empty() && patcher.unetStateId().empty()) {
    return result;  // nothing asked, nothing applied: no LoRA stages at all
  }
  result.report = patcher.apply(result.selections, options, control);
  const auto hashes = loraHashesText(result.report);
  if (!hashes.empty()) result.extraGenerationParams.emplace_back("Lora hashes", hashes);
  return result;
}

}  // namespace celerity
