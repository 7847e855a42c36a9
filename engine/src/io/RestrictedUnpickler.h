#pragma once
// A pickle reader that never runs pickled code. It understands the opcodes of protocols 2–5
// for plain containers and scalars, and resolves GLOBAL / STACK_GLOBAL only against an
// allow-list:
// - tensor rebuilding (torch._utils._rebuild_tensor_v2, _rebuild_parameter), typed storages
//   (torch.FloatStorage, …, passed to the persistent-id loader) and torch dtypes;
// - collections.OrderedDict, builtins.set / frozenset, _codecs.encode (latin-1 bytes),
//   torch.jit._pickle.restore_type_tag (the identity, written by C++ torch::pickle_save);
// - module classes (`ultralytics.*`, `torch.nn.modules.*`) and numpy scalars, which become
//   inert placeholders: the class name, the constructor arguments and the BUILD state are
//   recorded, nothing is called.
// Every other global (os.system, builtins.eval, subprocess.Popen, …) is refused with
// CelerityError(UnsafeFormat) naming it, before anything else happens.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <ATen/core/Tensor.h>

namespace celerity {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

struct PickleValue {
  enum class Kind {
    Invalid = 0,
    None, Bool, Int, Float, String, Bytes,
    List, Tuple, Dict, Set,
    Global,   // an allow-listed global, by name (`module.qualname`)
    Object,   // an inert placeholder: className, args, state
    Tensor,
    Storage,  // what the persistent-id loader returned for a storage
  };
  Kind kind = Kind::Invalid;
  bool boolValue = false;
  std::int64_t intValue = 0;
  double floatValue = 0;
  std::string text;                                  // String, Bytes, Global name, Object class
  std::vector<PickleRef> items;                      // List, Tuple, Set; Object args
  std::vector<std::pair<PickleRef, PickleRef>> entries;  // Dict, in insertion order
  PickleRef state;                                   // Object: what BUILD set
  at::Tensor tensor;                                 // Tensor, Storage (1-D, its dtype)

  bool isString() const { return kind == Kind::String; }
  // The Dict entry with this string key, or null.
  PickleRef get(const std::string& key) const;
};

class RestrictedUnpickler {
 public:
  // Turns a persistent id (torch: ('storage', StorageClass, key, location, numel)) into a
  // value, normally a Storage.
  using PersistentLoader = std::function<PickleRef(const PickleRef& pid)>;

  RestrictedUnpickler(const std::uint8_t* bytes, std::size_t size, std::string where,
                      PersistentLoader loader = {});

  // Runs to STOP and returns the result. Throws CelerityError: UnsafeFormat for a global not
  // on the allow-list or an opcode that could run code; MalformedFile for broken bytes.
  PickleRef load();

  // Whether a global may be named in a pickle read here, and how it is treated.
  static bool isAllowedGlobal(const std::string& name);

 private:
  PickleRef pop();
  PickleRef& top();
  std::vector<PickleRef> popToMark();
  void reduce(const PickleRef& callable, const PickleRef& args);
  PickleRef callGlobal(const std::string& name, const PickleRef& args);
  void build(const PickleRef& object, const PickleRef& state);
  [[noreturn]] void malformed(const std::string& what) const;

  const std::uint8_t* bytes_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::string where_;
  PersistentLoader loader_;
  std::vector<PickleRef> stack_;
  std::vector<std::size_t> marks_;
  std::vector<PickleRef> memo_;
};

// Plain scalars and containers to JSON text (tensors as their shape), for metadata.
std::string pickleToJson(const PickleRef& value);

}  // namespace celerity
