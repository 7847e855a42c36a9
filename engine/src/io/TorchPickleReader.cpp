#include "io/TorchPickleReader.h"

#include <cstring>
#include <map>
#include <optional>
#include <set>

#include <ATen/ATen.h>

#include "celerity/Error.h"
#include "io/MappedFile.h"
#include "io/RestrictedUnpickler.h"
#include "io/StoredZip.h"

namespace celerity {
namespace {

using Kind = PickleValue::Kind;

std::optional<at::ScalarType> storageScalarType(const std::string& name) {
  static const std::map<std::string, at::ScalarType> kTypes = {
      {"torch.FloatStorage", at::kFloat},   {"torch.DoubleStorage", at::kDouble},
      {"torch.HalfStorage", at::kHalf},     {"torch.BFloat16Storage", at::kBFloat16},
      {"torch.LongStorage", at::kLong},     {"torch.IntStorage", at::kInt},
      {"torch.ShortStorage", at::kShort},   {"torch.CharStorage", at::kChar},
      {"torch.ByteStorage", at::kByte},     {"torch.BoolStorage", at::kBool},
      {"torch.UntypedStorage", at::kByte},
  };
  const auto it = kTypes.find(name);
  if (it == kTypes.end()) return std::nullopt;
  return it->second;
}

class StateDictBuilder {
 public:
  // `maxBytes`: what the tensors may add up to (views can repeat their storage).
  StateDictBuilder(TorchStateDict& out, std::uint64_t maxBytes) : out_(out), maxBytes_(maxBytes) {}

  void addTensor(const std::string& name, const at::Tensor& tensor) {
    if (!names_.insert(name).second) return;
    totalBytes_ += static_cast<std::uint64_t>(tensor.nbytes());
    if (totalBytes_ > maxBytes_) {
      throw CelerityError(ErrorCode::MalformedFile, "the tensors add up to far more than the file holds",
                          out_.source);
    }
    out_.tensors.emplace_back(name, tensor.contiguous());
  }

  // A module placeholder: parameters, persistent buffers, then children, as state_dict().
  void addModule(const PickleRef& module, const std::string& prefix, int depth) {
    if (depth > 64) throw CelerityError(ErrorCode::MalformedFile, "modules nest too deep", out_.source);
    countVisit();
    const PickleRef state = module->state;
    if (!state || state->kind != Kind::Dict) return;
    std::set<std::string> transient;
    if (auto set = state->get("_non_persistent_buffers_set"); set && set->kind == Kind::Set) {
      for (const auto& item : set->items) {
        if (item && item->isString()) transient.insert(item->text);
      }
    }
    auto addTensors = [&](const char* field, bool buffers) {
      const PickleRef dict = state->get(field);
      if (!dict || dict->kind != Kind::Dict) return;
      for (const auto& [key, value] : dict->entries) {
        if (!key || !key->isString() || !value || value->kind != Kind::Tensor) continue;
        if (buffers && transient.count(key->text) != 0) continue;
        addTensor(prefix + key->text, value->tensor);
      }
    };
    addTensors("_parameters", false);
    addTensors("_buffers", true);
    if (const PickleRef children = state->get("_modules"); children && children->kind == Kind::Dict) {
      for (const auto& [key, child] : children->entries) {
        if (!key || !key->isString() || !child || child->kind != Kind::Object) continue;
        addModule(child, prefix + key->text + ".", depth + 1);
      }
    }
  }

  // A (nested) dict of tensors, names joined with dots.
  void addDict(const PickleRef& dict, const std::string& prefix, int depth) {
    if (depth > 16) return;
    countVisit();
    for (const auto& [key, value] : dict->entries) {
      if (!key || !value) continue;
      const std::string name = key->isString() ? key->text : std::to_string(key->intValue);
      if (value->kind == Kind::Tensor) addTensor(prefix + name, value->tensor);
      if (value->kind == Kind::Dict) addDict(value, prefix + name + ".", depth + 1);
    }
  }

  // The memo lets one module or dict be referenced from many places: a small file could
  // name an exponential number of paths. Real models have thousands.
  void countVisit() {
    if (++visits_ > kMaxVisits) {
      throw CelerityError(ErrorCode::MalformedFile, "the pickle references its modules too many times",
                          out_.source);
    }
  }

