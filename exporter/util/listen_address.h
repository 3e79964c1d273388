// The one listen-address grammar (--web.listen-address, web.listen_address): "host:port"
// with an IPv4 host, "localhost" or an empty host (all interfaces). IPv6 is refused:
// Debian's CivetWeb 1.15 is built without it. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace observd {

struct ListenAddress {
  std::string host;  // normalised: "" -> "0.0.0.0", "localhost" -> "127.0.0.1".
  int port = 0;
  // "host:port" with the normalised host: CivetWeb's listening_ports form.
  std::string ToString() const;
};

// The address, or the problem (without the input).
Result<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace observd
