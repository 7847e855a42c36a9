#include "pipeline/HiresFix.h"

namespace celerity {

int hiresSide(int side, double scale) { return static_cast<int>(side * scale) / 8 * 8; }

}  // namespace celerity
