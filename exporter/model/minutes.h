// The per-minute window of the charts: the application's series (AppSnapshot) and
// observd's own request counts (History) both cover the kMinutes minutes that end
// with the current one. Constants and a pure function; thread-safe.
#pragma once

#include <cstdint>

namespace observd {

inline constexpr int kMinutes = 60;

// The unix minute (seconds / 60) of the oldest of the kMinutes buckets that end with
// the minute of `now` (unix seconds).
int64_t FirstMinute(double now);

}  // namespace observd
