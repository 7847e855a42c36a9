#include "metadata/PngTextChunks.h"

#include <png.h>

#include <array>
#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <system_error>

#ifndef _WIN32
#include <unistd.h>
#endif

#include "celerity/Error.h"
#include "metadata/PythonFormat.h"

namespace celerity {

namespace fs = std::filesystem;

namespace {

// libpng reports errors by longjmp: the functions that call it keep no C++ objects with
// destructors in their frames, and hand results back through these plain structs.
struct PngCall {
  png_structp png = nullptr;
  png_infop info = nullptr;
  png_infop endInfo = nullptr;
  png_bytep row = nullptr;
  char message[256] = {};
};

void onPngError(png_structp png, png_const_charp message) {
  auto* call = static_cast<PngCall*>(png_get_error_ptr(png));
  std::snprintf(call->message, sizeof call->message, "%s", message);
  png_longjmp(png, 1);
}

void onPngWarning(png_structp, png_const_charp) {}

bool writeRaw(std::FILE* file, const std::uint8_t* rgb, png_uint_32 width, png_uint_32 height,
              png_text* texts, int textCount, PngCall* call) {
  if (setjmp(png_jmpbuf(call->png))) return false;
  png_init_io(call->png, file);
  png_set_IHDR(call->png, call->info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (textCount > 0) png_set_text(call->png, call->info, texts, textCount);
  png_write_info(call->png, call->info);  // IHDR, then the text chunks, before IDAT
  const std::size_t stride = static_cast<std::size_t>(width) * 3;
  for (png_uint_32 y = 0; y < height; ++y) {
    png_write_row(call->png, rgb + y * stride);
  }
  png_write_end(call->png, nullptr);
  return true;
}

bool readRaw(std::FILE* file, PngCall* call) {
  if (setjmp(png_jmpbuf(call->png))) return false;
  // A chunk's length is read before its data: a 2 GB claim in a tiny file must not allocate
  // 2 GB. Generation parameters are a few kilobytes.
  png_set_chunk_malloc_max(call->png, png_alloc_size_t{64} << 20);
  png_init_io(call->png, file);
  png_read_info(call->png, call->info);
  // Text may follow IDAT: read through the image data, one row at a time.
  const int passes = png_set_interlace_handling(call->png);
  png_read_update_info(call->png, call->info);
  // Reaching text after IDAT means decoding every row the header declares, and libpng goes on
  // past missing data: a hostile file of a few hundred bytes could declare a billion rows.
  // Beyond this much image data only the text before IDAT is read (where A1111 writes it).
  constexpr std::uint64_t kMaxDecodedBytes = std::uint64_t{256} << 20;
  constexpr std::uint64_t kMaxDecodedRows = std::uint64_t{1} << 17;  // 16k rows, interlaced
  const std::uint64_t rows = std::uint64_t{png_get_image_height(call->png, call->info)} *
                             static_cast<std::uint64_t>(passes);
  if (rows > kMaxDecodedRows ||
      rows * png_get_rowbytes(call->png, call->info) > kMaxDecodedBytes) {
    return true;
  }
  call->row =
      static_cast<png_bytep>(png_malloc(call->png, png_get_rowbytes(call->png, call->info)));
  const png_uint_32 height = png_get_image_height(call->png, call->info);
  for (int pass = 0; pass < passes; ++pass) {
    for (png_uint_32 y = 0; y < height; ++y) png_read_row(call->png, call->row, nullptr);
  }
  png_read_end(call->png, call->endInfo);
  return true;
}

std::string latin1ToUtf8(const char* bytes, std::size_t length) {
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    pyfmt::appendUtf8(out, static_cast<unsigned char>(bytes[i]));
  }
  return out;
}

std::optional<std::string> utf8ToLatin1(const std::string& utf8) {
  std::string out;
  for (char32_t cp : pyfmt::decodeUtf8(utf8)) {
    if (cp > 0xFF) return std::nullopt;
    out += static_cast<char>(cp);
  }
  return out;
}

// A new file beside `target`, opened for exclusive writing.
std::FILE* createTemporary(const fs::path& target, fs::path& temporary) {
  std::random_device device;
  std::mt19937_64 random(device());
  for (int attempt = 0; attempt < 100; ++attempt) {
    char suffix[24];
    std::snprintf(suffix, sizeof suffix, ".%016llx.tmp", static_cast<unsigned long long>(random()));
    temporary = target.parent_path() / ("." + target.filename().string() + suffix);
    if (std::FILE* file = std::fopen(temporary.string().c_str(), "wbx")) return file;
    if (errno != EEXIST) return nullptr;
  }
  return nullptr;
}

}  // namespace

bool isLatin1Encodable(const std::string& utf8) {
  for (char32_t cp : pyfmt::decodeUtf8(utf8)) {
    if (cp > 0xFF) return false;  // also the bytes of invalid UTF-8 (U+DC80..U+DCFF)
  }
  return true;
}

void writePngWithText(const fs::path& path, const std::vector<std::uint8_t>& rgb, int width,
                      int height, const std::vector<std::pair<std::string, std::string>>& texts) {
  const std::string where = path.string();
  if (width <= 0 || height <= 0 ||
      rgb.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 3) {
    throw CelerityError(ErrorCode::InvalidArgument,
                        "RGB image of " + std::to_string(width) + "x" + std::to_string(height) +
                            " needs " +
                            std::to_string(std::size_t(width > 0 ? width : 0) *
                                           std::size_t(height > 0 ? height : 0) * 3) +
                            " bytes, got " + std::to_string(rgb.size()),
                        where);
  }
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    throw CelerityError(ErrorCode::FileNotFound, "output folder does not exist: " + folder.string(),
                        where);
  }

