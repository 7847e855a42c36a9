#pragma once
// CLIP's (and GPT-2's) bytes_to_unicode: every byte gets a printable stand-in character so
// that BPE runs on text without whitespace or control characters. Printable Latin-1 bytes
// stand for themselves; the other 68 bytes map to U+0100.. in byte order.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace celerity {

class ByteLevelAlphabet {
 public:
  static const ByteLevelAlphabet& instance();

  char32_t standIn(unsigned char byte) const { return standIns_[byte]; }

  // The stand-in characters in the order of CLIP's vocabulary (ids 0..255): ascending.
  std::array<char32_t, 256> vocabularyOrder() const;

  // Raw UTF-8 bytes → their stand-ins (as UTF-8).
  std::string encode(std::string_view bytes) const;

  // Stand-ins → raw bytes; nullopt when a character is not a stand-in.
  std::optional<std::string> decode(std::string_view standIns) const;

 private:
  ByteLevelAlphabet();
  std::array<char32_t, 256> standIns_{};
  std::array<std::string, 256> encoded_{};  // UTF-8 of each stand-in
  std::array<unsigned char, 68> shiftedBytes_{};  // the byte behind U+0100 + i
};

}  // namespace celerity
