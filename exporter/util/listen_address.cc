#include "util/listen_address.h"

#include "util/host_port.h"

namespace observd {

std::string ListenAddress::ToString() const { return host + ":" + std::to_string(port); }

std::optional<ListenAddress> ParseListenAddress(std::string_view text, std::string* error) {
  if (text.starts_with('[') || text.find(':') != text.rfind(':')) {
    *error = "IPv6 is not supported (Debian's CivetWeb is built without it); use an IPv4 host";
    return std::nullopt;
  }
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    *error = "expected host:port, e.g. 127.0.0.1:9469";
    return std::nullopt;
  }
  long port = 0;
  if (!ParseBoundedInt(text.substr(colon + 1), 1, 65535, &port)) {
    *error = "port must be a number 1..65535";
    return std::nullopt;
  }
  const std::string_view host = text.substr(0, colon);
  if (!host.empty() && host != "localhost" && !IsIPv4Literal(host)) {
    *error = "host must be an IPv4 address, localhost or empty (all interfaces)";
    return std::nullopt;
  }
  ListenAddress a;
  a.host = host.empty() ? "0.0.0.0" : host == "localhost" ? "127.0.0.1" : std::string(host);
  a.port = static_cast<int>(port);
  return a;
}

}  // namespace observd
