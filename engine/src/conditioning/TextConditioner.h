#pragma once
// The entry point of text conditioning: owns the tokenizer, the text encoder(s) of the
// loaded model and the cache of their outputs, and turns parsed prompts into the tensors
// the UNet expects, as AUTOMATIC1111 does for SD 1.x and SDXL. Keep one per loaded model:
// the cache then persists across jobs, and a repeated prompt never re-runs the encoder.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ATen/ATen.h>

#include "conditioning/Conditioning.h"
#include "conditioning/ConditioningTypes.h"
#include "models/clip/ClipTextModel.h"
#include "models/clip/OpenClipTextModel.h"

namespace celerity {

class ClipTokenizer;
class ChunkTextEncoder;
class EncodingCache;
class Sd1Conditioner;
class SdxlConditioner;

enum class ConditionerKind {
  Invalid = 0,
  Sd1,
  Sdxl,
};

class TextConditioner {
 public:
  // A1111 parse_prompt_attention (engine/src/prompt), or any function of that contract.
  using PromptParser = std::function<PromptFragments(const std::string&)>;

  // `identity` names the loaded weights (e.g. the checkpoint hash, plus the LoRAs merged
  // into the text encoder): cached encodings are keyed by it. `cache` null = a private one.
  static TextConditioner sd1(std::shared_ptr<const ClipTokenizer> tokenizer, ClipTextModel clip,
                             const std::string& identity, std::shared_ptr<EncodingCache> cache = {});
  static TextConditioner sdxl(std::shared_ptr<const ClipTokenizer> tokenizer, ClipTextModel clipL,
                              OpenClipTextModel openClip, const std::string& identity,
                              std::shared_ptr<EncodingCache> cache = {});

  TextConditioner(TextConditioner&&) noexcept;
  TextConditioner& operator=(TextConditioner&&) noexcept;
  ~TextConditioner();

  // Parsed texts (one fragment list per text, one batch row each). With emphasis "None",
  // pass each text as literalPrompt(text): A1111 then skips the parser. SDXL zeroes a
  // negative whose every text has only empty fragments.
  Conditioning encode(const std::vector<PromptFragments>& texts, const ConditioningOptions& options) const;

  // Raw texts: parsed with `parse` unless emphasis is "None" (then literal, as A1111);
  // SDXL zeroing tests the raw text for "" exactly as A1111; fills extraGenerationParams.
  Conditioning encodeTexts(const std::vector<std::string>& texts, const PromptParser& parse,
                           const ConditioningOptions& options) const;

  // forward([""]) under `options`, always encoded (A1111 cond_stage_model_empty_prompt):
  // the padding unit of padCondUncond. [1, 77, C].
  at::Tensor emptyContext(const ConditioningOptions& options) const;

  static PromptFragments literalPrompt(const std::string& text) { return {{text, 1.0}}; }

  // Renames the weights the cached encodings are keyed by, for when they change in place:
  // pass the model's identity plus LoraPatcher::stateId() after every LoRA apply. Rows cached
  // under an earlier identity stay (until evicted) and are found again when it comes back.
  void setIdentity(const std::string& identity);

  ConditionerKind kind() const { return kind_; }
  EncodingCache& cache() const { return *cache_; }
  const std::shared_ptr<EncodingCache>& sharedCache() const { return cache_; }
  // The encoders, for call counters and diagnostics: index 0 = CLIP(-L), 1 = OpenCLIP.
  std::vector<ChunkTextEncoder*> encoders() const;

 private:
  TextConditioner(ConditionerKind kind, std::shared_ptr<EncodingCache> cache);
  Conditioning run(const std::vector<PromptFragments>& texts, const ConditioningOptions& options,
                   bool textsEmpty) const;

  ConditionerKind kind_ = ConditionerKind::Invalid;
  std::shared_ptr<EncodingCache> cache_;
  std::unique_ptr<Sd1Conditioner> sd1_;
  std::unique_ptr<SdxlConditioner> sdxl_;
};

}  // namespace celerity
