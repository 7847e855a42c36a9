#include "lora/LoraResolver.h"

#include <algorithm>
#include <cctype>

#include "celerity/Error.h"

namespace celerity {
namespace {

constexpr int kMaxDepth = 16;  // symlinked folders may loop

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

bool endsWithNoCase(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && lower(text.substr(text.size() - suffix.size())) == suffix;
}

// "..", absolute paths and drive letters could reach files outside the folders.
void checkName(const std::string& name) {
  const auto refuse = [&](const std::string& why) {
    throw CelerityError(ErrorCode::InvalidArgument, "LoRA name " + why, "<lora:" + name + ">");
  };
  if (name.empty()) refuse("is empty");
  if (name.find('\0') != std::string::npos) refuse("holds a NUL character");
  if (name.front() == '/' || name.front() == '\\') refuse("is an absolute path; name a file inside the LoRA folders");
  if (name.size() >= 2 && std::isalpha(static_cast<unsigned char>(name[0])) && name[1] == ':') {
    refuse("is an absolute path; name a file inside the LoRA folders");
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = name.find_first_of("/\\", start);
    const auto part = name.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part == "..") refuse("leaves the LoRA folders (\"..\")");
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

std::string withoutExtension(std::string name) {
  if (endsWithNoCase(name, ".safetensors")) name.resize(name.size() - std::string(".safetensors").size());
  std::replace(name.begin(), name.end(), '\\', '/');
  return name;
}

}  // namespace

LoraResolver::LoraResolver(std::vector<std::filesystem::path> folders) : folders_(std::move(folders)) {}

void LoraResolver::setFolders(std::vector<std::filesystem::path> folders) {
  folders_ = std::move(folders);
  scanned_ = false;
}

void LoraResolver::refresh() { scanned_ = false; }

void LoraResolver::scan() {
  entries_.clear();
  pickles_.clear();
  byName_.clear();
  byRelative_.clear();
  for (const auto& folder : folders_) {
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) continue;
    std::vector<LoraFileEntry> found;
    const auto options = std::filesystem::directory_options::follow_directory_symlink |
                         std::filesystem::directory_options::skip_permission_denied;
    std::filesystem::recursive_directory_iterator it(folder, options, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it.depth() >= kMaxDepth) it.disable_recursion_pending();
      std::error_code typeError;
      if (!it->is_regular_file(typeError)) continue;
      const auto file = it->path().filename().string();
      const bool safetensors = endsWithNoCase(file, ".safetensors");
      const bool pickle = endsWithNoCase(file, ".pt") || endsWithNoCase(file, ".ckpt") || endsWithNoCase(file, ".pth");
      if (!safetensors && !pickle) continue;
      LoraFileEntry entry;
      entry.path = it->path();
      entry.folder = folder;
      entry.name = it->path().stem().string();
      auto relative = it->path().lexically_relative(folder);
      relative.replace_extension();
      entry.relativeName = relative.generic_string();
      (safetensors ? found : pickles_).push_back(std::move(entry));
    }
    // Shallow files first, then by path: a stem found twice resolves the same way every time.
    std::sort(found.begin(), found.end(), [](const LoraFileEntry& a, const LoraFileEntry& b) {
      const auto da = std::count(a.relativeName.begin(), a.relativeName.end(), '/');
      const auto db = std::count(b.relativeName.begin(), b.relativeName.end(), '/');
      return da != db ? da < db : a.relativeName < b.relativeName;
    });
    for (auto& entry : found) {
      const auto index = entries_.size();
      byName_.emplace(entry.name, index);
      byRelative_.emplace(entry.relativeName, index);
      entries_.push_back(std::move(entry));
    }
  }
  scanned_ = true;
}

std::string LoraResolver::foldersText() const {
  if (folders_.empty()) return "no LoRA folder is configured";
  std::string text = "searched ";
  for (std::size_t i = 0; i < folders_.size(); ++i) text += (i ? ", " : "") + folders_[i].string();
  return text;
}

std::filesystem::path LoraResolver::resolve(const std::string& name) {
  checkName(name);
  const auto wanted = withoutExtension(name);
  const bool byPath = wanted.find('/') != std::string::npos;
  const auto lookup = [&]() -> const LoraFileEntry* {
    const auto& index = byPath ? byRelative_ : byName_;
    const auto it = index.find(wanted);
    std::error_code ec;
    if (it == index.end() || !std::filesystem::is_regular_file(entries_[it->second].path, ec)) return nullptr;
    return &entries_[it->second];
  };
  const bool fresh = !scanned_;
  if (fresh) scan();
  const auto* entry = lookup();
  if (entry == nullptr && !fresh) {  // a file added (or moved) since the last scan
    scan();
    entry = lookup();
  }
  if (entry != nullptr) return entry->path;
  for (const auto& pickle : pickles_) {
    if ((byPath ? pickle.relativeName : pickle.name) == wanted) {
      throw CelerityError(ErrorCode::UnsafeFormat,
                          "LoRA '" + name + "' is a pickle file, which can run code when loaded; use a .safetensors version",
                          pickle.path.string());
    }
  }
  throw CelerityError(ErrorCode::FileNotFound, "no LoRA named '" + name + "' (" + foldersText() + ")",
                      "<lora:" + name + ">");
}

std::vector<LoraFileEntry> LoraResolver::list() {
  scan();
  return entries_;
}

}  // namespace celerity
