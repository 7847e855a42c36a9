#include "io/SafetensorsWriter.h"

#include <cerrno>
#include <cstring>
#include <random>

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include "celerity/Error.h"

namespace celerity {
namespace {

constexpr std::size_t kStreamBufferBytes = 8u << 20;  // fewer, larger writes to disk

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? "," : "") + std::to_string(shape[i]);
  return text + "]";
}

// A sibling of the target, so that the final rename never crosses file systems.
std::filesystem::path temporarySibling(const std::filesystem::path& path) {
  std::random_device random;
  const auto tag = std::to_string(random()) + std::to_string(random());
  return path.parent_path() / ("." + path.filename().string() + "." + tag + ".partial");
}

}  // namespace

std::uint64_t SafetensorsEntry::byteSize() const {
  std::uint64_t bytes = dtypeSize(dtype);
  for (auto d : shape) bytes *= static_cast<std::uint64_t>(d);
  return bytes;
}

SafetensorsWriter::SafetensorsWriter(std::filesystem::path path) : path_(std::move(path)) {}

SafetensorsWriter::~SafetensorsWriter() {
  if (!finished_) abandon();
}

void SafetensorsWriter::fail(const std::string& message) const {
  throw CelerityError(ErrorCode::FileUnreadable, message, path_.string());
}

void SafetensorsWriter::abandon() noexcept {
  if (file_ != nullptr) {
    std::fclose(file_);
    file_ = nullptr;
  }
  if (!tempPath_.empty()) {
    std::error_code ignored;
    std::filesystem::remove(tempPath_, ignored);
    tempPath_.clear();
  }
}

void SafetensorsWriter::add(std::string name, DType dtype, std::vector<std::int64_t> shape) {
  if (begun_) {
    throw CelerityError(ErrorCode::Internal, "tensor declared after the header was written", name);
  }
  if (name.empty() || name == "__metadata__") {
    throw CelerityError(ErrorCode::InvalidArgument, "invalid tensor name '" + name + "'", path_.string());
  }
  if (dtypeSize(dtype) == 0) {
    throw CelerityError(ErrorCode::InvalidArgument, "tensor has no valid dtype", name);
  }
  for (auto d : shape) {
    if (d < 0) throw CelerityError(ErrorCode::InvalidArgument, "negative dimension " + shapeText(shape), name);
  }
  if (!index_.emplace(name, entries_.size()).second) {
    throw CelerityError(ErrorCode::InvalidArgument, "tensor declared twice", name);
  }
  entries_.push_back({std::move(name), dtype, std::move(shape)});
}

void SafetensorsWriter::setMetadata(const std::string& key, const std::string& value) {
  if (begun_) {
    throw CelerityError(ErrorCode::Internal, "metadata set after the header was written", key);
  }
  metadata_[key] = value;
}

void SafetensorsWriter::begin() {
  if (begun_) throw CelerityError(ErrorCode::Internal, "header written twice", path_.string());
  // Insertion order: the data section follows the declarations, and so does the header.
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata_.empty()) {
    auto& metadata = header["__metadata__"];
    for (const auto& [key, value] : metadata_) metadata[key] = value;
  }
  std::uint64_t offset = 0;
  for (const auto& entry : entries_) {
    const auto end = offset + entry.byteSize();
    header[entry.name] = {{"dtype", dtypeName(entry.dtype)},
                          {"shape", entry.shape},
                          {"data_offsets", {offset, end}}};
    offset = end;
  }
  totalBytes_ = offset;
  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');  // the data starts 8-byte aligned
  headerBytes_ = 8 + json.size();

  tempPath_ = temporarySibling(path_);
  file_ = std::fopen(tempPath_.string().c_str(), "wb");
  if (file_ == nullptr) {
    const std::string reason = std::strerror(errno);
    tempPath_.clear();
    fail("cannot create the file: " + reason);
  }
  std::setvbuf(file_, nullptr, _IOFBF, kStreamBufferBytes);
  begun_ = true;

  unsigned char length[8];
  for (int i = 0; i < 8; ++i) length[i] = static_cast<unsigned char>((json.size() >> (8 * i)) & 0xff);
  if (std::fwrite(length, 1, 8, file_) != 8 || std::fwrite(json.data(), 1, json.size(), file_) != json.size()) {
    const std::string reason = std::strerror(errno);
    abandon();
    fail("cannot write the header: " + reason);
  }
  current_ = 0;
  currentEnd_ = entries_.empty() ? 0 : entries_[0].byteSize();
  while (current_ < entries_.size() && writtenBytes_ >= currentEnd_) {  // leading empty tensors
    if (++current_ < entries_.size()) currentEnd_ += entries_[current_].byteSize();
  }
}

