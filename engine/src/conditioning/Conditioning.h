#pragma once
// What a job asks of the text conditioning (A1111's options) and what it gets back: the
// UNet's cross-attention context, SDXL's pooled vector and `y`, and the chunks, tokens and
// multipliers for inspection (token counter, infotext, tests).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <ATen/ATen.h>

#include "conditioning/ConditioningTypes.h"

namespace celerity {

// SDXL size conditioning: original (h, w), crop (top, left), target (h, w). A1111 uses the
// image size for both original and target and its sdxl_crop_top/left options for the crop;
// sgm's defaults are 1024×1024 and (0, 0).
struct SdxlSizeConditioning {
  std::int64_t originalHeight = 1024;
  std::int64_t originalWidth = 1024;
  std::int64_t cropTop = 0;
  std::int64_t cropLeft = 0;
  std::int64_t targetHeight = 1024;
  std::int64_t targetWidth = 1024;

  // A1111's choice for an image of this size.
  static SdxlSizeConditioning forImage(std::int64_t height, std::int64_t width, std::int64_t cropTop = 0,
                                       std::int64_t cropLeft = 0) {
    return {height, width, cropTop, cropLeft, height, width};
  }
};

// What an empty SDXL negative prompt becomes.
enum class SdxlEmptyNegative {
  Zero = 0,  // context and pooled zeroed, size embeddings kept (A1111, sgm/Stability)
  Encode,    // the empty text encoded like any other (ComfyUI's habit)
};

struct ConditioningOptions {
  int clipSkip = 1;                     // A1111 CLIP_stop_at_last_layers
  EmphasisMode emphasis = EmphasisMode::Original;
  int commaPaddingBacktrack = 20;       // A1111 comma_padding_backtrack (0 = off)
  bool sdxlClipLSkip = false;           // A1111 sdxl_clip_l_skip
  bool negative = false;                // these texts are the negative prompt (SDXL zeroing)
  SdxlEmptyNegative sdxlEmptyNegative = SdxlEmptyNegative::Zero;
  SdxlSizeConditioning sdxlSize;
};

struct Conditioning {
  at::Tensor context;      // [B, 77·N, C] (SDXL: CLIP-L ++ OpenCLIP on the feature axis)
  at::Tensor pooled;       // SDXL: [B, P] OpenCLIP pooled of the first chunk; else undefined
  at::Tensor y;            // SDXL: [B, P + 6·256] pooled ++ size embeddings; else undefined
  at::Tensor sizeIds;      // SDXL: [B, 6] int64
  at::Tensor tokens;       // [B, N, 77] int64 as fed to the (first) encoder
  at::Tensor openClipTokens;  // SDXL: [B, N, 77] as fed to OpenCLIP (0 after the first EOS)
  at::Tensor multipliers;  // [B, N, 77] float32
  std::vector<ChunkedPrompt> prompts;  // per text
  int tokenCount = 0;        // the longest text's count (A1111 process_texts)
  int targetTokenCount = 0;  // rounded up to whole chunks
  bool zeroed = false;       // SDXL empty negative replaced by zeros
  // What A1111's hijack adds to the infotext (e.g. {"Emphasis", "No norm"}); filled only
  // where the raw texts are known (TextConditioner::encodeTexts).
  std::vector<std::pair<std::string, std::string>> extraGenerationParams;

  std::int64_t batch() const { return context.defined() ? context.size(0) : 0; }
  std::int64_t chunkCount() const { return tokens.defined() ? tokens.size(1) : 0; }
};

}  // namespace celerity
