// SnapshotSource computes an AppSnapshot from Redis with indexed queries only: the
// counts (ZCARD, ZCOUNT, SCARD and the configured queries) in one pipelined round
// trip, then the recent uploads table apart (ZREVRANGE, HSTRLEN of each known field,
// HMGET of those fields when none is over kMaxUploadFieldBytes), so that no reply is
// of unbounded size and a bad record costs its own row. Not thread-safe: used by the
// single refresher thread.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "redis/redis_client.h"
#include "snapshot/app_snapshot.h"

namespace observd {

// Builds the first round trip's commands for `now` (unix seconds). Pure; exposed for
// tests and benchmarks.
std::vector<Command> BuildSnapshotQueries(const KeysConfig& keys,
                                          const std::vector<QueryConfig>& queries, double now);

// Interprets the first round trip's replies (same order as BuildSnapshotQueries).
// Pure; never throws on garbage replies.
void ReadSnapshotReplies(const KeysConfig& keys, const std::vector<QueryConfig>& queries,
                         double now, const std::vector<ReplyPtr>& replies, AppSnapshot* out);

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

  // Runs the queries on `client`. On an I/O failure returns false with `*error` set;
  // `*out` is then unchanged.
  bool Compute(RedisClient* client, double now, AppSnapshot* out, std::string* error) const;

  // Identifies the keys and queries: a shared snapshot computed with others is not used.
  const std::string& fingerprint() const { return fingerprint_; }

 private:
  // Fills s->recent (and skipped_records). False, with `*error`, when the table could
  // not be read; the caller keeps the counts.
  bool ReadRecentUploads(RedisClient* client, AppSnapshot* s, std::string* error) const;
  // Logs a skipped record once per key (the same record is seen at every refresh).
  void LogSkipOnce(const std::string& key, const std::string& why) const;

  static constexpr size_t kMaxLoggedSkips = 1000;
  const KeysConfig keys_;
  const std::vector<QueryConfig> queries_;
  const std::string producer_;
  const std::string fingerprint_;
  mutable std::set<std::string> logged_skips_;
};

}  // namespace observd
