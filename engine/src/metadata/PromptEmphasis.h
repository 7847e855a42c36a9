#pragma once
// Whether a prompt uses attention weights, as `parse_generation_parameters` decides when it
// infers `Emphasis: Original`: some segment of A1111 `prompt_parser.parse_prompt_attention`
// has a weight other than 1.0 (BREAK aside). The metadata library cannot depend on the
// prompt library, so this carries its own small copy of the attention parse.

#include <string>
#include <utility>
#include <vector>

namespace celerity {

// `parse_prompt_attention(text)`: (text, weight) segments, BREAK as ("BREAK", -1) times the
// enclosing multipliers, runs of equal weight merged. A weight that Python's float() would
// refuse (e.g. "(a:1.2.3)") is read as no weight instead of raising.
std::vector<std::pair<std::string, double>> promptAttentionSegments(const std::string& text);

bool promptUsesEmphasis(const std::string& text);

}  // namespace celerity
