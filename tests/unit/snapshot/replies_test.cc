// Tests of snapshot/replies.h: the refusal rule and the number parser.
#include "snapshot/replies.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace observd {
namespace {

ReplyPtr Error(const char* text) {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_ERROR;
  r->len = std::strlen(text);
  r->str = static_cast<char*>(malloc(r->len + 1));
  std::memcpy(r->str, text, r->len + 1);
  return ReplyPtr(r);
}

TEST(Replies, WrongTypeIsDataAndAnyOtherErrorIsARefusal) {
  std::vector<ReplyPtr> replies;
  replies.push_back(Error("WRONGTYPE Operation against a key holding the wrong kind of value"));
  replies.push_back(nullptr);
  EXPECT_TRUE(NoRefusal(replies).ok());
  replies.push_back(Error("NOPERM this user has no permissions to run the 'hmget' command"));
  Result<> r = NoRefusal(replies);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("NOPERM"), std::string::npos);
}

TEST(Replies, NumbersAreWholeAndFinite) {
  EXPECT_EQ(ParseDouble("2048"), 2048);
  EXPECT_EQ(ParseDouble("-1.5"), -1.5);
  for (const char* bad : {"", "1e400", "nan", "inf", "12abc", " 1"}) {
    EXPECT_EQ(ParseDouble(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace observd
