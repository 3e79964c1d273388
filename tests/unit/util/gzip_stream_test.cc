// GzipStream: every flushed piece decodes on arrival, and the stream is smaller than
// compressing each event alone (the dictionary carries over).
#include "util/gzip_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

#include "util/gzip.h"

namespace observd {
namespace {

// Inflates everything available so far, as a browser does with a partial response.
class Inflater {
 public:
  Inflater() { inflateInit2(&z_, 15 + 16); }
  ~Inflater() { inflateEnd(&z_); }
  std::string Feed(const std::string& in) {
    std::string out;
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    char buf[4096];
    do {
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = sizeof(buf);
      int rc = inflate(&z_, Z_SYNC_FLUSH);
      EXPECT_TRUE(rc == Z_OK || rc == Z_BUF_ERROR) << rc;
      out.append(buf, sizeof(buf) - z_.avail_out);
    } while (z_.avail_out == 0);
    return out;
  }

 private:
  z_stream z_{};
};

TEST(GzipStream, EachEventDecodesOnArrivalAndRepeatsAreCheap) {
  GzipStream gz;
  ASSERT_TRUE(gz.ok());
  Inflater in;
  std::string event = "event: stats\ndata: <div class=\"card\">1,234</div>\n\n";
  for (int i = 0; i < 100; ++i)
    event += "data: <li class=\"card\">value " + std::to_string(i) + "</li>\n";
  size_t streamed = 0;
  for (int i = 0; i < 10; ++i) {
    std::string piece = gz.Write(event);
    streamed += piece.size();
    EXPECT_EQ(in.Feed(piece), event) << "event " << i << " decodes without waiting for more";
  }
  EXPECT_LT(streamed, 10 * GzipCompress(event).size() / 2);
}

}  // namespace
}  // namespace observd
