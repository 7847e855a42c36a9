#include "io/StoredZip.h"

#include <algorithm>

#include "celerity/Error.h"

namespace celerity {
namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::size_t kEndOfDirectoryBytes = 22;
constexpr std::size_t kMaxCommentBytes = 0xffff;

std::uint64_t readLe(const std::uint8_t* p, int bytes) {
  std::uint64_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}

}  // namespace

StoredZip::StoredZip(const std::uint8_t* bytes, std::size_t size, std::string where,
                     std::shared_ptr<const void> owner)
    : bytes_(bytes), size_(size), where_(std::move(where)), owner_(std::move(owner)) {
  parse();
}

void StoredZip::parse() {
  auto fail = [&](const std::string& what) -> void {
    throw CelerityError(ErrorCode::MalformedFile, "zip archive: " + what, where_);
  };
  auto need = [&](std::uint64_t offset, std::uint64_t length, const char* what) {
    if (offset > size_ || length > size_ - offset) fail(std::string(what) + " lies outside the file");
  };
  if (size_ < kEndOfDirectoryBytes) fail("too short for an end-of-directory record");

  // The end record sits at the end, before a comment of up to 64 KiB.
  std::size_t end = size_;
  const std::size_t lowest = size_ > kEndOfDirectoryBytes + kMaxCommentBytes
                                 ? size_ - kEndOfDirectoryBytes - kMaxCommentBytes
                                 : 0;
  for (std::size_t pos = size_ - kEndOfDirectoryBytes + 1; pos-- > lowest;) {
    if (readLe(bytes_ + pos, 4) == kEndOfDirectory &&
        pos + kEndOfDirectoryBytes + readLe(bytes_ + pos + 20, 2) <= size_) {
      end = pos;
      break;
    }
  }
  if (end == size_) fail("no end-of-directory record");
  const std::uint8_t* eocd = bytes_ + end;
  std::uint64_t count = readLe(eocd + 10, 2);
  std::uint64_t directorySize = readLe(eocd + 12, 4);
  std::uint64_t directoryOffset = readLe(eocd + 16, 4);
  if (readLe(eocd + 4, 2) != 0 || readLe(eocd + 6, 2) != 0) fail("multi-disk archives are not supported");

  // ZIP64: a locator right before the end record points at the 64-bit end record.
  if (end >= 20 && readLe(bytes_ + end - 20, 4) == kZip64Locator) {
    const std::uint64_t recordOffset = readLe(bytes_ + end - 20 + 8, 8);
    need(recordOffset, 56, "ZIP64 end record");
    const std::uint8_t* record = bytes_ + recordOffset;
    if (readLe(record, 4) != kZip64EndOfDirectory) fail("bad ZIP64 end record signature");
    count = readLe(record + 32, 8);
    directorySize = readLe(record + 40, 8);
    directoryOffset = readLe(record + 48, 8);
  }
  need(directoryOffset, directorySize, "central directory");

  std::uint64_t pos = directoryOffset;
  const std::uint64_t directoryEnd = directoryOffset + directorySize;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (pos + 46 > directoryEnd) fail("central directory is truncated");
    const std::uint8_t* h = bytes_ + pos;
    if (readLe(h, 4) != kDirectoryEntry) fail("bad central directory signature");
    StoredZipEntry entry;
    entry.method = static_cast<std::uint16_t>(readLe(h + 10, 2));
    std::uint64_t compressed = readLe(h + 20, 4);
    std::uint64_t uncompressed = readLe(h + 24, 4);
    const std::uint64_t nameLength = readLe(h + 28, 2);
    const std::uint64_t extraLength = readLe(h + 30, 2);
    const std::uint64_t commentLength = readLe(h + 32, 2);
    std::uint64_t localOffset = readLe(h + 42, 4);
    if (pos + 46 + nameLength + extraLength + commentLength > directoryEnd) {
      fail("central directory entry is truncated");
    }
    entry.name.assign(reinterpret_cast<const char*>(h + 46), nameLength);

    // ZIP64 extra field: the 64-bit values of the fields saturated at 0xffffffff, in order.
    const std::uint8_t* extra = h + 46 + nameLength;
    for (std::uint64_t e = 0; e + 4 <= extraLength;) {
      const std::uint64_t id = readLe(extra + e, 2);
      const std::uint64_t length = readLe(extra + e + 2, 2);
      if (e + 4 + length > extraLength) fail("extra field is truncated in " + entry.name);
      if (id == 0x0001) {
        const std::uint8_t* field = extra + e + 4;
        std::uint64_t used = 0;
        auto take = [&](std::uint64_t& value) {
          if (value != 0xffffffffu) return;
          if (used + 8 > length) fail("ZIP64 extra field is too short in " + entry.name);
          value = readLe(field + used, 8);
          used += 8;
        };
        take(uncompressed);
        take(compressed);
        take(localOffset);
      }
      e += 4 + length;
    }

    need(localOffset, 30, ("local header of " + entry.name).c_str());
    const std::uint8_t* local = bytes_ + localOffset;
    if (readLe(local, 4) != kLocalHeader) fail("bad local header signature for " + entry.name);
    entry.dataOffset = localOffset + 30 + readLe(local + 26, 2) + readLe(local + 28, 2);
    entry.size = entry.method == 0 ? uncompressed : compressed;
    if (entry.method == 0 && compressed != uncompressed) {
      fail("stored entry " + entry.name + " has differing sizes");
    }
    need(entry.dataOffset, entry.size, ("data of " + entry.name).c_str());
    index_[entry.name] = entries_.size();
    entries_.push_back(std::move(entry));
    pos += 46 + nameLength + extraLength + commentLength;
  }
}

const StoredZipEntry* StoredZip::find(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::pair<const std::uint8_t*, std::size_t> StoredZip::read(const std::string& name) const {
  const StoredZipEntry* entry = find(name);
  if (entry == nullptr) {
    throw CelerityError(ErrorCode::MalformedFile, "zip archive has no entry " + name, where_);
  }
  if (entry->method != 0) {
    throw CelerityError(ErrorCode::UnsupportedFormat,
                        "zip entry " + name + " is compressed (method " +
                            std::to_string(entry->method) + "); torch.save stores entries",
                        where_);
  }
  return {bytes_ + entry->dataOffset, static_cast<std::size_t>(entry->size)};
}

}  // namespace celerity
