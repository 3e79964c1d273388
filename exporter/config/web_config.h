// WebAuthConfig owns the exporter-toolkit web-config.yml: basic-auth users with
// bcrypt hashes and extra response headers. Parsing is pure; a tls_server_config
// section is refused (HTTPS is terminated by nginx, see packaging/nginx/).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/result.h"

namespace observd {

struct WebAuthConfig {
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Parses web-config YAML; `source` names the file in errors ("file:line:col: problem").
// Unknown keys, hashes that
// are not bcrypt, user names with ':', headers observd owns (Content-Type, Content-Length,
// Content-Encoding, Transfer-Encoding, Connection, Keep-Alive, Upgrade, Trailer,
// Set-Cookie) or with CR/LF, and tls_server_config are errors. Other headers, e.g.
// Content-Security-Policy, override observd's own value for that header.
Result<WebAuthConfig> ParseWebAuthConfig(const std::string& yaml_text, const std::string& source);

// Reads (at most kMaxConfigFileBytes) and parses `path`; an empty path (no web config)
// yields an empty config.
Result<WebAuthConfig> LoadWebAuthConfig(const std::string& path);

}  // namespace observd