 private:
  static constexpr std::size_t kMaxVisits = 1u << 20;
  TorchStateDict& out_;
  std::uint64_t maxBytes_;
  std::uint64_t totalBytes_ = 0;
  std::set<std::string> names_;
  std::size_t visits_ = 0;
};

std::string lastComponent(const std::string& name) {
  const auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

void addModuleMetadata(const PickleRef& module, TorchStateDict& out) {
  out.metadata["class"] = module->text;
  const std::string cls = lastComponent(module->text);
  if (cls == "DetectionModel") out.metadata["task"] = "detect";
  if (cls == "SegmentationModel") out.metadata["task"] = "segment";
  if (cls == "PoseModel") out.metadata["task"] = "pose";
  if (cls == "OBBModel") out.metadata["task"] = "obb";
  if (cls == "ClassificationModel") out.metadata["task"] = "classify";
  const PickleRef state = module->state;
  if (!state || state->kind != Kind::Dict) return;
  if (auto names = state->get("names")) out.metadata["names"] = pickleToJson(names);
  if (auto yaml = state->get("yaml"); yaml && yaml->kind == Kind::Dict) {
    out.metadata["model_yaml"] = pickleToJson(yaml);
    if (auto nc = yaml->get("nc"); nc && nc->kind == Kind::Int) {
      out.metadata["nc"] = std::to_string(nc->intValue);
    }
    if (auto scale = yaml->get("scale"); scale && scale->isString()) out.metadata["scale"] = scale->text;
  }
  if (auto stride = state->get("stride"); stride && stride->kind == Kind::Tensor) {
    out.metadata["stride"] = pickleToJson(stride);
  }
}

}  // namespace

const at::Tensor* TorchStateDict::find(const std::string& name) const {
  for (const auto& [key, tensor] : tensors) {
    if (key == name) return &tensor;
  }
  return nullptr;
}

TorchStateDict TorchPickleReader::read(const std::filesystem::path& path) {
  const auto file = MappedFile::open(path);
  return readBytes(file->data(), file->size(), path.string());
}

TorchStateDict TorchPickleReader::readBytes(const std::uint8_t* bytes, std::size_t size,
                                            const std::string& where) {
  if (size >= 2 && bytes[0] == 0x80) {
    throw CelerityError(ErrorCode::UnsupportedFormat,
                        "a legacy (pre-1.6, non-zip) torch pickle; re-save it with a current "
                        "PyTorch or convert it to .safetensors",
                        where);
  }
  if (size < 4 || std::memcmp(bytes, "PK\x03\x04", 4) != 0) {
    throw CelerityError(ErrorCode::MalformedFile, "not a torch.save zip archive", where);
  }
  StoredZip zip(bytes, size, where);

  // The archive folder is the saved file's stem in older PyTorch, "archive" in newer.
  std::string root;
  for (const auto& entry : zip.entries()) {
    const std::string suffix = "/data.pkl";
    if (entry.name.size() > suffix.size() &&
        entry.name.compare(entry.name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        entry.name.find('/') == entry.name.size() - suffix.size()) {
      root = entry.name.substr(0, entry.name.size() - suffix.size() + 1);
      break;
    }
  }
  if (root.empty()) throw CelerityError(ErrorCode::MalformedFile, "zip has no <archive>/data.pkl", where);
  if (const auto* order = zip.find(root + "byteorder")) {
    const auto data = zip.read(order->name);
    if (std::string(reinterpret_cast<const char*>(data.first), data.second) != "little") {
      throw CelerityError(ErrorCode::UnsupportedFormat, "big-endian storages", where);
    }
  }

  std::map<std::string, PickleRef> storages;
  auto loadStorage = [&](const PickleRef& pid) -> PickleRef {
    if (!pid || pid->kind != Kind::Tuple || pid->items.size() < 5 || !pid->items[0]->isString() ||
        pid->items[0]->text != "storage" || pid->items[1]->kind != Kind::Global ||
        !pid->items[2]->isString() || pid->items[4]->kind != Kind::Int) {
      throw CelerityError(ErrorCode::MalformedFile, "unexpected persistent id in data.pkl", where);
    }
    const std::string& key = pid->items[2]->text;
    if (auto it = storages.find(key); it != storages.end()) return it->second;
    const auto type = storageScalarType(pid->items[1]->text);
    if (!type) {
      throw CelerityError(ErrorCode::UnsupportedFormat, "storage type " + pid->items[1]->text, where);
    }
    const auto data = zip.read(root + "data/" + key);
    const auto elementBytes = static_cast<std::size_t>(c10::elementSize(*type));
    const std::int64_t numel = pid->items[4]->intValue;
    if (numel < 0 || static_cast<std::uint64_t>(numel) > data.second / elementBytes) {
      throw CelerityError(ErrorCode::MalformedFile,
                          "storage " + key + " is shorter than its element count", where);
    }
    auto value = std::make_shared<PickleValue>();
    value->kind = Kind::Storage;
    value->tensor = at::empty({numel}, at::TensorOptions().dtype(*type));
    if (numel > 0) {  // an empty storage has no bytes to copy (and may have no pointer)
      std::memcpy(value->tensor.data_ptr(), data.first, static_cast<std::size_t>(numel) * elementBytes);
    }
    storages.emplace(key, value);
    return value;
  };

  const auto pickle = zip.read(root + "data.pkl");
  RestrictedUnpickler unpickler(pickle.first, pickle.second, where + " [" + root + "data.pkl]",
                                loadStorage);
  const PickleRef top = unpickler.load();

  TorchStateDict out;
  out.source = where;
  StateDictBuilder builder(out, 4 * static_cast<std::uint64_t>(size) + (std::uint64_t{256} << 20));
  if (top->kind == Kind::Object) {
    addModuleMetadata(top, out);
    builder.addModule(top, "", 0);
  } else if (top->kind == Kind::Dict) {
    PickleRef module;
    for (const char* key : {"ema", "model"}) {
      if (auto v = top->get(key); v && v->kind == Kind::Object) {
        module = v;
        break;
      }
    }
    if (module) {
      addModuleMetadata(module, out);
      if (auto version = top->get("version"); version && version->isString()) {
        out.metadata["ultralytics_version"] = version->text;
      }
      builder.addModule(module, "", 0);
    } else if (auto stateDict = top->get("state_dict"); stateDict && stateDict->kind == Kind::Dict) {
      builder.addDict(stateDict, "", 0);
    } else {
      builder.addDict(top, "", 0);
    }
  }
  if (out.tensors.empty()) {
    throw CelerityError(ErrorCode::MalformedFile, "the pickle holds no tensors", where);
  }
  return out;
}

}  // namespace celerity
