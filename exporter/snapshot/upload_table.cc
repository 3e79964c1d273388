#include "snapshot/upload_table.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <string_view>

#include "snapshot/app_snapshot.h"
#include "snapshot/replies.h"
#include "util/clock.h"

namespace observd {

std::vector<Command> BuildRecordSizeQueries(const KeysConfig& keys,
                                            const std::vector<std::string>& ids) {
  std::vector<Command> c;
  for (const auto& id : ids) {
    for (const char* field : kUploadFields) {
      c.push_back({"HSTRLEN", keys.upload_hash_prefix + id, field});
    }
  }
  return c;
}

Command BuildRecordRead(const KeysConfig& keys, const std::string& id) {
  Command c{"HMGET", keys.upload_hash_prefix + id};
  for (const char* field : kUploadFields) c.emplace_back(field);
  return c;
}

RecordCheck CheckRecordSizes(const ReplyPtr* lengths) {
  RecordCheck check;
  for (size_t f = 0; f < std::size(kUploadFields); ++f) {
    const redisReply* r = lengths[f].get();
    if (!r || r->type != REDIS_REPLY_INTEGER) {
      check.read = false;  // WRONGTYPE (not a hash) or garbage: nothing to read
      continue;
    }
    if (r->integer > kMaxUploadFieldBytes && check.note.empty()) {
      check.read = false;
      check.note = std::string("not read: its ") + kUploadFields[f] + " is " +
                   std::to_string(r->integer) + " bytes, over observd's bound of " +
                   std::to_string(kMaxUploadFieldBytes);
    }
  }
  return check;
}

Upload ReadUploadHash(const std::string& id, double timeline_score, const redisReply* reply) {
  Upload u;
  u.id = SanitizeText(id, 64);
  if (timeline_score > 0 && IsUnixTime(timeline_score)) u.created_at = timeline_score;
  if (!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements != std::size(kUploadFields)) {
    return u;
  }
  for (size_t k = 0; k < reply->elements; ++k) {
    const redisReply* v = reply->element[k];
    if (v->type != REDIS_REPLY_STRING) continue;
    std::string_view field = kUploadFields[k];
    std::string_view value(v->str, v->len);
    if (field == "filename") {
      u.filename = SanitizeText(value);
    } else if (field == "user") {
      u.user = SanitizeText(value, 64);
    } else if (field == "content_type") {
      u.content_type = SanitizeText(value, 100);
    } else if (field == "status") {
      u.status = SanitizeText(value, 32);
    } else if (field == "size") {
      auto d = ParseDouble(value);
      if (d && *d >= 0 && *d < 9e18 && *d == std::floor(*d)) u.size = static_cast<int64_t>(*d);
    } else if (field == "created_at") {
      auto d = ParseDouble(value);
      if (d && *d > 0 && IsUnixTime(*d)) u.created_at = *d;
    }
  }
  return u;
}

Result<> UploadTable::Read(RedisClient* client, AppSnapshot* s) const {
  auto newest = client->Pipeline({{"ZREVRANGE", keys_.uploads_timeline, "0",
                                   std::to_string(keys_.recent_uploads - 1), "WITHSCORES"}});
  if (!newest) return Fail(newest.error());
  if (auto ok = NoRefusal(*newest); !ok) return ok;
  std::vector<std::string> ids;
  std::vector<double> scores;
  const redisReply* range = newest->empty() ? nullptr : (*newest)[0].get();
  if (range && range->type == REDIS_REPLY_ARRAY) {
    for (size_t k = 0; k + 1 < range->elements; k += 2) {
      const redisReply* m = range->element[k];
      const redisReply* sc = range->element[k + 1];
      if (m->type != REDIS_REPLY_STRING || sc->type != REDIS_REPLY_STRING) continue;
      ids.emplace_back(m->str, m->len);  // raw: the hash key; sanitized by ReadUploadHash
      scores.push_back(ParseDouble({sc->str, sc->len}).value_or(NAN));
    }
  }
  s->recent.clear();
  s->skipped_records = 0;
  if (ids.empty()) return Ok();
  // How long each field is, before reading it: one reply of unbounded size (a 100 MB
  // field) would outlast the command timeout and cost the connection. HSTRLEN is O(1)
  // and answers with an integer (WRONGTYPE when the key is not a hash); HMGET then
  // reads the known fields only, however many others the hash has.
  auto lengths = client->Pipeline(BuildRecordSizeQueries(keys_, ids));
  if (!lengths) return Fail(lengths.error());
  if (auto ok = NoRefusal(*lengths); !ok) return ok;
  constexpr size_t kFields = std::size(kUploadFields);
  if (lengths->size() != ids.size() * kFields) return Fail("short reply to the record sizes");
  std::vector<Command> reads;
  std::vector<size_t> read_rows;
  for (size_t k = 0; k < ids.size(); ++k) {
    Upload u = ReadUploadHash(ids[k], scores[k], nullptr);  // the id and the score's time
    RecordCheck check = CheckRecordSizes(&(*lengths)[k * kFields]);
    u.note = check.note;
    if (check.read) {
      reads.push_back(BuildRecordRead(keys_, ids[k]));
      read_rows.push_back(k);
    } else if (!check.note.empty()) {
      ++s->skipped_records;
      LogSkipOnce(keys_.upload_hash_prefix + u.id, u.note);
    }
    s->recent.push_back(std::move(u));
  }
  if (reads.empty()) return Ok();
  auto records = client->Pipeline(reads);
  if (!records) return Fail(records.error());
  if (auto ok = NoRefusal(*records); !ok) return ok;
  for (size_t i = 0; i < read_rows.size() && i < records->size(); ++i) {
    const size_t k = read_rows[i];
    s->recent[k] = ReadUploadHash(ids[k], scores[k], (*records)[i].get());
  }
  return Ok();
}

void UploadTable::LogSkipOnce(const std::string& key, const std::string& why) const {
  if (logged_skips_.size() >= kMaxLoggedSkips || !logged_skips_.insert(key).second) return;
  spdlog::warn("snapshot: upload record {} {}; its row shows \"—\"", SanitizeText(key, 80), why);
}

}  // namespace observd
