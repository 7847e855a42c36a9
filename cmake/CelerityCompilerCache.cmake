# Use ccache when it is installed; the torch headers make every cache hit count.
find_program(CELERITY_CCACHE ccache)
if(CELERITY_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CELERITY_CCACHE}")
  # Precompiled headers need these to be cacheable.
  set(ENV{CCACHE_SLOPPINESS} "pch_defines,time_macros,include_file_mtime,include_file_ctime")
endif()
