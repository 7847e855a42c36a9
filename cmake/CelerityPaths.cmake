# Where the CLIP BPE vocabulary lives. It is never committed: the default points at the shared
# data folder beside the checkout; the environment variable CELERITY_CLIP_VOCAB or the app
# setting overrides it at run time.
set(_celerity_default_vocab "${PROJECT_SOURCE_DIR}/../shared/data/clip/bpe_simple_vocab_16e6.txt.gz")
get_filename_component(_celerity_default_vocab "${_celerity_default_vocab}" ABSOLUTE)
if(NOT EXISTS "${_celerity_default_vocab}")
  set(_celerity_default_vocab "")
endif()
set(CELERITY_CLIP_VOCAB "${_celerity_default_vocab}" CACHE FILEPATH
    "CLIP BPE vocabulary (bpe_simple_vocab_16e6.txt.gz, or a folder with vocab.json + merges.txt)")

# Reference vectors for the golden tests; CELERITY_GOLDEN_DIR in the environment wins.
get_filename_component(CELERITY_DEFAULT_GOLDEN_DIR "${PROJECT_SOURCE_DIR}/../shared/golden" ABSOLUTE)
