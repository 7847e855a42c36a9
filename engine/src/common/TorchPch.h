#pragma once
// Precompiled header of the engine: the LibTorch headers every model and test needs.
// Kept narrow on purpose (no optim, data, jit, serialize).
#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/functional.h>
#include <c10/core/InferenceMode.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>
