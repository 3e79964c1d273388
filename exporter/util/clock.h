// Clock readings shared by every layer: wall-clock unix seconds (what the site and the
// snapshot show) and a monotonic reading (what deadlines and liveness use). Pure;
// thread-safe.
#pragma once

namespace observd {

// Seconds since the Unix epoch, from the system clock.
double UnixNow();

// Seconds on the monotonic clock (arbitrary origin); for intervals only.
double SteadySeconds();

}  // namespace observd
