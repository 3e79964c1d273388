// The one listen-address grammar (--web.listen-address, web.listen_address): "host:port"
// with an IPv4 host, "localhost" or an empty host (all interfaces). IPv6 is refused:
// Debian's CivetWeb 1.15 is built without it. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace observd {

struct ListenAddress {
  std::string host;  // normalised: "" -> "0.0.0.0", "localhost" -> "127.0.0.1".
  int port = 0;
  // "host:port" with the normalised host: CivetWeb's listening_ports form.
  std::string ToString() const;
};

// Returns the address, or nullopt with `*error` set to the problem (without the input).
std::optional<ListenAddress> ParseListenAddress(std::string_view text, std::string* error);

}  // namespace observd
