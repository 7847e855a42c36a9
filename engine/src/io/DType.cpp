#include "io/DType.h"

#include <array>
#include <utility>

#include <torch/version.h>

namespace celerity {
namespace {

struct DTypeInfo {
  DType dtype;
  const char* name;
  std::size_t size;
};

constexpr std::array<DTypeInfo, 15> kDTypes{{
    {DType::Bool, "BOOL", 1}, {DType::U8, "U8", 1},     {DType::I8, "I8", 1},
    {DType::I16, "I16", 2},   {DType::I32, "I32", 4},   {DType::I64, "I64", 8},
    {DType::U16, "U16", 2},   {DType::U32, "U32", 4},   {DType::U64, "U64", 8},
    {DType::F16, "F16", 2},   {DType::BF16, "BF16", 2}, {DType::F32, "F32", 4},
    {DType::F64, "F64", 8},   {DType::F8_E4M3, "F8_E4M3", 1}, {DType::F8_E5M2, "F8_E5M2", 1},
}};

}  // namespace

std::optional<DType> dtypeFromName(const std::string& name) {
  for (const auto& info : kDTypes) {
    if (name == info.name) return info.dtype;
  }
  return std::nullopt;
}

const char* dtypeName(DType dtype) {
  for (const auto& info : kDTypes) {
    if (info.dtype == dtype) return info.name;
  }
  return "INVALID";
}

std::size_t dtypeSize(DType dtype) {
  for (const auto& info : kDTypes) {
    if (info.dtype == dtype) return info.size;
  }
  return 0;
}

std::optional<c10::ScalarType> scalarTypeOf(DType dtype) {
  switch (dtype) {
    case DType::Bool: return c10::ScalarType::Bool;
    case DType::U8: return c10::ScalarType::Byte;
    case DType::I8: return c10::ScalarType::Char;
    case DType::I16: return c10::ScalarType::Short;
    case DType::I32: return c10::ScalarType::Int;
    case DType::I64: return c10::ScalarType::Long;
    case DType::F16: return c10::ScalarType::Half;
    case DType::BF16: return c10::ScalarType::BFloat16;
    case DType::F32: return c10::ScalarType::Float;
    case DType::F64: return c10::ScalarType::Double;
#if TORCH_VERSION_MAJOR >= 2
    case DType::F8_E4M3: return c10::ScalarType::Float8_e4m3fn;
    case DType::F8_E5M2: return c10::ScalarType::Float8_e5m2;
#endif
    default: return std::nullopt;  // unsigned wide ints, and fp8 on LibTorch 1.x
  }
}

std::optional<DType> dtypeOf(c10::ScalarType type) {
  for (const auto& info : kDTypes) {
    const auto scalar = scalarTypeOf(info.dtype);
    if (scalar && *scalar == type) return info.dtype;
  }
  return std::nullopt;
}

}  // namespace celerity
