// SnapshotCache serves the current AppSnapshot to request handlers from memory and
// refreshes it on a background thread: TTL, single-flight (one refresh at a time,
// other requests keep the previous snapshot), stale-on-error, hit/miss counting.
// Handlers never wait longer than `max_wait`. Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "model/app_snapshot.h"
#include "model/refresh_outcome.h"
#include "redis/redis_client.h"
#include "snapshot/app_snapshot.h"
#include "snapshot/snapshot_source.h"

namespace observd {

struct RefreshResult {
  RefreshOutcome outcome = RefreshOutcome::kFailed;
  std::optional<AppSnapshot> snapshot;  // set unless kFailed.
  std::string error;
};

// Produces a fresh snapshot; called only from the cache's refresher thread.
class SnapshotProvider {
 public:
  virtual ~SnapshotProvider() = default;
  virtual RefreshResult Refresh(double now) = 0;
};

// The real provider: reuses the snapshot another instance stored under the shared
// key while it is younger than the TTL, else computes it (taking a short NX lock so
// that instances do not compute at once) and stores it with EX ttl. A value under
// the key that does not decode is a miss, never trusted. With a `reader`
// (redis.read_replica) the snapshot queries run there while the shared key stays on
// `client` (the master); when the reader fails, that refresh computes on the master.
// The uploads table is read on a connection of its own, so a reply that costs the
// table its connection never costs the counts theirs.
struct SnapshotClients {
  std::unique_ptr<RedisClient> master;  // the shared key; the counts without a reader
  std::unique_ptr<RedisClient> reader;  // may be null: redis.read_replica, for the counts
  // The uploads table's (on the replica when there is one); when the reader fails, the
  // master reads the table too for that refresh.
  std::unique_ptr<RedisClient> table;
};

class SharedSnapshotProvider : public SnapshotProvider {
 public:
  SharedSnapshotProvider(SnapshotClients clients, std::shared_ptr<const SnapshotSource> source,
                         std::string key, Millis ttl);
  RefreshResult Refresh(double now) override;

  // Replaces the queries (SIGHUP); takes effect at the next refresh. Thread-safe.
  void SetSource(std::shared_ptr<const SnapshotSource> source);

 private:
  // The largest shared snapshot read: 1,000 recent uploads (keys.recent_uploads' upper
  // bound) with every text at its cap stay well under it.
  static constexpr int64_t kMaxSharedBytes = 8 * 1024 * 1024;
  static_assert(kMaxSharedBytes + 1024 < kMaxReplyBytes, "the client must read a whole snapshot");

  // What the shared key holds: a usable snapshot, or a miss; fails when Redis did not
  // answer or refused.
  struct SharedRead {
    std::optional<AppSnapshot> snapshot;  // fresh and computed with the same queries
    bool foreign = false;                 // the key holds something observd did not write
  };
  Result<SharedRead> ReadShared(const SnapshotSource& source, double now);

  // Runs the snapshot queries on the reader, falling back to the master.
  Result<AppSnapshot> Compute(const SnapshotSource& source, double now);

  const SnapshotClients clients_;
  std::mutex source_mu_;
  std::shared_ptr<const SnapshotSource> source_;
  const std::string key_;
  const std::string lock_key_;
  const Millis ttl_;
  bool foreign_logged_ = false;  // refresher thread only
};

class SnapshotCache : public SnapshotReader {
 public:
  struct Options {
    Millis ttl{30000};
    Millis max_wait{250};
    Millis retry_after_failure{1000};
  };
  struct Hooks {
    std::function<void()> on_hit;
    std::function<void()> on_miss;
    std::function<void(RefreshOutcome, double seconds)> on_refresh;
  };

  SnapshotCache(Options options, std::unique_ptr<SnapshotProvider> provider,
                std::function<double()> now, Hooks hooks);
  ~SnapshotCache() override;
  SnapshotCache(const SnapshotCache&) = delete;
  SnapshotCache& operator=(const SnapshotCache&) = delete;

  void Start();
  void Stop();  // joins the refresher; idempotent.

  // For request handlers: a hit when the snapshot is younger than the TTL or a
  // refresh is already running (single-flight); otherwise a miss that starts a
  // refresh. Waits at most max_wait for a running refresh. May return nullptr
  // when no snapshot was ever obtained.
  std::shared_ptr<const VersionedSnapshot> Get() override;

  // The current snapshot without counting or refreshing.
  std::shared_ptr<const VersionedSnapshot> Current() const override;

  // Asks for a refresh now (start-up) and waits up to `wait` for it.
  void RefreshAndWait(Millis wait);

  // Makes the next Get() a miss that refreshes (after a reload changed the queries);
  // the current snapshot keeps being served meanwhile.
  void Invalidate();

  bool attempted() const { return attempted_.load(); }
  Millis ttl() const override { return options_.ttl; }

 private:
  void Run();
  // Requires mu_. Waits until the refresh generation moves past `gen` or timeout.
  void WaitForGeneration(std::unique_lock<std::mutex>& lk, uint64_t gen, Millis wait);

  const Options options_;
  const std::unique_ptr<SnapshotProvider> provider_;
  const std::function<double()> now_;
  const Hooks hooks_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::shared_ptr<const VersionedSnapshot> current_;
  bool requested_ = false;
  bool refreshing_ = false;
  bool stop_ = false;
  bool invalid_ = false;
  uint64_t epoch_ = 0;       // bumped by Invalidate()
  std::string last_error_;   // guarded by mu_
  uint64_t generation_ = 0;  // finished refresh attempts.
  uint64_t version_ = 0;
  double last_failure_ = -1e18;
  std::atomic<bool> attempted_{false};
  std::thread thread_;
};

}  // namespace observd
