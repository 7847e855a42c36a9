# Third-party packages. Everything comes from Debian packages (scripts/setup.sh) or, on the
# GPU machine, from the Python wheel's LibTorch plus header-only spdlog/fmt.

# The GPU machine has no -dev packages: scripts/fetch-device-deps.sh unpacks the few the engine
# needs into a folder that travels with the tree; -DCELERITY_DEPS_PREFIX=third_party/device/usr
# searches it first (spdlog then header-only, PCRE2 without pkg-config).
set(CELERITY_DEPS_PREFIX "" CACHE PATH
    "Prefix of the dependencies unpacked by scripts/fetch-device-deps.sh (third_party/device/usr)")
if(CELERITY_DEPS_PREFIX)
  get_filename_component(_celerity_deps "${CELERITY_DEPS_PREFIX}" ABSOLUTE BASE_DIR "${PROJECT_SOURCE_DIR}")
  if(NOT EXISTS "${_celerity_deps}/include/spdlog/spdlog.h")
    message(FATAL_ERROR "CELERITY_DEPS_PREFIX=${_celerity_deps} has no include/spdlog: run scripts/fetch-device-deps.sh")
  endif()
  message(STATUS "Dependencies from ${_celerity_deps} first")
  list(PREPEND CMAKE_PREFIX_PATH "${_celerity_deps}")
  # Before LibTorch's include folders, which may hold another fmt.
  include_directories(BEFORE SYSTEM "${_celerity_deps}/include")
endif()

find_package(Torch REQUIRED)
# A CUDA LibTorch (PyTorch's wheel) defines torch_cuda; Debian's CPU LibTorch does not. Only
# then are the CUDA-only translation units (engine/src/**/cuda/*.cpp) compiled, with
# CELERITY_WITH_CUDA=1; scripts/cuda-syntax-check.sh checks them on machines without CUDA.
if(TARGET torch_cuda OR TARGET c10_cuda)
  set(CELERITY_TORCH_HAS_CUDA ON)
else()
  set(CELERITY_TORCH_HAS_CUDA OFF)
endif()
message(STATUS "LibTorch ${Torch_VERSION}: CUDA ${CELERITY_TORCH_HAS_CUDA}")
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(PNG REQUIRED)
find_package(ICU QUIET COMPONENTS uc)  # optional: NFC normalisation of prompts

# spdlog: the compiled library where present, header-only otherwise (GPU machine).
if(NOT CELERITY_DEPS_PREFIX)
  find_package(spdlog QUIET)
endif()
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
if(PkgConfig_FOUND AND NOT CELERITY_DEPS_PREFIX)
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
