#include "util/gzip_stream.h"

#include <zlib.h>

namespace observd {

GzipStream::GzipStream(int level) {
  z_ = new z_stream{};
  if (deflateInit2(z_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    delete z_;
    z_ = nullptr;
  }
}

GzipStream::~GzipStream() {
  if (z_) {
    deflateEnd(z_);
    delete z_;
  }
}

std::string GzipStream::Write(std::string_view in) { return Deflate(in, Z_SYNC_FLUSH); }

std::string GzipStream::Finish() {
  std::string out = Deflate("", Z_FINISH);
  if (z_) {
    deflateEnd(z_);
    delete z_;
    z_ = nullptr;
  }
  return out;
}

std::string GzipStream::Deflate(std::string_view in, int flush) {
  if (!z_) return "";
  std::string out;
  z_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z_->avail_in = static_cast<uInt>(in.size());
  char buf[16384];
  do {
    z_->next_out = reinterpret_cast<Bytef*>(buf);
    z_->avail_out = sizeof(buf);
    if (deflate(z_, flush) == Z_STREAM_ERROR) {
      deflateEnd(z_);
      delete z_;
      z_ = nullptr;
      return "";
    }
    out.append(buf, sizeof(buf) - z_->avail_out);
  } while (z_->avail_out == 0);
  return out;
}

}  // namespace observd
