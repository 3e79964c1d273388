// Tests of util/gzip.h: Accept-Encoding negotiation and a gzip stream that zlib
// inflates back to the input.
#include "util/gzip.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace observd {
namespace {

TEST(Gzip, NegotiationAndRoundTrip) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip(nullptr));
  EXPECT_FALSE(AcceptsGzip("xgzip"));
  std::string text(10000, 'a');
  std::string gz = GzipCompress(text);
  ASSERT_FALSE(gz.empty());
  EXPECT_LT(gz.size(), text.size() / 10);
  std::string back(text.size(), '\0');
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  z.next_in = reinterpret_cast<Bytef*>(gz.data());
  z.avail_in = gz.size();
  z.next_out = reinterpret_cast<Bytef*>(back.data());
  z.avail_out = back.size();
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  inflateEnd(&z);
  EXPECT_EQ(back, text);
}

TEST(Gzip, AnExplicitRefusalWinsOverTheWildcard) {
  // RFC 9110 12.5.3: "*" matches only codings not listed in the field.
  EXPECT_FALSE(AcceptsGzip("gzip;q=0, *"));
  EXPECT_FALSE(AcceptsGzip("*, gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("*;q=0, identity"));
  EXPECT_TRUE(AcceptsGzip("*;q=0, gzip"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=0.001, *;q=0"));
}

TEST(Gzip, CodingsAndParametersAreCaseInsensitive) {
  EXPECT_TRUE(AcceptsGzip("GZIP"));
  EXPECT_TRUE(AcceptsGzip("br, Gzip;q=0.8"));
  EXPECT_FALSE(AcceptsGzip("gzip;Q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip ; q=0.000"));
}

TEST(Gzip, OnlyTheQParameterIsAWeight) {
  EXPECT_TRUE(AcceptsGzip("gzip;level=q=0"));
  EXPECT_TRUE(AcceptsGzip("gzip;q=1"));
  EXPECT_TRUE(AcceptsGzip(" gzip ,deflate"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip(",,,"));
}

TEST(Gzip, EmptyInputIsAValidStream) {
  std::string gz = GzipCompress("");
  ASSERT_GE(gz.size(), 18u) << "header and trailer";
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
}

}  // namespace
}  // namespace observd
