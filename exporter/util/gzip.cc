#include "util/gzip.h"

#include <zlib.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>

namespace observd {
namespace {

struct DeflateEnd {
  void operator()(z_stream* z) const {
    deflateEnd(z);
    delete z;
  }
};

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
  std::string_view s(header);
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view item = s.substr(pos, end - pos);
    pos = end + 1;
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
      item.remove_prefix(1);
    std::string_view coding = item.substr(0, item.find(';'));
    while (!coding.empty() && std::isspace(static_cast<unsigned char>(coding.back())))
      coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") continue;
    auto q = item.find("q=");
    if (q != std::string_view::npos) {
      std::string qv(item.substr(q + 2));
      if (std::strtod(qv.c_str(), nullptr) <= 0) continue;  // q=0: explicitly refused
    }
    return true;
  }
  return false;
}

}  // namespace observd
