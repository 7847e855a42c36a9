#include "prompt/PromptSchedule.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <unordered_map>
#include <utility>

#include "prompt/PyText.h"
#include "prompt/ScheduleParser.h"

namespace celerity {
namespace {

using Kind = ScheduleTree::Kind;

// Python's int(v) for a float, clamped so that it fits: A1111 raises on an infinite `when`
// ("[a:b:1e999]"); here +inf acts as "after every step" and −inf or NaN as "before the first".
std::int64_t truncateClamped(double v) {
  constexpr double kLimit = 4e18;
  if (std::isnan(v)) return std::numeric_limits<std::int64_t>::min();
  if (v >= kLimit) return static_cast<std::int64_t>(kLimit);
  if (v <= -kLimit) return -static_cast<std::int64_t>(kLimit);
  return static_cast<std::int64_t>(v);  // truncates toward zero, as int() does
}

// The step at which a "[from:to:when]" switches, as A1111's CollectSteps computes it.
std::int64_t switchStep(const std::string& number, const PromptScheduleOptions& options,
                        int steps) {
  double v = pytext::parseFloat(number).value_or(0.0);  // NUMBER always parses
  const bool hires = options.hiresSteps.has_value() && !options.useOldScheduling;
  if (options.useOldScheduling) {
    if (v < 1) v *= steps;
  } else if (number.find('.') != std::string::npos) {
    v = (v - (hires ? 1.0 : 0.0)) * steps;
  } else {
    v = v - (hires ? options.steps : 0);
  }
  return std::min<std::int64_t>(steps, truncateClamped(v));
}

class ScheduleRenderer {
 public:
  ScheduleRenderer(std::string_view prompt, const ScheduleTree& tree)
      : prompt_(prompt), tree_(tree), switchAt_(tree.nodes.size(), 0) {}

  // The end steps: the step count, every switch step ≥ 1, every step where an alternation
  // is present. Nodes in both branches of a switch count, as in A1111's tree visitor.
  std::set<int> collectSteps(const PromptScheduleOptions& options, int steps) {
    std::set<int> result{steps};
    bool alternates = false;
    std::vector<int> pending{tree_.root};
    while (!pending.empty()) {
      const int list = pending.back();
      pending.pop_back();
      for (const int index : tree_.lists[list]) {
        const ScheduleTree::Node& node = tree_.nodes[index];
        if (node.kind == Kind::Scheduled) {
          switchAt_[index] = switchStep(node.number, options, steps);
          if (switchAt_[index] >= 1) result.insert(static_cast<int>(switchAt_[index]));
        }
        if (node.kind == Kind::Alternate) alternates = true;
        for (const int child : node.lists) {
          if (child >= 0) pending.push_back(child);
        }
      }
    }
    if (alternates) {
      for (int s = 1; s <= steps; ++s) result.insert(s);
    }
    return result;
  }

  // The prompt's text at `step`: each switch picks a branch, each alternation an option.
  std::string textAt(int step) const {
    std::string out;
    out.reserve(prompt_.size());
    struct Cursor {
      int list;           // the list being written, or −1 for a pending closing bracket
      std::size_t index;  // next item, or the bracket's position
    };
    std::vector<Cursor> stack{{tree_.root, 0}};
    while (!stack.empty()) {
      Cursor& top = stack.back();
      if (top.list < 0) {
        out.push_back(prompt_[top.index]);
        stack.pop_back();
        continue;
      }
      const std::vector<int>& items = tree_.lists[top.list];
      if (top.index >= items.size()) {
        stack.pop_back();
        continue;
      }
      const int index = items[top.index++];
      const ScheduleTree::Node& node = tree_.nodes[index];
      int chosen = -1;
      switch (node.kind) {
        case Kind::Text:
          out.append(prompt_.substr(node.begin, node.end - node.begin));
          break;
        case Kind::Group:
          out.push_back(prompt_[node.begin]);
          stack.push_back({-1, node.end - 1});  // invalidates `top`
          chosen = node.lists[0];
          break;
        case Kind::Scheduled:
          chosen = step <= switchAt_[index] ? node.lists[0] : node.lists[1];
          break;
        case Kind::Alternate: {
          const auto count = static_cast<long long>(node.lists.size());
          chosen = node.lists[static_cast<std::size_t>((((step - 1LL) % count) + count) % count)];
          break;
        }
      }
      if (chosen >= 0) stack.push_back({chosen, 0});
    }
    return out;
  }

 private:
  std::string_view prompt_;
  const ScheduleTree& tree_;
  std::vector<std::int64_t> switchAt_;
};

}  // namespace

PromptSchedule promptSchedule(std::string_view prompt, const PromptScheduleOptions& options) {
  const bool hires = options.hiresSteps.has_value() && !options.useOldScheduling;
  const int steps = hires ? *options.hiresSteps : options.steps;

  const std::optional<ScheduleTree> tree = ScheduleParser::parse(prompt);
  if (!tree) return {{steps, std::string(prompt)}};

  ScheduleRenderer renderer(prompt, *tree);
  PromptSchedule schedule;
  for (const int step : renderer.collectSteps(options, steps)) {
    schedule.push_back({step, renderer.textAt(step)});
  }
  return schedule;
}

PromptSchedule promptSchedule(std::string_view prompt, int steps) {
  PromptScheduleOptions options;
  options.steps = steps;
  return promptSchedule(prompt, options);
}

std::vector<PromptSchedule> promptSchedules(const std::vector<std::string>& prompts,
                                            const PromptScheduleOptions& options) {
  std::unordered_map<std::string, PromptSchedule> cache;
  std::vector<PromptSchedule> result;
  result.reserve(prompts.size());
  for (const std::string& prompt : prompts) {
    auto it = cache.find(prompt);
    if (it == cache.end()) it = cache.emplace(prompt, promptSchedule(prompt, options)).first;
    result.push_back(it->second);
  }
  return result;
}

std::vector<PromptSchedule> promptSchedules(const std::vector<std::string>& prompts, int steps) {
  PromptScheduleOptions options;
  options.steps = steps;
  return promptSchedules(prompts, options);
}

}  // namespace celerity
