# Third-party packages. Everything comes from Debian packages (scripts/setup.sh) or, on the
# GPU machine, from the Python wheel's LibTorch plus header-only spdlog/fmt.
find_package(Torch REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(PNG REQUIRED)
find_package(ICU QUIET COMPONENTS uc)  # optional: NFC normalisation of prompts

# spdlog: the compiled library where present, header-only otherwise (GPU machine).
find_package(spdlog QUIET)
if(NOT spdlog_FOUND)
  find_path(CELERITY_SPDLOG_INCLUDE spdlog/spdlog.h REQUIRED)
  add_library(celerity_spdlog_header_only INTERFACE)
  target_include_directories(celerity_spdlog_header_only SYSTEM INTERFACE "${CELERITY_SPDLOG_INCLUDE}")
  target_compile_definitions(celerity_spdlog_header_only INTERFACE
    SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY)
  add_library(spdlog::spdlog ALIAS celerity_spdlog_header_only)
endif()

# PCRE2 (8-bit, UTF) for CLIP's Unicode-aware pre-tokenisation pattern.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PCRE2 QUIET IMPORTED_TARGET libpcre2-8)
endif()
if(TARGET PkgConfig::PCRE2)
  add_library(celerity_pcre2 ALIAS PkgConfig::PCRE2)
else()
  find_path(CELERITY_PCRE2_INCLUDE pcre2.h REQUIRED)
  find_library(CELERITY_PCRE2_LIBRARY NAMES pcre2-8 REQUIRED)
  add_library(celerity_pcre2 INTERFACE)
  target_include_directories(celerity_pcre2 INTERFACE "${CELERITY_PCRE2_INCLUDE}")
  target_link_libraries(celerity_pcre2 INTERFACE "${CELERITY_PCRE2_LIBRARY}")
endif()

if(CELERITY_WITH_OPENCV)
  find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs objdetect)
endif()

if(CELERITY_BUILD_GUI OR CELERITY_BUILD_TESTS)
  find_package(Qt6 REQUIRED COMPONENTS Core Gui Widgets Test)
endif()
