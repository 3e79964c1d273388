// The small grammar pieces of HTTP field values (RFC 9110 5.6) that Accept,
// Accept-Encoding, Connection and If-None-Match share: comma-separated lists, optional
// whitespace, case-insensitive tokens. Pure; thread-safe.
#pragma once

#include <string_view>

namespace observd {

// `s` without leading and trailing spaces and tabs.
std::string_view TrimOws(std::string_view s);

// ASCII case-insensitive equality (token comparison).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Calls visit(element) for each element of the list `field`, whitespace trimmed and
// empty elements skipped (RFC 9110 5.6.1), until it returns true; true when one did.
template <typename Visit>
bool AnyListElement(std::string_view field, Visit&& visit) {
  while (true) {
    const size_t comma = field.find(',');
    const std::string_view element = TrimOws(field.substr(0, comma));
    if (!element.empty() && visit(element)) return true;
    if (comma == std::string_view::npos) return false;
    field.remove_prefix(comma + 1);
  }
}

}  // namespace observd
