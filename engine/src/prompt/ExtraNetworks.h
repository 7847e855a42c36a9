#pragma once
// A1111's extra-network tags (modules/extra_networks.py, parse_prompt): every "<type:args>"
// (regex <(\w+):([^>]+)>) is cut out of the prompt; its arguments split at ':' and each one
// of the form "key=value" is named, the others positional. The Lora extension reads
// "<lora:name:te:unet:dyn>" from them, with te= / unet= / dyn= overriding.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace celerity {

struct ExtraNetworkTag {
  std::string type;                          // "lora", "lyco", "hypernet", ...
  std::string name;                          // the first positional argument ("" if none)
  std::vector<std::string> args;             // every argument, as A1111's `items`
  std::vector<std::string> positional;       // arguments without exactly one '='
  std::map<std::string, std::string> named;  // "key=value" arguments; a later key wins
};

struct ExtraNetworkPrompt {
  std::string text;                   // the prompt with the tags removed
  std::vector<ExtraNetworkTag> tags;  // in prompt order
};

ExtraNetworkPrompt extractExtraNetworks(std::string_view prompt);

// A Lora request as A1111's extra_networks_lora reads it: name, text-encoder multiplier
// (default 1), UNet multiplier (default: the text-encoder one), optional rank limit.
struct LoraRequest {
  std::string name;
  double teWeight = 1.0;
  double unetWeight = 1.0;
  std::optional<long long> dynDim;
};

// True for the types the Lora extension handles ("lora", and its alias "lyco").
bool isLoraTag(const ExtraNetworkTag& tag);

// Throws CelerityError(InvalidArgument) where A1111 fails: no positional name, or a
// multiplier that is not a number (Python float()) / a dyn that is not an integer.
LoraRequest loraRequest(const ExtraNetworkTag& tag);

}  // namespace celerity
