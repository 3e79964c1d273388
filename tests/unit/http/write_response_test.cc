// Tests of http/response.h's WriteResponse through a real CivetWeb server on a loopback
// port (read back with a raw socket): every response shape, streams included, carries
// every header of ResponseHeaders; bodies, lengths, gzip and chunking are as announced.
// Connection reuse: response_keep_alive_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "http/response.h"
#include "support/write_response_fixture.h"

namespace observd::write_response_test {
namespace {

TEST_F(WriteResponseTest, EveryShapeCarriesTheSecurityHeaders) {
  for (const char* path :
       {"/text", "/missing", "/html", "/small-html", "/not-modified", "/static", "/stream"}) {
    for (const char* method : {"GET", "HEAD"}) {
      for (bool gzip : {false, true}) {
        std::string what = std::string(method) + " " + path + (gzip ? " gzip" : "");
        Reply r = Fetch(method, path, gzip);
        ASSERT_NE(r.status, 0) << what << ": no parseable response";
        EXPECT_EQ(r.status, ResponseFor(path).status) << what;
        ExpectSecurityHeaders(r, what);
      }
    }
  }
}

TEST_F(WriteResponseTest, BodiesAndLengthsMatch) {
  Reply text = Fetch("GET", "/text", true);
  EXPECT_EQ(text.body, "hello\n");
  EXPECT_EQ(text.Header("content-length"), "6");
  EXPECT_EQ(text.Header("content-encoding"), "") << "plain text is not compressible";
  Reply head = Fetch("HEAD", "/text", false);
  EXPECT_EQ(head.Header("content-length"), "6");
  EXPECT_EQ(head.body, "") << "HEAD has no body";
  Reply nm = Fetch("GET", "/not-modified", false);
  EXPECT_EQ(nm.body, "");
  EXPECT_EQ(nm.Header("etag"), "\"e1\"");
}

TEST_F(WriteResponseTest, GzipOnlyWhenAcceptedAndWorthIt) {
  Reply plain = Fetch("GET", "/html", false);
  EXPECT_EQ(plain.body, std::string(4096, 'h'));
  EXPECT_EQ(plain.Header("vary"), "Accept-Encoding");
  EXPECT_EQ(plain.Header("cache-control"), "no-store");
  Reply gz = Fetch("GET", "/html", true);
  EXPECT_EQ(gz.Header("content-encoding"), "gzip");
  EXPECT_EQ(gz.Header("content-length"), std::to_string(gz.body.size()));
  EXPECT_LT(gz.body.size(), 4096u);
  EXPECT_EQ(Fetch("GET", "/small-html", true).Header("content-encoding"), "")
      << "bodies under 1 KiB are sent as they are";
  Reply css = Fetch("GET", "/static", true);
  EXPECT_EQ(css.Header("content-encoding"), "gzip");
  EXPECT_EQ(css.body, ResponseFor("/static").gzip_bytes()) << "the precompressed bytes";
  EXPECT_EQ(Fetch("GET", "/static", false).body, std::string(3000, 'c'));
  Reply fixed = Fetch("GET", "/fixed", true);
  EXPECT_EQ(fixed.Header("content-encoding"), "gzip");
  EXPECT_EQ(fixed.body, ResponseFor("/fixed").gzip_bytes());
  EXPECT_EQ(Fetch("GET", "/fixed", false).body, std::string(2000, 'f'));
}

TEST_F(WriteResponseTest, ErrorRepliesCarryEveryHeaderAndClose) {
  Reply r = Parse(ErrorReply(400, kExtra));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, "Bad Request\n");
  EXPECT_EQ(r.Header("content-length"), std::to_string(r.body.size()));
  EXPECT_EQ(r.Header("connection"), "close");
  EXPECT_NE(r.Header("date"), "");
  ExpectSecurityHeaders(r, "error reply");
}

TEST_F(WriteResponseTest, LargeBodiesFollowTheHeadWhole) {
  Reply big = Fetch("GET", "/big", false);
  EXPECT_EQ(big.status, 200);
  EXPECT_TRUE(big.body == std::string(99999, 'b') + "\n") << big.body.size() << " bytes";
  EXPECT_EQ(big.Header("content-length"), "100000");
}

TEST_F(WriteResponseTest, StreamsAreChunked) {
  Reply r = Fetch("GET", "/stream", true);
  EXPECT_EQ(r.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.Header("content-length"), "");
  EXPECT_EQ(r.Header("content-encoding"), "");
  EXPECT_EQ(r.body, "9\r\ndata: x\n\n\r\n0\r\n\r\n");
}

}  // namespace
}  // namespace observd::write_response_test
