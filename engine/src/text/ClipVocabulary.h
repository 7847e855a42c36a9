#pragma once
// CLIP's BPE vocabulary: token strings (in byte-level stand-in characters) with their ids, and
// the merges in rank order. Read from openai's bpe_simple_vocab_16e6.txt.gz or from a
// Hugging Face tokenizer folder (vocab.json + merges.txt).
#include <filesystem>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace celerity {

class ClipVocabulary {
 public:
  static constexpr const char* kStartOfText = "<|startoftext|>";
  static constexpr const char* kEndOfText = "<|endoftext|>";
  // openai/CLIP reads `lines[1 : 49152 - 256 - 2 + 1]` of the merges file.
  static constexpr int kOpenAiMergeCount = 49152 - 256 - 2;

  // A `.gz` (or plain text) openai merges file, a folder holding vocab.json + merges.txt, or a
  // vocab.json with merges.txt beside it. Missing → FileNotFound; bad contents →
  // MalformedFile naming the file and line.
  static ClipVocabulary load(const std::filesystem::path& path);
  static ClipVocabulary fromOpenAiMerges(const std::filesystem::path& mergesFile);
  static ClipVocabulary fromHuggingFace(const std::filesystem::path& vocabJson,
                                        const std::filesystem::path& mergesTxt);

  // Whether `path` is something load() accepts (an existing file, or a folder with the pair).
  static bool looksLoadable(const std::filesystem::path& path);

  int size() const { return static_cast<int>(tokens_.size()); }
  int bosId() const { return bosId_; }
  int eosId() const { return eosId_; }
  // -1 when absent.
  int idOf(const std::string& token) const;
  // Empty when `id` has no token.
  const std::string& tokenOf(int id) const;
  const std::vector<std::pair<std::string, std::string>>& merges() const { return merges_; }
  const std::filesystem::path& source() const { return source_; }

 private:
  ClipVocabulary() = default;
  void addToken(const std::string& token, int id);
  void finish(const std::string& where);

  std::vector<std::string> tokens_;
  std::unordered_map<std::string, int> ids_;
  std::vector<std::pair<std::string, std::string>> merges_;
  int bosId_ = -1;
  int eosId_ = -1;
  std::filesystem::path source_;
};

}  // namespace celerity
