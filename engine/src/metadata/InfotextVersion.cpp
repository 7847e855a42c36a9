#include "metadata/InfotextVersion.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "metadata/PythonFormat.h"

namespace celerity {

namespace {

// A cursor over the lower-cased version text.
struct Cursor {
  const std::string& s;
  std::size_t pos = 0;

  bool done() const { return pos >= s.size(); }
  bool digitAt(std::size_t p) const {
    return p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]));
  }
  bool take(char c) {
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool takeWord(const std::string& word) {
    if (s.compare(pos, word.size(), word) == 0) {
      pos += word.size();
      return true;
    }
    return false;
  }
  bool isSeparator(std::size_t p) const {
    return p < s.size() && (s[p] == '-' || s[p] == '_' || s[p] == '.');
  }
  std::optional<long long> number() {
    if (!digitAt(pos)) return std::nullopt;
    std::size_t end = pos;
    while (digitAt(end)) ++end;
    auto value = pyfmt::parseInt(s.substr(pos, end - pos));
    if (!value) return std::nullopt;
    pos = end;
    return value;
  }
  // [-_.]? word [-_.]? N? — returns the number (0 when absent) or nullopt when no word.
  std::optional<long long> labelled(const std::vector<std::string>& words, std::string* which) {
    const std::size_t start = pos;
    if (isSeparator(pos)) ++pos;
    for (const auto& word : words) {
      if (takeWord(word)) {
        if (which) *which = word;
        const std::size_t afterWord = pos;
        if (isSeparator(pos) && digitAt(pos + 1)) ++pos;
        if (auto n = number()) return n;
        pos = afterWord;
        return 0;
      }
    }
    pos = start;
    return std::nullopt;
  }
};

int compareOptional(const std::optional<long long>& a, const std::optional<long long>& b,
                    bool missingIsLow) {
  if (a && b) return *a < *b ? -1 : (*a > *b ? 1 : 0);
  if (!a && !b) return 0;
  const int missingSide = missingIsLow ? -1 : 1;
  return !a ? missingSide : -missingSide;
}

}  // namespace

std::optional<PythonVersion> PythonVersion::parse(const std::string& input) {
  std::string text = pyfmt::strip(input);
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  Cursor in{text};
  PythonVersion v;
  in.take('v');

  // Epoch "N!" or the first release number.
  auto first = in.number();
  if (!first) return std::nullopt;
  if (in.take('!')) {
    v.epoch_ = *first;
    first = in.number();
    if (!first) return std::nullopt;
  }
  v.release_.push_back(*first);
  while (in.pos + 1 < text.size() && text[in.pos] == '.' && in.digitAt(in.pos + 1)) {
    ++in.pos;
    v.release_.push_back(*in.number());
  }

  // Pre-release: longest spellings first; c/pre/preview mean rc.
  std::string word;
  if (auto pre = in.labelled({"preview", "alpha", "beta", "pre", "rc", "a", "b", "c"}, &word)) {
    v.prePhase_ = (word == "a" || word == "alpha") ? 0 : (word == "b" || word == "beta") ? 1 : 2;
    v.preNumber_ = *pre;
  }
  // Post-release: "-N" or [-_.]?(post|rev|r)[-_.]?N?
  if (in.pos + 1 < text.size() && text[in.pos] == '-' && in.digitAt(in.pos + 1)) {
    ++in.pos;
    v.post_ = in.number();
  } else if (auto post = in.labelled({"post", "rev", "r"}, nullptr)) {
    v.post_ = *post;
  }
  if (auto dev = in.labelled({"dev"}, nullptr)) v.dev_ = *dev;

  // Local version "+abc.1".
  if (in.take('+')) {
    std::vector<std::string> parts(1);
    for (; !in.done(); ++in.pos) {
      const char c = text[in.pos];
      if (std::isalnum(static_cast<unsigned char>(c))) {
        parts.back() += c;
      } else if ((c == '-' || c == '_' || c == '.') && !parts.back().empty()) {
        parts.emplace_back();
      } else {
        break;
      }
    }
    if (parts.back().empty()) return std::nullopt;
    v.local_ = parts;
  }
  if (!in.done()) return std::nullopt;
  return v;
}

int PythonVersion::compare(const PythonVersion& other) const {
  if (epoch_ != other.epoch_) return epoch_ < other.epoch_ ? -1 : 1;
  // Release, trailing zeros ignored.
  const std::size_t n = std::max(release_.size(), other.release_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const long long a = i < release_.size() ? release_[i] : 0;
    const long long b = i < other.release_.size() ? other.release_[i] : 0;
    if (a != b) return a < b ? -1 : 1;
  }
  // Pre: a dev-only release sorts before its pre-releases; no pre-release sorts after them.
  const auto preKey = [](const PythonVersion& v) -> std::pair<int, long long> {
    if (v.prePhase_ < 0) return {!v.post_ && v.dev_ ? -1 : 3, 0};
    return {v.prePhase_, v.preNumber_};
  };
  const auto pa = preKey(*this);
  const auto pb = preKey(other);
  if (pa != pb) return pa < pb ? -1 : 1;
  if (int c = compareOptional(post_, other.post_, true)) return c;
  if (int c = compareOptional(dev_, other.dev_, false)) return c;
  // Local: absent < present; numeric segments > alphanumeric ones.
  if (!local_ || !other.local_) return local_ ? 1 : (other.local_ ? -1 : 0);
  const auto& la = *local_;
  const auto& lb = *other.local_;
  for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i) {
    const auto na = pyfmt::parseInt(la[i]);
    const auto nb = pyfmt::parseInt(lb[i]);
    const bool digitsA = na && la[i].find_first_not_of("0123456789") == std::string::npos;
    const bool digitsB = nb && lb[i].find_first_not_of("0123456789") == std::string::npos;
    if (digitsA != digitsB) return digitsA ? 1 : -1;
    if (digitsA && *na != *nb) return *na < *nb ? -1 : 1;
    if (!digitsA && la[i] != lb[i]) return la[i] < lb[i] ? -1 : 1;
  }
  if (la.size() != lb.size()) return la.size() < lb.size() ? -1 : 1;
  return 0;
}

std::optional<PythonVersion> parseInfotextVersion(const std::string& text) {
  // re.match(r'([^-]+-[^-]+)-.*', text): keep what precedes a second dash.
  const std::size_t firstDash = text.find('-');
  if (firstDash != std::string::npos && firstDash > 0) {
    const std::size_t secondDash = text.find('-', firstDash + 1);
    if (secondDash != std::string::npos && secondDash > firstDash + 1) {
      return PythonVersion::parse(text.substr(0, secondDash));
    }
  }
  return PythonVersion::parse(text);
}

namespace {
PythonVersion constant(const char* text) {
  auto v = PythonVersion::parse(text);
  if (!v) throw std::logic_error(std::string("bad version constant ") + text);
  return *v;
}
}  // namespace

const PythonVersion& infotextVersion160() {
  static const PythonVersion v = constant("1.6.0");
  return v;
}
const PythonVersion& infotextVersion170Tsnr() {
  static const PythonVersion v = constant("v1.7.0-225");
  return v;
}
const PythonVersion& infotextVersion180() {
  static const PythonVersion v = constant("1.8.0");
  return v;
}
const PythonVersion& infotextVersion180HrStyles() {
  static const PythonVersion v = constant("1.8.0-139");
  return v;
}

}  // namespace celerity
