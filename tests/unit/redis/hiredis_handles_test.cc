// Tests of redis/hiredis_handles.h: the AUTH rule every connection shares and the
// timeout conversion.
#include "redis/hiredis_handles.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(HiredisHandles, AuthWithAUserAPasswordOrNothing) {
  EXPECT_EQ(AuthCommand("app", "s3cret"), (Command{"AUTH", "app", "s3cret"}));
  EXPECT_EQ(AuthCommand("", "s3cret"), (Command{"AUTH", "s3cret"}));
  EXPECT_EQ(AuthCommand("", ""), std::nullopt);
  EXPECT_EQ(AuthCommand("app", ""), (Command{"AUTH", "app", ""}))
      << "an ACL user always sends AUTH";
}

TEST(HiredisHandles, TimevalSplitsMilliseconds) {
  const timeval tv = ToTimeval(std::chrono::milliseconds(2250));
  EXPECT_EQ(tv.tv_sec, 2);
  EXPECT_EQ(tv.tv_usec, 250000);
  EXPECT_EQ(ToTimeval(std::chrono::milliseconds(0)).tv_usec, 0);
}

}  // namespace
}  // namespace observd
