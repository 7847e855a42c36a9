#include "lora/LoraPatcher.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <set>
#include <utility>

#include <c10/core/InferenceMode.h>
#include <spdlog/spdlog.h>

#include "celerity/Error.h"
#include "common/Log.h"
#include "lora/LoraDelta.h"
#include "lora/LoraLayerAdapter.h"
#include "pipeline/LoadedModel.h"

namespace celerity {

struct LoraPatcher::Contribution {
  std::string key;      // fileKey + "|" + module: names the ΔW in the merge cache
  std::string fileKey;
  std::shared_ptr<LoraFile> file;  // keeps `adapter` alive
  const LoraAdapter* adapter = nullptr;
  LoraTarget target;
  double multiplier = 0;
};

struct LoraPatcher::Slot {
  LoraComponent component = LoraComponent::Invalid;
  std::string parameter;
  at::Tensor weight;        // the live parameter: writes reach the module
  at::Tensor bias;          // the layer's bias (diff_b), undefined when it has none
  at::Tensor original;      // values before any LoRA, CPU; taken on the first merge
  at::Tensor biasOriginal;
  layers::LinearImpl* linear = nullptr;  // the layer, for forward-pass adapters
  layers::Conv2dImpl* conv = nullptr;
  std::map<std::string, Contribution> merged;  // in the weight values now
  std::map<std::string, Contribution> hooked;  // in the layer's adapter now
};

struct LoraPatcher::Desired {
  const LoraTarget* target = nullptr;
  std::map<std::string, Contribution> merged;
  std::map<std::string, Contribution> hooked;
};

namespace {

std::string slotKey(LoraComponent component, const std::string& parameter) {
  return std::string(loraComponentName(component)) + ":" + parameter;
}

std::string shapeText(at::IntArrayRef shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

std::int64_t product(at::IntArrayRef shape) {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

// The part of a (full) weight tensor a target patches.
at::Tensor targetView(const at::Tensor& full, const LoraTarget& target) {
  auto view = full;
  if (target.sliced()) view = view.narrow(0, target.rowBegin, target.rowEnd - target.rowBegin);
  if (target.transposed) view = view.t();
  return view;
}

at::Tensor biasView(const at::Tensor& bias, const LoraTarget& target) {
  return target.sliced() ? bias.narrow(0, target.rowBegin, target.rowEnd - target.rowBegin) : bias;
}

// A private copy on the CPU (never a view of the live tensor or of the file mapping).
at::Tensor cpuCopy(const at::Tensor& t) {
  return t.detach().to(at::kCPU, t.scalar_type(), /*non_blocking=*/false, /*copy=*/true);
}

// view += m · delta, accumulated in fp32 and rounded once into the weight's dtype.
void addScaled(at::Tensor view, const at::Tensor& delta, double m) {
  if (view.scalar_type() == at::kFloat) {
    view.add_(delta, m);
  } else {
    view.copy_(view.to(at::kFloat).add_(delta, m));
  }
}

// Same contributions with the same multipliers (maps of contribution key → Contribution).
template <typename Map>
bool sameMultipliers(const Map& a, const Map& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
    if (i->first != j->first || i->second.multiplier != j->second.multiplier) return false;
  }
  return true;
}

bool compatible(LoraBase base, ModelFamily family) {
  if (base == LoraBase::Unknown) return true;
  if (family == ModelFamily::SD1) return base == LoraBase::SD1;
  if (family == ModelFamily::SDXL) return base == LoraBase::SDXL;
  return false;
}

std::string stableNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

std::string fnvHex(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016" PRIx64, hash);
  return out;
}

// Factors of a LoRA / LoCon reshaped for the layer's forward pass; false when they do not
// have a shape the two-step path can run (the dense ΔW is used then).
bool shapeFactors(const LoraAdapter& a, const at::Tensor& weight, LoraForwardTerm& term) {
  const auto r = a.down.size(0);
  const auto out = weight.size(0);
  const auto in = weight.size(1);
  if (weight.dim() == 2) {
    if (a.mid.defined()) return false;
    const auto down = a.down.flatten(1);
    const auto up = a.up.flatten(1);
    if (down.size(1) != in || up.size(0) != out || up.size(1) != r) return false;
    term.down = down;
    term.up = up;
    return true;
  }
  if (weight.dim() != 4) return false;
  const auto kh = weight.size(2);
  const auto kw = weight.size(3);
  if (a.mid.defined()) {
    const auto& mid = a.mid;
    if (mid.dim() != 4 || a.down.numel() != r * in || mid.size(1) != r || mid.size(2) != kh || mid.size(3) != kw ||
        a.up.numel() != out * mid.size(0)) {
      return false;
    }
    term.down = a.down.reshape({r, in, 1, 1});
    term.mid = mid;
    term.up = a.up.reshape({out, mid.size(0), 1, 1});
    return true;
  }
  if (a.down.numel() != r * in * kh * kw || a.up.numel() != out * r) return false;
  term.down = a.down.reshape({r, in, kh, kw});
  term.up = a.up.reshape({out, r, 1, 1});
  return true;
}

}  // namespace

std::vector<std::string> LoraApplyReport::unmatchedKeys() const {
  std::vector<std::string> keys;
  for (const auto& file : files) {
    for (const auto& key : file.unmatched) keys.push_back(file.name + ": " + key);
  }
  return keys;
}

LoraPatcher::LoraPatcher(std::shared_ptr<LoadedModel> model)
    : model_(std::move(model)), parts_(LoraModelParts::of(*model_)), keyMap_(parts_) {
  indexModules();
}

LoraPatcher::LoraPatcher(LoraModelParts parts) : parts_(std::move(parts)), keyMap_(parts_) { indexModules(); }

LoraPatcher::~LoraPatcher() {
  try {
    clear();
  } catch (const std::exception& e) {
    engineLog()->error("restoring the weights LoRAs changed failed: {}", e.what());
  }
}

void LoraPatcher::indexModules() {
  for (auto component : {LoraComponent::UNet, LoraComponent::ClipL, LoraComponent::OpenClipG}) {
    auto* module = parts_.module(component);
    if (module == nullptr) continue;
    for (const auto& item : module->named_parameters(true)) parameters_[slotKey(component, item.key())] = item.value();
    for (const auto& item : module->named_modules("", /*include_self=*/false)) {
      auto* layer = item.value().get();
      if (dynamic_cast<layers::LinearImpl*>(layer) != nullptr || dynamic_cast<layers::Conv2dImpl*>(layer) != nullptr) {
        layers_[slotKey(component, item.key())] = layer;
      }
    }
  }
}

std::shared_ptr<LoraFile> LoraPatcher::openFile(const std::filesystem::path& path, std::string& fileKey) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw CelerityError(ErrorCode::FileNotFound, "LoRA file does not exist", path.string());
  }
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  if (ec) canonical = std::filesystem::absolute(path);
  const auto size = std::filesystem::file_size(canonical, ec);
  const auto time = std::filesystem::last_write_time(canonical, ec).time_since_epoch().count();
  const auto base = canonical.string();
  fileKey = base + "|" + std::to_string(size) + "|" + std::to_string(time);
  if (const auto it = files_.find(fileKey); it != files_.end()) return it->second;
  // Another version of the same file (changed on disk): its cached ΔW are stale.
  for (auto it = files_.begin(); it != files_.end();) {
    if (it->first.compare(0, base.size() + 1, base + "|") == 0) {
      deltaCache_.removePrefix(it->first + "|");
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
  auto file = LoraFile::open(canonical);
  files_[fileKey] = file;
  return file;
}

void LoraPatcher::collect(const std::vector<LoraSelection>& set, std::map<std::string, Desired>& desired,
                          LoraApplyReport& report, const JobControl& control) {
  struct Chosen {
    std::shared_ptr<LoraFile> file;
    std::size_t reportIndex = 0;
    double te = 0;
    double unet = 0;
  };
  // The same file twice adds its multipliers (every LoRA kind is linear in m).
  std::vector<std::string> order;
  std::map<std::string, Chosen> chosen;
  for (const auto& selection : set) {
    control.throwIfCancelled(stages::kLoraLoad);
    std::string fileKey;
    auto file = openFile(selection.file, fileKey);
    if (!compatible(file->base(), parts_.family)) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "'" + selection.name + "' is an " + loraBaseName(file->base()) + " LoRA (" +
                              file->baseReason() + "); the loaded model is " + modelFamilyName(parts_.family),
                          selection.file.string());
    }
    auto& entry = chosen[fileKey];
    if (!entry.file) {
      entry.file = file;
      entry.reportIndex = report.files.size();
      order.push_back(fileKey);
      LoraFileReport fileReport;
      fileReport.name = selection.name.empty() ? selection.file.stem().string() : selection.name;
      fileReport.file = selection.file;
      fileReport.shortHash = file->shortHash();
      fileReport.base = file->base();
      fileReport.rank = file->rank();
      report.files.push_back(std::move(fileReport));
    }
    entry.te += selection.teWeight;
    entry.unet += selection.unetWeight;
  }

