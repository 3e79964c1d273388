#include "snapshot/upload_table.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <string_view>

#include "snapshot/app_snapshot.h"
#include "snapshot/replies.h"
#include "util/clock.h"

namespace observd {

std::vector<Command> BuildRecordMeasure(const KeysConfig& keys, const std::string& id) {
  const std::string key = keys.upload_hash_prefix + id;
  return {{"OBJECT", "ENCODING", key}, {"MEMORY", "USAGE", key}};
}

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

namespace {

// A refusal that says the command is not allowed or not known (an ACL without it, an
// older server), as opposed to a passing state (LOADING, BUSY).
bool Unsupported(const redisReply* r) {
  if (!r || r->type != REDIS_REPLY_ERROR) return false;
  const std::string_view e(r->str, r->len);
  return e.starts_with("NOPERM") || e.starts_with("ERR unknown") || e.starts_with("ERR Unknown");
}

}  // namespace

RecordMeasure ReadRecordMeasure(const redisReply* encoding, const redisReply* usage) {
  if (!encoding || !usage) return RecordMeasure::kUnmeasured;
  if (encoding->type == REDIS_REPLY_NIL && usage->type == REDIS_REPLY_NIL) {
    return RecordMeasure::kMissing;
  }
  if (encoding->type == REDIS_REPLY_ERROR || usage->type == REDIS_REPLY_ERROR) {
    return RecordMeasure::kUnmeasured;
  }
  if (encoding->type != REDIS_REPLY_STRING || usage->type != REDIS_REPLY_INTEGER) {
    return RecordMeasure::kLarge;  // e.g. deleted between the two: measure its fields
  }
  // A compact hash (listpack since Redis 7, ziplist before) is one blob whose size
  // MEMORY USAGE reports exactly; its values are inside it. Other encodings are sampled.
  const std::string_view enc(encoding->str, encoding->len);
  const bool compact = enc == "listpack" || enc == "ziplist";
  return compact && usage->integer <= kMaxUploadFieldBytes ? RecordMeasure::kSmall
                                                           : RecordMeasure::kLarge;
}

namespace {

constexpr const char* kNotAHashNote = "not read: the key is not a hash (WRONGTYPE)";

bool IsWrongType(const redisReply* r) {
  return r && r->type == REDIS_REPLY_ERROR &&
         std::string_view(r->str, r->len).starts_with("WRONGTYPE");
}

std::string OverBoundNote(size_t field, long long bytes) {
  return std::string("not read: its ") + kUploadFields[field] + " is " + std::to_string(bytes) +
         " bytes, over observd's bound of " + std::to_string(kMaxUploadFieldBytes);
}

}  // namespace

RecordCheck CheckRecordSizes(const ReplyPtr* lengths) {
  RecordCheck check;
  for (size_t f = 0; f < std::size(kUploadFields); ++f) {
    const redisReply* r = lengths[f].get();
    if (!r || r->type != REDIS_REPLY_INTEGER) {
      check.read = false;  // WRONGTYPE (not a hash) or garbage: nothing to read
      if (IsWrongType(r) && check.note.empty()) check.note = kNotAHashNote;
      continue;
    }
    if (r->integer > kMaxUploadFieldBytes && check.note.empty()) {
      check.read = false;
      check.note = OverBoundNote(f, r->integer);
    }
  }
  return check;
}

RecordCheck CheckReadSizes(const redisReply* values) {
  RecordCheck check;
  if (values && values->type == REDIS_REPLY_ERROR) {
    check.read = false;  // WRONGTYPE (not a hash): its fields are unknown
    if (IsWrongType(values)) check.note = kNotAHashNote;
    return check;
  }
  if (!values || values->type != REDIS_REPLY_ARRAY) return check;  // garbage: unknown fields
  for (size_t f = 0; f < values->elements && f < std::size(kUploadFields); ++f) {
    const redisReply* v = values->element[f];
    if (v->type == REDIS_REPLY_STRING && v->len > static_cast<size_t>(kMaxUploadFieldBytes)) {
      check.read = false;
      check.note = OverBoundNote(f, static_cast<long long>(v->len));
      break;
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

Result<> UploadTable::Read(const RedisPipeline& pipeline, double now, AppSnapshot* s) const {
  s->recent.clear();
  s->skipped_records = 0;
  std::unordered_map<std::string, Known> known;
  known.swap(known_);  // a failure below leaves nothing trusted
  auto newest = pipeline({{"ZREVRANGE", keys_.uploads_timeline, "0",
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
  if (!careful_) {
    auto read = ReadRecords(pipeline, ids, scores, known, /*measure_new=*/false, now, s);
    if (read) return read;
    // Most likely a reply over the connection's bound (a record grown, or huge and
    // never measured): read again at once, measuring every record before reading it.
    spdlog::debug("snapshot: uploads table: {}; read again, every record measured first",
                  read.error());
    careful_ = true;
  }
  auto read = ReadRecords(pipeline, ids, scores, {}, /*measure_new=*/true, now, s);
  if (read) careful_ = false;
  return read;
}

Result<> UploadTable::ReadRecords(const RedisPipeline& pipeline,
                                  const std::vector<std::string>& ids,
                                  const std::vector<double>& scores,
                                  const std::unordered_map<std::string, Known>& known,
                                  bool measure_new, double now, AppSnapshot* s) const {
  s->recent.clear();
  s->skipped_records = 0;
  const Step first_step = !measure_new ? Step::kRead
                          : measure_   ? Step::kMeasure
                                       : Step::kCheckFields;
  std::vector<Step> steps;
  for (size_t k = 0; k < ids.size(); ++k) {
    s->recent.push_back(ReadUploadHash(ids[k], scores[k], nullptr));  // id, score's time
    auto it = known.find(ids[k]);
    if (it == known.end()) {
      steps.push_back(first_step);
    } else if (it->second.read) {
      // Recent (or scored in the future) and not in a final status: its status may
      // change. Settled: kept a while.
      const bool settled =
          scores[k] <= now - kSettleSeconds || IsFinalUploadStatus(it->second.row.status);
      if (settled && now - it->second.read_at < kSettleSeconds) {
        steps.push_back(Step::kDone);
        s->recent[k] = it->second.row;
      } else {
        steps.push_back(Step::kRead);
      }
    } else if (now - it->second.read_at >= kSettleSeconds) {
      steps.push_back(measure_ ? Step::kMeasure : Step::kCheckFields);  // fixed since?
    } else {
      steps.push_back(Step::kDone);  // skipped: over the bound (a note), or not a hash
      s->recent[k].note = it->second.note;
      if (!it->second.note.empty()) ++s->skipped_records;
    }
  }
  std::unordered_map<std::string, Known> learnt;
  // At most three rounds: measure, measure each field, read.
  for (int round = 0; round < 3; ++round) {
    std::vector<Command> commands;
    std::vector<size_t> first;  // each row's first reply
    for (size_t k = 0; k < ids.size(); ++k) {
      first.push_back(commands.size());
      std::vector<Command> c;
      if (steps[k] == Step::kMeasure) c = BuildRecordMeasure(keys_, ids[k]);
      if (steps[k] == Step::kCheckFields) c = BuildRecordSizeQueries(keys_, {ids[k]});
      if (steps[k] == Step::kRead) c = {BuildRecordRead(keys_, ids[k])};
      for (auto& command : c) commands.push_back(std::move(command));
    }
    if (commands.empty()) break;
    auto replies = pipeline(commands);
    if (!replies) return Fail(replies.error());
    if (replies->size() != commands.size()) return Fail("short reply to the uploads table");
    for (size_t k = 0; k < ids.size(); ++k) {
      const size_t n = (k + 1 < ids.size() ? first[k + 1] : commands.size()) - first[k];
      if (n == 0) continue;  // done before this round
      const ReplyPtr* r = replies->data() + first[k];
      if (steps[k] == Step::kMeasure) {
        const RecordMeasure m = ReadRecordMeasure(r[0].get(), r[1].get());
        if (m == RecordMeasure::kUnmeasured) {
          if (!Unsupported(r[0].get()) && !Unsupported(r[1].get())) {
            if (auto ok = NoRefusal({r, n}); !ok) return ok;  // LOADING, BUSY...
          } else if (measure_) {
            measure_ = false;  // an ACL or server without them: say it once
            spdlog::warn(
                "snapshot: Redis refused OBJECT ENCODING or MEMORY USAGE; each new "
                "upload record's fields are measured instead (HSTRLEN, 6 commands a "
                "record); add +object|encoding +memory|usage to observd's ACL user");
          }
        }
        steps[k] = m == RecordMeasure::kSmall     ? Step::kRead
                   : m == RecordMeasure::kMissing ? Step::kDone
                                                  : Step::kCheckFields;
        continue;
      }
      if (auto ok = NoRefusal({r, n}); !ok) return ok;
      const Step step = steps[k];
      // The fields' lengths, or the fields themselves when read unmeasured (or grown
      // since): either way no field over the bound is shown.
      const RecordCheck check =
          step == Step::kCheckFields ? CheckRecordSizes(r) : CheckReadSizes(r[0].get());
      steps[k] = step == Step::kCheckFields && check.read ? Step::kRead : Step::kDone;
      if (check.read) {
        if (step == Step::kCheckFields) continue;
        s->recent[k] = ReadUploadHash(ids[k], scores[k], r[0].get());
        learnt[ids[k]] = {true, "", s->recent[k], now};
        continue;
      }
      learnt[ids[k]] = {false, check.note, {}, now};
      if (check.note.empty()) continue;  // garbage replies: its fields are unknown
      s->recent[k].note = check.note;
      ++s->skipped_records;
      LogSkipOnce(keys_.upload_hash_prefix + s->recent[k].id, check.note);
    }
  }
  for (size_t k = 0; k < ids.size(); ++k) {
    if (auto it = known.find(ids[k]); it != known.end()) learnt.insert(*it);  // not re-read
  }
  known_ = std::move(learnt);
  return Ok();
}

void UploadTable::LogSkipOnce(const std::string& key, const std::string& why) const {
  if (logged_skips_.size() >= kMaxLoggedSkips || !logged_skips_.insert(key).second) return;
  spdlog::warn("snapshot: upload record {} {}; its row shows \"—\"", SanitizeText(key, 80), why);
}

}  // namespace observd
