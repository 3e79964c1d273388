#include "snapshot/snapshot_source.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "config/query_kind.h"
#include "util/clock.h"
#include "util/hash.h"

namespace observd {
namespace {

std::string Num(double v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed, 3);
  return std::string(buf, p);
}

// "(v": an exclusive ZCOUNT bound. (Built with += to dodge a GCC 12 -Wrestrict false
// positive on operator+(const char*, string&&).)
std::string Excl(double v) {
  std::string s = "(";
  s += Num(v);
  return s;
}

MaybeInt IntReply(const ReplyPtr& r) {
  if (r && r->type == REDIS_REPLY_INTEGER && r->integer >= 0) return r->integer;
  return std::nullopt;
}

std::optional<double> ParseDouble(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> NumberReply(const ReplyPtr& r) {
  if (!r) return std::nullopt;
  if (r->type == REDIS_REPLY_INTEGER) return static_cast<double>(r->integer);
  if (r->type == REDIS_REPLY_NIL) return 0.0;  // missing key reads as 0
  if (r->type == REDIS_REPLY_STRING) return ParseDouble({r->str, r->len});
  return std::nullopt;
}

double MinuteStart(double now) {
  return std::floor(now / 60.0) * 60.0 - 60.0 * (AppSnapshot::kMinutes - 1);
}

// Bucket i covers [start + 60 i, start + 60 (i + 1)); the last one is the current minute.
void AddMinuteBuckets(const std::string& key, double now, std::vector<Command>* cmds) {
  double start = MinuteStart(now);
  for (int i = 0; i < AppSnapshot::kMinutes; ++i) {
    cmds->push_back({"ZCOUNT", key, Num(start + 60.0 * i), Excl(start + 60.0 * (i + 1))});
  }
}

}  // namespace

std::vector<Command> BuildSnapshotQueries(const KeysConfig& keys,
                                          const std::vector<QueryConfig>& queries, double now) {
  std::vector<Command> c;
  const std::string& tl = keys.uploads_timeline;
  c.push_back({"ZCARD", tl});
  c.push_back({"ZCOUNT", tl, Excl(now - 3600), "+inf"});
  c.push_back({"ZCOUNT", tl, Excl(now - 86400), "+inf"});
  c.push_back({"SCARD", keys.active_users});
  for (const auto& status : keys.workflow_statuses) {
    const std::string key = keys.workflow_runs_prefix + status;
    c.push_back({"ZCOUNT", key, Excl(now - 3600), "+inf"});
    c.push_back({"ZCOUNT", key, Excl(now - 86400), "+inf"});
  }
  AddMinuteBuckets(tl, now, &c);
  for (const auto& status : keys.workflow_statuses) {
    AddMinuteBuckets(keys.workflow_runs_prefix + status, now, &c);
  }
  for (const auto& q : queries) {
    if (q.kind == QueryConfig::Kind::kZcount) {
      double window = q.window.count() / 1000.0;
      c.push_back({"ZCOUNT", q.key, Excl(now - window), "+inf"});
    } else {
      c.push_back({QueryKindVerb(q.kind), q.key});
    }
  }
  return c;
}

void ReadSnapshotReplies(const KeysConfig& keys, const std::vector<QueryConfig>& queries,
                         double now, const std::vector<ReplyPtr>& r, AppSnapshot* out) {
  size_t i = 0;
  auto next = [&]() -> const ReplyPtr& {
    static const ReplyPtr kNone;
    return i < r.size() ? r[i++] : kNone;
  };
  out->uploads_total = IntReply(next());
  out->uploads_1h = IntReply(next());
  out->uploads_24h = IntReply(next());
  out->active_users = IntReply(next());
  out->workflow_runs.clear();
  for (const auto& status : keys.workflow_statuses) {
    RunWindows w;
    w.last_1h = IntReply(next());
    w.last_24h = IntReply(next());
    out->workflow_runs[status] = w;
  }
  out->minutes_start = MinuteStart(now);
  auto read_series = [&]() {
    std::vector<MaybeInt> series;
    for (int m = 0; m < AppSnapshot::kMinutes; ++m) series.push_back(IntReply(next()));
    return series;
  };
  out->uploads_per_minute = read_series();
  out->runs_per_minute.clear();
  for (const auto& status : keys.workflow_statuses) out->runs_per_minute[status] = read_series();
  out->queries.clear();
  for (const auto& q : queries) {
    out->queries.push_back({q.name, q.labels, NumberReply(next())});
  }
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

namespace {

std::string Fingerprint(const KeysConfig& keys, const std::vector<QueryConfig>& queries) {
  std::string text = keys.uploads_timeline + '\n' + keys.upload_hash_prefix + '\n' +
                     keys.active_users + '\n' + keys.workflow_runs_prefix + '\n' +
                     std::to_string(keys.recent_uploads) + '\n';
  for (const auto& s : keys.workflow_statuses) text += s + ',';
  for (const auto& q : queries) {
    text += '\n' + q.name + ' ' + std::string(QueryKindVerb(q.kind)) + ' ' + q.key + ' ' +
            std::to_string(q.window.count());
    for (const auto& [k, v] : q.labels) text += ' ' + k + '=' + v;
  }
  return Fnv1a64Hex(text);
}

}  // namespace

SnapshotSource::SnapshotSource(KeysConfig keys, std::vector<QueryConfig> queries,
                               std::string producer)
    : keys_(std::move(keys)),
      queries_(std::move(queries)),
      producer_(std::move(producer)),
      fingerprint_(Fingerprint(keys_, queries_)) {}

namespace {

// A refusal (see IsRefusal) in any reply fails the whole refresh.
bool RefusedReply(const std::vector<ReplyPtr>& replies, std::string* error) {
  for (const auto& r : replies) {
    if (IsRefusal(r.get())) {
      std::string_view text(r->str, r->len);
      *error = "redis refused: " + SanitizeText(text, 120);
      return true;
    }
  }
  return false;
}

}  // namespace

bool SnapshotSource::ReadRecentUploads(RedisClient* client, AppSnapshot* s,
                                       std::string* error) const {
  std::vector<ReplyPtr> newest;
  const Command range_cmd{"ZREVRANGE", keys_.uploads_timeline, "0",
                          std::to_string(keys_.recent_uploads - 1), "WITHSCORES"};
  if (!client->Pipeline({range_cmd}, &newest, error) || RefusedReply(newest, error)) return false;
  const redisReply* range = newest.empty() ? nullptr : newest[0].get();
  std::vector<std::string> ids;
  std::vector<double> scores;
  if (range && range->type == REDIS_REPLY_ARRAY) {
    for (size_t k = 0; k + 1 < range->elements; k += 2) {
      const redisReply* m = range->element[k];
      const redisReply* sc = range->element[k + 1];
      if (m->type != REDIS_REPLY_STRING || sc->type != REDIS_REPLY_STRING) continue;
      ids.emplace_back(m->str, m->len);
      scores.push_back(ParseDouble({sc->str, sc->len}).value_or(NAN));
    }
  }
  s->recent.clear();
  s->skipped_records = 0;
  if (ids.empty()) return true;
  // How long each field is, before reading it: one reply of unbounded size (a 100 MB
  // field) would outlast the command timeout and cost the connection. HSTRLEN is O(1)
  // and answers with an integer (WRONGTYPE when the key is not a hash); HMGET then
  // reads the known fields only, however many others the hash has.
  std::vector<ReplyPtr> lengths;
  if (!client->Pipeline(BuildRecordSizeQueries(keys_, ids), &lengths, error) ||
      RefusedReply(lengths, error)) {
    return false;
  }
  constexpr size_t kFields = std::size(kUploadFields);
  if (lengths.size() != ids.size() * kFields) {
    *error = "short reply to the record sizes";
    return false;
  }
  std::vector<Command> reads;
  std::vector<size_t> read_rows;
  for (size_t k = 0; k < ids.size(); ++k) {
    Upload u = ReadUploadHash(ids[k], scores[k], nullptr);  // the id and the score's time
    RecordCheck check = CheckRecordSizes(&lengths[k * kFields]);
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
  if (reads.empty()) return true;
  std::vector<ReplyPtr> records;
  if (!client->Pipeline(reads, &records, error) || RefusedReply(records, error)) return false;
  for (size_t i = 0; i < read_rows.size() && i < records.size(); ++i) {
    const size_t k = read_rows[i];
    s->recent[k] = ReadUploadHash(ids[k], scores[k], records[i].get());
  }
  return true;
}

void SnapshotSource::LogSkipOnce(const std::string& key, const std::string& why) const {
  if (logged_skips_.size() >= kMaxLoggedSkips || !logged_skips_.insert(key).second) return;
  spdlog::warn("snapshot: upload record {} {}; its row shows \"—\"", SanitizeText(key, 80), why);
}

bool SnapshotSource::Compute(RedisClient* client, double now, AppSnapshot* out,
                             std::string* error) const {
  std::vector<ReplyPtr> replies;
  if (!client->Pipeline(BuildSnapshotQueries(keys_, queries_, now), &replies, error) ||
      RefusedReply(replies, error)) {
    return false;
  }
  AppSnapshot s;
  s.computed_at = now;
  s.producer = producer_;
  s.fingerprint = fingerprint_;
  ReadSnapshotReplies(keys_, queries_, now, replies, &s);
  // The table is read apart from the counts: whatever goes wrong there costs the
  // table (said on the page), never the counts and gauges.
  std::string table_error;
  if (!ReadRecentUploads(client, &s, &table_error)) {
    s.recent.clear();
    s.skipped_records = 0;
    s.recent_error = "the recent uploads could not be read: " + table_error;
  }
  *out = std::move(s);
  return true;
}

}  // namespace observd
