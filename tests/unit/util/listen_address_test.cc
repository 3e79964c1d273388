// The one listen-address grammar (util/listen_address.h): accepted and refused forms.
#include "util/listen_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace observd {
namespace {

using ::testing::HasSubstr;

TEST(ListenAddressTest, AcceptsAndNormalises) {
  const std::pair<const char*, const char*> cases[] = {
      {"127.0.0.1:9469", "127.0.0.1:9469"}, {":9469", "0.0.0.0:9469"},
      {"localhost:80", "127.0.0.1:80"},     {"0.0.0.0:1", "0.0.0.0:1"},
      {"10.1.2.3:65535", "10.1.2.3:65535"},
  };
  for (const auto& [text, normal] : cases) {
    Result<ListenAddress> a = ParseListenAddress(text);
    ASSERT_TRUE(a.ok()) << text << ": " << a.error();
    EXPECT_EQ(a->ToString(), normal);
  }
  EXPECT_EQ(ParseListenAddress("10.1.2.3:8080")->port, 8080);
}

TEST(ListenAddressTest, Refuses) {
  const std::pair<const char*, const char*> cases[] = {
      {"9469", "expected host:port"},
      {"", "expected host:port"},
      {"example.com:80", "IPv4"},
      {"1.2.3.4:0", "port"},
      {"1.2.3.4:65536", "port"},
      {"1.2.3.4:-1", "port"},
      {"1.2.3.4: 80", "port"},
      {"localhost:", "port"},
      {"1.2.3.256:80", "IPv4"},
      {"1.2.3:80", "IPv4"},
      {"01.2.3.4:80", "IPv4"},
      {"[::1]:80", "IPv6 is not supported"},
      {"::1:80", "IPv6 is not supported"},
  };
  for (const auto& [text, problem] : cases) {
    Result<ListenAddress> a = ParseListenAddress(text);
    ASSERT_FALSE(a.ok()) << text;
    EXPECT_THAT(a.error(), HasSubstr(problem)) << text;
  }
}

}  // namespace
}  // namespace observd