  for (const auto& fileKey : order) {
    const auto& entry = chosen.at(fileKey);
    auto& fileReport = report.files[entry.reportIndex];
    for (const auto& adapter : entry.file->adapters()) {
      const auto* target = keyMap_.find(adapter.module);
      if (target == nullptr) {
        fileReport.unmatched.push_back(adapter.module);
        continue;
      }
      if (adapter.hasWeightDelta() && loraDeltaNumel(adapter) != product(target->shape)) {
        fileReport.unmatched.push_back(adapter.module + " (" + std::to_string(loraDeltaNumel(adapter)) +
                                       " elements for the weight " + shapeText(target->shape) + ")");
        continue;
      }
      if (adapter.diffBias.defined()) {
        const auto biasKey = slotKey(target->component, target->biasParameter);
        const auto bias = target->biasParameter.empty() ? at::Tensor() : parameters_.at(biasKey);
        const auto rows = target->sliced() ? target->rowEnd - target->rowBegin : (bias.defined() ? bias.numel() : 0);
        if (!bias.defined() || adapter.diffBias.numel() != rows) {
          fileReport.unmatched.push_back(adapter.module + " (diff_b does not fit the layer's bias)");
          continue;
        }
      }
      ++fileReport.modulesMatched;
      const double m = isTextEncoder(target->component) ? entry.te : entry.unet;
      if (m == 0.0) continue;
      Contribution contribution;
      contribution.key = fileKey + "|" + adapter.module;
      contribution.fileKey = fileKey;
      contribution.file = entry.file;
      contribution.adapter = &adapter;
      contribution.target = *target;
      contribution.multiplier = m;
      const auto key = slotKey(target->component, target->parameter);
      auto& want = desired[key];
      want.target = target;
      const bool hook = unmerged_ && target->whole() && layers_.count(slotKey(target->component, target->layerPath())) != 0;
      auto& bucket = hook ? want.hooked : want.merged;
      const auto contributionKey = contribution.key;
      bucket[contributionKey] = std::move(contribution);
    }
    for (const auto& key : entry.file->unknownKeys()) fileReport.unmatched.push_back(key);
    if (!fileReport.unmatched.empty()) {
      engineLog()->warn("LoRA '{}': {} key(s) match nothing in {} (first: {})", fileReport.name,
                        fileReport.unmatched.size(), modelFamilyName(parts_.family), fileReport.unmatched.front());
    }
  }
}

