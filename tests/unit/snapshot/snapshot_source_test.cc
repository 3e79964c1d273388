// Tests of snapshot/snapshot_source.h: the commands sent and the interpretation of
// Redis replies (built by hand: no server).
#include "snapshot/snapshot_source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "support/fake_replies.h"

namespace observd {
namespace {

using test::Err;
using test::Int;
using test::Str;

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
  // 4 totals + 2 windows x 3 statuses + 1 extra; the uploads table is read apart
  // (ReadRecentUploads), so a bad record never costs the counts, and the series per
  // bucket are AppSeries' (snapshot/app_series.h), not the snapshot's.
  EXPECT_EQ(cmds.size(), 4u + 6u + 1u);
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
  while (replies.size() < cmds.size()) replies.emplace_back(Int(1));
  const auto rows = SnapshotRows(keys, {});
  const QueryPlan plan = PlanSnapshotQueries(rows, now);
  ASSERT_EQ(plan.commands, cmds);
  AppSnapshot s = ReadSnapshotReplies(rows, plan, replies);
  EXPECT_EQ(s.uploads_total, 12);
  EXPECT_EQ(s.uploads_1h, std::nullopt);
  EXPECT_EQ(s.uploads_24h, std::nullopt);
  EXPECT_EQ(s.active_users, std::nullopt);
  EXPECT_EQ(s.workflow_runs["succeeded"].last_24h, 4);
  EXPECT_TRUE(s.recent.empty());  // the table is not part of the counts' round trip
  // A short reply list (protocol trouble) never reads out of bounds.
  replies.resize(3);
  AppSnapshot t = ReadSnapshotReplies(rows, plan, replies);
  EXPECT_EQ(t.uploads_24h, std::nullopt);
  EXPECT_EQ(t.active_users, std::nullopt);
  EXPECT_EQ(t.workflow_runs["succeeded"].last_1h, std::nullopt);
}

// Every row reads the replies to its own commands: reply i is the integer i, so each
// field must hold the position of the command that asked for it.
TEST(SnapshotQueries, EachRowReadsTheRepliesToItsOwnCommands) {
  KeysConfig keys;
  keys.workflow_statuses = {"succeeded", "failed"};
  QueryConfig q;
  q.name = "observd_app_jobs";
  q.kind = QueryConfig::Kind::kLlen;
  q.key = "jobs";
  const double now = 1764355200;
  const auto rows = SnapshotRows(keys, {q});
  const QueryPlan plan = PlanSnapshotQueries(rows, now);
  ASSERT_EQ(plan.row_ends.size(), rows.size());
  ASSERT_EQ(plan.row_ends.back(), plan.commands.size());
  std::vector<ReplyPtr> replies;
  for (size_t i = 0; i < plan.commands.size(); ++i) {
    replies.emplace_back(Int(static_cast<long long>(i)));
  }
  auto position = [&](const Command& c) {
    auto it = std::find(plan.commands.begin(), plan.commands.end(), c);
    EXPECT_NE(it, plan.commands.end()) << c[0] << " " << c[1];
    return static_cast<int64_t>(it - plan.commands.begin());
  };
  const AppSnapshot s = ReadSnapshotReplies(rows, plan, replies);
  EXPECT_EQ(s.uploads_total, position({"ZCARD", "uploads:timeline"}));
  EXPECT_EQ(s.active_users, position({"SCARD", "users:active"}));
  EXPECT_EQ(s.uploads_1h, position({"ZCOUNT", "uploads:timeline", "(1764351600.000", "+inf"}));
  EXPECT_EQ(s.uploads_24h, position({"ZCOUNT", "uploads:timeline", "(1764268800.000", "+inf"}));
  EXPECT_EQ(s.workflow_runs.at("failed").last_1h,
            position({"ZCOUNT", "workflows:runs:failed", "(1764351600.000", "+inf"}));
  EXPECT_EQ(s.workflow_runs.at("failed").last_24h,
            position({"ZCOUNT", "workflows:runs:failed", "(1764268800.000", "+inf"}));
  EXPECT_EQ(s.workflow_runs.at("succeeded").last_1h,
            position({"ZCOUNT", "workflows:runs:succeeded", "(1764351600.000", "+inf"}));
  ASSERT_EQ(s.queries.size(), 1u);
  EXPECT_EQ(s.queries[0].name, "observd_app_jobs");
  EXPECT_EQ(s.queries[0].value, static_cast<double>(position({"LLEN", "jobs"})));
}

// A configured GET reads at most 64 bytes: EXISTS tells a missing key (0) from an
// empty or over-long value (unknown).
TEST(SnapshotQueries, AConfiguredGetIsBounded) {
  QueryConfig q;
  q.name = "observd_app_temperature";
  q.kind = QueryConfig::Kind::kGet;
  q.key = "temp";
  const auto rows = SnapshotRows(KeysConfig{}, {q});
  const QueryPlan plan = PlanSnapshotQueries(rows, 1764355200);
  ASSERT_GE(plan.commands.size(), 2u);
  EXPECT_EQ(plan.commands[plan.commands.size() - 2], (Command{"EXISTS", "temp"}));
  EXPECT_EQ(plan.commands.back(), (Command{"GETRANGE", "temp", "0", "64"}));
  auto value = [&](redisReply* exists, redisReply* text) {
    std::vector<ReplyPtr> replies;
    for (size_t i = 0; i + 2 < plan.commands.size(); ++i) replies.emplace_back(Int(0));
    replies.emplace_back(exists);
    replies.emplace_back(text);
    return ReadSnapshotReplies(rows, plan, replies).queries.at(0).value;
  };
  EXPECT_EQ(value(Int(1), Str("21.5")), 21.5);
  EXPECT_EQ(value(Int(0), Str("")), 0.0);                             // missing key
  EXPECT_EQ(value(Int(1), Str(std::string(65, '1'))), std::nullopt);  // longer than a number
  EXPECT_EQ(value(Int(1), Str("lots")), std::nullopt);
  EXPECT_EQ(value(Int(1), Err("WRONGTYPE")), std::nullopt);
}

}  // namespace
}  // namespace observd
