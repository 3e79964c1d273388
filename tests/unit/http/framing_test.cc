#include "http/framing.h"

#include <civetweb.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace observd {
namespace {

WireRequest Req(std::vector<WireHeader> headers, std::string_view version = "1.1") {
  WireRequest r;
  r.http_version = version;
  r.headers = std::move(headers);
  return r;
}

TEST(CheckFraming, AcceptsAnOrdinaryRequest) {
  EXPECT_TRUE(CheckFraming(Req({{"Host", "x"}, {"Accept", "*/*"}})).ok());
  EXPECT_TRUE(CheckFraming(Req({{"Host", "x"}, {"Content-Length", "0"}})).ok());
  EXPECT_TRUE(CheckFraming(Req({}, "1.0")).ok());  // HTTP/1.0 needs no Host
}

TEST(CheckFraming, RefusesEverySmugglingShape) {
  struct Case {
    const char* label;
    WireRequest request;
  };
  WireRequest folded = Req({{"Host", "x"}});
  folded.unparsed_line = true;
  const Case cases[] = {
      {"CL + TE", Req({{"Host", "x"}, {"Content-Length", "4"}, {"Transfer-Encoding", "chunked"}})},
      {"TE alone", Req({{"Host", "x"}, {"transfer-encoding", "chunked"}})},
      {"two CL", Req({{"Host", "x"}, {"Content-Length", "4"}, {"Content-Length", "5"}})},
      {"same CL twice", Req({{"Host", "x"}, {"Content-Length", "4"}, {"content-length", "4"}})},
      {"CL not digits", Req({{"Host", "x"}, {"Content-Length", "+4"}})},
      {"CL list", Req({{"Host", "x"}, {"Content-Length", "4, 4"}})},
      {"CL empty", Req({{"Host", "x"}, {"Content-Length", ""}})},
      {"space before colon", Req({{"Host", "x"}, {"Content-Length", "0", true}})},
      {"obs-fold", folded},
      {"bad name", Req({{"Host", "x"}, {"X(y)", "1"}})},
      {"no Host", Req({{"Accept", "*/*"}})},
      {"two Host", Req({{"Host", "x"}, {"Host", "y"}})},
  };
  for (const Case& c : cases) {
    Result<> r = CheckFraming(c.request);
    EXPECT_FALSE(r.ok()) << c.label;
  }
}

// Lays out one header block the way CivetWeb 1.15's parse_http_headers leaves it:
// NULs over the colon and over spaces before it, and over the line end; each block starts
// with the version ("1.1", where http_version points) and the NULs over the start-line's end.
struct ParsedBlock {
  std::string buf;
  mg_request_info info{};
};

TEST(ReadWireRequest, SeesSpacesBeforeTheColon) {
  // "A : 1\r\nB: 2\r\n\r\n" after parsing.
  ParsedBlock p;
  p.buf =
      std::string("1.1\0\0A\0\0 1\0\0B\0 2\0\0\r\0", sizeof("1.1\0\0A\0\0 1\0\0B\0 2\0\0\r\0") - 1);
  p.info.http_version = p.buf.data();
  p.info.num_headers = 2;
  p.info.http_headers[0] = {p.buf.data() + 5, p.buf.data() + 9};
  p.info.http_headers[1] = {p.buf.data() + 12, p.buf.data() + 15};
  WireRequest w = ReadWireRequest(p.info);
  ASSERT_EQ(w.headers.size(), 2u);
  EXPECT_TRUE(w.headers[0].space_before_colon);
  EXPECT_FALSE(w.headers[1].space_before_colon);
  EXPECT_FALSE(w.unparsed_line);
}

TEST(ReadWireRequest, SeesAFoldedLineAfterTheLastHeader) {
  // "A: 1\r\n folded\r\n\r\n": the parser stops at the folded line.
  ParsedBlock p;
  p.buf =
      std::string("1.1\0\0A\0 1\0\0 folded\r\n\r\0", sizeof("1.1\0\0A\0 1\0\0 folded\r\n\r\0") - 1);
  p.info.http_version = p.buf.data();
  p.info.num_headers = 1;
  p.info.http_headers[0] = {p.buf.data() + 5, p.buf.data() + 8};
  EXPECT_TRUE(ReadWireRequest(p.info).unparsed_line);
}

TEST(ReadWireRequest, SeesWhitespaceBeforeTheFirstHeader) {
  // "GET / HTTP/1.1\r\n Host: x\r\n\r\n": the parser writes a NUL over the line end and
  // the space alike (three NULs after the version) and reads "Host".
  ParsedBlock p;
  p.buf = std::string("1.1\0\0\0Host\0 x\0\0\r\0", sizeof("1.1\0\0\0Host\0 x\0\0\r\0") - 1);
  p.info.http_version = p.buf.data();
  p.info.num_headers = 1;
  p.info.http_headers[0] = {p.buf.data() + 6, p.buf.data() + 12};
  WireRequest w = ReadWireRequest(p.info);
  EXPECT_TRUE(w.unparsed_line);
  EXPECT_FALSE(CheckFraming(w).ok());
}

TEST(ReadWireRequest, EmptyValueIsNotASpaceBeforeTheColon) {
  // "A:\r\n\r\n"
  ParsedBlock p;
  p.buf = std::string("1.1\0\0A\0\0\0\r\0", sizeof("1.1\0\0A\0\0\0\r\0") - 1);
  p.info.http_version = p.buf.data();
  p.info.num_headers = 1;
  p.info.http_headers[0] = {p.buf.data() + 5, p.buf.data() + 7};
  WireRequest w = ReadWireRequest(p.info);
  ASSERT_EQ(w.headers.size(), 1u);
  EXPECT_FALSE(w.headers[0].space_before_colon);
  EXPECT_FALSE(w.unparsed_line);
}

}  // namespace
}  // namespace observd