LoraPatcher::Slot& LoraPatcher::slotFor(const LoraTarget& target) {
  const auto key = slotKey(target.component, target.parameter);
  if (const auto it = slots_.find(key); it != slots_.end()) return *it->second;
  auto slot = std::make_unique<Slot>();
  slot->component = target.component;
  slot->parameter = target.parameter;
  slot->weight = parameters_.at(key);
  if (!target.biasParameter.empty()) slot->bias = parameters_.at(slotKey(target.component, target.biasParameter));
  if (const auto it = layers_.find(slotKey(target.component, target.layerPath())); it != layers_.end()) {
    slot->linear = dynamic_cast<layers::LinearImpl*>(it->second);
    slot->conv = dynamic_cast<layers::Conv2dImpl*>(it->second);
  }
  return *slots_.emplace(key, std::move(slot)).first->second;
}

at::Tensor LoraPatcher::weightDelta(const Contribution& c, const Slot& slot, bool cache, LoraApplyReport& report) {
  if (cache) {
    if (auto found = deltaCache_.find(c.key); found.defined()) {
      ++report.deltasReused;
      return found;
    }
  }
  at::Tensor original;
  if (c.adapter->doraScale.defined()) {
    // DoRA renormalises against the weight before any LoRA.
    original = targetView(slot.original.defined() ? slot.original : slot.weight, c.target);
  }
  auto delta = loraWeightDelta(*c.adapter, c.target.shape, slot.weight.device(), original);
  ++report.deltasComputed;
  if (cache) deltaCache_.insert(c.key, delta);
  return delta;
}

