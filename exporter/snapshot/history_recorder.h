// HistoryRecorder closes each minute of observd's own series into a MinuteRow (Redis
// latency min/mean/max/p99 and failed PINGs from History's 1 s samples, requests,
// cache hits and misses), keeps it in History, and writes it to the SQLite store
// (store/HistoryStore) in one transaction a minute with that minute's 1 s samples, the
// annotations and the application buckets queued meanwhile; it trims rows past the
// retention once an hour. At start it restores the last hour of 1 s samples.
//
// A store that cannot be opened or written (corrupt, locked, read-only, full, another
// version) is one log line when that happens (and one when it recovers) and a "store"
// annotation: the rows stay in memory (bounded) and are retried every minute, live data
// is served meanwhile, and the page says history is not being kept. `kill -9` loses at
// most the minute being recorded plus the one waiting to be written.
//
// Thread-safety: thread-safe. One thread of its own; Read() from any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "model/history_rows.h"
#include "snapshot/annotations.h"
#include "snapshot/history.h"
#include "store/history_store.h"

namespace observd {

class HistoryRecorder {
 public:
  struct Options {
    std::string path;  // the store file; "" = memory only
    double retention_seconds = 30 * 86400.0;
  };
  // Cumulative snapshot cache hits and misses.
  using CacheCounts = std::function<std::pair<uint64_t, uint64_t>()>;

  HistoryRecorder(History* history, Annotations* annotations, CacheCounts cache,
                  std::function<double()> now, Options options);
  ~HistoryRecorder();
  HistoryRecorder(const HistoryRecorder&) = delete;
  HistoryRecorder& operator=(const HistoryRecorder&) = delete;

  // Opens the store (or says why not), restores the last hour and starts the thread.
  void Start();
  // Start() without the thread (tests drive Tick themselves).
  void Open();
  // What the thread does about every minute: closes the minutes that ended by `now`
  // and writes them (with `final`, the unfinished minute too). Tests call it directly.
  void Tick(double now, bool final = false);
  // Writes the closed minutes and the current one, then joins the thread.
  void Stop();

  StoreState state() const;
  // The application series' closed buckets go to the store through this (always
  // valid; saves are dropped and loads empty while no store is open).
  BucketStore* bucket_store() { return &buckets_; }
  // What the charts draw for `w` at `now`.
  HistoryWindow Read(const TimeWindow& w, double now);
  // Only the annotations of Read(w): one store read at most, none when memory covers w.
  std::vector<Annotation> ReadAnnotations(const TimeWindow& w);
  // Reads the open store has served (HistoryStore::reads); 0 without one.
  uint64_t store_reads() const;

 private:
  void Run();
  void CloseMinutes(double now);  // rows for the minutes that ended
  void Flush(double now);         // writes what is pending
  void TryOpen(double now);
  // `wrote`: a write has just committed (kOk only).
  void SetState(StoreState::Kind kind, std::string message, double now, bool wrote = false);
  // True when memory holds all the store has for `w` (Read then does not read the
  // store): every minute from w.first on was recorded by this process and is still in
  // History, and no annotation overlapping the window has left Annotations.
  bool MemoryCovers(const TimeWindow& w) const;
  // The store's (when given) and memory's annotations overlapping w, oldest first.
  std::vector<Annotation> WindowAnnotations(const TimeWindow& w, HistoryStore* store) const;
  MinuteRow OpenMinute(double now) const;

  class Buckets : public BucketStore {
   public:
    explicit Buckets(HistoryRecorder* r) : r_(r) {}
    void SaveBuckets(const std::string& fingerprint, const std::string& series, int64_t step,
                     const std::vector<BucketCount>& closed) override;
    std::vector<BucketCount> LoadBuckets(const std::string& fingerprint, const std::string& series,
                                         int64_t step, int64_t from, int64_t to) override;

   private:
    HistoryRecorder* const r_;
  };
  std::shared_ptr<HistoryStore> Store() const;

  History* const history_;
  Annotations* const annotations_;
  const CacheCounts cache_;
  const std::function<double()> now_;
  const Options options_;

  mutable std::mutex mu_;  // guards everything below
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
  StoreState state_;
  std::shared_ptr<HistoryStore> store_;
  double started_ = 0;                   // when Open ran
  std::optional<int64_t> store_oldest_;  // the store's oldest minute, kept by the writer
  int64_t next_minute_ = 0;              // the unix minute to close next
  std::pair<uint64_t, uint64_t> cache_at_minute_{0, 0};
  StoreBatch pending_;
  double next_open_try_ = 0;
  double next_trim_ = 0;
  Buckets buckets_{this};
};

}  // namespace observd
