#pragma once
// Writes a job's images into its output folder. Each PNG is written atomically (a temporary
// file in the folder, complete and flushed before it gets a name), under the next free A1111
// name ("00042-1234.png"), never over an existing file, never outside the folder. A failure —
// a read-only folder, a full disk, a file where the folder should be — is reported, not
// thrown: the job keeps every image in memory (JobOutput, the studio's gallery) and ends in
// an error that names the folder and says what to do. Nothing is ever lost silently.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "celerity/Error.h"
#include "celerity/GeneratedImage.h"

namespace celerity {

struct JobControl;

struct SaveOutcome {
  std::vector<std::string> paths;  // parallel to the images; "" for those not saved
  std::optional<Error> error;      // the first failure (later images were not tried)
};

class ImageSaver {
 public:
  explicit ImageSaver(std::filesystem::path folder);

  // Saves one image as the next free "NNNNN-SEED.png" and returns its path. Throws
  // CelerityError(FileUnreadable) naming the folder when it cannot be made or written.
  std::filesystem::path save(const GeneratedImage& image);

  const std::filesystem::path& folder() const { return folder_; }

 private:
  void prepareFolder();

  std::filesystem::path folder_;
  bool prepared_ = false;
};

// Saves every image, one `save` profiler stage each; never throws for I/O (see SaveOutcome).
SaveOutcome saveImages(const std::filesystem::path& folder, const std::vector<GeneratedImage>& images,
                       const JobControl& control);

// Moves `from` to `to` only when `to` does not exist (atomically where the file system can:
// renameat2 RENAME_NOREPLACE, else a hard link). False when `to` exists; throws
// std::filesystem::filesystem_error for other failures.
bool renameNoReplace(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace celerity
