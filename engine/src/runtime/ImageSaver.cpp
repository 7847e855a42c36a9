#include "runtime/ImageSaver.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <random>

#include "metadata/OutputNaming.h"
#include "metadata/PngTextChunks.h"
#include "pipeline/StageObserver.h"

namespace fs = std::filesystem;

namespace celerity {

namespace {

constexpr int kMaxNameAttempts = 100;

std::string stagingName() {
  // A hidden name that no sequence-number scan reads as a number (A1111 does int(name[:5])).
  std::random_device device;
  std::mt19937_64 random(device());
  char name[40];
  std::snprintf(name, sizeof name, ".celerity-saving-%016llx.png", static_cast<unsigned long long>(random()));
  return name;
}

[[noreturn]] void saveFailed(const fs::path& folder, const std::string& reason) {
  throw CelerityError(ErrorCode::FileUnreadable,
                      "could not save the image into the output folder: " + reason +
                          ". The image is kept in memory (the job's output, the studio's gallery): "
                          "free some space or choose another output folder, then save it again",
                      folder.string());
}

}  // namespace

bool renameNoReplace(const fs::path& from, const fs::path& to) {
#ifdef RENAME_NOREPLACE
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
    throw fs::filesystem_error("rename", from, to, std::error_code(errno, std::generic_category()));
  }
#endif
  // File systems without RENAME_NOREPLACE: a hard link fails when the name is taken.
  if (::link(from.c_str(), to.c_str()) == 0) {
    ::unlink(from.c_str());
    return true;
  }
  if (errno == EEXIST) return false;
  if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP) {
    throw fs::filesystem_error("link", from, to, std::error_code(errno, std::generic_category()));
  }
  // No hard links either (FAT, some network file systems): the check and the rename are
  // two steps there.
  std::error_code ec;
  if (fs::exists(to, ec)) return false;
  fs::rename(from, to);
  return true;
}

ImageSaver::ImageSaver(fs::path folder) : folder_(std::move(folder)) {}

void ImageSaver::prepareFolder() {
  if (prepared_) return;
  if (folder_.empty()) saveFailed(folder_, "no output folder is set");
  std::error_code ec;
  fs::create_directories(folder_, ec);
  if (ec || !fs::is_directory(folder_, ec)) {
    saveFailed(folder_, "the folder cannot be created (" + (ec ? ec.message() : std::string("a file has its name")) + ")");
  }
  prepared_ = true;
}

fs::path ImageSaver::save(const GeneratedImage& image) {
  prepareFolder();
  // Written in full under a hidden name first, then given its real name without ever
  // replacing a file (another program may save into the same folder at the same time).
  struct Staging {
    fs::path path;
    ~Staging() {
      std::error_code ec;
      if (!path.empty()) fs::remove(path, ec);
    }
  } staging{folder_ / stagingName()};
  try {
    writePngWithParameters(staging.path, image.rgb, image.width, image.height, image.infotext);
  } catch (const CelerityError& e) {
    if (e.code() == ErrorCode::InvalidArgument) throw;  // a bad image, not a bad folder
    saveFailed(folder_, e.error().message);
  }
  try {
    for (int attempt = 0; attempt < kMaxNameAttempts; ++attempt) {
      const fs::path target = nextOutputPath(folder_, image.seed);
      // The name is made from two numbers; it must be a plain name inside the folder.
      if (target != folder_ / target.filename()) {
        throw CelerityError(ErrorCode::Internal, "output name outside the folder: " + target.string(),
                            folder_.string());
      }
      if (renameNoReplace(staging.path, target)) {
        staging.path.clear();
        return target;
      }
    }
  } catch (const fs::filesystem_error& e) {
    saveFailed(folder_, e.code().message());
  }
  saveFailed(folder_, "no free file name after " + std::to_string(kMaxNameAttempts) + " tries");
}

SaveOutcome saveImages(const fs::path& folder, const std::vector<GeneratedImage>& images,
                       const JobControl& control) {
  SaveOutcome outcome;
  outcome.paths.assign(images.size(), std::string());
  ImageSaver saver(folder);
  for (std::size_t i = 0; i < images.size(); ++i) {
    StageScope stage(control, stages::kSave);
    try {
      outcome.paths[i] = saver.save(images[i]).string();
    } catch (const CelerityError& e) {
      Error error = e.error();
      if (images.size() > 1) {
        error.message = "image " + std::to_string(i + 1) + " of " + std::to_string(images.size()) + ": " +
                        error.message;
      }
      outcome.error = std::move(error);
      break;
    }
  }
  return outcome;
}

}  // namespace celerity
