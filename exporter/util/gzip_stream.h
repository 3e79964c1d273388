// GzipStream compresses one long-lived response (an SSE stream) as a single gzip member:
// each Write() returns the bytes to send for that piece, flushed (Z_SYNC_FLUSH) so the
// browser can decode every event as soon as it arrives, while the dictionary carries
// over between events. Not thread-safe: one per connection.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct z_stream_s;

namespace observd {

class GzipStream {
 public:
  explicit GzipStream(int level = 6);
  ~GzipStream();
  GzipStream(const GzipStream&) = delete;
  GzipStream& operator=(const GzipStream&) = delete;

  bool ok() const { return z_ != nullptr; }
  // Compressed, flushed bytes for `in` ("" if zlib failed; then ok() is false).
  std::string Write(std::string_view in);
  // The end of the gzip member (trailer); the stream is unusable afterwards.
  std::string Finish();

 private:
  std::string Deflate(std::string_view in, int flush);
  z_stream_s* z_ = nullptr;
};

}  // namespace observd
