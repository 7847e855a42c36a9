#pragma once
// The generic layer of the PNG "parameters" text: A1111 `create_infotext` once its
// `generation_params` dict is built. Prompt lines, `Negative prompt: ` line when the negative
// prompt is not empty, then `key: value` pairs joined by ", " (None dropped, a value equal to
// its key written as the bare key, values through `quote`), the whole text stripped.

#include <string>
#include <vector>

#include "metadata/PythonFormat.h"

namespace celerity {

// The keys `create_infotext` always lists first, in its order; extra parameters follow, then
// `Version` and `User`. An extra parameter with one of these names keeps this position.
extern const std::vector<std::string> kInfotextFixedKeys;

struct InfotextFields {
  std::string prompt;
  std::string negativePrompt;
  // Python dict semantics: setting a key again keeps its first position (as `**extra` does).
  pyfmt::PyDict params;

  // A None value reserves the key's position without writing it (as in the Python dict).
  void set(const std::string& key, pyfmt::PyValue value) { params.set(key, std::move(value)); }
};

// The key/value line: "Steps: 20, Sampler: Euler a, ...".
std::string writeInfotextParams(const pyfmt::PyDict& params);

// The complete text, byte-identical to A1111 for the same fields.
std::string writeInfotext(const InfotextFields& fields);

}  // namespace celerity
