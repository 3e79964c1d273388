#include "snapshot/snapshot_source.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "config/query_kind.h"
#include "model/minutes.h"
#include "snapshot/app_snapshot.h"
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

double MinuteStart(double now) { return static_cast<double>(FirstMinute(now)) * 60.0; }

// Members scored in the trailing `seconds` up to `now`.
Command CountSince(const std::string& key, double now, double seconds) {
  return {"ZCOUNT", key, Excl(now - seconds), "+inf"};
}

// The reply to a row's i-th command; nullptr past a short reply list (protocol trouble).
const ReplyPtr& At(std::span<const ReplyPtr> replies, size_t i) {
  static const ReplyPtr kNone;
  return i < replies.size() ? replies[i] : kNone;
}

// One command answered by a count (an integer >= 0; anything else is unknown).
QueryRow CountRow(std::function<Command(double now)> command, MaybeInt AppSnapshot::*field) {
  return {[command = std::move(command)](double now, std::vector<Command>* out) {
            out->push_back(command(now));
          },
          [field](double, std::span<const ReplyPtr> r, AppSnapshot* s) {
            s->*field = IntReply(At(r, 0));
          }};
}

// kMinutes counts, one per minute bucket of `key` (bucket i covers [start + 60 i,
// start + 60 (i + 1)); the last one is the current minute), into the series `series`
// picks, and the buckets' start.
QueryRow MinutesRow(std::string key, std::function<std::vector<MaybeInt>&(AppSnapshot*)> series) {
  return {[key](double now, std::vector<Command>* out) {
            const double start = MinuteStart(now);
            for (int i = 0; i < kMinutes; ++i) {
              out->push_back({"ZCOUNT", key, Num(start + 60.0 * i), Excl(start + 60.0 * (i + 1))});
            }
          },
          [series = std::move(series)](double now, std::span<const ReplyPtr> r, AppSnapshot* s) {
            s->minutes_start = MinuteStart(now);
            std::vector<MaybeInt>& out = series(s);
            out.clear();
            for (size_t i = 0; i < kMinutes; ++i) out.push_back(IntReply(At(r, i)));
          }};
}

// A configured extra query: one command, read as a number (a missing key is 0).
QueryRow ExtraQueryRow(const QueryConfig& q) {
  return {[q](double now, std::vector<Command>* out) {
            if (q.kind == QueryConfig::Kind::kZcount) {
              out->push_back(CountSince(q.key, now, q.window.count() / 1000.0));
            } else {
              out->push_back({QueryKindVerb(q.kind), q.key});
            }
          },
          [name = q.name, labels = q.labels](double, std::span<const ReplyPtr> r, AppSnapshot* s) {
            s->queries.push_back({name, labels, NumberReply(At(r, 0))});
          }};
}

}  // namespace

std::vector<QueryRow> SnapshotRows(const KeysConfig& keys,
                                   const std::vector<QueryConfig>& queries) {
  const std::string tl = keys.uploads_timeline;
  std::vector<QueryRow> rows;
  rows.push_back(CountRow(
      [tl](double) {
        return Command{"ZCARD", tl};
      },
      &AppSnapshot::uploads_total));
  rows.push_back(
      CountRow([tl](double now) { return CountSince(tl, now, 3600); }, &AppSnapshot::uploads_1h));
  rows.push_back(
      CountRow([tl](double now) { return CountSince(tl, now, 86400); }, &AppSnapshot::uploads_24h));
  rows.push_back(CountRow(
      [key = keys.active_users](double) {
        return Command{"SCARD", key};
      },
      &AppSnapshot::active_users));
  for (const auto& status : keys.workflow_statuses) {
    const std::string key = keys.workflow_runs_prefix + status;
    rows.push_back({[key](double now, std::vector<Command>* out) {
                      out->push_back(CountSince(key, now, 3600));
                      out->push_back(CountSince(key, now, 86400));
                    },
                    [status](double, std::span<const ReplyPtr> r, AppSnapshot* s) {
                      s->workflow_runs[status] = {IntReply(At(r, 0)), IntReply(At(r, 1))};
                    }});
  }
  rows.push_back(MinutesRow(
      tl, [](AppSnapshot * s) -> auto& { return s->uploads_per_minute; }));
  for (const auto& status : keys.workflow_statuses) {
    rows.push_back(MinutesRow(
        keys.workflow_runs_prefix + status, [status](AppSnapshot * s) -> auto& {
          return s->runs_per_minute[status];
        }));
  }
  for (const auto& q : queries) rows.push_back(ExtraQueryRow(q));
  return rows;
}

QueryPlan PlanSnapshotQueries(const std::vector<QueryRow>& rows, double now) {
  QueryPlan plan;
  plan.now = now;
  plan.row_ends.reserve(rows.size());
  for (const auto& row : rows) {
    row.build(now, &plan.commands);
    plan.row_ends.push_back(plan.commands.size());
  }
  return plan;
}

AppSnapshot ReadSnapshotReplies(const std::vector<QueryRow>& rows, const QueryPlan& plan,
                                const std::vector<ReplyPtr>& replies) {
  AppSnapshot s;
  const std::span<const ReplyPtr> all(replies);
  size_t begin = 0;
  for (size_t i = 0; i < rows.size() && i < plan.row_ends.size(); ++i) {
    const size_t end = plan.row_ends[i];
    const size_t from = std::min(begin, all.size());
    rows[i].read(plan.now, all.subspan(from, std::min(end, all.size()) - from), &s);
    begin = end;
  }
  return s;
}

std::vector<Command> BuildSnapshotQueries(const KeysConfig& keys,
                                          const std::vector<QueryConfig>& queries, double now) {
  return PlanSnapshotQueries(SnapshotRows(keys, queries), now).commands;
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
      producer_(std::move(producer)),
      fingerprint_(Fingerprint(keys_, queries)),
      rows_(SnapshotRows(keys_, queries)) {}

namespace {

// A refusal (see IsRefusal) in any reply fails the whole refresh.
Result<> NoRefusal(const std::vector<ReplyPtr>& replies) {
  for (const auto& r : replies) {
    if (IsRefusal(r.get())) return Fail("redis refused: " + SanitizeText({r->str, r->len}, 120));
  }
  return Ok();
}

}  // namespace

Result<> SnapshotSource::ReadRecentUploads(RedisClient* client, AppSnapshot* s) const {
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

void SnapshotSource::LogSkipOnce(const std::string& key, const std::string& why) const {
  if (logged_skips_.size() >= kMaxLoggedSkips || !logged_skips_.insert(key).second) return;
  spdlog::warn("snapshot: upload record {} {}; its row shows \"—\"", SanitizeText(key, 80), why);
}

Result<AppSnapshot> SnapshotSource::Compute(RedisClient* client, double now) const {
  const QueryPlan plan = PlanSnapshotQueries(rows_, now);
  auto replies = client->Pipeline(plan.commands);
  if (!replies) return Fail(replies.error());
  if (auto ok = NoRefusal(*replies); !ok) return Fail(ok.error());
  AppSnapshot s = ReadSnapshotReplies(rows_, plan, *replies);
  s.computed_at = now;
  s.producer = producer_;
  s.fingerprint = fingerprint_;
  // The table is read apart from the counts: whatever goes wrong there costs the
  // table (said on the page), never the counts and gauges.
  if (auto table = ReadRecentUploads(client, &s); !table) {
    s.recent.clear();
    s.skipped_records = 0;
    s.recent_error = "the recent uploads could not be read: " + table.error();
  }
  return s;
}

}  // namespace observd
