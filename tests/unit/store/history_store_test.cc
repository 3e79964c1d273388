// HistoryStore on a real SQLite file; the sqlite3 shell (Debian's `sqlite3`, an
// independent reader) checks what was written where it is installed. Which files the
// schema refuses is schema_test.cc.
#include "store/history_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <memory>
#include <string>

#include "support/history_store_fixture.h"

namespace observd {
namespace {

TEST_F(HistoryStoreTest, WritesInWalModeAndReadsBackWhatWasWritten) {
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.error();
  // Empty: no oldest minute (not 0, which would claim history since 1970).
  EXPECT_FALSE((*(*store)->OldestMinute()).has_value());
  EXPECT_FALSE((*(*store)->NewestMinute()).has_value());
  StoreBatch b;
  b.minutes = {Row(60, 1.5), Row(120, 2.5)};
  b.latency = {{61, 1.5}, {62, std::nullopt}};
  b.annotations = {{100, std::nullopt, "redis_down", "Redis unavailable"}};
  b.buckets = {{"fp", "uploads", 60, {{60, 4}, {120, 5}}}};
  ASSERT_TRUE((*store)->Write(b).ok());

  auto rows = (*store)->Minutes(0, 1000);
  ASSERT_TRUE(rows.ok()) << rows.error();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0], Row(60, 1.5));
  EXPECT_EQ((*(*store)->Minutes(100, 121)).size(), 1u);  // [from, to)
  auto samples = (*store)->Latency(0, 1000);
  ASSERT_TRUE(samples.ok());
  EXPECT_EQ(*samples, (std::vector<LatencySample>{{61, 1.5}, {62, std::nullopt}}));
  EXPECT_EQ((*store)->LoadBuckets("fp", "uploads", 60, 0, 1000).size(), 2u);
  EXPECT_TRUE((*store)->LoadBuckets("other", "uploads", 60, 0, 1000).empty());
  EXPECT_EQ(**(*store)->OldestMinute(), 60);

  // A band gains its end: the same (t, kind) is replaced, not duplicated.
  b = {};
  b.annotations = {{100, 160.0, "redis_down", "Redis unavailable"}};
  ASSERT_TRUE((*store)->Write(b).ok());
  auto notes = (*store)->Annotations(150, 200);
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 1u);
  EXPECT_EQ((*notes)[0].end, 160.0);

  std::string mode = Shell("PRAGMA journal_mode");
  if (!mode.empty()) {
    EXPECT_EQ(mode, "wal\n");
    EXPECT_EQ(Shell("SELECT t, requests, cache_misses IS NULL FROM minutes ORDER BY t"),
              "60|7|1\n120|7|1\n");
    EXPECT_EQ(Shell("PRAGMA user_version"), "1\n");
  }
}

TEST_F(HistoryStoreTest, BucketsSummariseInSqliteAndNameTheirNewestMinute) {
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.error();
  StoreBatch b;
  b.minutes = {Row(600, 1.0), Row(660, 3.0), Row(960, 2.0)};
  ASSERT_TRUE((*store)->Write(b).ok());
  const uint64_t reads = (*store)->reads();
  auto got = (*store)->Buckets(600, 1200, 300);
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_EQ((*store)->reads(), reads + 1);  // one statement, one read
  ASSERT_EQ(got->rows.size(), 2u);
  EXPECT_EQ(got->rows[0].t, 600);
  EXPECT_EQ(got->rows[0].samples, 120);
  EXPECT_EQ(got->rows[0].requests, 14);
  EXPECT_EQ(got->rows[0].min_ms, 1.0);
  EXPECT_EQ(got->rows[0].max_ms, 3.0);
  EXPECT_EQ(got->rows[1].t, 900);
  EXPECT_EQ(got->newest, 960);
  EXPECT_EQ((*store)->Buckets(600, 960, 300)->newest, 660);  // within [from, to) only
  EXPECT_FALSE((*store)->Buckets(2000, 3000, 60)->newest.has_value());
}

TEST_F(HistoryStoreTest, AnOutageLeftOpenByAStoppedProcessEndsWhereItsDataEnds) {
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.error();
  StoreBatch b;
  b.minutes = {Row(60, 1.0), Row(120, 1.0)};
  b.annotations = {{100, std::nullopt, "redis_down", "Redis unavailable"},
                   {110, std::nullopt, "restart", "observd started"}};
  ASSERT_TRUE((*store)->Write(b).ok());
  ASSERT_TRUE((*store)->CloseOpenBands().ok());
  auto notes = (*store)->Annotations(0, 1000);
  ASSERT_TRUE(notes.ok());
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].end, 180.0);                              // the end of its newest minute
  EXPECT_FALSE((*notes)[1].end.has_value());                      // a mark is not a band
  EXPECT_TRUE((*(*store)->Annotations(500, 1000)).size() == 0u);  // no longer "still down"
}

TEST_F(HistoryStoreTest, SurvivesReopeningAndTrimsPastTheRetention) {
  {
    auto store = HistoryStore::Open(path_);
    ASSERT_TRUE(store.ok());
    StoreBatch b;
    b.minutes = {Row(0, 1), Row(86400, 2), Row(2 * 86400, 3)};
    b.latency = {{2 * 86400 - 7200, 1.0}, {2 * 86400 - 10, 2.0}};
    ASSERT_TRUE((*store)->Write(b).ok());
  }
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok()) << store.error();
  ASSERT_EQ((*(*store)->Minutes(0, 3 * 86400)).size(), 3u);
  ASSERT_TRUE((*store)->Trim(/*now=*/2 * 86400, /*retention=*/86400).ok());
  auto rows = *(*store)->Minutes(0, 3 * 86400);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].t, 86400);
  EXPECT_EQ((*(*store)->Latency(0, 3 * 86400)).size(), 1u);  // 1 s samples: an hour
}

TEST_F(HistoryStoreTest, ALockedFileFailsTheWriteButNotTheReads) {
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok());
  StoreBatch b;
  b.minutes = {Row(60, 1)};
  ASSERT_TRUE((*store)->Write(b).ok());
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  b.minutes = {Row(120, 1)};
  auto w = (*store)->Write(b);  // waits kWriteBusyMs, then says so
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.error().find("locked"), std::string::npos) << w.error();
  auto rows = (*store)->Minutes(0, 1000);  // WAL: the reader does not wait for the writer
  ASSERT_TRUE(rows.ok()) << rows.error();
  EXPECT_EQ(rows->size(), 1u);
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_TRUE((*store)->Write(b).ok());  // and the next write goes through
}

TEST_F(HistoryStoreTest, QueuedBucketSavesAreBounded) {
  auto store = HistoryStore::Open(path_);
  ASSERT_TRUE(store.ok());
  std::vector<BucketCount> many(HistoryStore::kMaxQueuedBuckets / 2, {0, 1});
  for (int i = 0; i < 5; ++i) (*store)->SaveBuckets("fp", "uploads", 60, many);
  size_t queued = 0;
  for (const AppBuckets& b : (*store)->TakeQueuedBuckets()) queued += b.counts.size();
  EXPECT_LE(queued, HistoryStore::kMaxQueuedBuckets);
  EXPECT_GT(queued, 0u);
  EXPECT_TRUE((*store)->TakeQueuedBuckets().empty());
}

}  // namespace
}  // namespace observd
