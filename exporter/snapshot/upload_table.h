// UploadTable reads the recent uploads table apart from the counts, with no reply of
// unbounded size: ZREVRANGE of the newest ids, HSTRLEN of each known field, then HMGET
// of those fields for records where none is over kMaxUploadFieldBytes. A record over
// the bound costs its own row (a note, a count, one log line), never the table or the
// counts. Not thread-safe: used by the single refresher thread.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/app_snapshot.h"
#include "redis/redis_client.h"
#include "util/result.h"

namespace observd {

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

class UploadTable {
 public:
  explicit UploadTable(KeysConfig keys) : keys_(std::move(keys)) {}
  UploadTable(const UploadTable&) = delete;
  UploadTable& operator=(const UploadTable&) = delete;

  // Fills s->recent and s->skipped_records; fails when the table could not be read
  // (the caller keeps the counts and says so on the page).
  Result<> Read(RedisClient* client, AppSnapshot* s) const;

 private:
  // Logs a skipped record once per key (the same record is seen at every refresh).
  void LogSkipOnce(const std::string& key, const std::string& why) const;

  static constexpr size_t kMaxLoggedSkips = 1000;
  const KeysConfig keys_;
  mutable std::set<std::string> logged_skips_;
};

}  // namespace observd
