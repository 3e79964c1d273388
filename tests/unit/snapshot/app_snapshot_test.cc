// Tests of snapshot/app_snapshot.h: the JSON round trip, rejection of foreign
// values, and text sanitizing.
#include "snapshot/app_snapshot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>

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
  Upload u;
  u.id = "u-1";
  u.filename = "<script>alert(1)</script>";
  u.user = "alice";
  u.content_type = "application/pdf";
  u.status = "stored";
  u.size = 1024;
  u.created_at = 1764355100;
  s.recent.push_back(u);
  s.recent.push_back(Upload{"u-2", "", "", "", "", std::nullopt, std::nullopt, "not read"});
  s.recent_error = "";
  s.skipped_records = 1;
  s.queries.push_back({"observd_app_queue_length", {{"queue", "jobs"}}, 3.5});
  s.queries.push_back({"observd_app_other", {}, std::nullopt});
  return s;
}

TEST(SnapshotJson, RoundTripKeepsEveryField) {
  AppSnapshot s = Sample();
  auto back = DeserializeSnapshot(SerializeSnapshot(s));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(*back, s);
}

// The shared key is read by other instances (maybe older ones): the bytes of its JSON
// stay what format 2 always wrote. Format 2 is format 1 without the per-minute series
// (minutes_start, uploads_per_minute, runs_per_minute: AppSeries counts them now).
TEST(SnapshotJson, FormatTwoBytesAreStable) {
  AppSnapshot s;
  s.computed_at = 1764355200.5;
  s.producer = "host:1";
  s.fingerprint = "abc";
  s.uploads_total = 3120;
  s.uploads_1h = 40;
  s.active_users = 17;
  s.workflow_runs["succeeded"] = {5, 80};
  s.workflow_runs["failed"] = {std::nullopt, 2};
  Upload u;
  u.id = "u-1";
  u.filename = "<x>";
  u.size = 1024;
  u.created_at = 1764355100;
  s.recent.push_back(u);
  s.queries.push_back({"q", {{"a", "b"}}, 3.5});
  s.queries.push_back({"r", {}, std::nullopt});
  EXPECT_EQ(
      SerializeSnapshot(s),
      "{\"active_users\":17,\"computed_at\":1764355200.5,\"fingerprint\":\"abc\","
      "\"observd_snapshot\":2,\"producer\":\"host:1\",\"queries\":[{\"labels\":{\"a\":"
      "\"b\"},\"name\":\"q\",\"value\":3.5},{\"labels\":{},\"name\":\"r\",\"value\":null}],"
      "\"recent\":[{\"content_type\":\"\",\"created_at\":1764355100.0,\"filename\":\"<x>\",\"id\":"
      "\"u-1\",\"note\":\"\",\"size\":1024,\"status\":\"\",\"user\":\"\"}],\"recent_error\":\"\","
      "\"skipped_records\":0,\"uploads_1h\":40,\"uploads_24h\":null,"
      "\"uploads_total\":3120,\"workflow_runs\":{\"failed\":{\"1h\":null,\"24h\":2},"
      "\"succeeded\":{\"1h\":5,\"24h\":80}}}");
}

// What an older instance wrote (format 1, with its per-minute series) still reads: the
// series are ignored, everything else is shared.
TEST(SnapshotJson, FormatOneStillReads) {
  std::string ones = "[1";
  for (int i = 1; i < 60; ++i) ones += ",1";
  ones += "]";
  const std::string v1 =
      "{\"active_users\":17,\"computed_at\":1764355200.5,\"fingerprint\":\"abc\",\"minutes_start\":"
      "1764351660.0,\"observd_snapshot\":1,\"producer\":\"host:1\",\"queries\":[],\"recent\":[],"
      "\"runs_per_minute\":{\"succeeded\":" +
      ones + "},\"uploads_1h\":40,\"uploads_24h\":null,\"uploads_per_minute\":" + ones +
      ",\"uploads_total\":3120,\"workflow_runs\":{\"succeeded\":{\"1h\":5,\"24h\":80}}}";
  auto back = DeserializeSnapshot(v1);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->uploads_total, 3120);
  EXPECT_EQ(back->active_users, 17);
  EXPECT_EQ(back->workflow_runs.at("succeeded").last_24h, 80);
  EXPECT_EQ(back->fingerprint, "abc");
}

TEST(SnapshotJson, RejectsForeignAndCorruptValues) {
  const char* bad[] = {"",
                       "not json",
                       "{}",
                       "[1,2]",
                       "{\"observd_snapshot\":3}",
                       "{\"observd_snapshot\":2}",
                       "{\"observd_snapshot\":1}",
                       "{\"observd_snapshot\":0}",
                       "null",
                       "\"x\"",
                       "{\"observd_snapshot\":\"1\"}"};
  for (const char* text : bad) {
    auto back = DeserializeSnapshot(text);
    ASSERT_FALSE(back) << text;
    EXPECT_FALSE(back.error().empty());
  }
  std::string good = SerializeSnapshot(Sample());
  for (size_t cut : {good.size() / 2, good.size() - 1}) {
    EXPECT_FALSE(DeserializeSnapshot(good.substr(0, cut)));
  }
  // Wrong type deep inside.
  std::string wrong = good;
  auto pos = wrong.find("\"uploads_total\":3120");
  ASSERT_NE(pos, std::string::npos);
  wrong.replace(pos, 20, "\"uploads_total\":\"x\"");
  EXPECT_FALSE(DeserializeSnapshot(wrong));
}

TEST(SnapshotJson, RejectsTimesWeCouldNotHaveWritten) {
  for (const char* field : {"\"created_at\":1764355100.0", "\"computed_at\":1764355200.5"}) {
    std::string text = SerializeSnapshot(Sample());
    auto pos = text.find(field);
    ASSERT_NE(pos, std::string::npos) << field;
    std::string bad = text;
    bad.replace(pos, std::strlen(field),
                std::string(field).substr(0, std::string(field).find(':') + 1) + "1e300");
    EXPECT_FALSE(DeserializeSnapshot(bad)) << field;
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

}  // namespace
}  // namespace observd
