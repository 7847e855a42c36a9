#include "conditioning/TextConditioner.h"

#include <algorithm>
#include <utility>

#include "celerity/Error.h"
#include "conditioning/ClipChunkEncoder.h"
#include "conditioning/Emphasis.h"
#include "conditioning/EncodingCache.h"
#include "conditioning/OpenClipChunkEncoder.h"
#include "conditioning/Sd1Conditioner.h"
#include "conditioning/SdxlConditioner.h"

namespace celerity {

namespace {

// Cache identities of the encoders: the model's identity plus the encoder's role.
const char* const kSd1Role = "/clip";
const char* const kSdxlClipLRole = "/clip_l";
const char* const kSdxlOpenClipRole = "/clip_g";

bool fragmentsEmpty(const PromptFragments& fragments) {
  return std::all_of(fragments.begin(), fragments.end(),
                     [](const PromptFragment& fragment) { return fragment.text.empty(); });
}

}  // namespace

TextConditioner::TextConditioner(ConditionerKind kind, std::shared_ptr<EncodingCache> cache)
    : kind_(kind), cache_(cache ? std::move(cache) : std::make_shared<EncodingCache>()) {}

TextConditioner::TextConditioner(TextConditioner&&) noexcept = default;
TextConditioner& TextConditioner::operator=(TextConditioner&&) noexcept = default;
TextConditioner::~TextConditioner() = default;

TextConditioner TextConditioner::sd1(std::shared_ptr<const ClipTokenizer> tokenizer, ClipTextModel clip,
                                     const std::string& identity, std::shared_ptr<EncodingCache> cache) {
  TextConditioner conditioner(ConditionerKind::Sd1, std::move(cache));
  auto encoder = std::make_shared<ClipChunkEncoder>(std::move(clip), ClipChunkOutput::Sd1ClipSkip,
                                                    identity + kSd1Role);
  conditioner.sd1_ = std::make_unique<Sd1Conditioner>(std::move(tokenizer), std::move(encoder),
                                                      conditioner.cache_);
  return conditioner;
}

TextConditioner TextConditioner::sdxl(std::shared_ptr<const ClipTokenizer> tokenizer, ClipTextModel clipL,
                                      OpenClipTextModel openClip, const std::string& identity,
                                      std::shared_ptr<EncodingCache> cache) {
  TextConditioner conditioner(ConditionerKind::Sdxl, std::move(cache));
  auto first = std::make_shared<ClipChunkEncoder>(std::move(clipL), ClipChunkOutput::SdxlHidden,
                                                  identity + kSdxlClipLRole);
  auto second = std::make_shared<OpenClipChunkEncoder>(std::move(openClip), identity + kSdxlOpenClipRole);
  conditioner.sdxl_ = std::make_unique<SdxlConditioner>(std::move(tokenizer), std::move(first),
                                                        std::move(second), conditioner.cache_);
  return conditioner;
}

Conditioning TextConditioner::run(const std::vector<PromptFragments>& texts,
                                  const ConditioningOptions& options, bool textsEmpty) const {
  if (texts.empty()) {
    throw CelerityError(ErrorCode::InvalidArgument, "no texts to encode", "TextConditioner");
  }
  if (sd1_) return sd1_->encode(texts, options);
  if (sdxl_) return sdxl_->encode(texts, options, textsEmpty);
  throw CelerityError(ErrorCode::Internal, "text conditioner has no encoder", "TextConditioner");
}

Conditioning TextConditioner::encode(const std::vector<PromptFragments>& texts,
                                     const ConditioningOptions& options) const {
  return run(texts, options, std::all_of(texts.begin(), texts.end(), fragmentsEmpty));
}

Conditioning TextConditioner::encodeTexts(const std::vector<std::string>& texts, const PromptParser& parse,
                                          const ConditioningOptions& options) const {
  if (options.emphasis != EmphasisMode::None && !parse) {
    throw CelerityError(ErrorCode::InvalidArgument, "no prompt parser given", "TextConditioner");
  }
  std::vector<PromptFragments> parsed;
  parsed.reserve(texts.size());
  for (const auto& text : texts) {
    parsed.push_back(options.emphasis == EmphasisMode::None ? literalPrompt(text) : parse(text));
  }
  const bool empty = std::all_of(texts.begin(), texts.end(), [](const std::string& t) { return t.empty(); });
  auto result = run(parsed, options, empty);

  // A1111 names a non-default emphasis in the infotext when some text has brackets.
  const bool brackets = std::any_of(texts.begin(), texts.end(), [](const std::string& text) {
    return text.find_first_of("([") != std::string::npos;
  });
  if (brackets && options.emphasis != EmphasisMode::Original) {
    result.extraGenerationParams.emplace_back("Emphasis", emphasisModeName(options.emphasis));
  }
  return result;
}

at::Tensor TextConditioner::emptyContext(const ConditioningOptions& options) const {
  auto plain = options;
  plain.negative = false;
  return run({literalPrompt("")}, plain, true).context;
}

void TextConditioner::setIdentity(const std::string& identity) {
  if (sd1_) sd1_->encoder().setIdentity(identity + kSd1Role);
  if (sdxl_) {
    sdxl_->clipL().setIdentity(identity + kSdxlClipLRole);
    sdxl_->openClip().setIdentity(identity + kSdxlOpenClipRole);
  }
}

std::vector<ChunkTextEncoder*> TextConditioner::encoders() const {
  if (sd1_) return {&sd1_->encoder()};
  if (sdxl_) return {&sdxl_->clipL(), &sdxl_->openClip()};
  return {};
}

}  // namespace celerity
