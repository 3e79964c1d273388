#include "http/query.h"

#include <charconv>

namespace observd {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

// Not CivetWeb's mg_url_decode: it copies a malformed escape ("%zz", a trailing "%")
// through as text and fails only when the output buffer is short; a bad query must be a 400.
std::optional<std::string> UrlDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  if (q.size() > 4096) return std::nullopt;
  size_t pos = 0;
  while (pos <= q.size() && !q.empty()) {
    size_t end = q.find('&', pos);
    if (end == std::string_view::npos) end = q.size();
    std::string_view item = q.substr(pos, end - pos);
    if (!item.empty()) {
      size_t eq = item.find('=');
      auto k = UrlDecode(item.substr(0, eq));
      auto v = UrlDecode(eq == std::string_view::npos ? "" : item.substr(eq + 1));
      if (!k || !v) return std::nullopt;
      out.emplace_back(std::move(*k), std::move(*v));
    }
    pos = end + 1;
    if (end == q.size()) break;
  }
  return out;
}

std::optional<std::string> FindParam(const std::vector<std::pair<std::string, std::string>>& params,
                                     const std::string& name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::optional<int> ParseLimit(const char* query, const std::string& name, int def, int max) {
  if (!query) return def;
  auto params = ParseQuery(query);
  if (!params) return std::nullopt;
  std::optional<int> found;
  for (const auto& [k, v] : *params) {
    if (k != name) continue;
    if (found) return std::nullopt;
    int n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n < 1 || n > max) return std::nullopt;
    found = n;
  }
  return found.value_or(def);
}

}  // namespace observd
