#include "conditioning/ChunkBatchEncoder.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include <c10/core/InferenceMode.h>

#include "celerity/Error.h"
#include "conditioning/EncodingCache.h"
#include "conditioning/Emphasis.h"

namespace celerity {

namespace {

at::Tensor tokenTensor(const std::vector<std::vector<std::int64_t>>& rows) {
  const auto width = static_cast<std::int64_t>(rows.front().size());
  auto tensor = at::empty({static_cast<std::int64_t>(rows.size()), width}, at::kLong);
  auto* data = tensor.data_ptr<std::int64_t>();
  for (const auto& row : rows) data = std::copy(row.begin(), row.end(), data);
  return tensor;
}

// Python doubles → float32, as torch.asarray of a list of floats does.
at::Tensor multiplierTensor(const std::vector<const std::vector<double>*>& rows) {
  const auto width = static_cast<std::int64_t>(rows.front()->size());
  auto tensor = at::empty({static_cast<std::int64_t>(rows.size()), width}, at::kFloat);
  auto* data = tensor.data_ptr<float>();
  for (const auto* row : rows) {
    for (const double value : *row) *data++ = static_cast<float>(value);
  }
  return tensor;
}

void checkChunk(const PromptChunk& chunk) {
  if (chunk.tokens.empty() || chunk.tokens.size() != chunk.multipliers.size()) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "a prompt chunk needs as many multipliers as tokens", "PromptChunk");
  }
}

}  // namespace

ChunkBatchEncoder::ChunkBatchEncoder(std::shared_ptr<ChunkTextEncoder> encoder,
                                     std::shared_ptr<EncodingCache> cache)
    : encoder_(std::move(encoder)), cache_(std::move(cache)) {
  if (!encoder_) {
    throw CelerityError(ErrorCode::InvalidArgument, "a chunk batch encoder needs an encoder",
                        "ChunkBatchEncoder");
  }
}

std::vector<std::int64_t> ChunkBatchEncoder::padAfterFirstEos(std::vector<std::int64_t> row,
                                                              std::int64_t eos, std::int64_t pad) {
  const auto first = std::find(row.begin(), row.end(), eos);
  // A1111's list.index raises when there is no EOS; a chunk always has one.
  if (first != row.end()) std::fill(std::next(first), row.end(), pad);
  return row;
}

EncoderOutput ChunkBatchEncoder::encodeRows(const std::vector<std::vector<std::int64_t>>& rows,
                                            const LayerSelection& selection) const {
  const int variant = encoder_->outputVariant(selection);
  std::vector<std::optional<CachedEncoding>> found(rows.size());
  // Distinct rows the cache lacks, and which batch rows each one fills.
  std::map<std::vector<std::int64_t>, std::size_t> missingIndex;
  std::vector<std::vector<std::int64_t>> missing;
  std::vector<std::size_t> sourceOf(rows.size(), 0);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (cache_) found[r] = cache_->find(EncodingKey{encoder_->identity(), variant, rows[r]});
    if (found[r]) continue;
    const auto [it, inserted] = missingIndex.emplace(rows[r], missing.size());
    if (inserted) missing.push_back(rows[r]);
    sourceOf[r] = it->second;
  }

  std::vector<CachedEncoding> fresh;
  if (!missing.empty()) {
    const auto output = encoder_->encode(tokenTensor(missing), selection);
    for (std::size_t m = 0; m < missing.size(); ++m) {
      const auto index = static_cast<std::int64_t>(m);
      // Own copies, so that a cached row does not pin the whole batch's storage.
      CachedEncoding row{output.hidden[index].clone(),
                         output.pooled.defined() ? output.pooled[index].clone() : at::Tensor()};
      if (cache_) cache_->insert(EncodingKey{encoder_->identity(), variant, missing[m]}, row);
      fresh.push_back(std::move(row));
    }
  }

  std::vector<at::Tensor> hidden, pooled;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const CachedEncoding& row = found[r] ? *found[r] : fresh[sourceOf[r]];
    hidden.push_back(row.hidden);
    if (row.pooled.defined()) pooled.push_back(row.pooled);
  }
  EncoderOutput result;
  result.hidden = at::stack(hidden);
  if (pooled.size() == rows.size()) result.pooled = at::stack(pooled);
  return result;
}

EncodedChunks ChunkBatchEncoder::encode(const std::vector<ChunkedPrompt>& prompts,
                                        const PromptChunk& emptyChunk, const LayerSelection& selection,
                                        EmphasisMode emphasis) const {
  if (prompts.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "no texts to encode", "ChunkBatchEncoder");
  }
  checkChunk(emptyChunk);
  std::size_t chunkCount = 0;
  for (const auto& prompt : prompts) {
    if (prompt.chunks.empty()) {
      throw CelerityError(ErrorCode::InvalidArgument, "a chunked prompt has no chunks",
                          "ChunkBatchEncoder");
    }
    chunkCount = std::max(chunkCount, prompt.chunks.size());
  }

  c10::InferenceMode inference;
  const auto eos = emptyChunk.tokens.back();
  const auto pad = encoder_->padId();
  std::vector<at::Tensor> zs, tokenChunks, multiplierChunks;
  EncodedChunks result;
  for (std::size_t i = 0; i < chunkCount; ++i) {
    std::vector<std::vector<std::int64_t>> rows;
    std::vector<const std::vector<double>*> multipliers;
    for (const auto& prompt : prompts) {
      const auto& chunk = i < prompt.chunks.size() ? prompt.chunks[i] : emptyChunk;
      checkChunk(chunk);
      if (chunk.tokens.size() != emptyChunk.tokens.size()) {
        throw CelerityError(ErrorCode::InvalidArgument, "prompt chunks differ in length",
                            "ChunkBatchEncoder");
      }
      rows.push_back(pad ? padAfterFirstEos(chunk.tokens, eos, *pad) : chunk.tokens);
      multipliers.push_back(&chunk.multipliers);
    }
    const auto output = encodeRows(rows, selection);
    const auto weights = multiplierTensor(multipliers);
    zs.push_back(applyEmphasis(output.hidden, weights, emphasis));
    if (i == 0) result.pooled = output.pooled;
    tokenChunks.push_back(tokenTensor(rows));
    multiplierChunks.push_back(weights);
  }
  result.context = at::cat(zs, 1);
  result.tokens = at::stack(tokenChunks, 1);
  result.multipliers = at::stack(multiplierChunks, 1);
  return result;
}

}  // namespace celerity
