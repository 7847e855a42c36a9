// The A1111 prompt language on hostile text: emphasis, prompt editing / alternation
// schedules, AND with weights, BREAK, and <lora:…> extra-network tags.
#include <cstdint>
#include <string>
#include <string_view>

#include "FuzzSupport.h"
#include "prompt/ExtraNetworks.h"
#include "prompt/MultiCond.h"
#include "prompt/PromptAttention.h"
#include "prompt/PromptSchedule.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // The first bytes choose the step counts; the rest is the prompt.
  celerity::PromptScheduleOptions options;
  options.steps = 1 + data[0] % 150;
  if (data[1] & 1) options.hiresSteps = data[1] >> 1;
  options.useOldScheduling = (data[1] & 0x80) != 0;
  const std::string prompt(reinterpret_cast<const char*>(data + 2), size - 2);

  celerity::fuzz::expectOnlyCelerityErrors("prompt", [&] {
    const auto extracted = celerity::extractExtraNetworks(prompt);
    for (const auto& tag : extracted.tags) {
      if (celerity::isLoraTag(tag)) {
        celerity::fuzz::expectOnlyCelerityErrors("lora tag", [&] { (void)celerity::loraRequest(tag); });
      }
    }
    const auto multi = celerity::multiCondPromptList({extracted.text, prompt});
    for (const auto& refs : multi.indexes) {
      for (const auto& ref : refs) {
        celerity::fuzz::check(ref.index < multi.flatPrompts.size(), "sub-prompt index out of range");
      }
    }
    const auto schedule = celerity::promptSchedule(prompt, options);
    celerity::fuzz::check(!schedule.empty(), "empty schedule");
    for (const auto& entry : schedule) (void)celerity::parseAttention(entry.text);
    (void)celerity::parseAttention(prompt);
  });
  return 0;
}
