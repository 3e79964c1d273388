// The one duration grammar of observd and observd-demo: Prometheus durations
// ("250ms", "30s", "5m", "1h30m", "7d"; units largest first, each at most once; bare
// "0"). Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace observd {

using Millis = std::chrono::milliseconds;

// Returns the duration, or nullopt when `text` is not a Prometheus duration (signs,
// fractions, spaces, bare numbers other than "0", unknown or repeated units, overflow).
std::optional<Millis> ParseDuration(std::string_view text);

// Formats a duration the way ParseDuration reads it back ("1h30m", "30s", "250ms").
std::string FormatDuration(Millis d);

}  // namespace observd
