#include "model/minutes.h"

#include <cmath>

namespace observd {

int64_t FirstMinute(double now) {
  return static_cast<int64_t>(std::floor(now / 60)) - (kMinutes - 1);
}

}  // namespace observd