void LoraPatcher::updateMerged(Slot& slot, const std::map<std::string, Contribution>& wanted, bool mergeCache,
                               LoraApplyReport& report) {
  if (sameMultipliers(slot.merged, wanted)) return;
  ++report.tensorsTouched;
  (isTextEncoder(slot.component) ? report.textEncoderChanged : report.unetChanged) = true;
  if (wanted.empty()) {
    slot.weight.copy_(slot.original);
    if (slot.biasOriginal.defined()) slot.bias.copy_(slot.biasOriginal);
    slot.merged.clear();
    slot.original = at::Tensor();
    slot.biasOriginal = at::Tensor();
    ++report.tensorsRestored;
    return;
  }
  if (!slot.original.defined()) slot.original = cpuCopy(slot.weight);
  if (slot.bias.defined() && !slot.biasOriginal.defined()) slot.biasOriginal = cpuCopy(slot.bias);
  const auto device = slot.weight.device();
  if (mergeCache || slot.merged.empty()) {
    // Only the changes: (m_new − m_old)·ΔW per contribution whose multiplier moved.
    std::set<std::string> keys;
    for (const auto& [key, c] : slot.merged) keys.insert(key);
    for (const auto& [key, c] : wanted) keys.insert(key);
    for (const auto& key : keys) {
      const auto now = slot.merged.find(key);
      const auto next = wanted.find(key);
      const double dm = (next != wanted.end() ? next->second.multiplier : 0.0) -
                        (now != slot.merged.end() ? now->second.multiplier : 0.0);
      if (dm == 0.0) continue;
      const auto& c = next != wanted.end() ? next->second : now->second;
      if (c.adapter->hasWeightDelta()) addScaled(targetView(slot.weight, c.target), weightDelta(c, slot, mergeCache, report), dm);
      if (const auto db = loraBiasDelta(*c.adapter, biasView(slot.bias, c.target).sizes(), device); db.defined()) {
        addScaled(biasView(slot.bias, c.target), db, dm);
      }
    }
  } else {
    // Rebuilt from the original: W = W0 + Σ m·ΔW.
    auto weight = slot.original.to(device, at::kFloat, /*non_blocking=*/false, /*copy=*/true);
    at::Tensor bias = slot.biasOriginal.defined() ? slot.biasOriginal.to(device, at::kFloat, false, true) : at::Tensor();
    for (const auto& [key, c] : wanted) {
      if (c.adapter->hasWeightDelta()) targetView(weight, c.target).add_(weightDelta(c, slot, false, report), c.multiplier);
      if (bias.defined()) {
        if (const auto db = loraBiasDelta(*c.adapter, biasView(bias, c.target).sizes(), device); db.defined()) {
          biasView(bias, c.target).add_(db, c.multiplier);
        }
      }
    }
    slot.weight.copy_(weight);
    if (bias.defined()) slot.bias.copy_(bias);
  }
  slot.merged = wanted;
}

void LoraPatcher::updateHooked(Slot& slot, const std::map<std::string, Contribution>& wanted,
                               LoraApplyReport& report) {
  if (sameMultipliers(slot.hooked, wanted)) return;
  ++report.tensorsTouched;
  (isTextEncoder(slot.component) ? report.textEncoderChanged : report.unetChanged) = true;
  slot.hooked = wanted;
  std::shared_ptr<const layers::LayerAdapter> adapter;
  if (!wanted.empty()) {
    const auto options = slot.weight.options();
    std::vector<LoraForwardTerm> terms;
    for (const auto& [key, c] : wanted) {
      LoraForwardTerm term;
      const auto& a = *c.adapter;
      if (a.kind == LoraAdapterKind::LoRA && !a.doraScale.defined() && shapeFactors(a, slot.weight, term)) {
        term.down = term.down.to(options);
        term.up = term.up.to(options);
        if (term.mid.defined()) term.mid = term.mid.to(options);
        term.factorScale = c.multiplier * a.scale();
      } else if (a.hasWeightDelta()) {
        term.dense = weightDelta(c, slot, deltaCache_.capacityBytes() > 0, report).to(options);
        term.factorScale = c.multiplier;
      }
      if (slot.bias.defined()) term.bias = loraBiasDelta(a, slot.bias.sizes(), slot.weight.device());
      if (term.bias.defined()) term.bias = term.bias.to(options);
      term.biasScale = c.multiplier;
      terms.push_back(std::move(term));
    }
    if (slot.conv != nullptr) {
      adapter = std::make_shared<LoraLayerAdapter>(std::move(terms), slot.conv->stride, slot.conv->padding);
    } else {
      adapter = std::make_shared<LoraLayerAdapter>(std::move(terms));
    }
  }
  if (slot.linear != nullptr) slot.linear->adapter = adapter;
  if (slot.conv != nullptr) slot.conv->adapter = adapter;
}

void LoraPatcher::restore(Slot& slot) {
  if (slot.original.defined()) slot.weight.copy_(slot.original);
  if (slot.biasOriginal.defined()) slot.bias.copy_(slot.biasOriginal);
  if (slot.linear != nullptr) slot.linear->adapter = nullptr;
  if (slot.conv != nullptr) slot.conv->adapter = nullptr;
}

