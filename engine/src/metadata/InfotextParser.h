#pragma once
// Reads a PNG "parameters" text the way A1111 1.10 `parse_generation_parameters` does: prompt
// lines, `Negative prompt:` lines, the last line of `key: value` pairs (only when it holds at
// least 3), quoted values, `WxH` values split into `-1`/`-2`, the defaults it fills in with
// their Python types, `restore_old_hires_fix_params`, inferred `Emphasis: Original` and the
// back-compatibility flags derived from `Version`. Never throws on malformed text.

#include <string>
#include <utility>
#include <vector>

#include "metadata/PythonFormat.h"

namespace celerity {

// The A1111 options that change the result (defaults = A1111's defaults). There is no styles
// database: styles are never found, which is A1111's behaviour with an empty styles.csv.
struct InfotextParseOptions {
  bool useOldHiresFixWidthHeight = false;       // use_old_hires_fix_width_height
  bool autoBackcompat = true;                   // auto_backcompat
  std::string infotextStyles = "Apply if any";  // infotext_styles; "Ignore" skips style handling
  std::vector<std::string> skipFields;          // infotext_skip_pasting
};

struct ParsedInfotext {
  pyfmt::PyDict params;               // what parse_generation_parameters returns, in its order
  std::vector<std::string> filledIn;  // keys added as defaults or inferred, not read from text

  bool isFilledIn(const std::string& key) const;
};

// `re_param.findall(line)`: the (key, raw value) pairs of a parameter line; quoted values keep
// their quotes.
std::vector<std::pair<std::string, std::string>> findInfotextParams(const std::string& line);

// `re_imagesize` ("512x768"): true with the two digit strings.
bool matchImageSize(const std::string& value, std::string& first, std::string& second);

// A1111 `processing.old_hires_fix_first_pass_dimensions`.
std::pair<long long, long long> oldHiresFixFirstPassDimensions(long long width, long long height);

ParsedInfotext parseInfotextDetailed(const std::string& text,
                                     const InfotextParseOptions& options = {});

// The ordered key → value dict of `parse_generation_parameters`.
pyfmt::PyDict parseInfotext(const std::string& text, const InfotextParseOptions& options = {});

}  // namespace celerity
