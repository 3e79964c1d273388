// Clock readings shared by every layer: wall-clock unix seconds (what the site and the
// snapshot show) and a monotonic reading (what deadlines and liveness use). Pure;
// thread-safe.
#pragma once

namespace observd {

// The last second observd reads or writes as a time: 9999-12-31T23:59:59Z.
inline constexpr double kMaxUnixSeconds = 253402300799.0;

// True when `t` is a time observd can hold and print: 0 <= t <= kMaxUnixSeconds
// (NaN and infinities are not). Anything else from Redis or the shared key is garbage.
constexpr bool IsUnixTime(double t) { return t >= 0 && t <= kMaxUnixSeconds; }

// Seconds since the Unix epoch, from the system clock.
double UnixNow();

// Seconds on the monotonic clock (arbitrary origin); for intervals only.
double SteadySeconds();

}  // namespace observd
