#include "util/host_port.h"

namespace observd {

std::optional<long> ParseBoundedInt(std::string_view s, long min, long max) {
  if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  long v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  if (v < min || v > max) return std::nullopt;
  return v;
}

bool IsIPv4Literal(std::string_view s) {
  int parts = 0;
  while (true) {
    const size_t dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    if (part.size() > 3 || (part.size() > 1 && part[0] == '0') || !ParseBoundedInt(part, 0, 255)) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return parts == 4;
}

bool IsHostName(std::string_view s) {
  return !s.empty() && s.size() <= 253 && s.front() != '-' && s.front() != '.' &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
             std::string_view::npos;
}

bool IsIPv6Literal(std::string_view s) {
  return s.size() >= 2 && s.size() <= 45 && s.find(':') != std::string_view::npos &&
         s.find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
}

std::string JoinHostPort(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<HostPortText> SplitHostPort(std::string_view text) {
  if (text.starts_with('[')) {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return Fail("unclosed '[' in an IPv6 host");
    const std::string_view v6 = text.substr(1, close - 1);
    if (!IsIPv6Literal(v6)) return Fail("invalid IPv6 host");
    const std::string_view after = text.substr(close + 1);
    if (!after.empty() && after[0] != ':') return Fail("expected ':port' after ']'");
    return HostPortText{std::string(v6), after.empty() ? "" : std::string(after.substr(1))};
  }
  const size_t colon = text.find(':');
  if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
    return Fail("an IPv6 host must be in brackets, e.g. [::1]:6379");
  }
  return HostPortText{std::string(text.substr(0, colon)),
                      colon == std::string_view::npos ? "" : std::string(text.substr(colon + 1))};
}

}  // namespace observd
