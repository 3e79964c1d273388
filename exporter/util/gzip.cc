#include "util/gzip.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

namespace observd {
namespace {

struct DeflateEnd {
  void operator()(z_stream* z) const {
    deflateEnd(z);
    delete z;
  }
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

// The weight of one Accept-Encoding item from its parameters ("q=0.5;x=y" -> 0.5);
// 1 without a q parameter, 0 for an unreadable one.
double Weight(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = params.substr(0, semi);
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos || !EqualsIgnoreCase(Trim(param.substr(0, eq)), "q")) continue;
    std::string value(Trim(param.substr(eq + 1)));
    return std::strtod(value.c_str(), nullptr);
  }
  return 1;
}

}  // namespace

std::string GzipCompress(std::string_view in, int level) {
  std::unique_ptr<z_stream, DeflateEnd> z(new z_stream{});
  if (deflateInit2(z.get(), level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    delete z.release();  // not initialised: only the struct to free.
    return "";
  }
  std::string out;
  out.resize(deflateBound(z.get(), in.size()) + 32);
  z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z->avail_in = static_cast<uInt>(in.size());
  z->next_out = reinterpret_cast<Bytef*>(out.data());
  z->avail_out = static_cast<uInt>(out.size());
  if (deflate(z.get(), Z_FINISH) != Z_STREAM_END) return "";
  out.resize(z->total_out);
  return out;
}

bool AcceptsGzip(const char* header) {
  if (!header) return false;
  // RFC 9110 12.5.3: "*" stands only for codings the field does not name, so an
  // explicit "gzip;q=0" refuses gzip whatever the wildcard says.
  std::optional<double> gzip, star;
  std::string_view s(header);
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view item = s.substr(0, comma);
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    double q = Weight(semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1));
    if (EqualsIgnoreCase(coding, "gzip")) {
      gzip = q;
    } else if (coding == "*") {
      star = q;
    }
  }
  if (gzip) return *gzip > 0;
  return star && *star > 0;
}

}  // namespace observd
