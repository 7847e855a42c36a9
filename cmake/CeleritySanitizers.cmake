# Sanitizer and fuzzing builds (docs/HARDENING.md).
#
#   -DCELERITY_SANITIZE=address,undefined   AddressSanitizer + UndefinedBehaviorSanitizer
#   -DCELERITY_SANITIZE=thread              ThreadSanitizer (not combinable with address)
#   -DCELERITY_FUZZ=ON                      libFuzzer targets in fuzz/ (clang only)
#
# Every target of the project gets the flags; LibTorch, Qt and the other Debian libraries
# are not instrumented (see scripts/sanitize.sh for the run-time options and suppressions).
set(CELERITY_SANITIZE "" CACHE STRING
    "Comma-separated sanitizers: address, undefined, thread, leak (empty: none)")
option(CELERITY_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)

if(CELERITY_SANITIZE)
  string(REPLACE "," ";" _celerity_sanitizers "${CELERITY_SANITIZE}")
  foreach(_s IN LISTS _celerity_sanitizers)
    if(NOT _s MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "CELERITY_SANITIZE: unknown sanitizer '${_s}' (address, undefined, thread, leak)")
    endif()
  endforeach()
  if("thread" IN_LIST _celerity_sanitizers AND "address" IN_LIST _celerity_sanitizers)
    message(FATAL_ERROR "CELERITY_SANITIZE: thread cannot be combined with address")
  endif()
  set(_celerity_flags "-fsanitize=${CELERITY_SANITIZE}" -fno-omit-frame-pointer)
  if("undefined" IN_LIST _celerity_sanitizers)
    # vptr checks need type information of every polymorphic class, and LibTorch's and Qt's
    # are compiled without it: each call into them would be a false report.
    list(APPEND _celerity_flags -fno-sanitize=vptr)
  endif()
  add_compile_options(${_celerity_flags})
  add_link_options(${_celerity_flags})
  message(STATUS "Celerity: sanitizers ${CELERITY_SANITIZE}")
endif()

if(CELERITY_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CELERITY_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  # Coverage instrumentation for every library the fuzz targets link; the targets add
  # -fsanitize=fuzzer themselves (libFuzzer's main).
  if(NOT CELERITY_SANITIZE)
    add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer)
    add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
