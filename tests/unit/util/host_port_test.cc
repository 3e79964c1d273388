// util/host_port.h: the host and port pieces shared by the address grammars.
#include "util/host_port.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace observd {
namespace {

using ::testing::HasSubstr;

TEST(HostPortTest, SplitsHostAndPort) {
  const struct {
    const char* text;
    const char* host;
    const char* port;
  } cases[] = {
      {"h:6379", "h", "6379"}, {"h", "h", ""},
      {":1", "", "1"},         {"", "", ""},
      {"[::1]:7", "::1", "7"}, {"[fe80::1]", "fe80::1", ""},
  };
  for (const auto& c : cases) {
    Result<HostPortText> r = SplitHostPort(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.error();
    EXPECT_EQ(r->host, c.host) << c.text;
    EXPECT_EQ(r->port, c.port) << c.text;
  }
}

TEST(HostPortTest, RefusesMalformedHosts) {
  const std::pair<const char*, const char*> cases[] = {
      {"[::1", "unclosed"},
      {"[zz]:1", "invalid IPv6 host"},
      {"[::1]x", "expected ':port'"},
      {"::1:6379", "must be in brackets"},
  };
  for (const auto& [text, problem] : cases) {
    Result<HostPortText> r = SplitHostPort(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_THAT(r.error(), HasSubstr(problem)) << text;
  }
}

TEST(HostPortTest, JoinsAndChecksPieces) {
  EXPECT_EQ(JoinHostPort("h", 1), "h:1");
  EXPECT_EQ(JoinHostPort("::1", 2), "[::1]:2");
  EXPECT_EQ(ParseBoundedInt("65535", 1, 65535), 65535);
  EXPECT_EQ(ParseBoundedInt("0", 1, 65535), std::nullopt);
  EXPECT_EQ(ParseBoundedInt("-1", 0, 9), std::nullopt);
  EXPECT_TRUE(IsIPv4Literal("10.0.0.1"));
  EXPECT_FALSE(IsIPv4Literal("10.0.0.01"));
  EXPECT_TRUE(IsHostName("redis-1.local"));
  EXPECT_FALSE(IsHostName("-x"));
}

}  // namespace
}  // namespace observd
