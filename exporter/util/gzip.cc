#include "util/gzip.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "util/field_list.h"

namespace observd {
namespace {

struct DeflateEnd {
  void operator()(z_stream* z) const {
    deflateEnd(z);
    delete z;
  }
};

// The weight of one Accept-Encoding item from its parameters ("q=0.5;x=y" -> 0.5);
// 1 without a q parameter, 0 for an unreadable one.
double Weight(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = params.substr(0, semi);
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos || !EqualsIgnoreCase(TrimOws(param.substr(0, eq)), "q"))
      continue;
    std::string value(TrimOws(param.substr(eq + 1)));
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
  AnyListElement(header, [&](std::string_view item) {
    size_t semi = item.find(';');
    std::string_view coding = TrimOws(item.substr(0, semi));
    double q = Weight(semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1));
    if (EqualsIgnoreCase(coding, "gzip")) {
      gzip = q;
    } else if (coding == "*") {
      star = q;
    }
    return false;  // every element: the last gzip or * wins
  });
  if (gzip) return *gzip > 0;
  return star && *star > 0;
}

}  // namespace observd
