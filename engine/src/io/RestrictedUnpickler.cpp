#include "io/RestrictedUnpickler.h"

#include <cmath>
#include <cstring>
#include <set>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"

namespace celerity {
namespace {

using Kind = PickleValue::Kind;

PickleRef make(Kind kind) {
  auto value = std::make_shared<PickleValue>();
  value->kind = kind;
  return value;
}

PickleRef makeInt(std::int64_t v) {
  auto value = make(Kind::Int);
  value->intValue = v;
  return value;
}

PickleRef makeText(Kind kind, std::string text) {
  auto value = make(kind);
  value->text = std::move(text);
  return value;
}

// A view may repeat its storage (stride 0, as an expanded tensor saves) up to this size.
constexpr std::int64_t kMaxRepeatedViewNumel = std::int64_t{1} << 24;
// Work bounds for walking what a pickle built: shared references (memo) can make a small file
// describe an exponentially large tree.
constexpr std::size_t kMaxCycleCheckSteps = std::size_t{1} << 24;
constexpr int kMaxJsonNodes = 1 << 16;

// The values directly inside `v`: items, dict keys and values, an object's state.
template <typename Visit>
void forEachChild(const PickleValue& v, Visit&& visit) {
  for (const auto& item : v.items) visit(item);
  for (const auto& [key, value] : v.entries) {
    visit(key);
    visit(value);
  }
  visit(v.state);
}

bool startsWith(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

// Globals that are data, not behaviour: rebuilt here by name, never looked up or called.
const char* const kRebuildGlobals[] = {
    "torch._utils._rebuild_tensor",      "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_parameter",   "torch._utils._rebuild_parameter_with_state",
    "collections.OrderedDict",           "builtins.set",
    "builtins.frozenset",                "_codecs.encode",
    "torch.Size",                        "copyreg._reconstructor",
    "torch.jit._pickle.restore_type_tag",  // C++ writers tag generic containers: identity
};
const char* const kStorageTypes[] = {
    "torch.FloatStorage", "torch.DoubleStorage", "torch.HalfStorage", "torch.BFloat16Storage",
    "torch.LongStorage",  "torch.IntStorage",    "torch.ShortStorage", "torch.CharStorage",
    "torch.ByteStorage",  "torch.BoolStorage",   "torch.UntypedStorage",
};
const char* const kDtypes[] = {
    "torch.float32", "torch.float64", "torch.float16", "torch.bfloat16", "torch.int64",
    "torch.int32",   "torch.int16",   "torch.int8",    "torch.uint8",    "torch.bool",
};
// Classes whose instances become inert placeholders (class name + recorded state).
const char* const kPlaceholderPrefixes[] = {"ultralytics.", "torch.nn.modules."};
const char* const kPlaceholderClasses[] = {
    "numpy.core.multiarray.scalar", "numpy.dtype", "torch.device", "pathlib.PosixPath",
    "pathlib.WindowsPath", "types.SimpleNamespace", "argparse.Namespace",
};

template <std::size_t N>
bool inList(const std::string& name, const char* const (&list)[N]) {
  for (const char* item : list) {
    if (name == item) return true;
  }
  return false;
}

bool isPlaceholderClass(const std::string& name) {
  if (inList(name, kPlaceholderClasses)) return true;
  for (const char* prefix : kPlaceholderPrefixes) {
    if (startsWith(name, prefix)) return true;
  }
  return false;
}

// Python 2 spellings that protocol 2 writes for Python 3 modules (fix_imports).
std::string normaliseModule(const std::string& module) {
  if (module == "__builtin__") return "builtins";
  if (module == "copy_reg") return "copyreg";
  return module;
}

std::int64_t intOf(const PickleRef& v, const char* what) {
  if (!v || (v->kind != Kind::Int && v->kind != Kind::Bool)) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("expected an integer for ") + what);
  }
  return v->kind == Kind::Bool ? v->boolValue : v->intValue;
}

std::vector<std::int64_t> intsOf(const PickleRef& v, const char* what) {
  if (!v || (v->kind != Kind::Tuple && v->kind != Kind::List)) {
    throw CelerityError(ErrorCode::MalformedFile, std::string("expected a tuple for ") + what);
  }
  std::vector<std::int64_t> result;
  for (const auto& item : v->items) result.push_back(intOf(item, what));
  return result;
}

}  // namespace

