#pragma once
// A compiled PCRE2 pattern in UTF + UCP mode, so that \p{L}, \p{N} and \s follow the Unicode
// properties built into PCRE2 rather than tables of our own. The compiled code is immutable
// and shared; every call gets its own match data, so one instance serves many threads.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace celerity {

class Pcre2Regex {
 public:
  // `extraOptions` are PCRE2 compile options added to PCRE2_UTF | PCRE2_UCP (e.g. caseless).
  // A pattern that does not compile is an Internal error: patterns are fixed in the code.
  explicit Pcre2Regex(const std::string& pattern, std::uint32_t extraOptions = 0);
  ~Pcre2Regex();
  Pcre2Regex(const Pcre2Regex&) = delete;
  Pcre2Regex& operator=(const Pcre2Regex&) = delete;

  // Every non-overlapping match, left to right (Python's re.findall without groups).
  // `subject` must be valid UTF-8.
  std::vector<std::string_view> findAll(std::string_view subject) const;

  // Replaces every match. `extended` turns on PCRE2_SUBSTITUTE_EXTENDED, whose \L and \U
  // change case with PCRE2's Unicode case data.
  std::string replaceAll(std::string_view subject, std::string_view replacement,
                         bool extended = false) const;

  bool matchesAnywhere(std::string_view subject) const;

 private:
  struct Code;
  std::unique_ptr<Code> code_;
  std::string pattern_;
};

}  // namespace celerity
