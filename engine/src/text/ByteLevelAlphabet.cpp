#include "text/ByteLevelAlphabet.h"

#include <algorithm>

#include "text/Utf8.h"

namespace celerity {

namespace {

bool isPrintableLatin1(int byte) {
  return (byte >= '!' && byte <= '~') || (byte >= 0xA1 && byte <= 0xAC) ||
         (byte >= 0xAE && byte <= 0xFF);
}

}  // namespace

const ByteLevelAlphabet& ByteLevelAlphabet::instance() {
  static const ByteLevelAlphabet alphabet;
  return alphabet;
}

ByteLevelAlphabet::ByteLevelAlphabet() {
  char32_t next = 0x100;
  for (int byte = 0; byte < 256; ++byte) {
    if (isPrintableLatin1(byte)) {
      standIns_[byte] = char32_t(byte);
    } else {
      shiftedBytes_[next - 0x100] = static_cast<unsigned char>(byte);
      standIns_[byte] = next++;
    }
    utf8::append(encoded_[byte], standIns_[byte]);
  }
}

std::array<char32_t, 256> ByteLevelAlphabet::vocabularyOrder() const {
  std::array<char32_t, 256> order = standIns_;
  std::sort(order.begin(), order.end());
  return order;
}

std::string ByteLevelAlphabet::encode(std::string_view bytes) const {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) out += encoded_[static_cast<unsigned char>(c)];
  return out;
}

std::optional<std::string> ByteLevelAlphabet::decode(std::string_view standIns) const {
  std::string out;
  out.reserve(standIns.size());
  for (std::size_t pos = 0; pos < standIns.size();) {
    const char32_t cp = utf8::next(standIns, pos);
    if (cp >= 0x100 && cp < 0x100 + shiftedBytes_.size()) {
      out += static_cast<char>(shiftedBytes_[cp - 0x100]);
    } else if (cp < 0x100 && isPrintableLatin1(int(cp))) {
      out += static_cast<char>(cp);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace celerity
