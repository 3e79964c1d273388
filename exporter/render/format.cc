#include "render/format.h"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

#include "util/clock.h"

namespace observd {

std::string HumanSize(std::optional<int64_t> bytes) {
  if (!bytes || *bytes < 0) return kUnknown;
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(*bytes);
  int unit = 0;
  while (v >= 1024 && unit < 6) {
    v /= 1024;
    ++unit;
  }
  if (unit == 0) return fmt::format("{} B", *bytes);
  return fmt::format("{:.1f} {}", v, kUnits[unit]);
}

std::string HumanAge(std::optional<double> t, double now) {
  if (!t || !std::isfinite(*t)) return kUnknown;
  double d = now - *t;
  if (!(std::fabs(d) < 1e12)) return kUnknown;  // garbage times; keeps the casts defined
  if (d < -60) return "in the future";
  if (d < 10) return "just now";
  if (d < 60) return fmt::format("{} s ago", static_cast<int64_t>(d));
  if (d < 3600) return fmt::format("{} min ago", static_cast<int64_t>(d / 60));
  if (d < 86400) return fmt::format("{} h ago", static_cast<int64_t>(d / 3600));
  return fmt::format("{} d ago", static_cast<int64_t>(d / 86400));
}

std::string FormatCount(std::optional<int64_t> n) {
  if (!n) return kUnknown;
  std::string digits = std::to_string(*n < 0 ? -static_cast<uint64_t>(*n) : *n);
  std::string out = *n < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string HumanDuration(std::optional<double> seconds) {
  if (!seconds || !(*seconds >= 0 && *seconds < 1e12)) return kUnknown;
  auto s = static_cast<int64_t>(*seconds);
  if (s < 60) return fmt::format("{} s", s);
  int64_t m = s / 60;
  if (m < 60) return fmt::format("{} min", m);
  int64_t h = m / 60;
  if (h < 24) return fmt::format("{} h {} min", h, m % 60);
  return fmt::format("{} d {} h", h / 24, h % 24);
}

std::string FormatFixed(std::optional<double> v, int decimals) {
  if (!v || !std::isfinite(*v)) return kUnknown;
  return fmt::format("{:.{}f}", *v, decimals);
}

std::string ClockTimeUtc(double unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%H:%M:%S UTC", &tm);
  return buf;
}

std::string IsoTimeUtc(std::optional<double> unix_seconds) {
  if (!unix_seconds || !IsUnixTime(*unix_seconds)) {
    return "";
  }
  std::time_t t = static_cast<std::time_t>(*unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace observd
