// Tests of snapshot/upload_table.h: the commands that measure and read upload records
// and the interpretation of their replies (built by hand: no server). The whole read
// against a real Redis with poisoned records is tests/integration/test_poisoned_records.py.
#include "snapshot/upload_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "support/fake_replies.h"

namespace observd {
namespace {

using test::Arr;
using test::Err;
using test::Int;
using test::Str;

// An HMGET reply of kUploadFields: filename, size, content_type, user, status, created_at.
ReplyPtr Record(std::vector<redisReply*> values) { return ReplyPtr(Arr(std::move(values))); }

redisReply* Nil() {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_NIL;
  return r;
}

TEST(UploadTable, FieldsAreValidated) {
  ReplyPtr h = Record({Str(std::string("bad\0name\xFF", 9)), Str("abc"), Nil(), Str("bob"),
                       Str("stored"), Str("-5")});
  Upload u = ReadUploadHash("u-9", 1764355000, h.get());
  EXPECT_EQ(u.filename, "bad\xEF\xBF\xBDname\xEF\xBF\xBD");
  EXPECT_EQ(u.size, std::nullopt);
  EXPECT_EQ(u.content_type, "");
  EXPECT_EQ(u.user, "bob");
  EXPECT_EQ(u.status, "stored");
  EXPECT_EQ(u.created_at, 1764355000);  // garbage created_at keeps the timeline score
  for (const char* bad : {"-1", "1e400", "nan", "inf", "1.5", ""}) {
    ReplyPtr g = Record({Nil(), Str(bad), Nil(), Nil(), Nil(), Nil()});
    EXPECT_EQ(ReadUploadHash("x", NAN, g.get()).size, std::nullopt) << bad;
  }
  ReplyPtr ok = Record({Nil(), Str("2048"), Nil(), Nil(), Nil(), Nil()});
  EXPECT_EQ(ReadUploadHash("x", NAN, ok.get()).size, 2048);
  EXPECT_EQ(ReadUploadHash("x", NAN, nullptr).filename, "");  // missing hash
  ReplyPtr wrongtype(Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
  EXPECT_EQ(ReadUploadHash("x", NAN, wrongtype.get()).filename, "");
  ReplyPtr short_reply = Record({Str("a.txt")});  // not the shape asked for: nothing read
  EXPECT_EQ(ReadUploadHash("x", NAN, short_reply.get()).filename, "");
}

TEST(UploadTable, RecordsAreMeasuredBeforeTheyAreRead) {
  KeysConfig keys;
  auto sizes = BuildRecordSizeQueries(keys, {"a", "b"});
  ASSERT_EQ(sizes.size(), 2 * std::size(kUploadFields));
  EXPECT_EQ(sizes[6], (Command{"HSTRLEN", "upload:b", "filename"}));
  EXPECT_EQ(BuildRecordRead(keys, "a"), (Command{"HMGET", "upload:a", "filename", "size",
                                                 "content_type", "user", "status", "created_at"}));
  auto lengths = [](std::vector<redisReply*> r) {
    std::vector<ReplyPtr> v;
    for (auto* x : r) v.emplace_back(x);
    return v;
  };
  auto fine = lengths({Int(10), Int(4), Int(0), Int(5), Int(6), Int(kMaxUploadFieldBytes)});
  EXPECT_TRUE(CheckRecordSizes(fine.data()).read);
  EXPECT_EQ(CheckRecordSizes(fine.data()).note, "");
  auto big = lengths({Int(104857600), Int(4), Int(0), Int(5), Int(6), Int(10)});
  RecordCheck c = CheckRecordSizes(big.data());
  EXPECT_FALSE(c.read);
  EXPECT_NE(c.note.find("filename is 104857600 bytes"), std::string::npos) << c.note;
  auto wrongtype = lengths({Err("WRONGTYPE"), Err("WRONGTYPE"), Err("WRONGTYPE"), Err("WRONGTYPE"),
                            Err("WRONGTYPE"), Err("WRONGTYPE")});
  EXPECT_FALSE(CheckRecordSizes(wrongtype.data()).read);
  EXPECT_EQ(CheckRecordSizes(wrongtype.data()).note, "");
}

}  // namespace
}  // namespace observd
