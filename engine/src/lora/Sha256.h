#pragma once
// SHA-256 (FIPS 180-4), incremental. What A1111 hashes LoRA files with: the "addnet" hash of
// a safetensors file is the SHA-256 of its bytes after the header (8 + N bytes).
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace celerity {

class Sha256 {
 public:
  Sha256();

  void update(const void* data, std::size_t bytes);
  // Finishes the hash; the object must not be updated afterwards.
  std::array<std::uint8_t, 32> digest();
  std::string hexDigest();  // 64 lowercase hex digits

  // SHA-256 of the file's bytes from `offset` to its end, read in blocks. Throws
  // CelerityError (FileNotFound / FileUnreadable) naming the path.
  static std::string hashFile(const std::filesystem::path& path, std::uint64_t offset = 0);

 private:
  void compress(const std::uint8_t* block);

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t totalBytes_ = 0;
  bool finished_ = false;
};

}  // namespace celerity
