// The restricted reader of torch.save zips: tensors come out of hand-assembled pickles (a
// dict of tensors, an OrderedDict with a view into a shared storage, a pickled ultralytics
// module tree); code-running globals and opcodes are refused naming what they are.
#include <cstring>
#include <fstream>

#include <QTemporaryDir>
#include <QTest>

#include <ATen/ATen.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include "celerity/Error.h"
#include "io/RestrictedUnpickler.h"
#include "io/TorchPickleReader.h"

using celerity::CelerityError;
using celerity::ErrorCode;
using celerity::TorchPickleReader;
using celerity::TorchStateDict;

namespace {

void putLe(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// Pickle bytes, opcode by opcode (protocol 2, as torch.save writes).
struct Pickle {
  std::string bytes = "\x80\x02";
  Pickle& op(char c) { bytes.push_back(c); return *this; }
  Pickle& mark() { return op('('); }
  Pickle& str(const std::string& s) {
    op('X');
    putLe(bytes, s.size(), 4);
    bytes += s;
    return *this;
  }
  Pickle& integer(int v) {
    op('K');
    bytes.push_back(static_cast<char>(v));
    return *this;
  }
  Pickle& global(const std::string& module, const std::string& name) {
    bytes += "c" + module + "\n" + name + "\n";
    return *this;
  }
  Pickle& tuple2(int a, int b) { integer(a); integer(b); return op('\x86'); }
  Pickle& orderedDict() { global("collections", "OrderedDict"); op(')'); return op('R'); }
  // _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())
  Pickle& tensor(const std::string& storageType, const std::string& key, int numel, int offset,
                 std::pair<int, int> size, std::pair<int, int> stride) {
    global("torch._utils", "_rebuild_tensor_v2");
    mark();
    mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).op('t');
    op('Q');
    integer(offset);
    tuple2(size.first, size.second);
    tuple2(stride.first, stride.second);
    op('\x89');
    orderedDict();
    op('t');
    return op('R');
  }
  Pickle& object(const std::string& module, const std::string& cls) {
    global(module, cls);
    op(')');
    return op('\x81');
  }
  std::string stop() { return bytes + "."; }
};

// A STORED zip as torch.save writes it (no CRCs: the reader does not check them).
std::string zipOf(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, directory;
  for (const auto& [name, data] : entries) {
    const std::uint64_t offset = out.size();
    putLe(out, 0x04034b50, 4);
    putLe(out, 20, 2); putLe(out, 0, 2); putLe(out, 0, 2); putLe(out, 0, 4); putLe(out, 0, 4);
    putLe(out, data.size(), 4); putLe(out, data.size(), 4);
    putLe(out, name.size(), 2); putLe(out, 0, 2);
    out += name + data;
    putLe(directory, 0x02014b50, 4);
    putLe(directory, 20, 2); putLe(directory, 20, 2); putLe(directory, 0, 2); putLe(directory, 0, 2);
    putLe(directory, 0, 4); putLe(directory, 0, 4);
    putLe(directory, data.size(), 4); putLe(directory, data.size(), 4);
    putLe(directory, name.size(), 2); putLe(directory, 0, 2); putLe(directory, 0, 2);
    putLe(directory, 0, 2); putLe(directory, 0, 2); putLe(directory, 0, 4);
    putLe(directory, offset, 4);
    directory += name;
  }
  const std::uint64_t directoryOffset = out.size();
  out += directory;
  putLe(out, 0x06054b50, 4);
  putLe(out, 0, 2); putLe(out, 0, 2);
  putLe(out, entries.size(), 2); putLe(out, entries.size(), 2);
  putLe(out, directory.size(), 4); putLe(out, directoryOffset, 4); putLe(out, 0, 2);
  return out;
}

std::string floats(std::initializer_list<float> values) {
  std::string bytes;
  for (float v : values) bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  return bytes;
}

TorchStateDict readZip(const std::string& zip) {
  return TorchPickleReader::readBytes(reinterpret_cast<const std::uint8_t*>(zip.data()), zip.size(),
                                      "test.pt");
}

std::string archive(const std::string& pickle, std::vector<std::pair<std::string, std::string>> storages = {}) {
  std::vector<std::pair<std::string, std::string>> entries{{"archive/data.pkl", pickle}};
  for (auto& [key, data] : storages) entries.emplace_back("archive/data/" + key, data);
  entries.emplace_back("archive/version", "3\n");
  return zipOf(entries);
}

// Reading must fail with `code`, and the message must name `needle`.
void expectRefused(const std::string& zip, ErrorCode code, const std::string& needle) {
  try {
    readZip(zip);
    QFAIL(("accepted a pickle that names " + needle).c_str());
  } catch (const CelerityError& e) {
    QCOMPARE(static_cast<int>(e.code()), static_cast<int>(code));
    QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
  }
}

}  // namespace

class TestPtReader : public QObject {
  Q_OBJECT