PickleRef PickleValue::get(const std::string& key) const {
  for (const auto& [k, v] : entries) {
    if (k && k->kind == Kind::String && k->text == key) return v;
  }
  return nullptr;
}

bool RestrictedUnpickler::isAllowedGlobal(const std::string& name) {
  return inList(name, kRebuildGlobals) || inList(name, kStorageTypes) || inList(name, kDtypes) ||
         isPlaceholderClass(name);
}

RestrictedUnpickler::RestrictedUnpickler(const std::uint8_t* bytes, std::size_t size,
                                         std::string where, PersistentLoader loader)
    : bytes_(bytes), size_(size), where_(std::move(where)), loader_(std::move(loader)) {}

void RestrictedUnpickler::malformed(const std::string& what) const {
  throw CelerityError(ErrorCode::MalformedFile,
                      "pickle: " + what + " (at byte " + std::to_string(pos_) + ")", where_);
}

PickleRef RestrictedUnpickler::pop() {
  if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) {
    malformed("stack underflow");
  }
  PickleRef value = std::move(stack_.back());
  stack_.pop_back();
  return value;
}

PickleRef& RestrictedUnpickler::top() {
  if (stack_.empty()) malformed("stack underflow");
  return stack_.back();
}

std::vector<PickleRef> RestrictedUnpickler::popToMark() {
  if (marks_.empty()) malformed("no mark on the stack");
  const std::size_t mark = marks_.back();
  marks_.pop_back();
  if (mark > stack_.size()) malformed("mark above the stack");
  std::vector<PickleRef> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
  stack_.resize(mark);
  return items;
}

