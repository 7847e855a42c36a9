#pragma once
// A1111's prompt editing (get_learned_conditioning_prompt_schedules): "[from:to:when]",
// "[to:when]", "[from::when]" and "[a|b|c]" alternation turn one prompt into the texts it has
// over the sampling steps. `when` with a decimal point is a share of the steps, without one a
// step number; with hires steps both are counted from the end of the first pass, unless the
// old scheduling is asked for (A1111's "use old prompt editing timelines" setting).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace celerity {

struct ScheduledText {
  int endAtStep = 0;  // this text is used up to and including this step
  std::string text;

  bool operator==(const ScheduledText& other) const {
    return endAtStep == other.endAtStep && text == other.text;
  }
};

using PromptSchedule = std::vector<ScheduledText>;

// (Not "ScheduleOptions": that name is the sigma schedules' options in sampling/.)
struct PromptScheduleOptions {
  int steps = 20;                 // A1111's base_steps
  std::optional<int> hiresSteps;  // set for the hires pass
  bool useOldScheduling = false;
};

// The texts of one prompt over the steps, by ascending end step; the last ends at the step
// count of the pass. A prompt the grammar rejects stays unchanged for all steps.
PromptSchedule promptSchedule(std::string_view prompt, const PromptScheduleOptions& options);
PromptSchedule promptSchedule(std::string_view prompt, int steps);

// The same for several prompts, in order (duplicates are parsed once).
std::vector<PromptSchedule> promptSchedules(const std::vector<std::string>& prompts,
                                            const PromptScheduleOptions& options);
std::vector<PromptSchedule> promptSchedules(const std::vector<std::string>& prompts, int steps);

}  // namespace celerity
