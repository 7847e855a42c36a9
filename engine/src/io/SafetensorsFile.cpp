#include "io/SafetensorsFile.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"
#include "io/MappedFile.h"

namespace celerity {
namespace {

using nlohmann::json;

std::string lowerExtension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

[[noreturn]] void malformed(const std::filesystem::path& path, const std::string& what,
                            const std::string& field = {}) {
  std::string where = path.string();
  if (!field.empty()) where += " [" + field + "]";
  throw CelerityError(ErrorCode::MalformedFile, what, where);
}

// Multiplies without wrapping; nullopt on overflow.
std::optional<std::uint64_t> checkedMul(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a) return std::nullopt;
  return a * b;
}

}  // namespace

std::int64_t TensorInfo::numel() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

bool looksLikePickle(const std::filesystem::path& path, const std::uint8_t* head,
                     std::size_t size) {
  const std::string ext = lowerExtension(path);
  if (ext == ".ckpt" || ext == ".pt" || ext == ".pth" || ext == ".bin" || ext == ".pkl" ||
      ext == ".pickle") {
    return true;
  }
  // torch.save writes a zip archive ("PK\3\4") or a raw pickle (protocol opcode 0x80).
  if (size >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0) return true;
  if (size >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5) return true;
  return false;
}

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path) {
  auto mapped = MappedFile::open(path);
  if (looksLikePickle(path, mapped->data(), mapped->size())) {
    throw CelerityError(ErrorCode::UnsafeFormat,
                        "pickle checkpoints (.ckpt/.pt/.pth/.bin) can run arbitrary code when "
                        "loaded and are refused; convert the file to .safetensors",
                        path.string());
  }
  std::shared_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->file_ = std::move(mapped);
  file->parseHeader();
  return file;
}

const std::filesystem::path& SafetensorsFile::path() const { return file_->path(); }

