// UploadTable reads the recent uploads table apart from the counts, on a connection
// whose replies are bounded (kMaxUploadTableReplyBytes), with few commands. ZREVRANGE
// gives the newest ids; a record seen for the first time is read at once (HMGET of its
// known fields), and a field over kMaxUploadFieldBytes costs its own row (a note, a
// count, one log line). A reply over the connection's bound (a huge record) fails that
// attempt; the table is then read again at once, every record measured before it is read:
// OBJECT ENCODING + MEMORY USAGE (two O(1) commands; a listpack/ziplist hash's size is
// exact), and each known field's HSTRLEN for a record that is not small that way. So a
// bad record costs its own row, never the table or the counts.
// What was learnt of a record is remembered while it stays in the table: a record read
// is read again with one HMGET per refresh while it is recent (kSettleSeconds) and not
// in a final status (IsFinalUploadStatus: its status may still change), else once per
// kSettleSeconds; a skipped one costs no command
// until it is measured again a kSettleSeconds later. After a read fails twice nothing is
// trusted: the next refresh measures every record first. Not thread-safe: used by the
// single refresher thread.
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
// and how long), nor when the key is not a hash (WRONGTYPE: `note` says so). Either is
// a counted skip with its note in the row.
struct RecordCheck {
  bool read = true;
  std::string note;
};
RecordCheck CheckRecordSizes(const ReplyPtr* lengths);
// The same from an HMGET reply of kUploadFields (a record read without being measured).
RecordCheck CheckReadSizes(const redisReply* values);

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

  // One attempt at the rows of `ids`: records in `known` as it says, the others read at
  // once (HMGET) or, with `measure_new`, measured first. Fills s and, on success, known_.
  Result<> ReadRecords(const RedisPipeline& pipeline, const std::vector<std::string>& ids,
                       const std::vector<double>& scores,
                       const std::unordered_map<std::string, Known>& known, bool measure_new,
                       double now, AppSnapshot* s) const;
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
  // True after a failed read until a read succeeds: every record is measured first.
  mutable bool careful_ = false;
};

}  // namespace observd
