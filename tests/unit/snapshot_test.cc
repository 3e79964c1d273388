// Snapshot JSON round trip, rejection of foreign values, text sanitizing, and the
// interpretation of Redis replies (built by hand: no server).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "snapshot/app_snapshot.h"
#include "snapshot/snapshot_source.h"

namespace observd {
namespace {

AppSnapshot Sample() {
  AppSnapshot s;
  s.computed_at = 1764355200.5;
  s.producer = "host:1";
  s.fingerprint = "abc";
  s.uploads_total = 3120;
  s.uploads_1h = 40;
  s.uploads_24h = std::nullopt;
  s.active_users = 17;
  s.workflow_runs["succeeded"] = {5, 80};
  s.workflow_runs["failed"] = {std::nullopt, 2};
  s.minutes_start = 1764351660;
  s.uploads_per_minute.assign(AppSnapshot::kMinutes, 3);
  s.uploads_per_minute[7] = std::nullopt;
  s.runs_per_minute["succeeded"].assign(AppSnapshot::kMinutes, 1);
  Upload u;
  u.id = "u-1";
  u.filename = "<script>alert(1)</script>";
  u.user = "alice";
  u.content_type = "application/pdf";
  u.status = "stored";
  u.size = 1024;
  u.created_at = 1764355100;
  s.recent.push_back(u);
  s.recent.push_back(Upload{"u-2", "", "", "", "", std::nullopt, std::nullopt});
  s.queries.push_back({"observd_app_queue_length", {{"queue", "jobs"}}, 3.5});
  s.queries.push_back({"observd_app_other", {}, std::nullopt});
  return s;
}

TEST(SnapshotJson, RoundTripKeepsEveryField) {
  AppSnapshot s = Sample();
  std::string error;
  auto back = DeserializeSnapshot(SerializeSnapshot(s), &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, s);
}

TEST(SnapshotJson, RejectsForeignAndCorruptValues) {
  const char* bad[] = {"",
                       "not json",
                       "{}",
                       "[1,2]",
                       "{\"observd_snapshot\":2}",
                       "{\"observd_snapshot\":1}",
                       "null",
                       "\"x\"",
                       "{\"observd_snapshot\":\"1\"}"};
  for (const char* text : bad) {
    std::string error;
    EXPECT_FALSE(DeserializeSnapshot(text, &error)) << text;
    EXPECT_FALSE(error.empty());
  }
  std::string good = SerializeSnapshot(Sample());
  for (size_t cut : {good.size() / 2, good.size() - 1}) {
    std::string error;
    EXPECT_FALSE(DeserializeSnapshot(good.substr(0, cut), &error));
  }
  // Wrong type deep inside.
  std::string wrong = good;
  auto pos = wrong.find("\"uploads_total\":3120");
  ASSERT_NE(pos, std::string::npos);
  wrong.replace(pos, 20, "\"uploads_total\":\"x\"");
  std::string error;
  EXPECT_FALSE(DeserializeSnapshot(wrong, &error));
}

TEST(SnapshotJson, RejectsTimesWeCouldNotHaveWritten) {
  for (const char* field : {"\"minutes_start\":1764351660", "\"computed_at\":1764355200.5"}) {
    std::string text = SerializeSnapshot(Sample());
    auto pos = text.find(field);
    ASSERT_NE(pos, std::string::npos) << field;
    std::string bad = text;
    bad.replace(pos, std::strlen(field),
                std::string(field).substr(0, std::string(field).find(':') + 1) + "1e300");
    std::string error;
    EXPECT_FALSE(DeserializeSnapshot(bad, &error)) << field;
  }
}

TEST(SanitizeText, ReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(SanitizeText("plain.txt"), "plain.txt");
  EXPECT_EQ(SanitizeText("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(SanitizeText(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeText("a\xFF"
                         "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeText("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong '/'
  EXPECT_EQ(SanitizeText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(SanitizeText("line\nbreak"),
            "line\xEF\xBF\xBD"
            "break");
  EXPECT_EQ(SanitizeText("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated sequence
}

TEST(SanitizeText, TruncatesLongStrings) {
  std::string big(300 * 1024, 'x');
  std::string out = SanitizeText(big, 200);
  EXPECT_EQ(out.size(), 200u + 3u);
  EXPECT_TRUE(out.ends_with("\xE2\x80\xA6"));
}

redisReply* Str(const std::string& s) {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_STRING;
  r->str = static_cast<char*>(malloc(s.size() + 1));
  memcpy(r->str, s.data(), s.size());
  r->str[s.size()] = 0;
  r->len = s.size();
  return r;
}

redisReply* Int(long long v) {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_INTEGER;
  r->integer = v;
  return r;
}

redisReply* Err(const std::string& s) {
  redisReply* r = Str(s);
  r->type = REDIS_REPLY_ERROR;
  return r;
}

redisReply* Arr(std::vector<redisReply*> items) {
  auto* r = static_cast<redisReply*>(calloc(1, sizeof(redisReply)));
  r->type = REDIS_REPLY_ARRAY;
  r->elements = items.size();
  r->element = static_cast<redisReply**>(calloc(items.size() + 1, sizeof(redisReply*)));
  for (size_t i = 0; i < items.size(); ++i) r->element[i] = items[i];
  return r;
}

TEST(SnapshotQueries, UseOnlyIndexedCommands) {
  KeysConfig keys;
  QueryConfig q;
  q.name = "observd_app_q";
  q.kind = QueryConfig::Kind::kZcount;
  q.key = "k";
  q.window = Millis(900000);
  auto cmds = BuildSnapshotQueries(keys, {q}, 1764355200);
  for (const auto& c : cmds) {
    EXPECT_NE(c[0], "KEYS");
    EXPECT_NE(c[0], "SCAN");
  }
  EXPECT_EQ(cmds[0], (Command{"ZCARD", "uploads:timeline"}));
  EXPECT_EQ(cmds[1], (Command{"ZCOUNT", "uploads:timeline", "(1764351600.000", "+inf"}));
  EXPECT_EQ(cmds.back(), (Command{"ZCOUNT", "k", "(1764354300.000", "+inf"}));
  // 4 totals + 2 windows x 3 statuses + ZREVRANGE + 60 x 4 buckets + 1 extra.
  EXPECT_EQ(cmds.size(), 4u + 6u + 1u + 240u + 1u);
}

TEST(SnapshotQueries, GarbageRepliesBecomeUnknown) {
  KeysConfig keys;
  keys.workflow_statuses = {"succeeded"};
  double now = 1764355200;
  auto cmds = BuildSnapshotQueries(keys, {}, now);
  std::vector<ReplyPtr> replies;
  replies.emplace_back(Int(12));           // ZCARD
  replies.emplace_back(Err("WRONGTYPE"));  // ZCOUNT 1h
  replies.emplace_back(Int(-3));           // ZCOUNT 24h: negative is garbage
  replies.emplace_back(Str("7"));          // SCARD answering a string: garbage
  replies.emplace_back(Int(2));            // runs 1h
  replies.emplace_back(Int(4));            // runs 24h
  replies.emplace_back(Arr({Str("u-1"), Str("1764355100"), Str("u-2"), Str("nan")}));
  while (replies.size() < cmds.size()) replies.emplace_back(Int(1));
  AppSnapshot s;
  auto ids = ReadSnapshotReplies(keys, {}, now, replies, &s);
  EXPECT_EQ(s.uploads_total, 12);
  EXPECT_EQ(s.uploads_1h, std::nullopt);
  EXPECT_EQ(s.uploads_24h, std::nullopt);
  EXPECT_EQ(s.active_users, std::nullopt);
  EXPECT_EQ(s.workflow_runs["succeeded"].last_24h, 4);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(s.recent[0].created_at, 1764355100);
  EXPECT_EQ(s.recent[1].created_at, std::nullopt);
  EXPECT_EQ(s.uploads_per_minute.size(), 60u);
  // A short reply list (protocol trouble) never reads out of bounds.
  replies.resize(3);
  AppSnapshot t;
  ReadSnapshotReplies(keys, {}, now, replies, &t);
  EXPECT_EQ(t.active_users, std::nullopt);
}

TEST(SnapshotQueries, UploadHashFieldsAreValidated) {
  ReplyPtr h(
      Arr({Str("filename"), Str(std::string("bad\0name\xFF", 9)), Str("size"), Str("abc"),
           Str("user"), Str("bob"), Str("created_at"), Str("-5"), Str("status"), Str("stored")}));
  Upload u = ReadUploadHash("u-9", 1764355000, h.get());
  EXPECT_EQ(u.filename, "bad\xEF\xBF\xBDname\xEF\xBF\xBD");
  EXPECT_EQ(u.size, std::nullopt);
  EXPECT_EQ(u.user, "bob");
  EXPECT_EQ(u.created_at, 1764355000);  // garbage created_at keeps the timeline score
  for (const char* bad : {"-1", "1e400", "nan", "inf", "1.5", ""}) {
    ReplyPtr g(Arr({Str("size"), Str(bad)}));
    EXPECT_EQ(ReadUploadHash("x", NAN, g.get()).size, std::nullopt) << bad;
  }
  ReplyPtr ok(Arr({Str("size"), Str("2048")}));
  EXPECT_EQ(ReadUploadHash("x", NAN, ok.get()).size, 2048);
  EXPECT_EQ(ReadUploadHash("x", NAN, nullptr).filename, "");  // missing hash
}

}  // namespace
}  // namespace observd
