#pragma once
// A1111's emphasis step (modules/sd_emphasis.py), applied to one chunk's encoder output
// after the text model: "Original" multiplies every token's vector by its multiplier and
// restores the mean of the whole [B, 77, C] chunk; "No norm" only multiplies; "Ignore" and
// "None" leave the output unchanged.
#include <string>

#include <ATen/ATen.h>

#include "conditioning/ConditioningTypes.h"

namespace celerity {

// The option strings of A1111's settings and infotext ("Original", "No norm", "Ignore",
// "None"). An unknown name is an InvalidArgument error naming the option.
EmphasisMode emphasisModeFromName(const std::string& name);
const char* emphasisModeName(EmphasisMode mode);

// z [B, T, C], multipliers [B, T] float32 (A1111 converts its Python doubles this way).
// The product follows torch's type promotion, as A1111's does.
at::Tensor applyEmphasis(const at::Tensor& z, const at::Tensor& multipliers, EmphasisMode mode);

}  // namespace celerity
