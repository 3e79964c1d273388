// SnapshotSource computes an AppSnapshot from Redis with indexed queries only
// (ZCARD, ZCOUNT, SCARD, ZREVRANGE, HGETALL, plus the configured extra queries) in
// two pipelined round trips. Not thread-safe: used by the single refresher thread.
#pragma once

#include <functional>
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

// Interprets the first round trip's replies (same order as BuildSnapshotQueries) and
// returns the newest upload ids to fetch. Pure; never throws on garbage replies.
std::vector<std::string> ReadSnapshotReplies(const KeysConfig& keys,
                                             const std::vector<QueryConfig>& queries, double now,
                                             const std::vector<ReplyPtr>& replies,
                                             AppSnapshot* out);

// Fills one Upload from an HGETALL reply (nil/empty/error -> fields unknown).
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
  const KeysConfig keys_;
  const std::vector<QueryConfig> queries_;
  const std::string producer_;
  const std::string fingerprint_;
};

}  // namespace observd
