#include "util/duration.h"

#include <cstdint>
#include <iterator>

namespace observd {
namespace {

struct DurationUnit {
  const char* suffix;
  int64_t millis;
};
// Largest first; ParseDuration requires this order, like Prometheus.
constexpr DurationUnit kUnits[] = {{"y", 365LL * 24 * 3600 * 1000},
                                   {"w", 7LL * 24 * 3600 * 1000},
                                   {"d", 24LL * 3600 * 1000},
                                   {"h", 3600LL * 1000},
                                   {"m", 60LL * 1000},
                                   {"s", 1000},
                                   {"ms", 1}};

}  // namespace

std::optional<Millis> ParseDuration(std::string_view s) {
  if (s == "0") return Millis(0);
  if (s.empty()) return std::nullopt;
  int64_t total = 0;
  size_t next_unit = 0;  // units must appear largest first, each at most once.
  while (!s.empty()) {
    size_t digits = 0;
    int64_t n = 0;
    for (; digits < s.size() && s[digits] >= '0' && s[digits] <= '9'; ++digits) {
      if (digits >= 12) return std::nullopt;
      n = n * 10 + (s[digits] - '0');
    }
    if (digits == 0) return std::nullopt;
    s.remove_prefix(digits);
    const std::string_view suffix = s.starts_with("ms") ? s.substr(0, 2) : s.substr(0, 1);
    size_t unit = next_unit;
    while (unit < std::size(kUnits) && suffix != kUnits[unit].suffix) ++unit;
    if (unit == std::size(kUnits)) return std::nullopt;
    s.remove_prefix(suffix.size());
    int64_t part = 0;
    if (__builtin_mul_overflow(n, kUnits[unit].millis, &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return std::nullopt;
    }
    next_unit = unit + 1;
  }
  return Millis(total);
}

std::string FormatDuration(Millis d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";  // (built with += to dodge a GCC 12 -Wrestrict false positive)
    ms = -ms;
  }
  for (const DurationUnit& unit : kUnits) {
    // Years and weeks only when whole: 30 days is "30d", not "4w2d".
    const bool coarse = unit.millis > 24LL * 3600 * 1000;
    if (ms >= unit.millis && (!coarse || ms % unit.millis == 0)) {
      out += std::to_string(ms / unit.millis) + unit.suffix;
      ms %= unit.millis;
    }
  }
  return out;
}

}  // namespace observd
