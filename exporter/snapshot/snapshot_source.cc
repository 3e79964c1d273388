#include "snapshot/snapshot_source.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

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

const char* QueryVerb(QueryConfig::Kind k) {
  switch (k) {
    case QueryConfig::Kind::kZcard:
      return "ZCARD";
    case QueryConfig::Kind::kZcount:
      return "ZCOUNT";
    case QueryConfig::Kind::kScard:
      return "SCARD";
    case QueryConfig::Kind::kLlen:
      return "LLEN";
    case QueryConfig::Kind::kHlen:
      return "HLEN";
    case QueryConfig::Kind::kXlen:
      return "XLEN";
    case QueryConfig::Kind::kPfcount:
      return "PFCOUNT";
    case QueryConfig::Kind::kGet:
      return "GET";
  }
  return "GET";
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

// The newest uploads' ids and timeline scores; their hashes are the second round trip.
QueryRow RecentRow(std::string timeline, int count) {
  return {[timeline, count](double, std::vector<Command>* out) {
            out->push_back({"ZREVRANGE", timeline, "0", std::to_string(count - 1), "WITHSCORES"});
          },
          [](double, std::span<const ReplyPtr> r, AppSnapshot* s) {
            const ReplyPtr& range = At(r, 0);
            if (!range || range->type != REDIS_REPLY_ARRAY) return;
            for (size_t k = 0; k + 1 < range->elements; k += 2) {
              const redisReply* m = range->element[k];
              const redisReply* score = range->element[k + 1];
              if (m->type != REDIS_REPLY_STRING || score->type != REDIS_REPLY_STRING) continue;
              Upload u;
              u.id.assign(m->str, m->len);  // raw: the hash key; sanitized by ReadUploadHash
              const double t = ParseDouble({score->str, score->len}).value_or(NAN);
              if (t > 0 && IsUnixTime(t)) u.created_at = t;
              s->recent.push_back(std::move(u));
            }
          }};
}

// A configured extra query: one command, read as a number (a missing key is 0).
QueryRow ExtraQueryRow(const QueryConfig& q) {
  return {[q](double now, std::vector<Command>* out) {
            if (q.kind == QueryConfig::Kind::kZcount) {
              out->push_back(CountSince(q.key, now, q.window.count() / 1000.0));
            } else {
              out->push_back({QueryVerb(q.kind), q.key});
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
  rows.push_back(RecentRow(tl, keys.recent_uploads));
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

Upload ReadUploadHash(const std::string& id, double timeline_score, const redisReply* reply) {
  Upload u;
  u.id = SanitizeText(id, 64);
  if (timeline_score > 0 && IsUnixTime(timeline_score)) u.created_at = timeline_score;
  if (!reply || reply->type != REDIS_REPLY_ARRAY) return u;
  for (size_t k = 0; k + 1 < reply->elements; k += 2) {
    const redisReply* f = reply->element[k];
    const redisReply* v = reply->element[k + 1];
    if (f->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING) continue;
    std::string_view field(f->str, f->len);
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
    text += '\n' + q.name + ' ' + std::string(QueryVerb(q.kind)) + ' ' + q.key + ' ' +
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

Result<AppSnapshot> SnapshotSource::Compute(RedisClient* client, double now) const {
  const QueryPlan plan = PlanSnapshotQueries(rows_, now);
  auto replies = client->Pipeline(plan.commands);
  if (!replies) return Fail(replies.error());
  if (auto ok = NoRefusal(*replies); !ok) return Fail(ok.error());
  AppSnapshot s = ReadSnapshotReplies(rows_, plan, *replies);
  s.computed_at = now;
  s.producer = producer_;
  s.fingerprint = fingerprint_;
  if (!s.recent.empty()) {
    std::vector<Command> hashes;
    for (const auto& u : s.recent) hashes.push_back({"HGETALL", keys_.upload_hash_prefix + u.id});
    auto hash_replies = client->Pipeline(hashes);
    if (!hash_replies) return Fail(hash_replies.error());
    if (auto ok = NoRefusal(*hash_replies); !ok) return Fail(ok.error());
    for (size_t k = 0; k < s.recent.size(); ++k) {
      const double score = s.recent[k].created_at.value_or(NAN);
      s.recent[k] = ReadUploadHash(s.recent[k].id, score, (*hash_replies)[k].get());
    }
  }
  return s;
}

}  // namespace observd