 private slots:
  void readsDictOfTensors() {
    Pickle p;
    p.op('}').mark();
    p.str("a").tensor("FloatStorage", "0", 6, 0, {2, 3}, {3, 1});
    p.str("b").tensor("FloatStorage", "0", 6, 0, {3, 2}, {1, 3});  // a transposed view
    p.op('u');
    const auto state = readZip(archive(p.stop(), {{"0", floats({1, 2, 3, 4, 5, 6})}}));
    QCOMPARE(state.tensors.size(), std::size_t{2});
    QCOMPARE(state.tensors[0].first, std::string("a"));
    const auto a = state.tensors[0].second;
    QCOMPARE(a.sizes().vec(), (std::vector<std::int64_t>{2, 3}));
    QVERIFY(at::equal(a, at::arange(1, 7, at::kFloat).view({2, 3})));
    QVERIFY(at::equal(state.tensors[1].second, a.t()));
  }

  void readsOrderedDictWithOffsetsAndHalf() {
    Pickle p;
    p.orderedDict().mark();
    p.str("view").tensor("FloatStorage", "0", 6, 2, {2, 2}, {2, 1});
    p.str("half").tensor("HalfStorage", "1", 2, 0, {1, 2}, {2, 1});
    p.op('u');
    const at::Tensor half = at::tensor({0.5f, -2.0f}).to(at::kHalf);
    std::string halfBytes(reinterpret_cast<const char*>(half.data_ptr()), 4);
    const auto state = readZip(archive(p.stop(), {{"0", floats({1, 2, 3, 4, 5, 6})}, {"1", halfBytes}}));
    QVERIFY(at::equal(*state.find("view"), at::arange(3, 7, at::kFloat).view({2, 2})));
    QCOMPARE(state.find("half")->scalar_type(), at::kHalf);
    QVERIFY(at::equal(state.find("half")->to(at::kFloat), at::tensor({0.5f, -2.0f}).view({1, 2})));
  }

  void readsUltralyticsModuleTree() {
    // {'model': DetectionModel(_modules={'model': Sequential(_modules={'0': Conv(conv, bn)})},
    //   names={0: 'face'}, yaml={'nc': 1}), 'ema': None, 'version': '8.1.0'}
    auto module = [](Pickle& p, const std::string& mod, const std::string& cls) {
      p.object(mod, cls);
    };
    Pickle p;
    p.op('}').mark();
    p.str("model");
    module(p, "ultralytics.nn.tasks", "DetectionModel");
    p.op('}').mark();
    p.str("training").op('\x89');
    p.str("_parameters").orderedDict();
    p.str("_buffers").orderedDict();
    p.str("_modules").orderedDict().mark().str("model");
    {
      module(p, "torch.nn.modules.container", "Sequential");
      p.op('}').mark().str("_parameters").orderedDict().str("_modules").orderedDict().mark().str("0");
      {
        module(p, "ultralytics.nn.modules.conv", "Conv");
        p.op('}').mark().str("_modules").orderedDict().mark();
        p.str("conv");
        module(p, "torch.nn.modules.conv", "Conv2d");
        p.op('}').mark().str("_parameters").orderedDict().mark();
        p.str("weight");
        p.global("torch._utils", "_rebuild_parameter").mark();
        p.tensor("FloatStorage", "0", 4, 0, {2, 2}, {2, 1});
        p.op('\x89').orderedDict().op('t').op('R');
        p.str("bias").op('N');
        p.op('u').op('u').op('b');
        p.str("bn");
        module(p, "torch.nn.modules.batchnorm", "BatchNorm2d");
        p.op('}').mark();
        p.str("_parameters").orderedDict();
        p.str("_buffers").orderedDict().mark();
        p.str("running_var").tensor("FloatStorage", "1", 2, 0, {1, 2}, {2, 1});
        p.str("scratch").tensor("FloatStorage", "1", 2, 0, {2, 1}, {1, 1});
        p.op('u');
        p.str("_non_persistent_buffers_set").global("__builtin__", "set").mark().str("scratch").op('l').op('\x85').op('R');
        p.str("eps").op('G');
        const double eps = 1e-3;
        std::uint64_t bits;
        std::memcpy(&bits, &eps, 8);
        for (int i = 7; i >= 0; --i) p.bytes.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
        p.op('u').op('b');
        p.op('u').op('u').op('b');  // Conv's _modules, state, BUILD
      }
      p.op('u').op('u').op('b');  // Sequential
    }
    p.op('u');  // DetectionModel._modules
    p.str("names").op('}').mark().integer(0).str("face").op('u');
    p.str("yaml").op('}').mark().str("nc").integer(1).str("scale").str("n").op('u');
    p.op('u').op('b');
    p.str("ema").op('N');
    p.str("version").str("8.1.0");
    p.op('u');
    const auto state = readZip(archive(p.stop(), {{"0", floats({1, 2, 3, 4})}, {"1", floats({7, 8})}}));
    std::vector<std::string> names;
    for (const auto& item : state.tensors) names.push_back(item.first);
    QCOMPARE(names, (std::vector<std::string>{"model.0.conv.weight", "model.0.bn.running_var"}));
    QVERIFY(at::equal(*state.find("model.0.conv.weight"), at::tensor({1.f, 2.f, 3.f, 4.f}).view({2, 2})));
    QCOMPARE(state.metadata.at("task"), std::string("detect"));
    QCOMPARE(state.metadata.at("names"), std::string(R"({"0":"face"})"));
    QCOMPARE(state.metadata.at("nc"), std::string("1"));
    QCOMPARE(state.metadata.at("ultralytics_version"), std::string("8.1.0"));
  }

