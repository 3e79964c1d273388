// Tests of snapshot/upload_table.h: the commands that measure and read upload records
// and the interpretation of their replies (built by hand: no server), and UploadTable's
// rounds against a scripted Redis (what each read sends). The whole read against a real
// Redis with poisoned records is tests/integration/test_poisoned_records.py.
#include "snapshot/upload_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "support/fake_replies.h"
#include "support/fake_upload_redis.h"

namespace observd {
namespace {

using test::Arr;
using test::Err;
using test::Int;
using test::Str;

// An HMGET reply of kUploadFields: filename, size, content_type, user, status, created_at.
ReplyPtr Record(std::vector<redisReply*> values) { return ReplyPtr(Arr(std::move(values))); }

using test::FakeRedis;
using test::Nil;

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

// Ten seconds after the fake's records were uploaded: every record is recent.
constexpr double kNow = 1764355010;

FakeRedis::Record Small(const std::string& name) { return {"listpack", {{"filename", name}}}; }

TEST(UploadTable, ANewRecordIsReadWithOneCommand) {
  FakeRedis redis;
  redis.newest = {"a", "b", "c"};
  for (const auto& id : redis.newest) redis.records[id] = Small(id + ".bin");
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  ASSERT_EQ(s.recent.size(), 3u);
  EXPECT_EQ(s.recent[1].filename, "b.bin");
  EXPECT_EQ(redis.sent["OBJECT"], 0) << "read at once: the connection bounds the reply";
  EXPECT_EQ(redis.sent["MEMORY"], 0);
  EXPECT_EQ(redis.sent["HMGET"], 3);
  EXPECT_EQ(redis.sent["HSTRLEN"], 0);
  // The next refresh: the ids, and one HMGET a record (its status may have changed).
  redis.sent.clear();
  redis.records["b"].fields["status"] = "stored";
  redis.newest = {"d", "a", "b", "c"};
  redis.records["d"] = Small("d.bin");
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.recent[2].status, "stored");
  EXPECT_EQ(s.recent[0].filename, "d.bin");
  EXPECT_EQ(redis.Total(), 1 + 4) << "ZREVRANGE, 4 HMGET";
}

TEST(UploadTable, ASettledRecordIsReadOncePerSettlePeriod) {
  FakeRedis redis;
  redis.newest = {"a", "b"};
  for (const auto& id : redis.newest) redis.records[id] = Small(id + ".bin");
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  const double later = kNow + kSettleSeconds;  // both uploaded over 5 minutes ago
  ASSERT_TRUE(table.Read(redis.Pipeline(), later, &s));
  redis.sent.clear();
  redis.records["a"].fields["status"] = "deleted";
  ASSERT_TRUE(table.Read(redis.Pipeline(), later + 30, &s));
  EXPECT_EQ(redis.Total(), 1) << "the ids only: both rows kept from the last read";
  EXPECT_EQ(s.recent[1].filename, "b.bin");
  EXPECT_EQ(s.recent[0].status, "");
  ASSERT_TRUE(table.Read(redis.Pipeline(), later + kSettleSeconds, &s));
  EXPECT_EQ(redis.sent["HMGET"], 2) << "read again once a settle period has passed";
  EXPECT_EQ(s.recent[0].status, "deleted");
}

TEST(UploadTable, ARecentRecordInAFinalStatusIsReadOncePerSettlePeriod) {
  FakeRedis redis;
  redis.newest = {"done", "busy", "odd"};
  redis.records["done"] = {"listpack", {{"status", "stored"}}};
  redis.records["busy"] = {"listpack", {{"status", "processing"}}};
  redis.records["odd"] = {"listpack", {{"status", "weird"}}};  // unknown: may change
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  redis.sent.clear();
  redis.records["busy"].fields["status"] = "stored";
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow + 30, &s));
  EXPECT_EQ(redis.sent["HMGET"], 2) << "processing and unknown read again, stored kept";
  EXPECT_EQ(s.recent[1].status, "stored");
  redis.sent.clear();
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow + 60, &s));
  EXPECT_EQ(redis.sent["HMGET"], 1) << "only the unknown status now";
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow + kSettleSeconds, &s));
  EXPECT_EQ(redis.sent["HMGET"], 1 + 1) << "stored: a settle period after its last read";
}

TEST(UploadTable, AFieldOverTheBoundIsASkipThatCostsNothingAfter) {
  FakeRedis redis;
  redis.newest = {"big", "long", "ok"};
  redis.records["big"] = {"hashtable", {{"filename", std::string(kMaxUploadFieldBytes + 1, 'x')}}};
  redis.records["long"] = {"hashtable", {{"filename", std::string(100, 'l')}}};
  redis.records["ok"] = Small("ok.bin");
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.skipped_records, 1);
  EXPECT_NE(s.recent[0].note.find("filename is 16385 bytes"), std::string::npos);
  EXPECT_EQ(s.recent[0].filename, "");
  EXPECT_EQ(s.recent[1].filename, std::string(100, 'l'));
  EXPECT_EQ(redis.sent["HSTRLEN"], 0);
  EXPECT_EQ(redis.sent["HMGET"], 3);
  redis.sent.clear();
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.skipped_records, 1);
  EXPECT_NE(s.recent[0].note.find("filename is 16385 bytes"), std::string::npos);
  EXPECT_EQ(redis.Total(), 1 + 2) << "ZREVRANGE and two HMGET; the skipped record costs none";
  // Measured again a settle period later: the application may have fixed it.
  redis.records["big"] = Small("fixed.bin");
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow + kSettleSeconds, &s));
  EXPECT_EQ(s.skipped_records, 0);
  EXPECT_EQ(s.recent[0].filename, "fixed.bin");
}

