#include "text/ClipTokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "celerity/Error.h"
#include "text/ByteLevelAlphabet.h"
#include "text/ClipTextCleaner.h"
#include "text/ClipVocabularyLocation.h"
#include "text/Utf8.h"

namespace celerity {

namespace {

// openai/CLIP's pre-tokenisation pattern, compiled caseless as in the reference, with two
// adjustments so that PCRE2 matches what Python's `regex` module does:
// - \s is spelled out as Unicode White_Space (Z* plus \t-\r and U+0085): PCRE2's \s also
//   takes U+180E, which stopped being white space in Unicode 6.3;
// - U+0345 (COMBINING GREEK YPOGEGRAMMENI) is excluded from the last class: `regex` compares
//   it caselessly with its case fold ι, a letter, so neither letter class takes it and it is
//   dropped, whereas PCRE2 would treat it as a symbol.
constexpr const char* kPattern =
    R"(<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}])"
    R"(|[^\p{Z}\t\n\x{0B}\f\r\x{85}\p{L}\p{N}\x{345}]+)";

// Bounds the word cache on long-running processes; prompts reuse a few thousand words.
constexpr std::size_t kMaxCachedWords = 1 << 16;

}  // namespace

std::shared_ptr<ClipTokenizer> ClipTokenizer::load(const std::filesystem::path& path) {
  return std::make_shared<ClipTokenizer>(ClipVocabulary::load(path));
}

std::shared_ptr<ClipTokenizer> ClipTokenizer::loadDefault(const std::filesystem::path& setting) {
  return load(ClipVocabularyLocation(setting).resolve());
}

ClipTokenizer::ClipTokenizer(ClipVocabulary vocabulary)
    : vocabulary_(std::move(vocabulary)),
      merger_(vocabulary_.merges()),
      pattern_(kPattern, PCRE2_CASELESS) {}

std::string ClipTokenizer::cleanText(std::string_view text) { return cleanClipText(text); }

std::vector<std::string_view> ClipTokenizer::preTokens(const std::string& cleaned) const {
  return pattern_.findAll(cleaned);
}

ClipTokenizer::Word ClipTokenizer::computeWord(std::string_view preToken) const {
  Word result;
  const std::string token(preToken);
  if (token == ClipVocabulary::kStartOfText || token == ClipVocabulary::kEndOfText) {
    result.pieces = {token};
  } else {
    result.pieces = merger_.merge(ByteLevelAlphabet::instance().encode(preToken));
  }
  result.ids.reserve(result.pieces.size());
  for (const std::string& piece : result.pieces) {
    const int id = vocabulary_.idOf(piece);
    if (id < 0) {
      throw CelerityError(ErrorCode::MalformedFile,
                          "BPE piece '" + piece + "' is not in the vocabulary",
                          vocabulary_.source().string());
    }
    result.ids.push_back(id);
  }
  return result;
}

ClipTokenizer::Word ClipTokenizer::word(std::string_view preToken) const {
  const std::string key(preToken);
  {
    std::lock_guard<std::mutex> lock(cacheMutex_);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  Word computed = computeWord(preToken);
  std::lock_guard<std::mutex> lock(cacheMutex_);
  if (cache_.size() >= kMaxCachedWords) cache_.clear();
  cache_.emplace(key, computed);
  return computed;
}

std::vector<int> ClipTokenizer::encode(const std::string& text) const {
  std::vector<int> ids;
  const std::string cleaned = cleanText(text);
  for (std::string_view preToken : preTokens(cleaned)) {
    const Word w = word(preToken);
    ids.insert(ids.end(), w.ids.begin(), w.ids.end());
  }
  return ids;
}

std::vector<std::string> ClipTokenizer::tokenStrings(const std::string& text) const {
  std::vector<std::string> pieces;
  const std::string cleaned = cleanText(text);
  for (std::string_view preToken : preTokens(cleaned)) {
    const Word w = word(preToken);
    pieces.insert(pieces.end(), w.pieces.begin(), w.pieces.end());
  }
  return pieces;
}

std::string ClipTokenizer::decode(const std::vector<int>& ids) const {
  std::string standIns;
  for (int id : ids) {
    const std::string& token = vocabulary_.tokenOf(id);
    if (token.empty()) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "token id " + std::to_string(id) + " is not in the vocabulary",
                          vocabulary_.source().string());
    }
    standIns += token;
  }
  const auto bytes = ByteLevelAlphabet::instance().decode(standIns);
  if (!bytes) {
    throw CelerityError(ErrorCode::MalformedFile, "vocabulary token outside the byte alphabet",
                        vocabulary_.source().string());
  }
  std::string text = utf8::sanitize(*bytes);
  const std::string endOfWord = BpeMerger::kEndOfWord;
  for (std::size_t pos = text.find(endOfWord); pos != std::string::npos;
       pos = text.find(endOfWord, pos + 1)) {
    text.replace(pos, endOfWord.size(), " ");
  }
  return text;
}

std::vector<std::int64_t> ClipTokenizer::toContextRow(const std::vector<int>& ids,
                                                      int contextLength,
                                                      std::optional<int> padId) const {
  if (contextLength < 2) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "context length " + std::to_string(contextLength) +
                            " leaves no room for the start and end tokens",
                        "contextLength");
  }
  const std::size_t length = static_cast<std::size_t>(contextLength);
  std::vector<std::int64_t> row;
  row.reserve(length);
  row.push_back(bosId());
  const std::size_t kept = std::min(ids.size(), length - 2);
  row.insert(row.end(), ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(kept));
  row.push_back(eosId());
  row.resize(length, padId.value_or(eosId()));
  return row;
}

}  // namespace celerity
