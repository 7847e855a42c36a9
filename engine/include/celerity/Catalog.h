#pragma once
// The names a front end offers without linking the samplers: every sampler, schedule and
// hires upscaler the engine accepts (Request::sampler, ::scheduler, ::hires.upscaler), in the
// registries' order. Plain C++, no torch. tst_catalog checks these lists against the
// engine's registries entry by entry, so that a name added there and not here fails a test.
#include <string>
#include <vector>

namespace celerity {

struct SamplerCatalogEntry {
  std::string name;        // ComfyUI spelling, the canonical id ("euler_ancestral")
  std::string a1111Label;  // A1111's label ("Euler a"); empty when A1111 has no such sampler
  // What a picker shows and stores: the A1111 label when there is one, else the name.
  const std::string& displayName() const { return a1111Label.empty() ? name : a1111Label; }
};

struct ScheduleCatalogEntry {
  std::string name;                  // ComfyUI spelling, the canonical id ("karras")
  std::vector<std::string> aliases;  // A1111 labels and other accepted spellings
  std::string description;
};

const std::vector<SamplerCatalogEntry>& samplerCatalog();
const std::vector<ScheduleCatalogEntry>& scheduleCatalog();
// Request::hires.upscaler names, in imaging/LatentUpscale's order ("Latent", …).
const std::vector<std::string>& hiresUpscalerCatalog();

// By name, label or alias: exact first, then ignoring ASCII case (as the registries match).
// Null when the engine would refuse the name.
const SamplerCatalogEntry* findSamplerEntry(const std::string& name);
const ScheduleCatalogEntry* findScheduleEntry(const std::string& name);

}  // namespace celerity
