// The small grammar pieces of HTTP field values (RFC 9110 5.6) that Accept,
// Accept-Encoding, Connection and If-None-Match share (comma-separated lists, optional
// whitespace, case-insensitive tokens), and the plain comma split under them. Pure;
// thread-safe.
#pragma once

#include <string_view>

namespace observd {

// `s` without leading and trailing spaces and tabs.
std::string_view TrimOws(std::string_view s);

// ASCII case-insensitive equality (token comparison).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Calls visit(element) for each comma-separated element of `list` in order, exactly as
// written (untrimmed, empty ones included), until it returns false; false when one did.
// The one comma splitter: AnyListElement and the Redis sentinel list build on it.
template <typename Visit>
bool EveryCommaElement(std::string_view list, Visit&& visit) {
  while (true) {
    const size_t comma = list.find(',');
    if (!visit(list.substr(0, comma))) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

// Calls visit(element) for each element of the list `field`, whitespace trimmed and
// empty elements skipped (RFC 9110 5.6.1), until it returns true; true when one did.
template <typename Visit>
bool AnyListElement(std::string_view field, Visit&& visit) {
  return !EveryCommaElement(field, [&](std::string_view element) {
    element = TrimOws(element);
    return element.empty() || !visit(element);
  });
}

}  // namespace observd
