// `.pt` files from strangers (ADetailer's detector models): the STORED zip reader, the
// restricted unpickler (never runs code) and the state-dict assembly, on hostile bytes.
// Every tensor handed out must own readable memory of its stated size.
#include <cstdint>

#include <ATen/core/Tensor.h>

#include "FuzzSupport.h"
#include "io/StoredZip.h"
#include "io/TorchPickleReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  celerity::fuzz::expectOnlyCelerityErrors("stored zip", [&] {
    celerity::StoredZip zip(data, size, "fuzz.pt");
    for (const auto& entry : zip.entries()) {
      celerity::fuzz::expectOnlyCelerityErrors("zip entry", [&] {
        const auto [bytes, length] = zip.read(entry.name);
        celerity::fuzz::check(bytes >= data && bytes + length <= data + size, "entry outside the archive");
      });
    }
  });
  celerity::fuzz::expectOnlyCelerityErrors("pt reader", [&] {
    const auto state = celerity::TorchPickleReader::readBytes(data, size, "fuzz.pt");
    for (const auto& [name, tensor] : state.tensors) {
      const auto bytes = static_cast<std::size_t>(tensor.nbytes());
      if (bytes == 0) continue;
      const auto* raw = static_cast<const volatile std::uint8_t*>(tensor.data_ptr());
      (void)raw[0];
      (void)raw[bytes - 1];
      celerity::fuzz::check(state.find(name) != nullptr, "tensor not found by its name");
    }
  });
  return 0;
}
