// SnapshotSource computes an AppSnapshot from Redis with indexed queries only. The
// counts (ZCARD, ZCOUNT, SCARD, the configured extra queries) are one pipelined round
// trip, a list of query rows: each data point's commands are built next to the code
// that reads their replies, and a plan records which replies each row owns. The recent
// uploads table is read apart (ZREVRANGE, HSTRLEN of each known field, HMGET of those
// fields when none is over kMaxUploadFieldBytes), so no reply is of unbounded size and
// a bad record costs its own row. Not thread-safe: used by the single refresher thread.
#pragma once

#include <functional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/app_snapshot.h"
#include "redis/redis_client.h"
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

// The fields of an upload record observd reads (HMGET, in this order); others are
// never transferred.
inline constexpr const char* kUploadFields[] = {"filename", "size",   "content_type",
                                                "user",     "status", "created_at"};
// A record with a known field longer than this is not read: its row says so. Real
// fields are tens of bytes (a filename is cut to 200 characters when shown).
inline constexpr int64_t kMaxUploadFieldBytes = 16 * 1024;

// HSTRLEN <prefix><id> <field> for each id and each of kUploadFields. Pure.
std::vector<Command> BuildRecordSizeQueries(const KeysConfig& keys,
                                            const std::vector<std::string>& ids);
// HMGET <prefix><id> kUploadFields... Pure.
Command BuildRecordRead(const KeysConfig& keys, const std::string& id);

// Whether to read one record, from its std::size(kUploadFields) HSTRLEN replies
// starting at `lengths`: not when a field is over the bound (then `note` says which
// and how long), nor when the key is not a hash (WRONGTYPE: its fields are unknown).
struct RecordCheck {
  bool read = true;
  std::string note;
};
RecordCheck CheckRecordSizes(const ReplyPtr* lengths);

// Fills one Upload from an HMGET reply of kUploadFields (nil/error/other shape ->
// fields unknown; null reply -> only the id and the score's time).
Upload ReadUploadHash(const std::string& id, double timeline_score, const redisReply* reply);

class SnapshotSource {
 public:
  SnapshotSource(KeysConfig keys, std::vector<QueryConfig> queries, std::string producer);
  SnapshotSource(const SnapshotSource&) = delete;
  SnapshotSource& operator=(const SnapshotSource&) = delete;

  // Runs the queries on `client`; fails on an I/O failure or a refusal (IsRefusal).
  Result<AppSnapshot> Compute(RedisClient* client, double now) const;

  // Identifies the keys and queries: a shared snapshot computed with others is not used.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  // Fills s->recent (and skipped_records); fails when the table could not be read
  // (the caller keeps the counts).
  Result<> ReadRecentUploads(RedisClient* client, AppSnapshot* s) const;
  // Logs a skipped record once per key (the same record is seen at every refresh).
  void LogSkipOnce(const std::string& key, const std::string& why) const;

  static constexpr size_t kMaxLoggedSkips = 1000;
  const KeysConfig keys_;
  const std::string producer_;
  const std::string fingerprint_;
  const std::vector<QueryRow> rows_;
  mutable std::set<std::string> logged_skips_;
};

}  // namespace observd
