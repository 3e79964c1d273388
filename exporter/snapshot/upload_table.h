// UploadTable reads the recent uploads table apart from the counts, with no reply of
// unbounded size and few commands. ZREVRANGE gives the newest ids. A record seen for the
// first time is measured before it is read: OBJECT ENCODING + MEMORY USAGE (two O(1)
// commands; a listpack/ziplist hash's size is exact), and only a record that is not
// small that way has each known field measured (HSTRLEN). A record over the bound costs
// its own row (a note, a count, one log line), never the table or the counts.
// What was learnt of a record is remembered while it stays in the table: a record found
// small is read with one HMGET per refresh while it is recent (kSettleSeconds: its
// status may still change), then once per kSettleSeconds; a skipped one costs no command
// until it is measured again a kSettleSeconds later. After any failed read nothing is
// trusted: every record is measured again. A record that grew past the bound after it was
// measured costs one refresh of the table and, through the connection its reply drops,
// the counts a reconnect (the last snapshot is served meanwhile). Not thread-safe: used
// by the single refresher thread.
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/config.h"
#include "model/app_snapshot.h"
#include "model/time_window.h"
#include "redis/redis_client.h"
#include "util/result.h"

namespace observd {

// The fields of an upload record observd reads (HMGET, in this order); others are
// never transferred.
inline constexpr const char* kUploadFields[] = {"filename", "size",   "content_type",
                                                "user",     "status", "created_at"};
// A record with a known field longer than this is not read: its row says so. Real
// fields are tens of bytes (a filename is cut to 200 characters when shown). A compact
// (listpack) record whose whole size is within it is read without measuring its fields.
inline constexpr int64_t kMaxUploadFieldBytes = 16 * 1024;
// The most the table's connection receives towards one reply: a record read is at most
// six fields of kMaxUploadFieldBytes, the timeline read keys.recent_uploads (≤ 1,000)
// ids. A reply over it (a huge member of the timeline, a record grown since it was
// measured) costs the table that connection and that refresh, never more than this.
inline constexpr size_t kMaxUploadTableReplyBytes = 1024 * 1024;

// OBJECT ENCODING <prefix><id>, MEMORY USAGE <prefix><id>: the record's size in two
// O(1) commands (MEMORY USAGE samples a large hash, but is exact for a compact one). Pure.
std::vector<Command> BuildRecordMeasure(const KeysConfig& keys, const std::string& id);
// HSTRLEN <prefix><id> <field> for each id and each of kUploadFields. Pure.
std::vector<Command> BuildRecordSizeQueries(const KeysConfig& keys,
                                            const std::vector<std::string>& ids);
// HMGET <prefix><id> kUploadFields... Pure.
Command BuildRecordRead(const KeysConfig& keys, const std::string& id);

// What the two replies to BuildRecordMeasure say. Pure.
enum class RecordMeasure {
  kSmall,       // compact and within kMaxUploadFieldBytes: read it
  kLarge,       // another encoding, or larger: measure each field first
  kMissing,     // no such key: nothing to read
  kUnmeasured,  // refused (an ACL without OBJECT or MEMORY) or garbage
};
RecordMeasure ReadRecordMeasure(const redisReply* encoding, const redisReply* usage);

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
  // (the caller keeps the counts and says so on the page). Remembers what it learnt
  // of each record for the next call (hence the mutable members below).
  // `now`: unix seconds.
  Result<> Read(const RedisPipeline& pipeline, double now, AppSnapshot* s) const;

 private:
  // One record's next step; each round of Read sends every row's step in one pipeline.
  enum class Step { kMeasure, kCheckFields, kRead, kDone };
  // What an earlier refresh learnt of a record: read it at once (what it read, when),
  // or skip it (why).
  struct Known {
    bool read = false;
    std::string note;
    Upload row;
    double read_at = 0;
  };

  // Logs a skipped record once per key (the same record is seen at every refresh).
  void LogSkipOnce(const std::string& key, const std::string& why) const;

  static constexpr size_t kMaxLoggedSkips = 1000;
  const KeysConfig keys_;
  mutable std::set<std::string> logged_skips_;
  // Records of the last table read (by raw id); replaced at every read, cleared by a
  // failure.
  mutable std::unordered_map<std::string, Known> known_;
  // False once Redis refused OBJECT ENCODING or MEMORY USAGE (an older ACL): every
  // new record then has its fields measured.
  mutable bool measure_ = true;
};

}  // namespace observd
