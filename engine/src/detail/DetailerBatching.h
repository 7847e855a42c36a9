#pragma once
// Which detailer regions can share one img2img batch without changing the result. ADetailer
// inpaints regions one after another, each on the previous one's output. A region only reads
// and writes the pixels of its paste rectangle, so regions whose rectangles do not intersect
// are independent: a region goes into the first "wave" after every earlier region it
// overlaps, and within a wave the regions with the same sampling settings (the group key:
// size, steps, strength, sampler, model, …) form batches. Plain C++, no torch.
#include <cstddef>
#include <string>
#include <vector>

namespace celerity {

struct BatchCandidate {
  int x1 = 0, y1 = 0, x2 = 0, y2 = 0;  // paste rectangle, half-open
  std::string groupKey;               // only equal keys share a batch
};

// Batches of candidate indices in execution order. `batched` false: one candidate per batch,
// in order (ADetailer's sequential behaviour). `maxBatch` bounds a batch's size.
std::vector<std::vector<std::size_t>> planDetailerBatches(const std::vector<BatchCandidate>& candidates,
                                                          bool batched, std::size_t maxBatch);

bool rectanglesIntersect(const BatchCandidate& a, const BatchCandidate& b);

}  // namespace celerity
