#pragma once
// The LoRA step of a job, as A1111's Lora extension does it: the <lora:name:te:unet> tags of
// the prompt (engine/src/prompt/ExtraNetworks) name the set; it is resolved in the LoRA
// folders and made the patcher's applied set — a prompt without tags restores the model —
// and the job's infotext gets "Lora hashes" ("name: 0123456789ab, other: …", names without
// ':' and ','). The prompt itself is not changed here: the text-encoding stage cuts the tags
// out (tell it they were handled: JobControl::extraNetworksHandled).
#include <string>
#include <utility>
#include <vector>

#include "celerity/Request.h"
#include "lora/LoraPatcher.h"
#include "lora/LoraResolver.h"

namespace celerity {

struct PromptLoraResult {
  std::vector<LoraSelection> selections;  // in prompt order
  LoraApplyReport report;
  // {"Lora hashes", "…"} when the set is not empty; add to the job's extra generation params.
  std::vector<std::pair<std::string, std::string>> extraGenerationParams;
};

// The selections the prompt's lora / lyco tags make. Throws CelerityError: InvalidArgument for
// a malformed tag or a name that leaves the folders, FileNotFound / UnsafeFormat from the
// resolver.
std::vector<LoraSelection> promptLoraSelections(const std::string& prompt, LoraResolver& resolver);

// Resolves and applies the request's LoRAs (stages lora.load, lora.apply) and returns what the
// infotext needs. Errors as promptLoraSelections and LoraPatcher::apply; the model is left as
// it was when either throws.
PromptLoraResult applyPromptLoras(const Request& request, LoraResolver& resolver, LoraPatcher& patcher,
                                  const LoraApplyOptions& options, const JobControl& control = {});

// A1111's "Lora hashes" value for the applied files ("" when none has a hash).
std::string loraHashesText(const LoraApplyReport& report);

}  // namespace celerity
