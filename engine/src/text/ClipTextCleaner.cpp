#include "text/ClipTextCleaner.h"

#include "text/CaseMapping.h"
#include "text/FtfyFixes.h"
#include "text/HtmlUnescape.h"
#include "text/Pcre2Regex.h"
#include "text/Utf8.h"

namespace celerity {

std::string collapseWhitespace(std::string_view text) {
  // Python's str.isspace(): the separators (Z*), \t-\r, the information separators
  // U+001C-001F and NEXT LINE U+0085. (PCRE2's \s differs: it lacks U+001C-001F and still
  // counts U+180E, which Unicode 6.3 moved out of the separators.)
  static const Pcre2Regex whitespace(R"([\p{Z}\t\n\x{0B}\f\r\x{1C}-\x{1F}\x{85}]+)");
  std::string collapsed = whitespace.replaceAll(text, " ");
  const std::size_t first = collapsed.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  const std::size_t last = collapsed.find_last_not_of(' ');
  return collapsed.substr(first, last - first + 1);
}

std::string cleanClipText(std::string_view text) {
  std::string cleaned = ftfyFixText(utf8::sanitize(text));
  cleaned = htmlUnescape(htmlUnescape(cleaned));
  return toLowerLikePython(collapseWhitespace(cleaned));
}

}  // namespace celerity
