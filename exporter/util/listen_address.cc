#include "util/listen_address.h"

#include "util/host_port.h"

namespace observd {

std::string ListenAddress::ToString() const { return host + ":" + std::to_string(port); }

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  if (text.starts_with('[') || text.find(':') != text.rfind(':')) {
    return Fail("IPv6 is not supported (Debian's CivetWeb is built without it); use an IPv4 host");
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return Fail("expected host:port, e.g. 127.0.0.1:9469");
  const std::optional<long> port = ParseBoundedInt(text.substr(colon + 1), 1, 65535);
  if (!port) return Fail("port must be a number 1..65535");
  const std::string_view host = text.substr(0, colon);
  if (!host.empty() && host != "localhost" && !IsIPv4Literal(host)) {
    return Fail("host must be an IPv4 address, localhost or empty (all interfaces)");
  }
  ListenAddress a;
  a.host = host.empty() ? "0.0.0.0" : host == "localhost" ? "127.0.0.1" : std::string(host);
  a.port = static_cast<int>(*port);
  return a;
}

}  // namespace observd
