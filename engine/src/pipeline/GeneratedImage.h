#pragma once
// The result types are public (front ends receive them in events).
#include "celerity/GeneratedImage.h"
