#pragma once
// openai/CLIP's byte-level BPE tokenizer (clip/simple_tokenizer.py): clean the text (ftfy
// subset, html.unescape twice, white space, lower case), split it with CLIP's pattern, map
// every UTF-8 byte to its stand-in character and merge with the ranked BPE merges.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "text/BpeMerger.h"
#include "text/ClipVocabulary.h"
#include "text/Pcre2Regex.h"

namespace celerity {

class ClipTokenizer {
 public:
  static constexpr int kContextLength = 77;

  // Loads the vocabulary at `path` (see ClipVocabulary::load).
  static std::shared_ptr<ClipTokenizer> load(const std::filesystem::path& path);
  // Finds the vocabulary with ClipVocabularyLocation (setting → environment → default).
  static std::shared_ptr<ClipTokenizer> loadDefault(const std::filesystem::path& setting = {});

  explicit ClipTokenizer(ClipVocabulary vocabulary);

  // The cleaned text the pattern runs on (openai: whitespace_clean(basic_clean(t)).lower()).
  static std::string cleanText(std::string_view text);

  // Token ids without start/end tokens, as SimpleTokenizer.encode. A literal
  // "<|startoftext|>" or "<|endoftext|>" in the text becomes its special id.
  std::vector<int> encode(const std::string& text) const;
  // The same tokens as vocabulary strings ("photo</w>"), in stand-in characters.
  std::vector<std::string> tokenStrings(const std::string& text) const;
  // Text of the ids as SimpleTokenizer.decode: "</w>" becomes a space, bad UTF-8 U+FFFD.
  // An id outside the vocabulary is an InvalidArgument error.
  std::string decode(const std::vector<int>& ids) const;

  // One row of the text encoder's input: start, the first contextLength − 2 ids, end, then
  // padId up to contextLength. SD 1.x pads with the end id (the default), SDXL's OpenCLIP-G
  // encoder with 0.
  std::vector<std::int64_t> toContextRow(const std::vector<int>& ids,
                                         int contextLength = kContextLength,
                                         std::optional<int> padId = std::nullopt) const;

  int bosId() const { return vocabulary_.bosId(); }
  int eosId() const { return vocabulary_.eosId(); }
  int vocabularySize() const { return vocabulary_.size(); }
  const ClipVocabulary& vocabulary() const { return vocabulary_; }

 private:
  struct Word {
    std::vector<std::string> pieces;
    std::vector<int> ids;
  };
  // The BPE of one pre-token (raw UTF-8), cached as openai's tokenizer does.
  Word word(std::string_view preToken) const;
  Word computeWord(std::string_view preToken) const;
  std::vector<std::string_view> preTokens(const std::string& cleaned) const;

  ClipVocabulary vocabulary_;
  BpeMerger merger_;
  Pcre2Regex pattern_;
  mutable std::mutex cacheMutex_;
  mutable std::unordered_map<std::string, Word> cache_;
};

}  // namespace celerity
