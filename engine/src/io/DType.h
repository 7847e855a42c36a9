#pragma once
// The element types of the safetensors format and their mapping onto ATen scalar types.
#include <cstddef>
#include <optional>
#include <string>

#include <c10/core/ScalarType.h>

namespace celerity {

enum class DType {
  Invalid = 0,
  Bool, U8, I8, I16, I32, I64, U16, U32, U64,
  F16, BF16, F32, F64, F8_E4M3, F8_E5M2,
};

std::optional<DType> dtypeFromName(const std::string& name);
const char* dtypeName(DType dtype);
std::size_t dtypeSize(DType dtype);
// The ATen type a tensor of this dtype is viewed as; empty when this LibTorch has none.
std::optional<c10::ScalarType> scalarTypeOf(DType dtype);
std::optional<DType> dtypeOf(c10::ScalarType type);

}  // namespace celerity
