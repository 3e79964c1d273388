// WebAuthConfig owns the exporter-toolkit web-config.yml: basic-auth users with
// bcrypt hashes and extra response headers. Parsing is pure; a tls_server_config
// section is refused (HTTPS is terminated by nginx, see packaging/nginx/).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace observd {

struct WebAuthConfig {
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct WebAuthResult {
  std::optional<WebAuthConfig> config;
  std::string error;  // "file:line:col: problem"
};

WebAuthResult ParseWebAuthConfig(const std::string& yaml_text, const std::string& source);
WebAuthResult LoadWebAuthConfig(const std::string& path);

}  // namespace observd
