// HistoryStore keeps observd's own series on local disk in one SQLite file (WAL mode),
// so the site's history survives restarts and upgrades: per-minute rows (Redis latency,
// failed PINGs, requests, cache reads), the last hour of 1 s latency samples, the
// annotations (restarts, reloads, outages) and the application series' closed buckets
// (model/bucket_store.h). The file names itself (application_id) and its schema
// (user_version): an older schema is migrated, a newer one or a foreign file refused.
//
// Thread-safety: thread-safe. Writes go through one connection and are meant for one
// writer thread (snapshot/HistoryRecorder), which may wait for a lock (bounded by
// kWriteBusyMs); reads use a second, query-only connection, serialised by a mutex,
// that never waits for a lock and gives up after kReadDeadlineMs, so a request handler
// is never held by the disk or by another process holding the file.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "model/bucket_store.h"
#include "model/history_rows.h"
#include "model/history_view.h"
#include "store/sqlite.h"
#include "util/result.h"

namespace observd {

// Closed buckets of one application series, queued for the writer.
struct AppBuckets {
  std::string fingerprint;
  std::string series;
  int64_t step = 0;
  std::vector<BucketCount> counts;
};

// A window's rows summarised per bucket, and the newest minute among them: read in one
// statement, so the minutes after `newest` are exactly those the store did not have.
struct StoredBuckets {
  std::vector<MinuteRow> rows;
  std::optional<int64_t> newest;
};

// What the writer commits in one transaction.
struct StoreBatch {
  std::vector<MinuteRow> minutes;
  std::vector<LatencySample> latency;   // 1 s samples
  std::vector<Annotation> annotations;  // upserted by (t, kind): a band gains its end
  std::vector<AppBuckets> buckets;
};

class HistoryStore : public BucketStore {
 public:
  static constexpr int kSchemaVersion = 1;
  static constexpr int32_t kApplicationId = 0x6f627364;  // "obsd"
  static constexpr int kWriteBusyMs = 2000;
  static constexpr int kReadDeadlineMs = 500;
  static constexpr size_t kMaxQueuedBuckets = 20000;  // counts waiting for the writer

  // Opens `path`, creating it (and its schema) when missing. An error line names the
  // file and what is wrong: cannot open, not a database, corrupt, another
  // application's file, a newer schema.
  static Result<std::unique_ptr<HistoryStore>> Open(const std::string& path);
  ~HistoryStore() override;

  const std::string& path() const { return path_; }

  // Writer: commits `batch` in one transaction (all or nothing).
  Result<> Write(const StoreBatch& batch);
  // Writer: deletes rows older than now - retention (1 s samples: older than an hour).
  Result<> Trim(double now, double retention_seconds);
  // Writer: the bucket saves queued by SaveBuckets since the last call.
  std::vector<AppBuckets> TakeQueuedBuckets();

  // Readers: rows with t in [from, to), oldest first.
  Result<std::vector<MinuteRow>> Minutes(int64_t from, int64_t to);
  // The rows with t in [from, to) summarised per bucket of `step` seconds (MergeRows,
  // computed by SQLite), oldest first; a bucket without rows is absent.
  Result<StoredBuckets> Buckets(int64_t from, int64_t to, int64_t step);
  Result<std::vector<LatencySample>> Latency(double from, double to);
  // Annotations overlapping [from, to], oldest first (at most 500).
  Result<std::vector<Annotation>> Annotations(double from, double to);
  // The start of the oldest minute kept, nullopt when none.
  Result<std::optional<int64_t>> OldestMinute();
  // The newest minute kept, nullopt when none.
  Result<std::optional<int64_t>> NewestMinute();
  // Reads run on the reader connection since Open (each call above is one).
  uint64_t reads() const { return reads_.load(std::memory_order_relaxed); }

  // Writer: a Redis outage band left open by a process that stopped during it ends
  // where that process's data ends (its newest minute), not at every later "now".
  Result<> CloseOpenBands();

  // BucketStore: SaveBuckets only queues (no disk I/O on the caller's thread);
  // LoadBuckets reads (empty when the store cannot be read).
  void SaveBuckets(const std::string& fingerprint, const std::string& series, int64_t step,
                   const std::vector<BucketCount>& closed) override;
  std::vector<BucketCount> LoadBuckets(const std::string& fingerprint, const std::string& series,
                                       int64_t step, int64_t from, int64_t to) override;

 private:
  HistoryStore(std::string path, std::unique_ptr<Db> writer, std::unique_ptr<Db> reader);
  // Runs `read` on the reader connection under the read deadline.
  template <typename F>
  auto Read(F read) -> decltype(read(static_cast<Db*>(nullptr)));

  const std::string path_;
  std::mutex write_mu_;
  std::unique_ptr<Db> writer_;
  std::mutex read_mu_;
  std::unique_ptr<Db> reader_;
  std::atomic<uint64_t> reads_{0};
  std::mutex queue_mu_;
  std::deque<AppBuckets> queued_;
  size_t queued_counts_ = 0;
};

}  // namespace observd