TEST(UploadTable, AReplyOverTheBoundIsReadAgainMeasuringEveryRecord) {
  FakeRedis redis;
  redis.newest = {"huge", "long", "ok"};
  redis.records["huge"] = {"hashtable",
                           {{"filename", std::string(kMaxUploadTableReplyBytes + 1, 'x')}}};
  // A long filename makes a real hash a hashtable: measured field by field, then read.
  redis.records["long"] = {"hashtable", {{"filename", std::string(100, 'l')}}};
  redis.records["ok"] = Small("ok.bin");
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s)) << "the same refresh reads it again";
  EXPECT_EQ(s.skipped_records, 1);
  EXPECT_NE(s.recent[0].note.find("filename is 1048577 bytes"), std::string::npos);
  EXPECT_EQ(s.recent[1].filename, std::string(100, 'l'));
  EXPECT_EQ(s.recent[2].filename, "ok.bin");
  EXPECT_EQ(redis.sent["ZREVRANGE"], 1);
  EXPECT_EQ(redis.sent["MEMORY"], 3) << "every record measured in the second attempt";
  EXPECT_EQ(redis.sent["HSTRLEN"], 2 * static_cast<int>(std::size(kUploadFields)));
  EXPECT_EQ(redis.sent["HMGET"], 3 + 2) << "three at once, then the two small ones";
  // Remembered: the skip costs nothing, and new records are read at once again.
  redis.sent.clear();
  redis.newest = {"new", "huge", "long", "ok"};
  redis.records["new"] = Small("new.bin");
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.recent[0].filename, "new.bin");
  EXPECT_EQ(s.skipped_records, 1);
  EXPECT_EQ(redis.Total(), 1 + 3) << "ZREVRANGE and three HMGET";
}

TEST(UploadTable, AfterAFailureNothingIsTrusted) {
  FakeRedis redis;
  redis.newest = {"a", "b"};
  for (const auto& id : redis.newest) redis.records[id] = Small(id);
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  redis.fail_next = true;
  EXPECT_FALSE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_TRUE(s.recent.empty());
  redis.sent.clear();
  redis.records["a"].fields["status"] = "deleted";
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow + kSettleSeconds, &s));
  EXPECT_EQ(s.recent[0].status, "deleted") << "settled, but read again after the failure";
  EXPECT_EQ(redis.sent["HMGET"], 2);
  EXPECT_EQ(redis.sent["MEMORY"], 0) << "a timeout says nothing of the records' sizes";
}

TEST(UploadTable, MissingAndWrongTypeRecordsAreRowsOfUnknownFields) {
  FakeRedis redis;
  redis.newest = {"gone", "set"};
  redis.records["set"] = {"", {}};
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  ASSERT_EQ(s.recent.size(), 2u);
  EXPECT_EQ(s.recent[0].id, "gone");
  EXPECT_EQ(s.recent[0].filename, "");
  EXPECT_EQ(s.recent[1].filename, "");
  EXPECT_EQ(s.skipped_records, 0);
  EXPECT_EQ(redis.sent["HMGET"], 2);
  // A missing record is read again at the next refresh: it may be written later.
  redis.sent.clear();
  redis.records["gone"] = Small("late.bin");
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.recent[0].filename, "late.bin");
  EXPECT_EQ(redis.sent["HMGET"], 1) << "the key that is not a hash is remembered as such";
  EXPECT_EQ(s.skipped_records, 0);
}

// Record "a" (a.bin) and one over the reply bound, which makes each read measure every
// record; OBJECT ENCODING and MEMORY USAGE are answered by `refusal`.
FakeRedis TwoRecordsRefusingMeasures(const std::string& refusal) {
  FakeRedis redis;
  redis.newest = {"huge", "a"};
  redis.records["huge"] = {"hashtable",
                           {{"size", std::string(kMaxUploadTableReplyBytes + 1, '1')}}};
  redis.records["a"] = Small("a.bin");
  redis.refuse_measure = refusal;
  return redis;
}

TEST(UploadTable, AnAclWithoutMemoryUsageFallsBackToFieldLengths) {
  FakeRedis redis =
      TwoRecordsRefusingMeasures("NOPERM this user has no permissions to run 'object|encoding'");
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  const int fields = static_cast<int>(std::size(kUploadFields));
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.recent[1].filename, "a.bin");
  EXPECT_NE(s.recent[0].note.find("size is 1048577 bytes"), std::string::npos);
  EXPECT_EQ(redis.sent["HSTRLEN"], 2 * fields);
  // Another huge record: measured field by field again, OBJECT not asked again.
  redis.sent.clear();
  redis.newest = {"huge2", "huge", "a"};
  redis.records["huge2"] = redis.records["huge"];
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.recent[2].filename, "a.bin");
  EXPECT_EQ(s.skipped_records, 2);
  EXPECT_EQ(redis.sent["OBJECT"], 0) << "refused once, not asked again";
  EXPECT_EQ(redis.sent["HSTRLEN"], 3 * fields);
}

TEST(UploadTable, APassingRefusalFailsTheTableAndKeepsMeasuring) {
  FakeRedis redis = TwoRecordsRefusingMeasures("LOADING Redis is loading the dataset in memory");
  UploadTable table{KeysConfig{}};
  AppSnapshot s;
  EXPECT_FALSE(table.Read(redis.Pipeline(), kNow, &s));
  redis.refuse_measure.clear();
  redis.sent.clear();
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(redis.sent["OBJECT"], 2) << "measured first: the last read failed";
  EXPECT_EQ(redis.sent["HMGET"], 1);
  EXPECT_EQ(s.recent[1].filename, "a.bin");
}

}  // namespace
}  // namespace observd
