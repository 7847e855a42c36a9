// The safetensors reader on hostile bytes: the header (length, JSON, dtypes, shapes, spans,
// __metadata__) must be refused with a CelerityError or describe tensors that lie inside the
// file, and every tensor it hands out must be readable end to end.
#include <cstdint>
#include <filesystem>

#include <ATen/core/Tensor.h>

#include "FuzzSupport.h"
#include "io/SafetensorsFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  celerity::fuzz::MemoryFile file(data, size);
  celerity::fuzz::expectOnlyCelerityErrors("safetensors", [&] {
    const auto st = celerity::SafetensorsFile::open(file.path());
    for (const auto& info : st->tensors()) {
      celerity::fuzz::check(info.begin <= info.end, "span begins after it ends");
      celerity::fuzz::check(info.end <= size, "span ends past the file");
      celerity::fuzz::check(st->find(info.name) == &info, "index disagrees with the list");
      celerity::fuzz::expectOnlyCelerityErrors("safetensors tensor", [&] {
        const at::Tensor tensor = st->tensor(info);
        celerity::fuzz::check(tensor.numel() == info.numel(), "tensor size differs from the header");
        const auto bytes = static_cast<std::size_t>(tensor.nbytes());
        if (bytes > 0) {
          // Touch the first and the last byte: an out-of-file view faults here.
          const auto* raw = static_cast<const volatile std::uint8_t*>(tensor.data_ptr());
          (void)raw[0];
          (void)raw[bytes - 1];
        }
      });
    }
    for (const auto& [key, value] : st->metadata()) (void)st->metadataValue(key);
    (void)st->namesWithPrefix("model.");
  });
  return 0;
}
