#pragma once
// Shared pieces of the libFuzzer targets (docs/HARDENING.md).
//
// The rule every target checks: hostile bytes may only end in a CelerityError (the engine's
// documented failure). A crash, a sanitizer report, a hang, or any other exception escaping
// the parser is a finding: the target aborts so that libFuzzer saves the input.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <typeinfo>

#include "celerity/Error.h"

namespace celerity::fuzz {

// The input as a file: an anonymous in-memory file, named through /proc (for readers that
// take paths and map them). Closed when this goes out of scope.
class MemoryFile {
 public:
  MemoryFile(const std::uint8_t* data, std::size_t size) {
    fd_ = memfd_create("celerity-fuzz", 0);
    if (fd_ < 0) std::abort();
    std::size_t written = 0;
    while (written < size) {
      const ssize_t n = ::write(fd_, data + written, size - written);
      if (n <= 0) std::abort();
      written += static_cast<std::size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// Runs `body`; a CelerityError is the expected refusal, anything else is a finding.
template <typename Body>
void expectOnlyCelerityErrors(const char* target, Body&& body) {
  try {
    body();
  } catch (const CelerityError&) {
    // refused with the engine's error: fine
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: escaped %s: %s\n", target, typeid(e).name(), e.what());
    std::abort();
  }
}

// An invariant the parser promised; a violation is a finding.
inline void check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace celerity::fuzz
