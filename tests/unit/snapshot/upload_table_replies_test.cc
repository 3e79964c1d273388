// Tests of snapshot/upload_table.h's commands and replies: the commands that measure and
// read upload records, and the interpretation of their replies (built by hand: no
// server). UploadTable's rounds against a scripted Redis: upload_table_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "snapshot/upload_table.h"
#include "support/fake_replies.h"
#include "support/fake_upload_redis.h"

namespace observd {
namespace {

using test::Arr;
using test::Err;
using test::Int;
using test::Nil;
using test::Str;

// An HMGET reply of kUploadFields: filename, size, content_type, user, status, created_at.
ReplyPtr Record(std::vector<redisReply*> values) { return ReplyPtr(Arr(std::move(values))); }

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
  EXPECT_EQ(CheckRecordSizes(wrongtype.data()).note, "not read: the key is not a hash (WRONGTYPE)");
  ReplyPtr wrongtype_read(Err("WRONGTYPE Operation against a key holding the wrong kind of value"));
  EXPECT_FALSE(CheckReadSizes(wrongtype_read.get()).read);
  EXPECT_EQ(CheckReadSizes(wrongtype_read.get()).note,
            "not read: the key is not a hash (WRONGTYPE)");
  // Another error (or garbage) is no claim about the key: unread, without a note.
  ReplyPtr other(Err("ERR something else"));
  EXPECT_FALSE(CheckReadSizes(other.get()).read);
  EXPECT_EQ(CheckReadSizes(other.get()).note, "");
}

TEST(UploadTable, MeasureRepliesAreRead) {
  auto measure = [](redisReply* encoding, redisReply* usage) {
    ReplyPtr e(encoding), u(usage);
    return ReadRecordMeasure(e.get(), u.get());
  };
  EXPECT_EQ(measure(Str("listpack"), Int(180)), RecordMeasure::kSmall);
  EXPECT_EQ(measure(Str("ziplist"), Int(kMaxUploadFieldBytes)), RecordMeasure::kSmall);
  EXPECT_EQ(measure(Str("listpack"), Int(kMaxUploadFieldBytes + 1)), RecordMeasure::kLarge);
  // A hashtable's MEMORY USAGE is sampled: never trusted as a bound.
  EXPECT_EQ(measure(Str("hashtable"), Int(200)), RecordMeasure::kLarge);
  EXPECT_EQ(measure(Nil(), Nil()), RecordMeasure::kMissing);
  EXPECT_EQ(measure(Err("NOPERM no"), Int(1)), RecordMeasure::kUnmeasured);
  EXPECT_EQ(measure(Str("listpack"), Str("12")), RecordMeasure::kLarge);
  EXPECT_EQ(ReadRecordMeasure(nullptr, nullptr), RecordMeasure::kUnmeasured);
  EXPECT_EQ(
      BuildRecordMeasure(KeysConfig{}, "a"),
      (std::vector<Command>{{"OBJECT", "ENCODING", "upload:a"}, {"MEMORY", "USAGE", "upload:a"}}));
}

}  // namespace
}  // namespace observd
