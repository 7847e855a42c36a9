#include "lora/LoraFile.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "io/SafetensorsFile.h"
#include "lora/Sha256.h"

namespace celerity {
namespace {

enum class Role {
  Up, Down, Mid,
  HadaW1a, HadaW1b, HadaW2a, HadaW2b, HadaT1, HadaT2,
  LokrW1, LokrW1a, LokrW1b, LokrW2, LokrW2a, LokrW2b, LokrT2,
  Diff, DiffBias, Alpha, DoraScale,
};

struct Suffix {
  const char* text;
  Role role;
};

// Every spelling of every part, longest first where one ends another.
const std::array<Suffix, 32> kSuffixes = {{
    {".lora_linear_layer.down.weight", Role::Down},
    {".lora_linear_layer.up.weight", Role::Up},
    {".lora_B.default.weight", Role::Up},
    {".lora_A.default.weight", Role::Down},
    {".lora_down.weight", Role::Down},
    {".lora_mid.weight", Role::Mid},
    {".lora_up.weight", Role::Up},
    {".lora.down.weight", Role::Down},
    {".lora.up.weight", Role::Up},
    {"_lora.down.weight", Role::Down},  // diffusers attention processors: to_q_lora.down.weight
    {"_lora.up.weight", Role::Up},
    {".lora_B.weight", Role::Up},
    {".lora_A.weight", Role::Down},
    {".lora_B", Role::Up},
    {".lora_A", Role::Down},
    {".hada_w1_a", Role::HadaW1a},
    {".hada_w1_b", Role::HadaW1b},
    {".hada_w2_a", Role::HadaW2a},
    {".hada_w2_b", Role::HadaW2b},
    {".hada_t1", Role::HadaT1},
    {".hada_t2", Role::HadaT2},
    {".lokr_w1_a", Role::LokrW1a},
    {".lokr_w1_b", Role::LokrW1b},
    {".lokr_w2_a", Role::LokrW2a},
    {".lokr_w2_b", Role::LokrW2b},
    {".lokr_w1", Role::LokrW1},
    {".lokr_w2", Role::LokrW2},
    {".lokr_t2", Role::LokrT2},
    {".dora_scale", Role::DoraScale},
    {".diff_b", Role::DiffBias},
    {".diff", Role::Diff},
    {".alpha", Role::Alpha},
}};

// LyCORIS' norm-layer diffs are plain differences too.
const std::array<Suffix, 2> kNormSuffixes = {{{".w_norm", Role::Diff}, {".b_norm", Role::DiffBias}}};

bool endsWith(const std::string& text, const char* suffix) {
  const auto n = std::strlen(suffix);
  return text.size() > n && text.compare(text.size() - n, n, suffix) == 0;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

struct Parts {
  std::map<Role, std::pair<std::string, at::Tensor>> byRole;
  std::size_t order = 0;  // first appearance in the file

  const at::Tensor* get(Role role) const {
    const auto it = byRole.find(role);
    return it == byRole.end() ? nullptr : &it->second.second;
  }
  at::Tensor take(Role role, LoraAdapter& adapter) {
    const auto it = byRole.find(role);
    if (it == byRole.end()) return {};
    adapter.keys.push_back(it->second.first);
    return it->second.second;
  }
};

std::optional<Suffix> findSuffix(const std::string& key) {
  for (const auto& suffix : kSuffixes) {
    if (endsWith(key, suffix.text)) return suffix;
  }
  for (const auto& suffix : kNormSuffixes) {
    if (endsWith(key, suffix.text)) return suffix;
  }
  return std::nullopt;
}

// The adapter a module's parts make, or Invalid when they make none (parts left unused).
LoraAdapter makeAdapter(const std::string& module, Parts& parts, const std::filesystem::path& path) {
  LoraAdapter adapter;
  adapter.module = module;
  const auto has = [&](Role role) { return parts.get(role) != nullptr; };
  if (has(Role::Up) && has(Role::Down)) {
    adapter.kind = LoraAdapterKind::LoRA;
    adapter.up = parts.take(Role::Up, adapter);
    adapter.down = parts.take(Role::Down, adapter);
    adapter.mid = parts.take(Role::Mid, adapter);
  } else if (has(Role::HadaW1a) && has(Role::HadaW1b) && has(Role::HadaW2a) && has(Role::HadaW2b)) {
    adapter.kind = LoraAdapterKind::LoHa;
    adapter.hadaW1a = parts.take(Role::HadaW1a, adapter);
    adapter.hadaW1b = parts.take(Role::HadaW1b, adapter);
    adapter.hadaW2a = parts.take(Role::HadaW2a, adapter);
    adapter.hadaW2b = parts.take(Role::HadaW2b, adapter);
    if (has(Role::HadaT1) && has(Role::HadaT2)) {
      adapter.hadaT1 = parts.take(Role::HadaT1, adapter);
      adapter.hadaT2 = parts.take(Role::HadaT2, adapter);
    }
  } else if ((has(Role::LokrW1) || (has(Role::LokrW1a) && has(Role::LokrW1b))) &&
             (has(Role::LokrW2) || (has(Role::LokrW2a) && has(Role::LokrW2b)))) {
    adapter.kind = LoraAdapterKind::LoKr;
    adapter.lokrW1 = parts.take(Role::LokrW1, adapter);
    if (!adapter.lokrW1.defined()) {
      adapter.lokrW1a = parts.take(Role::LokrW1a, adapter);
      adapter.lokrW1b = parts.take(Role::LokrW1b, adapter);
    }
    adapter.lokrW2 = parts.take(Role::LokrW2, adapter);
    if (!adapter.lokrW2.defined()) {
      adapter.lokrW2a = parts.take(Role::LokrW2a, adapter);
      adapter.lokrW2b = parts.take(Role::LokrW2b, adapter);
      adapter.lokrT2 = parts.take(Role::LokrT2, adapter);
    }
  } else if (has(Role::Diff) || has(Role::DiffBias)) {
    adapter.kind = LoraAdapterKind::Full;
    adapter.diff = parts.take(Role::Diff, adapter);
  } else {
    return adapter;  // Invalid: alpha or half a pair without the rest
  }
  // A bias difference may accompany any kind (ComfyUI applies it with the weight's adapter).
  adapter.diffBias = parts.take(Role::DiffBias, adapter);
  if (const auto alpha = parts.take(Role::Alpha, adapter); alpha.defined()) {
    if (alpha.numel() != 1) {
      throw CelerityError(ErrorCode::MalformedFile, "alpha of " + module + " is not one number",
                          path.string());
    }
    adapter.alpha = alpha.to(at::kDouble).item<double>();
  }
  adapter.doraScale = parts.take(Role::DoraScale, adapter);
  return adapter;
}

std::optional<std::int64_t> parseInteger(const std::string& text) {
  try {
    std::size_t used = 0;
    const auto value = std::stoll(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::optional<double> parseNumber(const std::string& text) {
  try {
    std::size_t used = 0;
    const auto value = std::stod(text, &used);
    if (used == text.size()) return value;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string trimmed(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

// ss_tag_frequency: {"<folder>": {"<tag>": count, ...}, ...}, summed over folders.
std::vector<std::pair<std::string, std::int64_t>> triggerWords(const std::string& json) {
  std::map<std::string, std::int64_t> counts;
  try {
    const auto parsed = nlohmann::json::parse(json);
    if (!parsed.is_object()) return {};
    for (const auto& [folder, tags] : parsed.items()) {
      if (!tags.is_object()) continue;
      for (const auto& [tag, count] : tags.items()) {
        const auto word = trimmed(tag);
        if (!word.empty() && count.is_number()) counts[word] += count.get<std::int64_t>();
      }
    }
  } catch (const nlohmann::json::exception&) {
    return {};  // display only: a malformed field shows no words rather than failing the load
  }
  std::vector<std::pair<std::string, std::int64_t>> words(counts.begin(), counts.end());
  std::stable_sort(words.begin(), words.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (words.size() > LoraMetadata::kMaxTriggerWords) words.resize(LoraMetadata::kMaxTriggerWords);
  return words;
}

// The text context width a UNet cross-attention adapter reads: SD 1.x 768, SD 2.x 1024, SDXL 2048.
std::optional<std::int64_t> contextWidth(const LoraAdapter& adapter) {
  if (adapter.kind != LoraAdapterKind::LoRA || adapter.down.dim() < 2) return std::nullopt;
  const auto& m = adapter.module;
  const bool crossKv = m.find("attn2") != std::string::npos &&
                       (endsWith(m, "to_k") || endsWith(m, "to_v"));
  if (!crossKv) return std::nullopt;
  return adapter.down.size(1);
}

}  // namespace

const char* loraBaseName(LoraBase base) {
  switch (base) {
    case LoraBase::SD1: return "SD 1.x";
    case LoraBase::SD2: return "SD 2.x";
    case LoraBase::SDXL: return "SDXL";
    case LoraBase::Unknown: break;
  }
  return "unknown";
}

std::shared_ptr<LoraFile> LoraFile::open(const std::filesystem::path& path) {
  std::shared_ptr<LoraFile> lora(new LoraFile());
  lora->path_ = path;
  lora->file_ = SafetensorsFile::open(path);  // refuses pickles (UnsafeFormat)
  lora->parse(*lora->file_);
  lora->readMetadata(*lora->file_);
  lora->guessBase();
  return lora;
}

void LoraFile::parse(const SafetensorsFile& file) {
  std::map<std::string, Parts> modules;
  std::vector<std::string> unmatched;
  std::size_t order = 0;
  for (const auto& info : file.tensors()) {
    const auto suffix = findSuffix(info.name);
    if (!suffix) {
      unmatched.push_back(info.name);
      continue;
    }
    const auto module = info.name.substr(0, info.name.size() - std::strlen(suffix->text));
    auto& parts = modules[module];
    if (parts.byRole.empty()) parts.order = order++;
    parts.byRole[suffix->role] = {info.name, file.tensor(info)};
  }
  std::vector<std::pair<std::size_t, LoraAdapter>> ordered;
  for (auto& [module, parts] : modules) {
    auto adapter = makeAdapter(module, parts, path_);
    for (const auto& [role, entry] : parts.byRole) {
      if (std::find(adapter.keys.begin(), adapter.keys.end(), entry.first) == adapter.keys.end()) {
        unmatched.push_back(entry.first);
      }
    }
    if (adapter.kind != LoraAdapterKind::Invalid) ordered.emplace_back(parts.order, std::move(adapter));
  }
  std::sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [index, adapter] : ordered) adapters_.push_back(std::move(adapter));
  // Report in file order.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < file.tensors().size(); ++i) position[file.tensors()[i].name] = i;
  std::sort(unmatched.begin(), unmatched.end(),
            [&](const std::string& a, const std::string& b) { return position[a] < position[b]; });
  unknownKeys_ = std::move(unmatched);
}

void LoraFile::readMetadata(const SafetensorsFile& file) {
  const auto value = [&](const char* key) { return file.metadataValue(key).value_or(""); };
  metadata_.baseModelVersion = value("ss_base_model_version");
  metadata_.networkDim = parseInteger(value("ss_network_dim"));
  metadata_.networkAlpha = parseNumber(value("ss_network_alpha"));
  metadata_.networkModule = value("ss_network_module");
  metadata_.outputName = value("ss_output_name");
  metadata_.modelHash = value("sshs_model_hash");
  metadata_.triggerWords = triggerWords(value("ss_tag_frequency"));
}

void LoraFile::guessBase() {
  // Shapes first: a cross-attention adapter knows the text width it was trained against.
  for (const auto& adapter : adapters_) {
    const auto width = contextWidth(adapter);
    if (!width) continue;
    const auto reason = "cross-attention input width " + std::to_string(*width) + " (" + adapter.module + ")";
    if (*width == 768) { base_ = LoraBase::SD1; baseReason_ = reason; return; }
    if (*width == 1024) { base_ = LoraBase::SD2; baseReason_ = reason; return; }
    if (*width == 2048) { base_ = LoraBase::SDXL; baseReason_ = reason; return; }
  }
  for (const auto& adapter : adapters_) {
    if (startsWith(adapter.module, "lora_te2_") || startsWith(adapter.module, "text_encoder_2.")) {
      base_ = LoraBase::SDXL;
      baseReason_ = "second text encoder keys (" + adapter.module + ")";
      return;
    }
  }
  const auto& meta = file_->metadata();
  const auto get = [&](const char* key) {
    const auto it = meta.find(key);
    return it == meta.end() ? std::string() : it->second;
  };
  const auto architecture = get("modelspec.architecture");
  if (startsWith(architecture, "stable-diffusion-xl")) { base_ = LoraBase::SDXL; }
  else if (startsWith(architecture, "stable-diffusion-v2")) { base_ = LoraBase::SD2; }
  else if (startsWith(architecture, "stable-diffusion-v1")) { base_ = LoraBase::SD1; }
  if (base_ != LoraBase::Unknown) {
    baseReason_ = "metadata modelspec.architecture = " + architecture;
    return;
  }
  const auto version = metadata_.baseModelVersion;
  if (startsWith(version, "sdxl")) { base_ = LoraBase::SDXL; }
  else if (startsWith(version, "sd_v2") || get("ss_v2") == "True") { base_ = LoraBase::SD2; }
  else if (startsWith(version, "sd_v1")) { base_ = LoraBase::SD1; }
  if (base_ != LoraBase::Unknown) baseReason_ = "metadata ss_base_model_version = " + version;
}

const LoraAdapter* LoraFile::adapter(const std::string& module) const {
  for (const auto& a : adapters_) {
    if (a.module == module) return &a;
  }
  return nullptr;
}

std::int64_t LoraFile::rank() const {
  std::map<std::int64_t, int> counts;
  for (const auto& a : adapters_) {
    if (a.rank() > 0) ++counts[a.rank()];
  }
  std::int64_t best = 0;
  int bestCount = 0;
  for (const auto& [rank, count] : counts) {
    if (count > bestCount) {
      best = rank;
      bestCount = count;
    }
  }
  return best;
}

std::string LoraFile::addnetHash(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 8> header{};
  if (!in.read(reinterpret_cast<char*>(header.data()), 8)) {
    throw CelerityError(ErrorCode::MalformedFile, "too short for a safetensors header", path.string());
  }
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i) length = (length << 8) | header[static_cast<std::size_t>(i)];
  return Sha256::hashFile(path, 8 + length);
}

std::string LoraFile::hash() const {
  if (!metadata_.modelHash.empty()) return metadata_.modelHash;
  // Hashing a large file takes a while: remember it per file version, as A1111's cache.json.
  static std::mutex mutex;
  static std::map<std::string, std::string> cache;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path_, ec);
  const auto time = std::filesystem::last_write_time(path_, ec).time_since_epoch().count();
  const auto key = std::filesystem::absolute(path_, ec).string() + "|" + std::to_string(size) + "|" +
                   std::to_string(time);
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = cache.find(key); it != cache.end()) return it->second;
  }
  auto value = addnetHash(path_);
  std::lock_guard<std::mutex> lock(mutex);
  cache[key] = value;
  return value;
}

}  // namespace celerity
