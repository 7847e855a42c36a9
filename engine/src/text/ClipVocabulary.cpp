#include "text/ClipVocabulary.h"

#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "celerity/Error.h"
#include "text/ByteLevelAlphabet.h"
#include "text/Utf8.h"

namespace fs = std::filesystem;

namespace celerity {

namespace {

constexpr const char* kVocabJson = "vocab.json";
constexpr const char* kMergesTxt = "merges.txt";

std::string readFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw CelerityError(ErrorCode::FileNotFound, "CLIP vocabulary file not found", path.string());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw CelerityError(ErrorCode::FileUnreadable, "cannot open CLIP vocabulary file",
                        path.string());
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Inflates a gzip stream; bytes without the gzip magic are returned as they are.
std::string gunzip(const std::string& bytes, const fs::path& path) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1F ||
      static_cast<unsigned char>(bytes[1]) != 0x8B) {
    return bytes;
  }
  z_stream stream{};
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
    throw CelerityError(ErrorCode::Internal, "zlib initialisation failed", path.string());
  }
  std::string out;
  char buffer[1 << 16];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&stream);
      throw CelerityError(ErrorCode::MalformedFile,
                          std::string("corrupt gzip data: ") + (stream.msg ? stream.msg : "?"),
                          path.string());
    }
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (rc != Z_STREAM_END && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      throw CelerityError(ErrorCode::MalformedFile, "truncated gzip data", path.string());
    }
  }
  inflateEnd(&stream);
  return out;
}

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t newline = text.find('\n', pos);
    if (newline == std::string_view::npos) {
      lines.push_back(text.substr(pos));
      return lines;
    }
    lines.push_back(text.substr(pos, newline - pos));
    pos = newline + 1;
  }
}

// "first second" → the pair; the stand-in alphabet has no white space, so one separator.
std::pair<std::string, std::string> parseMerge(std::string_view line, const fs::path& path,
                                               std::size_t lineNumber) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const std::size_t space = line.find(' ');
  if (space == std::string_view::npos || space == 0 || space + 1 >= line.size() ||
      line.find(' ', space + 1) != std::string_view::npos) {
    throw CelerityError(ErrorCode::MalformedFile,
                        "line " + std::to_string(lineNumber) + " is not a merge of two symbols",
                        path.string());
  }
  return {std::string(line.substr(0, space)), std::string(line.substr(space + 1))};
}

}  // namespace

void ClipVocabulary::addToken(const std::string& token, int id) {
  constexpr int kMaxId = 1 << 22;  // far above any BPE vocabulary; guards the allocation
  if (id < 0 || id > kMaxId) {
    throw CelerityError(ErrorCode::MalformedFile, "token id out of range: " + std::to_string(id),
                        token);
  }
  if (static_cast<std::size_t>(id) >= tokens_.size()) tokens_.resize(std::size_t(id) + 1);
  tokens_[std::size_t(id)] = token;
  ids_[token] = id;
}

void ClipVocabulary::finish(const std::string& where) {
  bosId_ = idOf(kStartOfText);
  eosId_ = idOf(kEndOfText);
  if (bosId_ < 0 || eosId_ < 0) {
    throw CelerityError(ErrorCode::MalformedFile,
                        "vocabulary lacks <|startoftext|> or <|endoftext|>", where);
  }
  for (const auto& [first, second] : merges_) {
    if (idOf(first + second) < 0) {
      throw CelerityError(ErrorCode::MalformedFile,
                          "merge result '" + first + second + "' is not in the vocabulary",
                          where);
    }
  }
}

int ClipVocabulary::idOf(const std::string& token) const {
  const auto it = ids_.find(token);
  return it == ids_.end() ? -1 : it->second;
}

const std::string& ClipVocabulary::tokenOf(int id) const {
  static const std::string kNone;
  return id >= 0 && id < size() ? tokens_[std::size_t(id)] : kNone;
}

ClipVocabulary ClipVocabulary::fromOpenAiMerges(const fs::path& mergesFile) {
  const std::string text = gunzip(readFile(mergesFile), mergesFile);
  const auto lines = splitLines(text);
  if (lines.size() < std::size_t(kOpenAiMergeCount) + 1) {
    throw CelerityError(ErrorCode::MalformedFile,
                        "expected at least " + std::to_string(kOpenAiMergeCount) +
                            " merges after the header line, found " +
                            std::to_string(lines.size() - 1),
                        mergesFile.string());
  }
  ClipVocabulary vocabulary;
  vocabulary.source_ = mergesFile;
  vocabulary.merges_.reserve(kOpenAiMergeCount);
  for (int i = 1; i <= kOpenAiMergeCount; ++i) {
    vocabulary.merges_.push_back(parseMerge(lines[std::size_t(i)], mergesFile, std::size_t(i) + 1));
  }
  // Ids as openai builds them: the 256 stand-ins, the same with "</w>", every merge, specials.
  const auto alphabet = ByteLevelAlphabet::instance().vocabularyOrder();
  int id = 0;
  for (char32_t c : alphabet) vocabulary.addToken(utf8::encode(std::u32string(1, c)), id++);
  for (char32_t c : alphabet) {
    vocabulary.addToken(utf8::encode(std::u32string(1, c)) + "</w>", id++);
  }
  for (const auto& [first, second] : vocabulary.merges_) vocabulary.addToken(first + second, id++);
  vocabulary.addToken(kStartOfText, id++);
  vocabulary.addToken(kEndOfText, id++);
  vocabulary.finish(mergesFile.string());
  return vocabulary;
}

ClipVocabulary ClipVocabulary::fromHuggingFace(const fs::path& vocabJson,
                                               const fs::path& mergesTxt) {
  ClipVocabulary vocabulary;
  vocabulary.source_ = vocabJson.parent_path();
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(readFile(vocabJson));
  } catch (const nlohmann::json::exception& e) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("invalid JSON: ") + e.what(),
                        vocabJson.string());
  }
  if (!json.is_object() || json.empty()) {
    throw CelerityError(ErrorCode::MalformedFile, "expected an object of token → id",
                        vocabJson.string());
  }
  for (const auto& [token, id] : json.items()) {
    if (!id.is_number_integer()) {
      throw CelerityError(ErrorCode::MalformedFile, "id of '" + token + "' is not an integer",
                          vocabJson.string());
    }
    vocabulary.addToken(token, id.get<int>());
  }
  const std::string merges = readFile(mergesTxt);
  const auto lines = splitLines(merges);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (i == 0 && line.rfind("#version", 0) == 0)) continue;
    vocabulary.merges_.push_back(parseMerge(line, mergesTxt, i + 1));
  }
  vocabulary.finish(vocabJson.string());
  return vocabulary;
}

bool ClipVocabulary::looksLoadable(const fs::path& path) {
  std::error_code ec;
  if (path.empty()) return false;
  if (fs::is_directory(path, ec)) {
    return fs::is_regular_file(path / kVocabJson, ec) && fs::is_regular_file(path / kMergesTxt, ec);
  }
  if (path.filename() == kVocabJson) {
    return fs::is_regular_file(path, ec) && fs::is_regular_file(path.parent_path() / kMergesTxt, ec);
  }
  return fs::is_regular_file(path, ec);
}

ClipVocabulary ClipVocabulary::load(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return fromHuggingFace(path / kVocabJson, path / kMergesTxt);
  if (path.filename() == kVocabJson) {
    return fromHuggingFace(path, path.parent_path() / kMergesTxt);
  }
  return fromOpenAiMerges(path);
}

}  // namespace celerity