void SafetensorsFile::parseHeader() {
  const auto& path = file_->path();
  const std::uint64_t fileSize = file_->size();
  if (fileSize < 8) malformed(path, "file is shorter than the 8-byte header length", "header");

  std::uint64_t headerLength = 0;
  for (int i = 7; i >= 0; --i) headerLength = (headerLength << 8) | file_->data()[i];
  if (headerLength == 0) malformed(path, "header length is zero", "header");
  if (headerLength > kMaxHeaderBytes) {
    malformed(path, "header length " + std::to_string(headerLength) + " exceeds the limit of " +
                        std::to_string(kMaxHeaderBytes) + " bytes", "header");
  }
  if (headerLength > fileSize - 8) {
    malformed(path, "header length " + std::to_string(headerLength) +
                        " runs past the end of the file (" + std::to_string(fileSize) +
                        " bytes)", "header");
  }
  dataOffset_ = 8 + headerLength;
  const std::uint64_t dataSize = fileSize - dataOffset_;

  const char* headerBegin = reinterpret_cast<const char*>(file_->data() + 8);
  json header;
  try {
    header = json::parse(headerBegin, headerBegin + headerLength);
  } catch (const json::exception& e) {  // parse_error, and out_of_range for numbers too large
    malformed(path, std::string("header is not valid JSON: ") + e.what(), "header");
  }
  if (!header.is_object()) malformed(path, "header is not a JSON object", "header");

  for (auto it = header.begin(); it != header.end(); ++it) {
    const std::string& name = it.key();
    const json& entry = it.value();
    if (name == "__metadata__") {
      if (!entry.is_object()) malformed(path, "metadata is not an object", name);
      for (auto m = entry.begin(); m != entry.end(); ++m) {
        if (!m.value().is_string()) {
          malformed(path, "metadata value is not a string", "__metadata__." + m.key());
        }
        metadata_[m.key()] = m.value().get<std::string>();
      }
      continue;
    }
    if (!entry.is_object()) malformed(path, "tensor entry is not an object", name);

    TensorInfo info;
    info.name = name;
    const auto dtypeIt = entry.find("dtype");
    if (dtypeIt == entry.end() || !dtypeIt->is_string()) {
      malformed(path, "tensor has no dtype string", name);
    }
    const auto dtype = dtypeFromName(dtypeIt->get<std::string>());
    if (!dtype) malformed(path, "unknown dtype '" + dtypeIt->get<std::string>() + "'", name);
    info.dtype = *dtype;

    const auto shapeIt = entry.find("shape");
    if (shapeIt == entry.end() || !shapeIt->is_array()) malformed(path, "tensor has no shape", name);
    std::uint64_t elements = 1;
    for (const auto& dim : *shapeIt) {
      if (!dim.is_number_unsigned() && !(dim.is_number_integer() && dim.get<std::int64_t>() >= 0)) {
        malformed(path, "shape holds a value that is not a non-negative integer", name);
      }
      const auto d = dim.get<std::uint64_t>();
      const auto product = checkedMul(elements, d);
      if (!product || d > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        malformed(path, "shape is too large", name);
      }
      elements = *product;
      info.shape.push_back(static_cast<std::int64_t>(d));
    }

    const auto offsetsIt = entry.find("data_offsets");
    if (offsetsIt == entry.end() || !offsetsIt->is_array() || offsetsIt->size() != 2 ||
        !(*offsetsIt)[0].is_number_unsigned() || !(*offsetsIt)[1].is_number_unsigned()) {
      malformed(path, "data_offsets is not a pair of non-negative integers", name);
    }
    info.begin = (*offsetsIt)[0].get<std::uint64_t>();
    info.end = (*offsetsIt)[1].get<std::uint64_t>();
    if (info.end < info.begin) malformed(path, "data_offsets end before they begin", name);
    if (info.end > dataSize) {
      malformed(path, "data span [" + std::to_string(info.begin) + ", " +
                          std::to_string(info.end) + ") lies outside the data section (" +
                          std::to_string(dataSize) + " bytes)", name);
    }
    const auto expectedBytes = checkedMul(elements, dtypeSize(info.dtype));
    if (!expectedBytes || *expectedBytes != info.byteSize()) {
      malformed(path, "shape and dtype need " +
                          (expectedBytes ? std::to_string(*expectedBytes) : std::string("too many")) +
                          " bytes but data_offsets span " + std::to_string(info.byteSize()),
                name);
    }
    tensors_.push_back(std::move(info));
  }

  std::sort(tensors_.begin(), tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  for (std::size_t i = 1; i < tensors_.size(); ++i) {
    const auto& previous = tensors_[i - 1];
    const auto& current = tensors_[i];
    // Empty tensors occupy no bytes and may share an offset with a neighbour.
    if (current.byteSize() != 0 && previous.byteSize() != 0 && current.begin < previous.end) {
      malformed(path, "data span overlaps tensor '" + previous.name + "'", current.name);
    }
  }
  for (std::size_t i = 0; i < tensors_.size(); ++i) index_[tensors_[i].name] = i;
}

std::optional<std::string> SafetensorsFile::metadataValue(const std::string& key) const {
  const auto it = metadata_.find(key);
  if (it == metadata_.end()) return std::nullopt;
  return it->second;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

at::Tensor SafetensorsFile::tensor(const std::string& name) const {
  const TensorInfo* info = find(name);
  if (info == nullptr) {
    throw CelerityError(ErrorCode::WeightMismatch, "tensor is missing", path().string() + " [" + name + "]");
  }
  return tensor(*info);
}

at::Tensor SafetensorsFile::tensor(const TensorInfo& info) const {
  const auto scalarType = scalarTypeOf(info.dtype);
  if (!scalarType) {
    throw CelerityError(ErrorCode::UnsupportedFormat,
                        std::string("dtype ") + dtypeName(info.dtype) +
                            " is not supported by this LibTorch build",
                        path().string() + " [" + info.name + "]");
  }
  const auto options = at::TensorOptions().dtype(*scalarType).device(at::kCPU);
  if (info.numel() == 0) return at::empty(info.shape, options);

  std::uint8_t* bytes = file_->data() + dataOffset_ + info.begin;
  auto keepAlive = file_;
  at::Tensor view = at::from_blob(
      bytes, info.shape, [keepAlive](void*) mutable { keepAlive.reset(); }, options);
  const auto alignment = dtypeSize(info.dtype);
  if (reinterpret_cast<std::uintptr_t>(bytes) % alignment != 0) return view.clone();
  return view;
}

std::vector<std::string> SafetensorsFile::namesWithPrefix(const std::string& prefix) const {
  std::vector<std::string> names;
  for (const auto& info : tensors_) {
    if (info.name.compare(0, prefix.size(), prefix) == 0) names.push_back(info.name);
  }
  return names;
}

}  // namespace celerity
