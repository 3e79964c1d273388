// Tests of http/web_server.h's pure part: the listen address as CivetWeb spells it.
#include "http/web_server.h"

#include <gtest/gtest.h>

namespace observd {
namespace {

TEST(ListenSpec, Forms) {
  EXPECT_EQ(CivetListenSpec("127.0.0.1:9469"), "127.0.0.1:9469");
  EXPECT_EQ(CivetListenSpec("localhost:80"), "127.0.0.1:80");
  EXPECT_EQ(CivetListenSpec(":9469"), "0.0.0.0:9469");
}

}  // namespace
}  // namespace observd
