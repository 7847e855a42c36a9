#include "text/BpeMerger.h"

#include <limits>

#include "text/Utf8.h"

namespace celerity {

namespace {

constexpr int kNoRank = std::numeric_limits<int>::max();

std::string pairKey(const std::string& first, const std::string& second) {
  std::string key;
  key.reserve(first.size() + second.size() + 1);
  key.append(first).append(1, ' ').append(second);
  return key;
}

}  // namespace

BpeMerger::BpeMerger(const std::vector<std::pair<std::string, std::string>>& merges) {
  ranks_.reserve(merges.size());
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    // A repeated pair keeps its last rank, as Python's dict(zip(merges, range(n))) does.
    ranks_[pairKey(merges[rank].first, merges[rank].second)] = static_cast<int>(rank);
  }
}

int BpeMerger::rankOf(const std::string& first, const std::string& second) const {
  const auto it = ranks_.find(pairKey(first, second));
  return it == ranks_.end() ? kNoRank : it->second;
}

std::vector<std::string> BpeMerger::merge(std::string_view word) const {
  std::vector<std::string> symbols;
  for (std::size_t pos = 0; pos < word.size();) {
    const std::size_t start = pos;
    utf8::next(word, pos);
    symbols.emplace_back(word.substr(start, pos - start));
  }
  if (symbols.empty()) return symbols;
  symbols.back() += kEndOfWord;

  while (symbols.size() > 1) {
    int bestRank = kNoRank;
    std::size_t best = 0;
    for (std::size_t i = 0; i + 1 < symbols.size(); ++i) {
      const int rank = rankOf(symbols[i], symbols[i + 1]);
      if (rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (bestRank == kNoRank) break;
    const std::string first = symbols[best];
    const std::string second = symbols[best + 1];
    std::vector<std::string> merged;
    merged.reserve(symbols.size());
    for (std::size_t i = 0; i < symbols.size();) {
      if (i + 1 < symbols.size() && symbols[i] == first && symbols[i + 1] == second) {
        merged.push_back(first + second);
        i += 2;
      } else {
        merged.push_back(std::move(symbols[i]));
        ++i;
      }
    }
    symbols = std::move(merged);
  }
  return symbols;
}

}  // namespace celerity