  // Keep the converted strings alive while libpng holds pointers into them.
  struct Text {
    std::string keyword;
    std::string text;
    bool latin1 = false;
  };
  std::vector<Text> converted;
  for (const auto& [keyword, text] : texts) {
    if (text.empty()) continue;
    auto latin1Keyword = utf8ToLatin1(keyword);
    if (!latin1Keyword || latin1Keyword->empty() || latin1Keyword->size() > 79) {
      throw CelerityError(ErrorCode::InvalidArgument,
                          "PNG text keyword must be 1-79 latin-1 characters: " + keyword, where);
    }
    auto latin1Text = utf8ToLatin1(text);
    converted.push_back({*latin1Keyword, latin1Text ? *latin1Text : text, latin1Text.has_value()});
  }
  static char kEmpty[] = "";
  std::vector<png_text> pngTexts(converted.size());
  for (std::size_t i = 0; i < converted.size(); ++i) {
    png_text& t = pngTexts[i];
    std::memset(&t, 0, sizeof t);
    t.key = converted[i].keyword.data();
    t.text = converted[i].text.data();
    if (converted[i].latin1) {
      t.compression = PNG_TEXT_COMPRESSION_NONE;
      t.text_length = std::strlen(t.text);
    } else {
      t.compression = PNG_ITXT_COMPRESSION_NONE;
      t.itxt_length = std::strlen(t.text);
      t.lang = kEmpty;
      t.lang_key = kEmpty;
    }
  }

  fs::path temporary;
  std::FILE* file = createTemporary(path, temporary);
  if (!file) {
    throw CelerityError(
        ErrorCode::Internal,
        std::string("cannot create a file in the output folder: ") + std::strerror(errno), where);
  }
  PngCall call;
  call.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &call, onPngError, onPngWarning);
  if (call.png) call.info = png_create_info_struct(call.png);
  bool ok =
      call.png && call.info &&
      writeRaw(file, rgb.data(), static_cast<png_uint_32>(width), static_cast<png_uint_32>(height),
               pngTexts.data(), static_cast<int>(pngTexts.size()), &call);
  png_destroy_write_struct(call.png ? &call.png : nullptr, call.info ? &call.info : nullptr);
  std::string failure = ok ? std::string() : std::string("PNG encoding failed: ") + call.message;
  if (ok && (std::fflush(file) != 0 || std::ferror(file))) {
    ok = false;
    failure = std::string("write failed: ") + std::strerror(errno);
  }
#ifndef _WIN32
  if (ok && ::fsync(fileno(file)) != 0) {
    ok = false;
    failure = std::string("write failed: ") + std::strerror(errno);
  }
#endif
  if (std::fclose(file) != 0 && ok) {
    ok = false;
    failure = std::string("write failed: ") + std::strerror(errno);
  }
  if (ok) {
    // fopen created the file with the usual 0666 & ~umask mode.
    fs::rename(temporary, path, ec);
    if (ec) {
      ok = false;
      failure = "cannot rename the temporary file into place: " + ec.message();
    }
  }
  if (!ok) {
    fs::remove(temporary, ec);
    throw CelerityError(ErrorCode::Internal, failure, where);
  }
}

void writePngWithParameters(const fs::path& path, const std::vector<std::uint8_t>& rgb, int width,
                            int height, const std::string& parametersText) {
  writePngWithText(path, rgb, width, height, {{"parameters", parametersText}});
}

