// Host and port pieces shared by the address grammars (listen address, Redis address):
// IPv4 literals, DNS names, bracketed IPv6 literals and port numbers. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace observd {

// Decimal digits only (no sign, no spaces), value in [min, max]; nullopt otherwise.
std::optional<long> ParseBoundedInt(std::string_view s, long min, long max);

// Dotted quad without leading zeros ("10.0.0.1").
bool IsIPv4Literal(std::string_view s);

// A DNS name made of letters, digits, '.' and '-', not starting with '-' or '.'.
bool IsHostName(std::string_view s);

// The text between the brackets of "[::1]": hex digits, ':' and '.', with a ':'.
bool IsIPv6Literal(std::string_view s);

// "host:port", with IPv6 hosts in brackets ("[::1]:6379").
std::string JoinHostPort(const std::string& host, int port);

// The two pieces of "host:port" before they are checked: the host with brackets removed
// and the port text ("" when absent).
struct HostPortText {
  std::string host;
  std::string port;
};

// Splits "host:port", "[v6]:port", "host" or "[v6]"; fails on unbalanced brackets, a bad
// IPv6 literal or an unbracketed IPv6 host.
Result<HostPortText> SplitHostPort(std::string_view text);

}  // namespace observd
