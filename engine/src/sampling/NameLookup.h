#pragma once
// Name matching shared by the sampler and schedule registries: an exact match wins, then a
// match ignoring ASCII case, so "LMS" and "lms" can name different entries.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace celerity::sampling {

inline bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// The first entry one of whose names (namesOf(entry)) equals `name`, exact before
// case-insensitive; nullptr when none does.
template <typename Entry, typename NamesOf>
const Entry* findByName(const std::vector<Entry>& entries, std::string_view name, NamesOf namesOf) {
  for (const auto& entry : entries) {
    for (const auto& candidate : namesOf(entry)) {
      if (!candidate.empty() && candidate == name) return &entry;
    }
  }
  for (const auto& entry : entries) {
    for (const auto& candidate : namesOf(entry)) {
      if (!candidate.empty() && equalsIgnoringCase(candidate, name)) return &entry;
    }
  }
  return nullptr;
}

inline std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (n.empty()) continue;
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace celerity::sampling
