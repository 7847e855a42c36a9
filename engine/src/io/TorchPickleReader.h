#pragma once
// Reads the tensors out of a `torch.save` zip (`<archive>/data.pkl` + `<archive>/data/N`
// storages) without ever running pickled code: the pickle goes through RestrictedUnpickler,
// storages are copied out of the STORED zip entries, and the state dict is assembled here.
//
// Accepted top-level objects:
// - a dict of tensors (a state dict; OrderedDict too), possibly under "state_dict";
// - a pickled nn.Module (e.g. ultralytics' DetectionModel): an inert placeholder whose
//   `_parameters`, `_buffers` (persistent ones) and `_modules` are walked into state-dict
//   names (`model.0.conv.weight`, …);
// - an ultralytics checkpoint dict: its "ema" module when present, else its "model".
// For ultralytics modules the metadata carries what the safetensors goldens carry:
// `names`, `model_yaml`, `stride`, `nc`, `task` (JSON text), and `ultralytics_version`.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace celerity {

struct TorchStateDict {
  std::vector<std::pair<std::string, at::Tensor>> tensors;  // state-dict order, owned memory
  std::map<std::string, std::string> metadata;
  std::string source;  // the file, for error messages

  const at::Tensor* find(const std::string& name) const;
};

class TorchPickleReader {
 public:
  // Throws CelerityError: FileNotFound / FileUnreadable; MalformedFile (not a torch zip,
  // broken records); UnsafeFormat naming a refused global; UnsupportedFormat (compressed
  // entries, big-endian storages, a legacy non-zip pickle).
  static TorchStateDict read(const std::filesystem::path& path);
  static TorchStateDict readBytes(const std::uint8_t* bytes, std::size_t size,
                                  const std::string& where);
};

}  // namespace celerity
