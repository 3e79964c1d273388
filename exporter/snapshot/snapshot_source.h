// SnapshotSource computes an AppSnapshot from Redis with indexed queries only. The
// counts (ZCARD, ZCOUNT, SCARD, the configured extra queries) are one pipelined round
// trip, a list of query rows: each data point's commands are built next to the code
// that reads their replies, and a plan records which replies each row owns. The recent
// uploads table is read apart (UploadTable), so a bad record costs its own row, never
// the counts. Not thread-safe: used by the single refresher thread.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/app_snapshot.h"
#include "redis/redis_client.h"
#include "snapshot/upload_table.h"
#include "util/result.h"

namespace observd {

// One data point of the first round trip.
struct QueryRow {
  // Appends the row's commands for `now` (unix seconds).
  std::function<void(double now, std::vector<Command>* out)> build;
  // Reads the replies to exactly those commands, in order, into the snapshot. A short
  // reply list ends early (a missing reply is a null ReplyPtr); garbage reads as
  // unknown. Never throws.
  std::function<void(double now, std::span<const ReplyPtr> replies, AppSnapshot* out)> read;
};

// The rows for the configured keys and extra queries. Adding a data point means: its
// field in AppSnapshot (model/app_snapshot.h), one row here, and its presentation
// (render/, metrics/). Pure.
std::vector<QueryRow> SnapshotRows(const KeysConfig& keys, const std::vector<QueryConfig>& queries);

// The first round trip's commands for one `now`, and which of them each row owns.
struct QueryPlan {
  double now = 0;
  std::vector<Command> commands;
  std::vector<size_t> row_ends;  // row i owns commands [row_ends[i - 1], row_ends[i]).
};
QueryPlan PlanSnapshotQueries(const std::vector<QueryRow>& rows, double now);

// Reads the replies to `plan.commands` (same order) into a new snapshot, each row its
// own. Pure; a short or garbage reply list reads as unknown values.
AppSnapshot ReadSnapshotReplies(const std::vector<QueryRow>& rows, const QueryPlan& plan,
                                const std::vector<ReplyPtr>& replies);

// The first round trip's commands for `now`, straight from the configuration; for
// tests and benchmarks.
std::vector<Command> BuildSnapshotQueries(const KeysConfig& keys,
                                          const std::vector<QueryConfig>& queries, double now);

class SnapshotSource {
 public:
  SnapshotSource(KeysConfig keys, std::vector<QueryConfig> queries, std::string producer);
  SnapshotSource(const SnapshotSource&) = delete;
  SnapshotSource& operator=(const SnapshotSource&) = delete;

  // Runs the counts on `counts` and reads the uploads table on `table` (may be the same
  // client); fails on the counts' I/O failure or refusal (IsRefusal). A table that cannot
  // be read is said in the snapshot (recent_error), never a failure.
  Result<AppSnapshot> Compute(RedisClient* counts, RedisClient* table, double now) const;

  // Identifies the keys and queries: a shared snapshot computed with others is not used.
  const std::string& fingerprint() const { return fingerprint_; }
  // The configured keys (AppSeries counts the same sorted sets per time bucket).
  const KeysConfig& keys() const { return keys_; }

 private:
  const KeysConfig keys_;
  const std::string producer_;
  const std::string fingerprint_;
  const std::vector<QueryRow> rows_;
  const UploadTable uploads_;
};

}  // namespace observd
