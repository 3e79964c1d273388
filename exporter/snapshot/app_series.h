// AppSeries counts uploads and workflow runs per time bucket from the application's sorted
// sets (bucket [t, t + step) is `ZCOUNT key t (t+step`). A closed bucket is counted once and
// kept (memory, bounded; optional BucketStore); the open one at most once per TTL; the
// trailing ones (ended, still open to late writes) are checked at most once per TTL by one
// ZCOUNT over their span a series, and counted one by one only when that total changed.
// Thread-safe: one caller counts at a time (never holding the cache lock while it waits on
// Redis); the others wait at most `max_wait` for it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "model/app_series_view.h"
#include "model/bucket_store.h"
#include "model/time_window.h"
#include "redis/redis_client.h"
#include "snapshot/snapshot_source.h"
#include "util/duration.h"
#include "util/result.h"

namespace observd {

// One application series: its name in the store ("uploads", "runs:<status>"), its
// sorted set, and its run status ("" for uploads).
struct AppSeriesKey {
  std::string name;
  std::string key;
  std::string status;
  bool operator==(const AppSeriesKey&) const = default;
};

// The series of `keys`: uploads, then one per configured workflow status. Pure.
std::vector<AppSeriesKey> AppSeriesKeys(const KeysConfig& keys);

// The count of bucket [t, t + step) of `key`: `ZCOUNT key t (t+step`. Pure.
Command BucketCountCommand(const std::string& key, int64_t t, int64_t step);

class AppSeries : public AppSeriesReader {
 public:
  // Sends `commands` in one pipeline and returns one reply each (RedisClient::Pipeline);
  // called by one thread at a time.
  using Pipeline = RedisPipeline;

  struct Options {
    // How long a count of the open or a trailing bucket is served (the snapshot's TTL).
    Millis ttl{30000};
    // A bucket is closed, and counted for good, once it ended this long ago. Runs are
    // written when they finish (scored by their start or end), an upload's score may lag
    // its write: 5 minutes covers the demo's runs (at most 60 s) and queueing delays with
    // room to spare; later changes to a closed bucket (a trim, a very late run, a run
    // leaving the `running` set) are not seen.
    int64_t trailing_seconds = kSettleSeconds;
    // How long a caller waits for another caller's count before answering what is known
    // (the rest unknown). Its own count waits on Redis at most the client's timeouts.
    Millis max_wait{250};
    // Counts kept in memory (about 80 bytes each; 50,000 is about 4 MB): beyond it the
    // least recently read series/step is dropped (the store still has its closed counts).
    size_t max_entries = 50000;
  };

  struct Stats {
    uint64_t batches = 0;   // pipelines sent
    uint64_t commands = 0;  // ZCOUNTs sent
    uint64_t waits = 0;     // reads that waited for another read's count
    uint64_t waiting = 0;   // reads waiting for one now
    size_t entries = 0;     // counts kept in memory
  };

  // `store` may be null (memory only); it must outlive this object and is called by one
  // thread at a time. `now`: unix seconds.
  AppSeries(Options options, Pipeline pipeline, std::shared_ptr<const SnapshotSource> source,
            BucketStore* store, std::function<double()> now);
  AppSeries(const AppSeries&) = delete;
  AppSeries& operator=(const AppSeries&) = delete;

  // The counts over `range`: from memory, then the store, then one pipelined batch for
  // the buckets still missing. What Redis did not answer with a count is unknown
  // (nullopt) and is not kept; a bucket starting after now is unknown. Fails only on a
  // malformed range (CheckBucketRange).
  Result<AppSeriesView> Read(const BucketRange& range) override;

  // Counts with these keys from now on (SIGHUP). Counts kept under another fingerprint
  // are dropped: they belong to other keys.
  void SetSource(std::shared_ptr<const SnapshotSource> source);

  Stats stats() const;

 private:
  struct Entry {
    int64_t count = 0;
    double counted_at = 0;  // unix seconds
    bool closed = false;    // counted after the bucket closed: final
  };
  // fingerprint, series name, step
  using GroupKey = std::tuple<std::string, std::string, int64_t>;
  struct Group {
    std::map<int64_t, Entry> buckets;  // by bucket start
    uint64_t used = 0;                 // last read (a sequence number)
  };
  struct Missing {
    size_t series;  // index into Plan::series
    size_t index;   // bucket index in the range
    int64_t t;
    bool closed;
    std::optional<int64_t> previous;  // an earlier count of a bucket that has ended
  };
  // One read: what memory answered and what is still missing.
  struct Plan {
    std::string fingerprint;
    std::vector<AppSeriesKey> series;
    std::vector<std::vector<MaybeInt>> counts;  // per series, per bucket
    std::vector<Missing> missing;
  };

  Plan Lookup(const BucketRange& range, double now);
  // Only by the reader that set counting_. Fills closed buckets of `plan` from the store.
  void LoadClosed(const BucketRange& range, Plan* plan);
  // Only by the reader that set counting_. Counts the rest of `plan.missing`: buckets that
  // have ended and were counted before are checked first, one ZCOUNT over their whole
  // span a series, and kept when the total is unchanged (a late run moves it); the rest,
  // and the spans whose total changed, one ZCOUNT a bucket. At most two pipelines.
  void Count(const BucketRange& range, double now, Plan* plan);
  // Only by the reader that set counting_. Sends `commands` (stats, logs); nullopt when
  // the batch failed or Redis refused.
  std::optional<std::vector<ReplyPtr>> Send(const std::vector<Command>& commands);
  // Requires mu_. Keeps `entry` for bucket `t` of `key`; drops least recently read
  // groups beyond max_entries.
  void Keep(const GroupKey& key, int64_t t, const Entry& entry);
  void Evict();
  static AppSeriesView ToView(const BucketRange& range, Plan&& plan);

  const Options options_;
  const Pipeline pipeline_;
  BucketStore* const store_;
  const std::function<double()> now_;

  mutable std::mutex mu_;  // guards the following
  // Set by the one reader that counts (and so uses pipeline_ and store_); cleared, with
  // counted_ notified, when it is done.
  bool counting_ = false;
  std::condition_variable counted_;
  std::shared_ptr<const SnapshotSource> source_;
  std::map<GroupKey, Group> groups_;
  size_t entries_ = 0;
  uint64_t reads_ = 0;
  Stats stats_;
};

}  // namespace observd
