# Use ccache when it is installed; the torch headers make every cache hit count.
find_program(CELERITY_CCACHE ccache)
if(CELERITY_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  # Precompiled headers are cacheable only with this sloppiness; it must be in the compile
  # command's environment (a configure-time ENV would be gone at build time). Base dir: build
  # folders under the source tree share cache entries.
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CMAKE_COMMAND}" -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      "CCACHE_BASEDIR=${PROJECT_SOURCE_DIR}" "${CELERITY_CCACHE}")
endif()
