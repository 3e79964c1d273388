#include "store/history_store.h"

#include <malloc.h>

#include <algorithm>
#include <chrono>

#include "store/schema.h"

namespace observd {
namespace {

// Small page caches, emptied after each use: the store is read a window at a time and
// written once a minute, and idle RSS matters more than a warm cache (the OS keeps the
// file's pages anyway).
constexpr const char* kConnectionPragmas = "PRAGMA cache_size = -128; PRAGMA temp_store = MEMORY;";
constexpr double kLatencyKeepSeconds = 3600;  // 1 s samples: the last hour
constexpr int kMaxAnnotations = 500;

using Clock = std::chrono::steady_clock;

// Interrupts a read that outlives its deadline (sqlite3_progress_handler).
int PastDeadline(void* deadline) {
  return Clock::now() > *static_cast<Clock::time_point*>(deadline) ? 1 : 0;
}

// A row of `minutes` (or of its GROUP BY in Buckets), columns in the table's order.
MinuteRow MinuteRowOf(const Stmt& r) {
  return {r.Int(0),       r.Int(1),       r.Int(2), r.MaybeReal(3), r.MaybeReal(4),
          r.MaybeReal(5), r.MaybeReal(6), r.Int(7), r.MaybeInt(8),  r.MaybeInt(9)};
}

}  // namespace

Result<std::unique_ptr<HistoryStore>> HistoryStore::Open(const std::string& path) {
  auto writer = Db::Open(path, /*create=*/true);
  if (!writer) return Fail(writer.error());
  sqlite3_busy_timeout((*writer)->get(), kWriteBusyMs);
  if (auto r = PrepareSchema(writer->get(), kSchemaVersion, kApplicationId); !r) {
    return Fail(r.error());
  }
  if (auto r = (*writer)->Exec(std::string(kConnectionPragmas) + "PRAGMA synchronous = NORMAL;"
                                                                 "PRAGMA journal_size_limit = "
                                                                 "4194304;");
      !r) {
    return Fail(r.error());
  }
  auto reader = Db::Open(path, /*create=*/false);
  if (!reader) return Fail(reader.error());
  if (auto r = (*reader)->Exec(std::string(kConnectionPragmas) + "PRAGMA query_only = 1;"); !r) {
    return Fail(r.error());
  }
  // The integrity check read every page: give that memory back to the system, or idle
  // RSS keeps it (about 1 MB for a 3 MB file).
  sqlite3_db_release_memory((*writer)->get());
  malloc_trim(0);
  return std::unique_ptr<HistoryStore>(
      new HistoryStore(path, std::move(*writer), std::move(*reader)));
}

HistoryStore::HistoryStore(std::string path, std::unique_ptr<Db> writer, std::unique_ptr<Db> reader)
    : path_(std::move(path)), writer_(std::move(writer)), reader_(std::move(reader)) {}

HistoryStore::~HistoryStore() = default;

Result<> HistoryStore::Write(const StoreBatch& b) {
  std::lock_guard<std::mutex> lk(write_mu_);
  Db* db = writer_.get();
  if (auto r = db->Exec("BEGIN IMMEDIATE"); !r) return r;
  auto body = [&]() -> Result<> {
    auto minute = Stmt::Prepare(db,
                                "INSERT OR REPLACE INTO minutes VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                "?7, ?8, ?9, ?10)");
    if (!minute) return Fail(minute.error());
    for (const MinuteRow& m : b.minutes) {
      minute->Bind(1, m.t).Bind(2, m.samples).Bind(3, m.failed).Bind(4, m.min_ms);
      minute->Bind(5, m.mean_ms).Bind(6, m.max_ms).Bind(7, m.p99_ms).Bind(8, m.requests);
      minute->Bind(9, m.cache_hits).Bind(10, m.cache_misses);
      if (auto r = minute->Run(); !r) return r;
    }
    auto sample = Stmt::Prepare(db, "INSERT OR REPLACE INTO latency VALUES (?1, ?2)");
    if (!sample) return Fail(sample.error());
    for (const LatencySample& s : b.latency) {
      if (auto r = sample->Bind(1, s.t).Bind(2, s.ms).Run(); !r) return r;
    }
    auto note = Stmt::Prepare(db, "INSERT OR REPLACE INTO annotations VALUES (?1, ?2, ?3, ?4)");
    if (!note) return Fail(note.error());
    for (const Annotation& a : b.annotations) {
      if (auto r = note->Bind(1, a.t).Bind(2, a.kind).Bind(3, a.end).Bind(4, a.text).Run(); !r) {
        return r;
      }
    }
    auto bucket =
        Stmt::Prepare(db, "INSERT OR REPLACE INTO app_buckets VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!bucket) return Fail(bucket.error());
    for (const AppBuckets& s : b.buckets) {
      for (const BucketCount& c : s.counts) {
        bucket->Bind(1, s.fingerprint).Bind(2, s.series).Bind(3, s.step).Bind(4, c.t);
        if (auto r = bucket->Bind(5, c.count).Run(); !r) return r;
      }
    }
    return db->Exec("COMMIT");
  };
  auto r = body();
  if (!r) (void)db->Exec("ROLLBACK");
  sqlite3_db_release_memory(db->get());
  return r;
}

Result<> HistoryStore::Trim(double now, double retention_seconds) {
  std::lock_guard<std::mutex> lk(write_mu_);
  Db* db = writer_.get();
  auto del = [&](const char* sql, double before) -> Result<> {
    auto s = Stmt::Prepare(db, sql);
    if (!s) return Fail(s.error());
    return s->Bind(1, before).Run();
  };
  const double horizon = now - retention_seconds;
  for (auto r : {del("DELETE FROM minutes WHERE t < ?1", horizon),
                 del("DELETE FROM latency WHERE t < ?1", now - kLatencyKeepSeconds),
                 del("DELETE FROM annotations WHERE coalesce(end_t, t) < ?1", horizon),
                 del("DELETE FROM app_buckets WHERE t < ?1", horizon)}) {
    if (!r) return r;
  }
  return Ok();
}

Result<> HistoryStore::CloseOpenBands() {
  std::lock_guard<std::mutex> lk(write_mu_);
  return writer_->Exec(
      "UPDATE annotations SET end_t = max(t, coalesce((SELECT max(t) + 60 FROM minutes), t)) "
      "WHERE end_t IS NULL AND kind = 'redis_down'");
}

std::vector<AppBuckets> HistoryStore::TakeQueuedBuckets() {
  std::lock_guard<std::mutex> lk(queue_mu_);
  std::vector<AppBuckets> out(std::make_move_iterator(queued_.begin()),
                              std::make_move_iterator(queued_.end()));
  queued_.clear();
  queued_counts_ = 0;
  return out;
}

void HistoryStore::SaveBuckets(const std::string& fingerprint, const std::string& series,
                               int64_t step, const std::vector<BucketCount>& closed) {
  if (closed.empty()) return;
  std::lock_guard<std::mutex> lk(queue_mu_);
  // Bounded: when the writer cannot keep up (a failing disk), the oldest saves go; they
  // are counted again from Redis when next asked for.
  while (!queued_.empty() && queued_counts_ + closed.size() > kMaxQueuedBuckets) {
    queued_counts_ -= queued_.front().counts.size();
    queued_.pop_front();
  }
  if (closed.size() > kMaxQueuedBuckets) return;
  queued_.push_back({fingerprint, series, step, closed});
  queued_counts_ += closed.size();
}

template <typename F>
auto HistoryStore::Read(F read) -> decltype(read(static_cast<Db*>(nullptr))) {
  std::lock_guard<std::mutex> lk(read_mu_);
  reads_.fetch_add(1, std::memory_order_relaxed);
  Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(kReadDeadlineMs);
  sqlite3_progress_handler(reader_->get(), 1000, PastDeadline, &deadline);
  auto out = read(reader_.get());
  sqlite3_progress_handler(reader_->get(), 0, nullptr, nullptr);
  sqlite3_db_release_memory(reader_->get());
  return out;
}

Result<std::vector<MinuteRow>> HistoryStore::Minutes(int64_t from, int64_t to) {
  return Read([&](Db* db) -> Result<std::vector<MinuteRow>> {
    auto s = Stmt::Prepare(db, "SELECT * FROM minutes WHERE t >= ?1 AND t < ?2 ORDER BY t");
    if (!s) return Fail(s.error());
    s->Bind(1, from).Bind(2, to);
    return s->Rows<MinuteRow>(MinuteRowOf);
  });
}

Result<StoredBuckets> HistoryStore::Buckets(int64_t from, int64_t to, int64_t step) {
  return Read([&](Db* db) -> Result<StoredBuckets> {
    // As MergeRows: sums, min of mins, max of maxima and p99s, the mean weighted by
    // the PINGs that answered in each minute; then the bucket's newest minute.
    auto s = Stmt::Prepare(db,
                           "SELECT (t / ?3) * ?3 AS b, sum(samples), sum(failed), min(min_ms), "
                           "sum(mean_ms * max(samples - failed, 1)) / "
                           "sum(CASE WHEN mean_ms IS NULL THEN NULL ELSE max(samples - failed, 1) "
                           "END), max(max_ms), max(p99_ms), sum(requests), sum(cache_hits), "
                           "sum(cache_misses), max(t) FROM minutes WHERE t >= ?1 AND t < ?2 "
                           "GROUP BY b ORDER BY b");
    if (!s) return Fail(s.error());
    s->Bind(1, from).Bind(2, to).Bind(3, step);
    StoredBuckets out;
    auto rows = s->Rows<MinuteRow>([&](const Stmt& r) {
      out.newest = std::max(out.newest.value_or(r.Int(10)), r.Int(10));
      return MinuteRowOf(r);
    });
    if (!rows) return Fail(rows.error());
    out.rows = std::move(*rows);
    return out;
  });
}

Result<std::vector<LatencySample>> HistoryStore::Latency(double from, double to) {
  return Read([&](Db* db) -> Result<std::vector<LatencySample>> {
    auto s = Stmt::Prepare(db, "SELECT t, ms FROM latency WHERE t >= ?1 AND t <= ?2 ORDER BY t");
    if (!s) return Fail(s.error());
    s->Bind(1, from).Bind(2, to);
    return s->Rows<LatencySample>([](const Stmt& r) -> LatencySample {
      return {r.Real(0), r.MaybeReal(1)};
    });
  });
}

Result<std::vector<Annotation>> HistoryStore::Annotations(double from, double to) {
  // A mark is a point; a band without an end is the running process's outage, which
  // its memory holds (CloseOpenBands ends those of earlier processes).
  return Read([&](Db* db) -> Result<std::vector<Annotation>> {
    auto s = Stmt::Prepare(db,
                           "SELECT t, end_t, kind, text FROM annotations WHERE t <= ?2 AND "
                           "coalesce(end_t, t) >= ?1 ORDER BY t LIMIT ?3");
    if (!s) return Fail(s.error());
    s->Bind(1, from).Bind(2, to).Bind(3, int64_t{kMaxAnnotations});
    return s->Rows<Annotation>([](const Stmt& r) -> Annotation {
      return {r.Real(0), r.MaybeReal(1), r.Text(2), r.Text(3)};
    });
  });
}

Result<std::optional<int64_t>> HistoryStore::OldestMinute() {
  return Read(
      [](Db* db) { return db->QueryInt("SELECT min(t) FROM minutes WHERE t IS NOT NULL"); });
}

Result<std::optional<int64_t>> HistoryStore::NewestMinute() {
  return Read([](Db* db) { return db->QueryInt("SELECT max(t) FROM minutes"); });
}

std::vector<BucketCount> HistoryStore::LoadBuckets(const std::string& fingerprint,
                                                   const std::string& series, int64_t step,
                                                   int64_t from, int64_t to) {
  auto rows = Read([&](Db* db) -> Result<std::vector<BucketCount>> {
    auto s = Stmt::Prepare(db,
                           "SELECT t, count FROM app_buckets WHERE fingerprint = ?1 AND series = "
                           "?2 AND step = ?3 AND t >= ?4 AND t < ?5 ORDER BY t");
    if (!s) return Fail(s.error());
    s->Bind(1, fingerprint).Bind(2, series).Bind(3, step).Bind(4, from).Bind(5, to);
    return s->Rows<BucketCount>([](const Stmt& r) -> BucketCount { return {r.Int(0), r.Int(1)}; });
  });
  return rows ? std::move(*rows) : std::vector<BucketCount>{};
}

}  // namespace observd