PickleRef RestrictedUnpickler::callGlobal(const std::string& name, const PickleRef& args) {
  if (!args || args->kind != Kind::Tuple) malformed("arguments of " + name + " are not a tuple");
  const auto& a = args->items;
  auto arg = [&](std::size_t i) -> const PickleRef& {
    if (i >= a.size()) malformed(name + " has too few arguments");
    return a[i];
  };
  if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
    const PickleRef& storage = arg(0);
    if (!storage || storage->kind != Kind::Storage) malformed(name + " without a storage");
    const std::int64_t offset = intOf(arg(1), "storage offset");
    const auto sizes = intsOf(arg(2), "tensor size");
    const auto strides = intsOf(arg(3), "tensor stride");
    if (sizes.size() != strides.size()) malformed("tensor size and stride differ in rank");
    // Hostile sizes and strides must neither overflow the arithmetic nor make a view far
    // larger than the bytes behind it (stride 0 repeats one element any number of times).
    std::int64_t last = offset;
    std::int64_t viewNumel = 1;
    bool empty = false;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] < 0 || strides[i] < 0) malformed("negative tensor size or stride");
      if (sizes[i] == 0) empty = true;
      std::int64_t reach = 0;
      if (sizes[i] > 0 && (__builtin_mul_overflow(sizes[i] - 1, strides[i], &reach) ||
                           __builtin_add_overflow(last, reach, &last))) {
        malformed("tensor view reaches past its storage");
      }
      if (__builtin_mul_overflow(viewNumel, sizes[i], &viewNumel)) malformed("tensor view is too large");
    }
    const std::int64_t numel = storage->tensor.numel();
    if (offset < 0 || (!empty && (last >= numel || offset >= numel))) {
      malformed("tensor view reaches past its storage");
    }
    if (viewNumel > numel && viewNumel > kMaxRepeatedViewNumel) {
      malformed("tensor view repeats its storage " + std::to_string(viewNumel) + " times");
    }
    auto value = make(Kind::Tensor);
    value->tensor = storage->tensor.as_strided(sizes, strides, empty ? 0 : offset);
    return value;
  }
  if (name == "torch._utils._rebuild_parameter" ||
      name == "torch._utils._rebuild_parameter_with_state") {
    const PickleRef& data = arg(0);
    if (!data || data->kind != Kind::Tensor) malformed(name + " without a tensor");
    return data;
  }
  if (name == "collections.OrderedDict") {
    auto dict = make(Kind::Dict);
    if (!a.empty() && a[0] && (a[0]->kind == Kind::List || a[0]->kind == Kind::Tuple)) {
      for (const auto& pair : a[0]->items) {
        if (!pair || pair->kind != Kind::Tuple || pair->items.size() != 2) {
          malformed("OrderedDict items are not pairs");
        }
        dict->entries.emplace_back(pair->items[0], pair->items[1]);
      }
    }
    return dict;
  }
  if (name == "builtins.set" || name == "builtins.frozenset") {
    auto set = make(Kind::Set);
    if (!a.empty() && a[0] && (a[0]->kind == Kind::List || a[0]->kind == Kind::Tuple)) {
      set->items = a[0]->items;
    }
    return set;
  }
  if (name == "_codecs.encode") {
    // Protocol 2 spells bytes as encode(text, 'latin1'): code points 0–255 back to bytes.
    const PickleRef& text = arg(0);
    if (!text || text->kind != Kind::String) malformed("_codecs.encode of a non-string");
    std::string bytes;
    const std::string& s = text->text;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80) {
        bytes.push_back(static_cast<char>(c));
      } else if ((c & 0xe0) == 0xc0 && i + 1 < s.size()) {
        const unsigned code = ((c & 0x1fu) << 6) | (static_cast<unsigned char>(s[++i]) & 0x3fu);
        if (code > 0xff) malformed("_codecs.encode beyond latin-1");
        bytes.push_back(static_cast<char>(code));
      } else {
        malformed("_codecs.encode beyond latin-1");
      }
    }
    return makeText(Kind::Bytes, std::move(bytes));
  }
  if (name == "torch.jit._pickle.restore_type_tag") return arg(0);
  if (name == "torch.Size") {
    auto tuple = make(Kind::Tuple);
    if (!a.empty() && a[0]) tuple->items = a[0]->items;
    return tuple;
  }
  if (name == "copyreg._reconstructor") {
    const PickleRef& cls = arg(0);
    if (!cls || cls->kind != Kind::Global || !isPlaceholderClass(cls->text)) {
      malformed("copyreg._reconstructor of a class that is not allowed");
    }
    return makeText(Kind::Object, cls->text);
  }
  if (isPlaceholderClass(name)) {
    auto object = makeText(Kind::Object, name);
    object->items = a;
    return object;
  }
  throw CelerityError(ErrorCode::UnsafeFormat, "pickle calls " + name + ", which is not allowed",
                      where_);
}

void RestrictedUnpickler::reduce(const PickleRef& callable, const PickleRef& args) {
  if (!callable || callable->kind != Kind::Global) malformed("REDUCE of something not callable");
  stack_.push_back(callGlobal(callable->text, args));
}

void RestrictedUnpickler::build(const PickleRef& object, const PickleRef& state) {
  if (object->kind == Kind::Object) {
    // (dict, slots) pairs keep the dict; the placeholder only records state.
    if (state && state->kind == Kind::Tuple && state->items.size() == 2 &&
        state->items[0] && state->items[0]->kind == Kind::Dict) {
      object->state = state->items[0];
    } else {
      object->state = state;
    }
    return;
  }
  // Tensors and dicts may carry Python attributes; they are not needed and are dropped.
  if (object->kind == Kind::Tensor || object->kind == Kind::Dict) return;
  malformed("BUILD on a value that has no state");
}