void SafetensorsWriter::write(const void* data, std::size_t bytes) {
  if (!begun_ || file_ == nullptr) {
    throw CelerityError(ErrorCode::Internal, "data written outside begin() … finish()", path_.string());
  }
  if (bytes > totalBytes_ - writtenBytes_) {
    throw CelerityError(ErrorCode::Internal,
                        "more data than the declared tensors hold (" + std::to_string(totalBytes_) + " bytes)",
                        path_.string());
  }
  if (bytes != 0 && std::fwrite(data, 1, bytes, file_) != bytes) {
    const std::string reason = std::strerror(errno);
    abandon();
    fail("cannot write tensor data: " + reason);
  }
  writtenBytes_ += bytes;
  while (current_ < entries_.size() && writtenBytes_ >= currentEnd_) {
    if (++current_ < entries_.size()) currentEnd_ += entries_[current_].byteSize();
  }
}

void SafetensorsWriter::writeTensor(const at::Tensor& tensor) {
  if (current_ >= entries_.size()) {
    throw CelerityError(ErrorCode::Internal, "every declared tensor is already written", path_.string());
  }
  const auto& entry = entries_[current_];
  if (currentEnd_ - writtenBytes_ != entry.byteSize()) {
    throw CelerityError(ErrorCode::Internal, "the previous tensor is only partly written", entry.name);
  }
  const auto dtype = dtypeOf(tensor.scalar_type());
  if (!dtype || *dtype != entry.dtype || tensor.sizes().vec() != entry.shape) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        std::string("tensor is ") + (dtype ? dtypeName(*dtype) : "of an unsupported dtype") +
                            " " + shapeText(tensor.sizes().vec()) + ", declared " + dtypeName(entry.dtype) +
                            " " + shapeText(entry.shape),
                        entry.name);
  }
  const auto bytes = tensor.to(at::kCPU).contiguous();
  write(bytes.data_ptr(), static_cast<std::size_t>(bytes.nbytes()));
}

void SafetensorsWriter::finish() {
  if (!begun_) begin();  // a file of metadata and empty tensors only
  if (writtenBytes_ != totalBytes_) {
    throw CelerityError(ErrorCode::Internal,
                        std::to_string(totalBytes_ - writtenBytes_) + " bytes of tensor data were never written" +
                            (current_ < entries_.size() ? " (from '" + entries_[current_].name + "' on)" : ""),
                        path_.string());
  }
  const bool flushed = std::fflush(file_) == 0;
  const std::string reason = flushed ? std::string() : std::strerror(errno);
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    abandon();
    fail("cannot write the file: " + (flushed ? std::string(std::strerror(errno)) : reason));
  }
  std::error_code ec;
  std::filesystem::rename(tempPath_, path_, ec);
  if (ec) {
    abandon();
    fail("cannot move the finished file into place: " + ec.message());
  }
  tempPath_.clear();
  finished_ = true;
}

void writeSafetensors(const std::filesystem::path& path,
                      const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  SafetensorsWriter writer(path);
  for (const auto& [key, value] : metadata) writer.setMetadata(key, value);
  for (const auto& [name, tensor] : tensors) {
    const auto dtype = dtypeOf(tensor.scalar_type());
    if (!dtype) {
      throw CelerityError(ErrorCode::InvalidArgument, "dtype has no safetensors spelling", name);
    }
    writer.add(name, *dtype, tensor.sizes().vec());
  }
  writer.begin();
  for (const auto& [name, tensor] : tensors) {
    if (tensor.numel() != 0) writer.writeTensor(tensor);  // empty tensors hold no bytes
  }
  writer.finish();
}

}  // namespace celerity
