// Tests of snapshot/upload_table.h: UploadTable's rounds against a scripted Redis (what
// each read sends). The commands and the interpretation of their replies:
// upload_table_replies_test.cc. The whole read against a real Redis with poisoned
// records is tests/integration/test_poisoned_records.py.
#include "snapshot/upload_table.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "support/fake_upload_redis.h"

namespace observd {
namespace {

using test::FakeRedis;

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

// A missing record is a row of unknown fields (it may be written later); a key that is
// not a hash is a counted skip whose row says so.
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
  EXPECT_EQ(s.recent[0].note, "");
  EXPECT_EQ(s.recent[1].filename, "");
  EXPECT_EQ(s.recent[1].note, "not read: the key is not a hash (WRONGTYPE)");
  EXPECT_EQ(s.skipped_records, 1);
  EXPECT_EQ(redis.sent["HMGET"], 2);
  // A missing record is read again at the next refresh: it may be written later.
  redis.sent.clear();
  redis.records["gone"] = Small("late.bin");
  ASSERT_TRUE(table.Read(redis.Pipeline(), kNow, &s));
  EXPECT_EQ(s.recent[0].filename, "late.bin");
  EXPECT_EQ(redis.sent["HMGET"], 1) << "the key that is not a hash is remembered as such";
  EXPECT_EQ(s.recent[1].note, "not read: the key is not a hash (WRONGTYPE)");
  EXPECT_EQ(s.skipped_records, 1);
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
