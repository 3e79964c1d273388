// The rows of observd's own history, as kept in memory (snapshot/History), in the
// store (store/HistoryStore) and drawn by the site: one MinuteRow per minute observd
// observed, and the same struct for a wider bucket aggregated from minutes
// (model/time_window.h). What observd did not observe has no row: a gap, never a zero.
// Plain data; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/history_view.h"
#include "model/time_window.h"

namespace observd {

struct MinuteRow {
  int64_t t = 0;        // unix seconds of the bucket's start (a minute, or a wider step)
  int64_t samples = 0;  // Redis PINGs attempted
  int64_t failed = 0;   // of which failed
  // Latency of the PINGs that answered, in ms; nullopt when none did. p99 of a bucket
  // wider than a minute is the worst minute's p99 (minutes keep no histogram).
  std::optional<double> min_ms{}, mean_ms{}, max_ms{}, p99_ms{};
  int64_t requests = 0;                   // HTTP requests observd answered
  std::optional<int64_t> cache_hits{};    // snapshot cache reads that were hits
  std::optional<int64_t> cache_misses{};  // ... and misses; nullopt when not counted
  bool operator==(const MinuteRow&) const = default;
};

// Whether history is being kept, for the page and the log: kOk (the store is
// written), kMemory (history.path is empty: the last 24 hours in memory only) or
// kFailed (the store could not be opened or written; `message` says why).
struct StoreState {
  enum class Kind { kOk, kMemory, kFailed };
  Kind kind = Kind::kMemory;
  std::string message;
  int64_t retention_seconds = 0;
  // Known while the store is kept (kOk): the file and its WAL after the last write,
  // and when that write committed (unix seconds).
  std::optional<int64_t> size_bytes;
  std::optional<double> last_write;
  std::optional<double> since;  // the oldest minute in the store (unix seconds)
  bool operator==(const StoreState&) const = default;
};
const char* StoreStateName(StoreState::Kind kind);

// What the charts draw for one window (snapshot/ReadHistoryWindow).
struct HistoryWindow {
  TimeWindow window;
  std::optional<int64_t> open_bucket;  // start of the unfinished bucket, when in the window
  std::optional<double> since;         // the oldest time observd's own series cover
  StoreState store;
  std::vector<LatencySample> latency;  // 1 s samples in the window (spans up to an hour)
  std::vector<MinuteRow> buckets;      // one per observed bucket of the window, oldest first
  std::vector<Annotation> annotations;
};

// The summary of `minutes` (oldest first, all inside one bucket starting at `t`).
MinuteRow MergeRows(int64_t t, const std::vector<MinuteRow>& minutes);

// The 1 s latency samples of one minute [t, t+60) summarised as a row (requests and
// cache counts left for the caller).
MinuteRow SummariseMinute(int64_t t, const std::vector<LatencySample>& samples);

}  // namespace observd
