// Tests of http/response.h's WriteResponse on kept connections: several requests on one
// connection through a real CivetWeb server, which replies say keep-alive or close, and
// when the server closes (HTTP/1.0, polled routes, keep-alive off).
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "support/loopback.h"
#include "support/write_response_fixture.h"

namespace observd::write_response_test {
namespace {

// Requests written one after another on one connection; the replies read back by
// Content-Length. Returns the raw text read and whether the server closed at the end.
std::pair<std::string, bool> Exchange(int port, const std::vector<std::string>& requests) {
  int fd = testing::ConnectLoopback(port);
  std::string all;
  bool closed = false;
  if (fd >= 0) {
    for (const auto& req : requests) {
      if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) break;
      std::string raw;
      char buf[4096];
      size_t need = std::string::npos;
      while (raw.size() < need) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0) {
          closed = n == 0;
          break;
        }
        raw.append(buf, static_cast<size_t>(n));
        size_t end = raw.find("\r\n\r\n");
        size_t cl = raw.find("Content-Length: ");
        if (end != std::string::npos && cl != std::string::npos && cl < end) {
          need = end + 4 + std::stoul(raw.substr(cl + 16));
        }
      }
      all += raw;
      if (closed) break;
    }
    if (!closed) {
      char c;
      closed = read(fd, &c, 1) == 0;  // a kept connection times out the read instead
    }
    close(fd);
  }
  return {all, closed};
}

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

class KeepAliveTest : public WriteResponseTest {
 protected:
  void SetUp() override { Start("yes"); }
};

TEST_F(KeepAliveTest, Http11KeepsTheConnectionAndSaysSo) {
  const std::string get = "GET /text HTTP/1.1\r\nHost: t\r\n\r\n";
  const std::string last = "GET /text HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
  auto [raw, closed] = Exchange(port_, {get, get, last});
  EXPECT_EQ(Count(raw, "HTTP/1.1 200 OK\r\n"), 3u) << raw;
  EXPECT_EQ(Count(raw, "\r\nConnection: keep-alive\r\n"), 2u) << raw;
  EXPECT_EQ(Count(raw, "\r\nConnection: close\r\n"), 1u) << raw;
  EXPECT_EQ(Count(raw, "\r\nDate: "), 3u) << raw;
  EXPECT_TRUE(closed) << "closed after the request that asked for it";
}

TEST_F(KeepAliveTest, Http10AndPolledRoutesClose) {
  auto [raw10, closed10] = Exchange(port_, {"GET /text HTTP/1.0\r\n\r\n"});
  EXPECT_NE(raw10.find("\r\nConnection: close\r\n"), std::string::npos) << raw10;
  EXPECT_TRUE(closed10);
  auto [ka10, kept10] = Exchange(port_, {"GET /text HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"});
  EXPECT_NE(ka10.find("\r\nConnection: keep-alive\r\n"), std::string::npos) << ka10;
  auto [polled, closed] = Exchange(port_, {"GET /close HTTP/1.1\r\nHost: t\r\n\r\n"});
  EXPECT_EQ(Count(polled, "\r\nConnection: "), 1u) << polled;
  EXPECT_NE(polled.find("\r\nConnection: close\r\n"), std::string::npos) << polled;
  EXPECT_TRUE(closed);
}

TEST_F(WriteResponseTest, WithoutServerKeepAliveEveryReplySaysClose) {
  auto [raw, closed] = Exchange(port_, {"GET /text HTTP/1.1\r\nHost: t\r\n\r\n"});
  EXPECT_NE(raw.find("\r\nConnection: close\r\n"), std::string::npos) << raw;
  EXPECT_TRUE(closed);
}

}  // namespace
}  // namespace observd::write_response_test