PickleRef RestrictedUnpickler::load() {
  auto need = [&](std::size_t n) {
    if (n > size_ - pos_) malformed("truncated data");
  };
  auto readUint = [&](int n) {
    need(static_cast<std::size_t>(n));
    std::uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | bytes_[pos_ + static_cast<std::size_t>(i)];
    pos_ += static_cast<std::size_t>(n);
    return v;
  };
  auto readBytes = [&](std::uint64_t n) {
    if (n > size_ - pos_) malformed("string runs past the end");
    std::string s(reinterpret_cast<const char*>(bytes_ + pos_), static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return s;
  };
  auto readLine = [&]() {
    std::string s;
    while (true) {
      need(1);
      const char c = static_cast<char>(bytes_[pos_++]);
      if (c == '\n') return s;
      s.push_back(c);
    }
  };
  auto memoPut = [&](std::uint64_t index) {
    if (index > memo_.size() + (1u << 20)) malformed("memo index out of range");
    if (index >= memo_.size()) memo_.resize(static_cast<std::size_t>(index) + 1);
    memo_[static_cast<std::size_t>(index)] = top();
  };
  auto memoGet = [&](std::uint64_t index) {
    if (index >= memo_.size() || !memo_[static_cast<std::size_t>(index)]) malformed("bad memo index");
    stack_.push_back(memo_[static_cast<std::size_t>(index)]);
  };
  // A container must never come to hold itself (DUP and the memo can hand it back while it
  // is being filled): a cycle of shared values would never be freed, and every walker of the
  // result would go round it for ever.
  std::size_t cycleCheckSteps = 0;
  auto refuseCycle = [&](const PickleRef& container, const std::vector<PickleRef>& added) {
    std::vector<const PickleValue*> pending;
    std::set<const PickleValue*> seen;
    for (const auto& value : added) {
      if (value) pending.push_back(value.get());
    }
    while (!pending.empty()) {
      const PickleValue* value = pending.back();
      pending.pop_back();
      if (value == container.get()) malformed("a container holds itself");
      if (!seen.insert(value).second) continue;
      if (++cycleCheckSteps > kMaxCycleCheckSteps) malformed("too many shared references");
      forEachChild(*value, [&](const PickleRef& child) {
        if (child) pending.push_back(child.get());
      });
    }
  };
  auto pushGlobal = [&](std::string module, const std::string& qualname) {
    const std::string name = normaliseModule(module) + "." + qualname;
    if (!isAllowedGlobal(name)) {
      throw CelerityError(ErrorCode::UnsafeFormat,
                          "pickle names the global " + name + ", which is not allowed", where_);
    }
    stack_.push_back(makeText(Kind::Global, name));
  };
  auto tupleOf = [&](std::vector<PickleRef> items) {
    auto tuple = make(Kind::Tuple);
    tuple->items = std::move(items);
    stack_.push_back(tuple);
  };
  auto setItems = [&](const PickleRef& dict, std::vector<PickleRef> items) {
    if (!dict || dict->kind != Kind::Dict) malformed("SETITEMS on a value that is not a dict");
    if (items.size() % 2 != 0) malformed("odd number of dict items");
    refuseCycle(dict, items);
    for (std::size_t i = 0; i < items.size(); i += 2) {
      bool replaced = false;
      for (auto& [k, v] : dict->entries) {  // a repeated key replaces, as in Python
        if (k && items[i] && k->kind == items[i]->kind && k->text == items[i]->text &&
            k->intValue == items[i]->intValue && (k->kind == Kind::String || k->kind == Kind::Int)) {
          v = items[i + 1];
          replaced = true;
          break;
        }
      }
      if (!replaced) dict->entries.emplace_back(items[i], items[i + 1]);
    }
  };

  while (true) {
    need(1);
    const std::uint8_t op = bytes_[pos_++];
    switch (op) {
      case 0x80: readUint(1); break;       // PROTO
      case 0x95: readUint(8); break;       // FRAME: frames are only a read-ahead hint
      case '.': {                          // STOP
        PickleRef result = pop();
        return result;
      }
      case '(': marks_.push_back(stack_.size()); break;  // MARK
      case '0': pop(); break;                             // POP
      case '1': popToMark(); break;                       // POP_MARK
      case '2': stack_.push_back(top()); break;           // DUP
      case 'N': stack_.push_back(make(Kind::None)); break;
      case 0x88: case 0x89: {  // NEWTRUE, NEWFALSE
        auto v = make(Kind::Bool);
        v->boolValue = op == 0x88;
        stack_.push_back(v);
        break;
      }
      case 'J': stack_.push_back(makeInt(static_cast<std::int32_t>(readUint(4)))); break;
      case 'K': stack_.push_back(makeInt(static_cast<std::int64_t>(readUint(1)))); break;
      case 'M': stack_.push_back(makeInt(static_cast<std::int64_t>(readUint(2)))); break;
      case 0x8a: case 0x8b: {  // LONG1, LONG4: little-endian two's complement
        const std::uint64_t n = readUint(op == 0x8a ? 1 : 4);
        if (n > 8) malformed("integer wider than 64 bits");
        std::uint64_t v = readUint(static_cast<int>(n));
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1u) v |= ~std::uint64_t{0} << (8 * n);
        stack_.push_back(makeInt(static_cast<std::int64_t>(v)));
        break;
      }
      case 'G': {  // BINFLOAT, big-endian
        need(8);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | bytes_[pos_ + static_cast<std::size_t>(i)];
        pos_ += 8;
        auto v = make(Kind::Float);
        std::memcpy(&v->floatValue, &bits, sizeof bits);
        stack_.push_back(v);
        break;
      }
      case 'X': stack_.push_back(makeText(Kind::String, readBytes(readUint(4)))); break;
      case 0x8c: stack_.push_back(makeText(Kind::String, readBytes(readUint(1)))); break;
      case 0x8d: stack_.push_back(makeText(Kind::String, readBytes(readUint(8)))); break;
      case 'T': stack_.push_back(makeText(Kind::String, readBytes(readUint(4)))); break;
      case 'U': stack_.push_back(makeText(Kind::String, readBytes(readUint(1)))); break;
      case 'B': stack_.push_back(makeText(Kind::Bytes, readBytes(readUint(4)))); break;
      case 'C': stack_.push_back(makeText(Kind::Bytes, readBytes(readUint(1)))); break;
      case 0x8e: stack_.push_back(makeText(Kind::Bytes, readBytes(readUint(8)))); break;
      case ']': stack_.push_back(make(Kind::List)); break;
      case '}': stack_.push_back(make(Kind::Dict)); break;
      case ')': stack_.push_back(make(Kind::Tuple)); break;
      case 0x8f: stack_.push_back(make(Kind::Set)); break;  // EMPTY_SET
      case 'l': {
        auto list = make(Kind::List);
        list->items = popToMark();
        stack_.push_back(list);
        break;
      }
      case 't': tupleOf(popToMark()); break;
      case 0x85: { auto a = pop(); tupleOf({a}); break; }
      case 0x86: { auto b = pop(); auto a = pop(); tupleOf({a, b}); break; }
      case 0x87: { auto c = pop(); auto b = pop(); auto a = pop(); tupleOf({a, b, c}); break; }
      case 'd': {
        auto dict = make(Kind::Dict);
        setItems(dict, popToMark());
        stack_.push_back(dict);
        break;
      }
      case 'a': {  // APPEND
        auto item = pop();
        PickleRef& list = top();
        if (list->kind != Kind::List) malformed("APPEND to a value that is not a list");
        refuseCycle(list, {item});
        list->items.push_back(item);
        break;
      }
      case 'e': {  // APPENDS
        auto items = popToMark();
        PickleRef& list = top();
        if (list->kind != Kind::List) malformed("APPENDS to a value that is not a list");
        refuseCycle(list, items);
        list->items.insert(list->items.end(), items.begin(), items.end());
        break;
      }
      case 0x90: {  // ADDITEMS
        auto items = popToMark();
        PickleRef& set = top();
        if (set->kind != Kind::Set) malformed("ADDITEMS to a value that is not a set");
        refuseCycle(set, items);
        set->items.insert(set->items.end(), items.begin(), items.end());
        break;
      }
      case 0x91: {  // FROZENSET
        auto set = make(Kind::Set);
        set->items = popToMark();
        stack_.push_back(set);
        break;
      }
      case 's': {
        auto value = pop();
        auto key = pop();
        setItems(top(), {key, value});
        break;
      }
      case 'u': {
        auto items = popToMark();
        setItems(top(), std::move(items));
        break;
      }
      case 'q': memoPut(readUint(1)); break;
      case 'r': memoPut(readUint(4)); break;
      case 0x94: memoPut(memo_.size()); break;  // MEMOIZE
      case 'h': memoGet(readUint(1)); break;
      case 'j': memoGet(readUint(4)); break;
      case 'c': {  // GLOBAL "module\nname\n"
        std::string module = readLine();
        std::string qualname = readLine();
        pushGlobal(std::move(module), qualname);
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        auto qualname = pop();
        auto module = pop();
        if (!module->isString() || !qualname->isString()) malformed("STACK_GLOBAL of non-strings");
        pushGlobal(module->text, qualname->text);
        break;
      }
      case 'R': {
        auto args = pop();
        auto callable = pop();
        reduce(callable, args);
        break;
      }
      case 0x81: case 0x92: {  // NEWOBJ, NEWOBJ_EX: cls.__new__(cls, *args) → placeholder
        if (op == 0x92) pop();  // kwargs
        auto args = pop();
        auto cls = pop();
        if (!cls || cls->kind != Kind::Global) malformed("NEWOBJ of something not a class");
        if (cls->text == "collections.OrderedDict") {
          stack_.push_back(make(Kind::Dict));
        } else if (isPlaceholderClass(cls->text)) {
          auto object = makeText(Kind::Object, cls->text);
          if (args && args->kind == Kind::Tuple) object->items = args->items;
          stack_.push_back(object);
        } else {
          throw CelerityError(ErrorCode::UnsafeFormat,
                              "pickle instantiates " + cls->text + ", which is not allowed", where_);
        }
        break;
      }
      case 'b': {  // BUILD
        auto state = pop();
        refuseCycle(top(), {state});
        build(top(), state);
        break;
      }
      case 'Q': case 'P': {  // BINPERSID, PERSID
        PickleRef pid = op == 'Q' ? pop() : makeText(Kind::String, readLine());
        if (!loader_) malformed("persistent id without a loader");
        stack_.push_back(loader_(pid));
        break;
      }
      case 'i': case 'o': case 0x82: case 0x83: case 0x84:
        throw CelerityError(ErrorCode::UnsafeFormat,
                            "pickle opcode " + std::to_string(op) +
                                " (INST/OBJ/EXT) can run code and is not allowed",
                            where_);
      default:
        malformed("unsupported opcode " + std::to_string(op));
    }
  }
}

