#include "text/UnicodeNormalization.h"

#if CELERITY_WITH_ICU
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#endif

namespace celerity {

bool hasUnicodeNormalization() { return CELERITY_WITH_ICU != 0; }

std::string normalizeNfc(std::string_view utf8) {
#if CELERITY_WITH_ICU
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status) || nfc == nullptr) return std::string(utf8);
  const auto source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  if (nfc->isNormalized(source, status) && U_SUCCESS(status)) return std::string(utf8);
  status = U_ZERO_ERROR;
  const icu::UnicodeString normalized = nfc->normalize(source, status);
  if (U_FAILURE(status)) return std::string(utf8);
  std::string out;
  normalized.toUTF8String(out);
  return out;
#else
  return std::string(utf8);
#endif
}

}  // namespace celerity
