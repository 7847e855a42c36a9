#pragma once
// The `Version` field of an infotext as A1111 `infotext_versions` reads it: PEP 440 versions
// (what `packaging.version.parse` accepts, "v1.7.0-225" = post-release 225) and the
// back-compatibility thresholds compared against them.

#include <optional>
#include <string>
#include <vector>

namespace celerity {

class PythonVersion {
 public:
  // `packaging.version.parse`; nullopt for text it refuses (InvalidVersion).
  static std::optional<PythonVersion> parse(const std::string& text);

  // Negative, zero or positive, with PEP 440 ordering (dev < pre < release < post).
  int compare(const PythonVersion& other) const;

  bool operator<(const PythonVersion& o) const { return compare(o) < 0; }
  bool operator>(const PythonVersion& o) const { return compare(o) > 0; }
  bool operator==(const PythonVersion& o) const { return compare(o) == 0; }

 private:
  long long epoch_ = 0;
  std::vector<long long> release_;
  int prePhase_ = -1;  // -1 none, 0 a, 1 b, 2 rc
  long long preNumber_ = 0;
  std::optional<long long> post_;
  std::optional<long long> dev_;
  std::optional<std::vector<std::string>> local_;
};

// A1111 `infotext_versions.parse_version`: "v1.7.0-133-gabc" is cut to "v1.7.0-133" first.
std::optional<PythonVersion> parseInfotextVersion(const std::string& text);

// The thresholds of A1111 1.10 `infotext_versions`.
const PythonVersion& infotextVersion160();          // 1.6.0
const PythonVersion& infotextVersion170Tsnr();      // v1.7.0-225
const PythonVersion& infotextVersion180();          // 1.8.0
const PythonVersion& infotextVersion180HrStyles();  // 1.8.0-139

}  // namespace celerity
