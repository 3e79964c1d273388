// exporter-toolkit web-config.yml: the subset observd supports (basic auth, extra
// headers) and a clear refusal of the TLS section.
#include "config/web_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iterator>

#include "config/config.h"
#include "config/yaml_reader.h"
#include "util/field_list.h"
#include "util/file.h"

namespace observd {

namespace {

// $2a$/$2b$/$2y$, two-digit cost 04..31, 22 salt + 31 hash chars of bcrypt's base64.
bool LooksLikeBcrypt(const std::string& h) {
  if (h.size() != 60 || h[0] != '$' || h[1] != '2' || h[3] != '$' || h[6] != '$') return false;
  if (h[2] != 'a' && h[2] != 'b' && h[2] != 'y') return false;
  if (!isdigit(static_cast<unsigned char>(h[4])) || !isdigit(static_cast<unsigned char>(h[5]))) {
    return false;
  }
  const int cost = (h[4] - '0') * 10 + (h[5] - '0');
  if (cost < 4 || cost > 31) return false;
  return h.find_first_not_of("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
                             7) == std::string::npos;
}

// RFC 9110 token characters.
bool IsToken(const std::string& s) {
  return !s.empty() && s.find_first_not_of(
                           "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "abcdefghijklmnopqrstuvwxyz") == std::string::npos;
}

bool HasControlChars(const std::string& s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7f) return true;
  }
  return false;
}

// Headers that frame the response or carry state: observd sets them itself.
bool IsOwnedHeader(const std::string& name) {
  static constexpr const char* kOwned[] = {
      "content-type", "content-length", "content-encoding", "transfer-encoding", "connection",
      "keep-alive",   "upgrade",        "trailer",          "set-cookie"};
  return std::any_of(std::begin(kOwned), std::end(kOwned),
                     [&](const char* owned) { return EqualsIgnoreCase(name, owned); });
}

// Whether one of the first `count` headers has `name` (header names ignore case).
bool NamedBefore(const WebAuthConfig& config, size_t count, const std::string& name) {
  return std::any_of(config.headers.begin(), config.headers.begin() + count,
                     [&](const auto& header) { return EqualsIgnoreCase(header.first, name); });
}

void ReadWebConfig(YamlReader& r, const YAML::Node& root, WebAuthConfig* out) {
  if (root.IsMap()) {
    for (const auto& kv : root) {
      if (kv.first.IsScalar() && kv.first.Scalar() == "tls_server_config") {
        return r.Fail(kv.first.Mark(),
                      "tls_server_config is not supported: observd's HTTP server cannot do TLS "
                      "safely; terminate HTTPS in nginx (see "
                      "/usr/share/doc/observd/examples/nginx-observd.conf)");
      }
    }
  }
  if (!r.CheckMap(root, "", {"basic_auth_users", "http_server_config"})) return;

  r.StringMap(root, "", "basic_auth_users", &out->basic_auth_users);
  for (const auto& [user, hash] : out->basic_auth_users) {
    if (!r.ok()) return;
    const YAML::Mark mark = *r.MarkOf("basic_auth_users." + user);
    if (user.empty() || user.find(':') != std::string::npos || HasControlChars(user)) {
      return r.Fail(mark, "basic_auth_users: invalid user name " + r.Quote(user) +
                              " (must be non-empty, without ':' or control characters)");
    }
    if (!LooksLikeBcrypt(hash)) {
      return r.Fail(mark, "basic_auth_users." + user +
                              ": not a bcrypt hash ($2y$, $2b$ or $2a$, cost 04-31); "
                              "generate one with: htpasswd -nBC 10 \"\" | tr -d ':\\n'");
    }
  }

  YAML::Node server = r.Field(root, "", "http_server_config");
  // http2 is accepted for compatibility with exporter-toolkit files and ignored.
  if (!r.CheckMap(server, "http_server_config", {"headers", "http2"})) return;
  r.StringMap(server, "http_server_config", "headers", nullptr, &out->headers);
  for (size_t i = 0; i < out->headers.size() && r.ok(); ++i) {
    const auto& [name, value] = out->headers[i];
    const YAML::Mark mark = *r.MarkOf("http_server_config.headers." + name);
    const std::string where = "http_server_config.headers: ";
    if (!IsToken(name)) return r.Fail(mark, where + "invalid header name " + r.Quote(name));
    if (HasControlChars(value)) {
      return r.Fail(mark, where + "header " + r.Quote(name) +
                              " has a control character (CR or LF) in its value");
    }
    if (IsOwnedHeader(name)) {
      return r.Fail(mark, where + "header " + r.Quote(name) + " is set by observd itself");
    }
    if (NamedBefore(*out, i, name)) {
      return r.Fail(mark, where + "duplicate header " + r.Quote(name));
    }
  }
}

}  // namespace

Result<WebAuthConfig> ParseWebAuthConfig(const std::string& yaml_text, const std::string& source) {
  YamlReader reader(source);
  WebAuthConfig config;
  try {
    ReadWebConfig(reader, YAML::Load(yaml_text), &config);
  } catch (const YAML::Exception& e) {
    reader.Fail(e.mark, e.msg);
  } catch (const std::exception& e) {
    reader.Fail(YAML::Mark::null_mark(), e.what());
  }
  if (!reader.ok()) return Fail(reader.error());
  return config;
}

Result<WebAuthConfig> LoadWebAuthConfig(const std::string& path) {
  if (path.empty()) return WebAuthConfig{};
  Result<std::string> text = ReadFile(path, kMaxConfigFileBytes);
  if (!text.ok()) return Fail(path + ": cannot read: " + text.error());
  return ParseWebAuthConfig(*text, path);
}

}  // namespace observd
