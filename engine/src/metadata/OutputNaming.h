#pragma once
// File names of generated images, A1111 style: "00042-1234567890.png" — a 5-digit sequence
// number (the next one free in the folder), a dash, the seed.

#include <filesystem>
#include <string>

namespace celerity {

// A1111 `images.get_next_sequence_number(path, "")`: one more than the largest number that
// starts a name in the folder (the part before the first '-' of the name without its
// extension, read with Python's int()); 0 for an empty or missing folder.
long long nextSequenceNumber(const std::filesystem::path& folder);

// "NNNNN-SEED.<extension>" for sequence number `number` (wider than 5 digits when needed).
std::string outputFileName(long long number, long long seed, const std::string& extension = "png");

// The path for the next image: starts at nextSequenceNumber and, as A1111 does, moves on
// while a file of that name exists (at most 500 tries).
std::filesystem::path nextOutputPath(const std::filesystem::path& folder, long long seed,
                                     const std::string& extension = "png");

}  // namespace celerity
