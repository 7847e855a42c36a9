# Where the CLIP BPE vocabulary lives. It is never committed and never compiled in: the
# programs look for it at run time (engine/src/text/ClipVocabularyLocation.h). For the build
# tree, the build folder's share/celerity/clip (the program data folder of every executable
# built here) links to this file, by default the shared data folder beside the checkout; the
# environment variable CELERITY_CLIP_VOCAB or the app setting overrides it at run time.
set(_celerity_default_vocab "${PROJECT_SOURCE_DIR}/../shared/data/clip/bpe_simple_vocab_16e6.txt.gz")
get_filename_component(_celerity_default_vocab "${_celerity_default_vocab}" ABSOLUTE)
if(NOT EXISTS "${_celerity_default_vocab}")
  set(_celerity_default_vocab "")
endif()
set(CELERITY_CLIP_VOCAB "${_celerity_default_vocab}" CACHE FILEPATH
    "CLIP BPE vocabulary for the build tree (bpe_simple_vocab_16e6.txt.gz, or a folder with vocab.json + merges.txt)")

# The build tree mirrors the installed data folder (<prefix>/share/celerity).
set(CELERITY_BUILD_DATA_DIR "${PROJECT_BINARY_DIR}/share/celerity")
file(MAKE_DIRECTORY "${CELERITY_BUILD_DATA_DIR}/clip")
file(GLOB _celerity_old_links "${CELERITY_BUILD_DATA_DIR}/clip/*")
if(_celerity_old_links)
  file(REMOVE ${_celerity_old_links})
endif()
if(CELERITY_CLIP_VOCAB AND IS_DIRECTORY "${CELERITY_CLIP_VOCAB}")
  foreach(_name vocab.json merges.txt)
    file(CREATE_LINK "${CELERITY_CLIP_VOCAB}/${_name}" "${CELERITY_BUILD_DATA_DIR}/clip/${_name}" SYMBOLIC)
  endforeach()
elseif(CELERITY_CLIP_VOCAB AND EXISTS "${CELERITY_CLIP_VOCAB}")
  file(CREATE_LINK "${CELERITY_CLIP_VOCAB}" "${CELERITY_BUILD_DATA_DIR}/clip/bpe_simple_vocab_16e6.txt.gz" SYMBOLIC)
endif()

# Reference vectors for the golden tests; CELERITY_GOLDEN_DIR in the environment wins.
get_filename_component(CELERITY_DEFAULT_GOLDEN_DIR "${PROJECT_SOURCE_DIR}/../shared/golden" ABSOLUTE)