  void refusesCodeRunningGlobals() {
    const std::vector<std::pair<std::string, std::string>> globals = {
        {"os", "system"}, {"posix", "system"}, {"builtins", "eval"}, {"__builtin__", "exec"},
        {"subprocess", "Popen"}, {"torch", "load"}, {"ultralyticsx", "Evil"}};
    for (const auto& [module, name] : globals) {
      Pickle p;
      p.global(module, name).mark().str("echo pwned").op('t').op('R');
      const std::string shown = (module == "__builtin__" ? std::string("builtins") : module) + "." + name;
      expectRefused(archive(p.stop()), ErrorCode::UnsafeFormat, shown);
    }
    // The same through STACK_GLOBAL (protocol 4).
    Pickle stack;
    stack.str("os").str("system").op('\x93').mark().str("id").op('t').op('R');
    expectRefused(archive(stack.stop()), ErrorCode::UnsafeFormat, "os.system");
    // INST names a class and calls it in one opcode: refused as a whole.
    Pickle inst;
    inst.mark().bytes += "ios\nsystem\n";
    expectRefused(archive(inst.stop()), ErrorCode::UnsafeFormat, "INST");
  }

  void refusesMalformedArchives() {
    Pickle p;
    p.op('}').mark().str("a").tensor("FloatStorage", "0", 6, 0, {2, 3}, {3, 1}).op('u');
    // The view reaches past its storage (only 4 floats stored for numel 6).
    expectRefused(archive(p.stop(), {{"0", floats({1, 2, 3, 4})}}), ErrorCode::MalformedFile, "storage");
    // No data.pkl.
    expectRefused(zipOf({{"archive/version", "3\n"}}), ErrorCode::MalformedFile, "data.pkl");
    // A legacy raw pickle is not a zip.
    expectRefused(p.stop(), ErrorCode::UnsupportedFormat, "legacy");
    // Truncated zip.
    const std::string whole = archive(p.stop(), {{"0", floats({1, 2, 3, 4, 5, 6})}});
    expectRefused(whole.substr(0, whole.size() - 30), ErrorCode::MalformedFile, "zip");
  }

  void readsFromFile() {
    QTemporaryDir dir;
    Pickle p;
    p.op('}').mark().str("w").tensor("FloatStorage", "0", 2, 0, {1, 2}, {2, 1}).op('u');
    const std::string path = dir.filePath("tiny.pt").toStdString();
    std::ofstream(path, std::ios::binary) << archive(p.stop(), {{"0", floats({3, 4})}});
    const auto state = TorchPickleReader::read(path);
    QVERIFY(at::equal(*state.find("w"), at::tensor({3.f, 4.f}).view({1, 2})));
  }

  void readsWhatPyTorchWrites() {
    // torch::jit::pickle_save writes the torch.save zip format (archive/data.pkl, aligned
    // storages, byteorder): an OrderedDict-like dict of float, half and strided tensors.
    c10::Dict<std::string, at::Tensor> dict;
    const auto weight = at::arange(24, at::kFloat).view({2, 3, 4});
    dict.insert("model.0.conv.weight", weight);
    dict.insert("model.0.bn.running_var", at::linspace(0.5, 2.0, 7).to(at::kHalf));
    dict.insert("transposed", weight.select(2, 1).t());
    dict.insert("steps", at::tensor({std::int64_t{3}, std::int64_t{-9}}));
    const std::vector<char> bytes = torch::jit::pickle_save(c10::IValue(dict));
    const auto state = TorchPickleReader::readBytes(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                    bytes.size(), "pickle_save");
    QCOMPARE(state.tensors.size(), std::size_t{4});
    for (const auto& entry : dict) {
      const at::Tensor* read = state.find(entry.key());
      QVERIFY2(read != nullptr, entry.key().c_str());
      QCOMPARE(read->scalar_type(), entry.value().scalar_type());
      QVERIFY2(at::equal(*read, entry.value()), entry.key().c_str());
    }
  }

  void allowListIsNarrow() {
    using celerity::RestrictedUnpickler;
    QVERIFY(RestrictedUnpickler::isAllowedGlobal("torch._utils._rebuild_tensor_v2"));
    QVERIFY(RestrictedUnpickler::isAllowedGlobal("ultralytics.nn.tasks.SegmentationModel"));
    QVERIFY(!RestrictedUnpickler::isAllowedGlobal("torch.load"));
    QVERIFY(!RestrictedUnpickler::isAllowedGlobal("numpy.load"));
    QVERIFY(!RestrictedUnpickler::isAllowedGlobal("builtins.getattr"));
  }
};

QTEST_APPLESS_MAIN(TestPtReader)
#include "tst_pt_reader.moc"