namespace {

// `budget`: nodes left to write; shared references could otherwise expand exponentially.
nlohmann::json toJson(const PickleRef& v, int depth, int& budget) {
  using nlohmann::json;
  if (!v || depth > 64 || --budget < 0) return nullptr;
  switch (v->kind) {
    case Kind::Bool: return v->boolValue;
    case Kind::Int: return v->intValue;
    case Kind::Float: return std::isfinite(v->floatValue) ? json(v->floatValue) : json(nullptr);
    case Kind::String: return v->text;
    case Kind::List: case Kind::Tuple: case Kind::Set: {
      json list = json::array();
      for (const auto& item : v->items) list.push_back(toJson(item, depth + 1, budget));
      return list;
    }
    case Kind::Dict: {
      json object = json::object();
      for (const auto& [k, value] : v->entries) {
        if (!k) continue;
        const std::string key = k->kind == Kind::String ? k->text
                                : k->kind == Kind::Int  ? std::to_string(k->intValue)
                                                        : std::string("?");
        object[key] = toJson(value, depth + 1, budget);
      }
      return object;
    }
    case Kind::Tensor: {
      if (v->tensor.numel() > 256) return nullptr;
      const auto flat = v->tensor.to(at::kDouble).contiguous().view({-1});
      json list = json::array();
      for (std::int64_t i = 0; i < flat.numel(); ++i) list.push_back(flat[i].item<double>());
      return list;
    }
    default: return nullptr;
  }
}

}  // namespace

std::string pickleToJson(const PickleRef& value) {
  int budget = kMaxJsonNodes;
  return toJson(value, 0, budget).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace celerity
