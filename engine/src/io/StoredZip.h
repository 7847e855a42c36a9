#pragma once
// A reader of the zip archives that torch.save writes: every entry is STORED (uncompressed),
// so reading one is a bounds-checked slice of the file. The central directory (with its
// ZIP64 extensions) is parsed here; compressed entries are refused as unsupported rather than
// inflated, since PyTorch never writes them.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace celerity {

struct StoredZipEntry {
  std::string name;
  std::uint64_t dataOffset = 0;  // first byte of the entry's data inside the archive
  std::uint64_t size = 0;
  std::uint16_t method = 0;  // 0 = stored
};

class StoredZip {
 public:
  // Parses the central directory of `bytes` (which must outlive this object; `owner` keeps
  // them alive when given). Throws CelerityError(MalformedFile) naming `where` when the
  // archive's records contradict each other or point outside the bytes.
  StoredZip(const std::uint8_t* bytes, std::size_t size, std::string where,
            std::shared_ptr<const void> owner = {});

  const std::vector<StoredZipEntry>& entries() const { return entries_; }
  const StoredZipEntry* find(const std::string& name) const;
  // The entry's bytes. Throws CelerityError: MalformedFile when absent, UnsupportedFormat
  // when compressed.
  std::pair<const std::uint8_t*, std::size_t> read(const std::string& name) const;
  const std::string& where() const { return where_; }

 private:
  void parse();

  const std::uint8_t* bytes_;
  std::size_t size_;
  std::string where_;
  std::shared_ptr<const void> owner_;
  std::vector<StoredZipEntry> entries_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace celerity
