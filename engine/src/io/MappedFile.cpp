#include "io/MappedFile.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "celerity/Error.h"

namespace celerity {

std::shared_ptr<MappedFile> MappedFile::open(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw CelerityError(ErrorCode::FileNotFound, "file does not exist", path.string());
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw CelerityError(ErrorCode::FileUnreadable, "is a folder, not a file", path.string());
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw CelerityError(ErrorCode::FileUnreadable,
                        std::string("cannot open: ") + std::strerror(errno), path.string());
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int err = errno;
    ::close(fd);
    throw CelerityError(ErrorCode::FileUnreadable,
                        std::string("cannot stat: ") + std::strerror(err), path.string());
  }
  std::shared_ptr<MappedFile> file(new MappedFile());
  file->path_ = path;
  file->size_ = static_cast<std::size_t>(info.st_size);
  if (file->size_ > 0) {
    void* mapping = ::mmap(nullptr, file->size_, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (mapping == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      throw CelerityError(ErrorCode::FileUnreadable,
                          std::string("cannot map into memory: ") + std::strerror(err),
                          path.string());
    }
    file->data_ = static_cast<std::uint8_t*>(mapping);
  }
  ::close(fd);  // the mapping keeps the file alive
  return file;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

}  // namespace celerity
