// The restricted unpickler alone, on hostile pickle bytes (what data.pkl of a .pt holds):
// every opcode path, memo, marks, the allow-list, persistent ids. Storages come from a
// loader that hands out small owned buffers, as the zip reader would.
#include <cstdint>

#include <ATen/ATen.h>

#include "FuzzSupport.h"
#include "io/RestrictedUnpickler.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using celerity::PickleRef;
  using celerity::PickleValue;
  const auto loader = [](const PickleRef& pid) -> PickleRef {
    auto storage = std::make_shared<PickleValue>();
    storage->kind = PickleValue::Kind::Storage;
    std::int64_t numel = 16;
    if (pid && pid->kind == PickleValue::Kind::Tuple && pid->items.size() >= 5 && pid->items[4] &&
        pid->items[4]->kind == PickleValue::Kind::Int) {
      numel = pid->items[4]->intValue;
    }
    if (numel < 0 || numel > 4096) {
      throw celerity::CelerityError(celerity::ErrorCode::MalformedFile, "storage size out of range", "fuzz");
    }
    storage->tensor = at::zeros({numel}, at::kFloat);
    return storage;
  };
  celerity::fuzz::expectOnlyCelerityErrors("pickle", [&] {
    celerity::RestrictedUnpickler unpickler(data, size, "fuzz.pkl", loader);
    const PickleRef value = unpickler.load();
    (void)celerity::pickleToJson(value);
  });
  return 0;
}