std::map<std::string, std::string> readPngTextChunks(const fs::path& path) {
  const std::string where = path.string();
  std::FILE* file = std::fopen(where.c_str(), "rb");
  if (!file) {
    throw CelerityError(ErrorCode::FileNotFound,
                        std::string("cannot open PNG file: ") + std::strerror(errno), where);
  }
  std::array<unsigned char, 8> signature{};
  const bool isPng =
      std::fread(signature.data(), 1, 8, file) == 8 && png_sig_cmp(signature.data(), 0, 8) == 0;
  std::rewind(file);
  if (!isPng) {
    std::fclose(file);
    throw CelerityError(ErrorCode::MalformedFile, "not a PNG file (bad signature)", where);
  }
  // libpng allocates what a chunk's length claims before reading it: every chunk must fit in
  // the file first (a 2 GB iTXt claim in a 600-byte file was found by fuzz_png_text).
  try {
    listPngChunks(path);
  } catch (...) {
    std::fclose(file);
    throw;
  }

  PngCall call;
  call.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &call, onPngError, onPngWarning);
  if (call.png) call.info = png_create_info_struct(call.png);
  if (call.info) call.endInfo = png_create_info_struct(call.png);
  const bool ok = call.png && call.info && call.endInfo && readRaw(file, &call);
  std::fclose(file);

  std::map<std::string, std::string> texts;
  if (ok) {
    for (png_infop info : {call.info, call.endInfo}) {
      png_textp chunks = nullptr;
      const int count = png_get_text(call.png, info, &chunks, nullptr);
      for (int i = 0; i < count; ++i) {
        const png_text& t = chunks[i];
        const std::string keyword = latin1ToUtf8(t.key, std::strlen(t.key));
        const bool international = t.compression == PNG_ITXT_COMPRESSION_NONE ||
                                   t.compression == PNG_ITXT_COMPRESSION_zTXt;
        texts[keyword] = international ? std::string(t.text, t.itxt_length)
                                       : latin1ToUtf8(t.text, t.text_length);
      }
    }
  }
  if (call.row) png_free(call.png, call.row);
  const std::string message = call.message;
  png_destroy_read_struct(call.png ? &call.png : nullptr, call.info ? &call.info : nullptr,
                          call.endInfo ? &call.endInfo : nullptr);
  if (!ok) throw CelerityError(ErrorCode::MalformedFile, "cannot read PNG: " + message, where);
  return texts;
}

std::optional<std::string> readPngParameters(const fs::path& path) {
  const auto texts = readPngTextChunks(path);
  const auto it = texts.find("parameters");
  if (it == texts.end()) return std::nullopt;
  return it->second;
}

std::vector<PngChunkInfo> listPngChunks(const fs::path& path) {
  const std::string where = path.string();
  std::error_code ec;
  const auto fileSize = fs::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) throw CelerityError(ErrorCode::FileNotFound, "cannot open PNG file", where);
  char signature[8];
  static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (!in.read(signature, 8) || std::memcmp(signature, kSignature, 8) != 0) {
    throw CelerityError(ErrorCode::MalformedFile, "not a PNG file (bad signature)", where);
  }
  std::vector<PngChunkInfo> chunks;
  unsigned char header[8];
  while (in.read(reinterpret_cast<char*>(header), 8)) {
    PngChunkInfo chunk;
    chunk.length = (std::uint32_t(header[0]) << 24) | (std::uint32_t(header[1]) << 16) |
                   (std::uint32_t(header[2]) << 8) | std::uint32_t(header[3]);
    chunk.type.assign(reinterpret_cast<const char*>(header + 4), 4);
    std::uint32_t consumed = 0;
    if (chunk.type == "tEXt" || chunk.type == "zTXt" || chunk.type == "iTXt") {
      char c = 0;
      while (consumed < chunk.length && consumed < 80 && in.get(c) && c != '\0') {
        chunk.keyword += c;
        ++consumed;
      }
      if (consumed < chunk.length && c == '\0') ++consumed;
    }
    in.seekg(static_cast<std::streamoff>(chunk.length - consumed) + 4, std::ios::cur);
    if (!in || static_cast<std::uintmax_t>(in.tellg()) > fileSize) {
      throw CelerityError(ErrorCode::MalformedFile, "truncated chunk " + chunk.type, where);
    }
    chunks.push_back(chunk);
    if (chunk.type == "IEND") return chunks;
  }
  throw CelerityError(ErrorCode::MalformedFile, "truncated PNG file (no IEND chunk)", where);
}

}  // namespace celerity