LoraApplyReport LoraPatcher::apply(const std::vector<LoraSelection>& set, const LoraApplyOptions& options,
                                   const JobControl& control) {
  c10::InferenceMode inference;  // in-place writes to parameters loaded under inference mode too
  LoraApplyReport report;
  std::map<std::string, Desired> desired;
  {
    StageScope stage(control, stages::kLoraLoad);
    if (options.unmerged != unmerged_) {
      // Switching between merged and runtime: start from the model as loaded.
      for (auto& [key, slot] : slots_) {
        restore(*slot);
        ++report.tensorsTouched;
        ++report.tensorsRestored;
        (isTextEncoder(slot->component) ? report.textEncoderChanged : report.unetChanged) = true;
      }
      slots_.clear();
      unmerged_ = options.unmerged;
    }
    deltaCache_.setCapacity(options.mergeCache ? options.deltaCacheBytes : 0);
    collect(set, desired, report, control);
  }
  {
    StageScope stage(control, stages::kLoraApply);
    std::set<std::string> keys;
    for (const auto& [key, slot] : slots_) keys.insert(key);
    for (const auto& [key, want] : desired) keys.insert(key);
    const Desired none;
    for (const auto& key : keys) {
      const auto it = desired.find(key);
      const auto& want = it != desired.end() ? it->second : none;
      auto& slot = want.target != nullptr ? slotFor(*want.target) : *slots_.at(key);
      updateHooked(slot, want.hooked, report);
      updateMerged(slot, want.merged, options.mergeCache, report);
      if (slot.merged.empty() && slot.hooked.empty()) slots_.erase(key);
    }
  }
  // Files no applied contribution needs any more are let go (their ΔW may stay cached).
  std::set<std::string> used;
  for (const auto& [key, slot] : slots_) {
    for (const auto& [k, c] : slot->merged) used.insert(c.fileKey);
    for (const auto& [k, c] : slot->hooked) used.insert(c.fileKey);
  }
  for (auto it = files_.begin(); it != files_.end();) it = used.count(it->first) ? std::next(it) : files_.erase(it);
  computeStateIds();
  return report;
}

void LoraPatcher::clear() {
  c10::InferenceMode inference;
  for (auto& [key, slot] : slots_) restore(*slot);
  slots_.clear();
  files_.clear();
  computeStateIds();
}

void LoraPatcher::computeStateIds() {
  std::set<std::string> text;
  std::set<std::string> unet;
  for (const auto& [key, slot] : slots_) {
    auto& ids = isTextEncoder(slot->component) ? text : unet;
    for (const auto* map : {&slot->merged, &slot->hooked}) {
      for (const auto& [k, c] : *map) ids.insert(c.fileKey + "=" + stableNumber(c.multiplier));
    }
  }
  const auto id = [this](const std::set<std::string>& entries) -> std::string {
    if (entries.empty()) return {};
    std::string all = unmerged_ ? "runtime" : "merged";
    for (const auto& entry : entries) all += "\n" + entry;
    return "lora-" + fnvHex(all);
  };
  textEncoderStateId_ = id(text);
  unetStateId_ = id(unet);
}

std::size_t LoraPatcher::backupBytes() const {
  std::size_t bytes = 0;
  for (const auto& [key, slot] : slots_) {
    for (const auto* t : {&slot->original, &slot->biasOriginal}) {
      if (t->defined()) bytes += static_cast<std::size_t>(t->numel()) * t->element_size();
    }
  }
  return bytes;
}

at::Tensor LoraPatcher::effectiveWeight(const std::string& checkpointKey) const {
  c10::InferenceMode inference;
  for (auto component : {LoraComponent::UNet, LoraComponent::ClipL, LoraComponent::OpenClipG}) {
    const auto& prefix = parts_.prefix(component);
    if (prefix.empty() || checkpointKey.compare(0, prefix.size(), prefix) != 0) continue;
    const auto key = slotKey(component, checkpointKey.substr(prefix.size()));
    const auto param = parameters_.find(key);
    if (param == parameters_.end()) continue;
    auto weight = param->second.detach().to(at::kCPU, at::kFloat).clone();
    if (const auto slot = slots_.find(key); slot != slots_.end()) {
      for (const auto& [k, c] : slot->second->hooked) {
        if (!c.adapter->hasWeightDelta()) continue;
        const auto original = c.adapter->doraScale.defined() ? targetView(slot->second->weight, c.target) : at::Tensor();
        targetView(weight, c.target).add_(loraWeightDelta(*c.adapter, c.target.shape, at::kCPU, original), c.multiplier);
      }
    }
    return weight;
  }
  return {};
}

}  // namespace celerity
