#pragma once
// Byte-pair merging of one pre-token, as openai/CLIP's SimpleTokenizer.bpe: the word starts
// as single stand-in characters with "</w>" glued to the last, then the lowest-ranked adjacent
// pair is merged everywhere, left to right, until no adjacent pair has a rank.
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace celerity {

class BpeMerger {
 public:
  static constexpr const char* kEndOfWord = "</w>";

  explicit BpeMerger(const std::vector<std::pair<std::string, std::string>>& merges);

  // `word` in stand-in characters (non-empty, valid UTF-8); the pieces, last one ending "</w>".
  std::vector<std::string> merge(std::string_view word) const;

  int rankOf(const std::string& first, const std::string& second) const;

 private:
  std::unordered_map<std::string, int> ranks_;  // "first second" → rank
};

}  // namespace celerity
