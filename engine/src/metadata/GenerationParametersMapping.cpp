#include "metadata/GenerationParametersMapping.h"

#include <cmath>
#include <functional>
#include <map>
#include <type_traits>

namespace celerity {

using pyfmt::PyValue;

namespace {

// A whole number as a Python int (what the web UI's JSON numbers become), else a float.
PyValue number(double value) {
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 1e15) {
    return static_cast<long long>(value);
  }
  return value;
}

PyValue optionalText(const std::optional<std::string>& text) {
  return text ? PyValue(*text) : PyValue();
}

std::string sizeText(int width, int height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

void setHires(InfotextFields& f, const GenerationParameters& p, const HiresParameters& h) {
  if (!h.checkpoint.empty() && h.checkpoint != "Use same checkpoint") {
    f.set("Hires checkpoint", h.checkpoint);
  }
  if (!h.sampler.empty() && h.sampler != p.sampler) f.set("Hires sampler", h.sampler);
  if (!h.prompt.empty() && h.prompt != p.prompt) f.set("Hires prompt", h.prompt);
  if (!h.negativePrompt.empty() && h.negativePrompt != p.negativePrompt) {
    f.set("Hires negative prompt", h.negativePrompt);
  }
  if (!h.scheduler.empty()) f.set("Hires schedule type", h.scheduler);
  if (h.resize && (h.resize->width != 0 || h.resize->height != 0)) {
    f.set("Hires resize", sizeText(h.resize->width, h.resize->height));
  } else {
    f.set("Hires upscale", number(h.upscale));
  }
  if (h.steps > 0) f.set("Hires steps", static_cast<long long>(h.steps));
  if (!h.upscaler.empty()) f.set("Hires upscaler", h.upscaler);
}

}  // namespace

InfotextFields toInfotextFields(const GenerationParameters& p) {
  InfotextFields f;
  f.prompt = p.prompt;
  f.negativePrompt = p.negativePrompt;
  f.set("Steps", static_cast<long long>(p.steps));
  if (!p.sampler.empty()) f.set("Sampler", p.sampler);
  if (!p.scheduler.empty()) f.set("Schedule type", p.scheduler);
  f.set("CFG scale", number(p.cfgScale));
  f.set("Seed", p.seed);
  f.set("Face restoration", optionalText(p.faceRestoration));
  f.set("Size", sizeText(p.width, p.height));
  f.set("Model hash", optionalText(p.modelHash));
  f.set("Model", optionalText(p.modelName));
  f.set("VAE hash", optionalText(p.vaeHash));
  f.set("VAE", optionalText(p.vaeName));
  if (p.variationStrength && *p.variationStrength != 0) {
    f.set("Variation seed", p.variationSeed.value_or(-1));
    f.set("Variation seed strength", number(*p.variationStrength));
  }
  if (p.seedResizeFrom && p.seedResizeFrom->width > 0 && p.seedResizeFrom->height > 0) {
    f.set("Seed resize from", sizeText(p.seedResizeFrom->width, p.seedResizeFrom->height));
  }
  if (p.denoisingStrength) {
    f.set("Denoising strength", number(*p.denoisingStrength));
  } else if (p.hires) {
    f.set("Denoising strength", number(p.hires->denoisingStrength));
  }
  if (p.clipSkip > 1) f.set("Clip skip", static_cast<long long>(p.clipSkip));
  if (p.ensd && *p.ensd != 0) f.set("ENSD", *p.ensd);
  if (p.tokenMergingRatio && *p.tokenMergingRatio != 0) {
    f.set("Token merging ratio", number(*p.tokenMergingRatio));
  }
  if (p.hires && p.tokenMergingRatioHires && *p.tokenMergingRatioHires != 0) {
    f.set("Token merging ratio hr", number(*p.tokenMergingRatioHires));
  }
  if (p.rng && *p.rng != "GPU") f.set("RNG", *p.rng);
  if (p.tiling) f.set("Tiling", std::string("True"));

  if (p.hires) setHires(f, p, *p.hires);
  f.set("Lora hashes", optionalText(p.loraHashes));
  f.set("TI hashes", optionalText(p.tiHashes));
  if (p.emphasis && *p.emphasis != "Original") f.set("Emphasis", *p.emphasis);
  for (const auto& [key, value] : p.extra) f.set(key, value);
  f.set("Version", optionalText(p.version));
  f.set("User", optionalText(p.user));
  return f;
}

std::string toInfotext(const GenerationParameters& parameters) {
  return writeInfotext(toInfotextFields(parameters));
}

GenerationParameters fromParsedInfotext(const ParsedInfotext& parsed) {
  const auto& res = parsed.params;
  GenerationParameters p;
  HiresParameters hires;
  bool hasHires = false;
  std::optional<double> denoising;
  std::optional<ImageSize> size;
  std::optional<ImageSize> hiresResize;

  // Each known key has a setter that returns false when the value does not convert (the pair
  // then goes to `extra` as read). Optional fields are set only when the value converts.
  using Setter = std::function<bool(const PyValue&)>;
  const auto text = [](const PyValue& v) { return pyfmt::str(v); };
  const auto ignore = [](const PyValue&) { return true; };
  const auto setText = [&](auto& target) {
    return Setter([&target, text](const PyValue& v) {
      target = text(v);
      return true;
    });
  };
  const auto setInt = [](auto& target) {
    return Setter([&target](const PyValue& v) {
      const auto i = pyfmt::toInt(v);
      if (i) target = static_cast<std::remove_reference_t<decltype(*&target)>>(*i);
      return i.has_value();
    });
  };
  const auto setOptionalInt = [](std::optional<long long>& target) {
    return Setter([&target](const PyValue& v) {
      const auto i = pyfmt::toInt(v);
      if (i) target = *i;
      return i.has_value();
    });
  };
  const auto setFloat = [](auto& target) {
    return Setter([&target](const PyValue& v) {
      const auto d = pyfmt::toFloat(v);
      if (d) target = *d;
      return d.has_value();
    });
  };
  const auto setSide = [](std::optional<ImageSize>& target, bool first) {
    return Setter([&target, first](const PyValue& v) {
      const auto i = pyfmt::toInt(v);
      if (!i) return false;
      if (!target) target = ImageSize{};
      (first ? target->width : target->height) = static_cast<int>(*i);
      return true;
    });
  };
  // A hires key: any value other than empty / A1111's "same as first pass" label.
  const auto setHires = [&](std::string& target, const char* sameAs) {
    return Setter([&target, &hasHires, sameAs, text](const PyValue& v) {
      const std::string t = text(v);
      if (!t.empty() && t != sameAs) {
        target = t;
        hasHires = true;
      }
      return true;
    });
  };
  const auto markHires = [&](Setter setter) {
    return Setter([setter, &hasHires](const PyValue& v) { return hasHires = setter(v); });
  };

  const std::map<std::string, Setter> setters = {
      {"Prompt", ignore},
      {"Negative prompt", ignore},
      {"Steps", setInt(p.steps)},
      {"Sampler", setText(p.sampler)},
      {"Schedule type", setText(p.scheduler)},
      {"CFG scale", setFloat(p.cfgScale)},
      {"Seed", setInt(p.seed)},
      {"Size-1", setSide(size, true)},
      {"Size-2", setSide(size, false)},
      {"Model hash", setText(p.modelHash)},
      {"Model", setText(p.modelName)},
      {"VAE hash", setText(p.vaeHash)},
      {"VAE", setText(p.vaeName)},
      {"Variation seed", setOptionalInt(p.variationSeed)},
      {"Variation seed strength", setFloat(p.variationStrength)},
      {"Seed resize from-1", setSide(p.seedResizeFrom, true)},
      {"Seed resize from-2", setSide(p.seedResizeFrom, false)},
      {"Denoising strength", setFloat(denoising)},
      {"Clip skip", setInt(p.clipSkip)},
      {"ENSD", setOptionalInt(p.ensd)},
      {"Token merging ratio", setFloat(p.tokenMergingRatio)},
      {"Token merging ratio hr", setFloat(p.tokenMergingRatioHires)},
      {"RNG", setText(p.rng)},
      {"Face restoration", setText(p.faceRestoration)},
      {"Tiling",
       [&](const PyValue& v) {
         p.tiling = text(v) == "True";
         return p.tiling || text(v) == "False";
       }},
      {"Hires upscale", markHires(setFloat(hires.upscale))},
      {"Hires resize-1", setSide(hiresResize, true)},
      {"Hires resize-2", setSide(hiresResize, false)},
      {"Hires steps", markHires(setInt(hires.steps))},
      {"Hires upscaler", setHires(hires.upscaler, "")},
      {"Hires sampler", setHires(hires.sampler, "Use same sampler")},
      {"Hires schedule type", setHires(hires.scheduler, "Use same scheduler")},
      {"Hires checkpoint", setHires(hires.checkpoint, "Use same checkpoint")},
      {"Hires prompt", setHires(hires.prompt, "")},
      {"Hires negative prompt", setHires(hires.negativePrompt, "")},
      {"Lora hashes", setText(p.loraHashes)},
      {"TI hashes", setText(p.tiHashes)},
      {"Emphasis", setText(p.emphasis)},
      {"Version", setText(p.version)},
      {"User", setText(p.user)},
      {"Hypernet", ignore},
      {"Hypernet strength", ignore},
      {"First pass size-1", ignore},
      {"First pass size-2", ignore},
  };

  p.prompt = text(res.get("Prompt", std::string()));
  p.negativePrompt = text(res.get("Negative prompt", std::string()));
  for (const auto& [key, value] : res.items()) {
    if (parsed.isFilledIn(key)) continue;
    const auto setter = setters.find(key);
    if (setter != setters.end() && setter->second(value)) continue;
    // An unknown "K-1"/"K-2" pair was one "K: WxH" value.
    const auto base = key.size() > 2 ? key.substr(0, key.size() - 2) : std::string();
    const auto suffix = key.size() > 2 ? key.substr(key.size() - 2) : std::string();
    if (setter == setters.end() && suffix == "-1" && res.contains(base + "-2")) {
      p.extra.emplace_back(base, text(value) + "x" + text(res.get(base + "-2")));
      continue;
    }
    if (setter == setters.end() && suffix == "-2" && res.contains(base + "-1")) continue;
    p.extra.emplace_back(key, text(value));
  }

  if (size) {
    p.width = size->width;
    p.height = size->height;
  }
  if (hiresResize && (hiresResize->width != 0 || hiresResize->height != 0)) {
    hires.resize = hiresResize;
    hasHires = true;
  }
  if (hasHires) {
    if (denoising) hires.denoisingStrength = *denoising;
    p.hires = hires;
  } else {
    p.denoisingStrength = denoising;
  }
  return p;
}

GenerationParameters fromInfotext(const std::string& text, const InfotextParseOptions& options) {
  return fromParsedInfotext(parseInfotextDetailed(text, options));
}

}  // namespace celerity
