#include "detail/DetailerBatching.h"

#include <algorithm>
#include <map>

namespace celerity {

bool rectanglesIntersect(const BatchCandidate& a, const BatchCandidate& b) {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

std::vector<std::vector<std::size_t>> planDetailerBatches(const std::vector<BatchCandidate>& candidates,
                                                          bool batched, std::size_t maxBatch) {
  std::vector<std::vector<std::size_t>> batches;
  if (!batched || maxBatch <= 1) {
    for (std::size_t i = 0; i < candidates.size(); ++i) batches.push_back({i});
    return batches;
  }
  std::vector<std::size_t> wave(candidates.size(), 0);
  std::size_t waves = 0;
  for (std::size_t j = 0; j < candidates.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (rectanglesIntersect(candidates[i], candidates[j])) wave[j] = std::max(wave[j], wave[i] + 1);
    }
    waves = std::max(waves, wave[j] + 1);
  }
  for (std::size_t w = 0; w < waves; ++w) {
    // Groups in order of their first member, members in candidate order.
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::size_t>> groups;
    for (std::size_t j = 0; j < candidates.size(); ++j) {
      if (wave[j] != w) continue;
      auto& group = groups[candidates[j].groupKey];
      if (group.empty()) order.push_back(candidates[j].groupKey);
      group.push_back(j);
    }
    for (const auto& key : order) {
      const auto& members = groups[key];
      for (std::size_t start = 0; start < members.size(); start += maxBatch) {
        const auto end = std::min(members.size(), start + maxBatch);
        batches.emplace_back(members.begin() + static_cast<std::ptrdiff_t>(start),
                             members.begin() + static_cast<std::ptrdiff_t>(end));
      }
    }
  }
  return batches;
}

}  // namespace celerity
