#include "text/Pcre2Regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "celerity/Error.h"

namespace celerity {

namespace {

std::string pcre2Message(int errorCode) {
  PCRE2_UCHAR buffer[256];
  const int n = pcre2_get_error_message(errorCode, buffer, sizeof buffer);
  return n < 0 ? "PCRE2 error " + std::to_string(errorCode)
               : std::string(reinterpret_cast<const char*>(buffer), static_cast<std::size_t>(n));
}

struct MatchData {
  explicit MatchData(const pcre2_code* code)
      : data(pcre2_match_data_create_from_pattern(code, nullptr)) {
    if (!data) throw std::bad_alloc();
  }
  ~MatchData() { pcre2_match_data_free(data); }
  MatchData(const MatchData&) = delete;
  MatchData& operator=(const MatchData&) = delete;
  pcre2_match_data* data;
};

}  // namespace

struct Pcre2Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

Pcre2Regex::Pcre2Regex(const std::string& pattern, std::uint32_t extraOptions)
    : code_(std::make_unique<Code>()), pattern_(pattern) {
  int errorCode = 0;
  PCRE2_SIZE errorOffset = 0;
  code_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                              PCRE2_UTF | PCRE2_UCP | extraOptions, &errorCode, &errorOffset,
                              nullptr);
  if (!code_->code) {
    throw CelerityError(ErrorCode::Internal,
                        "regular expression does not compile at offset " +
                            std::to_string(errorOffset) + ": " + pcre2Message(errorCode),
                        pattern);
  }
  // The JIT is an optional speed-up; the interpreter gives the same matches without it.
  pcre2_jit_compile(code_->code, PCRE2_JIT_COMPLETE);
}

Pcre2Regex::~Pcre2Regex() = default;

std::vector<std::string_view> Pcre2Regex::findAll(std::string_view subject) const {
  std::vector<std::string_view> matches;
  MatchData match(code_->code);
  const auto* bytes = reinterpret_cast<PCRE2_SPTR>(subject.data());
  PCRE2_SIZE start = 0;
  std::uint32_t options = 0;
  while (start <= subject.size()) {
    const int rc =
        pcre2_match(code_->code, bytes, subject.size(), start, options, match.data, nullptr);
    options = PCRE2_NO_UTF_CHECK;  // the first call validated the whole subject
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      throw CelerityError(ErrorCode::Internal, "regular expression match failed: " +
                                                   pcre2Message(rc), pattern_);
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.data);
    const PCRE2_SIZE begin = ovector[0];
    const PCRE2_SIZE end = ovector[1];
    if (end > begin) {
      matches.push_back(subject.substr(begin, end - begin));
      start = end;
    } else {
      // An empty match: step over one whole character so that the next try makes progress.
      start = end + 1;
      while (start < subject.size() && (static_cast<unsigned char>(subject[start]) & 0xC0) == 0x80) {
        ++start;
      }
    }
  }
  return matches;
}

std::string Pcre2Regex::replaceAll(std::string_view subject, std::string_view replacement,
                                   bool extended) const {
  std::uint32_t options = PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH;
  if (extended) options |= PCRE2_SUBSTITUTE_EXTENDED;
  MatchData match(code_->code);
  std::string out(subject.size() + subject.size() / 2 + 16, '\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    PCRE2_SIZE length = out.size();
    const int rc = pcre2_substitute(
        code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, options,
        match.data, nullptr, reinterpret_cast<PCRE2_SPTR>(replacement.data()),
        replacement.size(), reinterpret_cast<PCRE2_UCHAR*>(out.data()), &length);
    if (rc == PCRE2_ERROR_NOMEMORY && attempt == 0) {
      out.resize(length);  // the length it needs, thanks to OVERFLOW_LENGTH
      continue;
    }
    if (rc < 0) {
      throw CelerityError(ErrorCode::Internal, "regular expression substitution failed: " +
                                                   pcre2Message(rc), pattern_);
    }
    out.resize(length);
    return out;
  }
  throw CelerityError(ErrorCode::Internal, "regular expression substitution overflowed",
                      pattern_);
}

bool Pcre2Regex::matchesAnywhere(std::string_view subject) const {
  MatchData match(code_->code);
  const int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                             subject.size(), 0, 0, match.data, nullptr);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) {
    throw CelerityError(ErrorCode::Internal, "regular expression match failed: " +
                                                 pcre2Message(rc), pattern_);
  }
  return true;
}

}  // namespace celerity
