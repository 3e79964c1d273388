#include "snapshot/snapshot_source.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "config/query_kind.h"
#include "snapshot/app_snapshot.h"
#include "snapshot/replies.h"
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

std::optional<double> NumberReply(const ReplyPtr& r) {
  if (!r) return std::nullopt;
  if (r->type == REDIS_REPLY_INTEGER) return static_cast<double>(r->integer);
  if (r->type == REDIS_REPLY_NIL) return 0.0;  // missing key reads as 0
  if (r->type == REDIS_REPLY_STRING) return ParseDouble({r->str, r->len});
  return std::nullopt;
}

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
            s->*field = CountReply(At(r, 0));
          }};
}

// A configured extra query: one command, read as a number (a missing key is 0).
// The longest string a `kind: get` query reads: a number is never longer, and a reply
// of unbounded size (a 100 MB value) would outlast the command timeout.
constexpr int kMaxGetBytes = 64;

// A configured extra query: one command, read as a number (a missing key is 0). A GET
// is sent as EXISTS + GETRANGE 0 kMaxGetBytes, so its reply is bounded; a longer value
// reads as unknown.
QueryRow ExtraQueryRow(const QueryConfig& q) {
  const bool get = q.kind == QueryConfig::Kind::kGet;
  return {
      [q, get](double now, std::vector<Command>* out) {
        if (q.kind == QueryConfig::Kind::kZcount) {
          out->push_back(CountSince(q.key, now, q.window.count() / 1000.0));
        } else if (get) {
          out->push_back({"EXISTS", q.key});
          out->push_back({"GETRANGE", q.key, "0", std::to_string(kMaxGetBytes)});
        } else {
          out->push_back({QueryKindVerb(q.kind), q.key});
        }
      },
      [name = q.name, labels = q.labels, get](double, std::span<const ReplyPtr> r, AppSnapshot* s) {
        std::optional<double> value = NumberReply(At(r, 0));
        if (get) {
          const ReplyPtr& exists = At(r, 0);
          const ReplyPtr& text = At(r, 1);
          if (!exists || exists->type != REDIS_REPLY_INTEGER) {
            value.reset();
          } else if (exists->integer == 0) {
            value = 0.0;  // a missing key reads as 0
          } else if (text && text->type == REDIS_REPLY_STRING && text->len > kMaxGetBytes) {
            value.reset();  // longer than any number
          } else {
            value = NumberReply(text);
          }
        }
        s->queries.push_back({name, labels, value});
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
  rows.push_back(CountRow([tl](double now) { return CountSince(tl, now, kLastHourSeconds); },
                          &AppSnapshot::uploads_1h));
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
                      out->push_back(CountSince(key, now, kLastHourSeconds));
                      out->push_back(CountSince(key, now, 86400));
                    },
                    [status](double, std::span<const ReplyPtr> r, AppSnapshot* s) {
                      s->workflow_runs[status] = {CountReply(At(r, 0)), CountReply(At(r, 1))};
                    }});
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
      rows_(SnapshotRows(keys_, queries)),
      uploads_(keys_) {}

Result<AppSnapshot> SnapshotSource::Compute(RedisClient* counts, RedisClient* table,
                                            double now) const {
  const QueryPlan plan = PlanSnapshotQueries(rows_, now);
  auto replies = counts->Pipeline(plan.commands);
  if (!replies) return Fail(replies.error());
  if (auto ok = NoRefusal(*replies); !ok) return Fail(ok.error());
  AppSnapshot s = ReadSnapshotReplies(rows_, plan, *replies);
  s.computed_at = now;
  s.producer = producer_;
  s.fingerprint = fingerprint_;
  // The table is read apart from the counts: whatever goes wrong there costs the
  // table (said on the page), never the counts and gauges.
  if (auto read = uploads_.Read(table->AsPipeline(), now, &s); !read) {
    s.recent.clear();
    s.skipped_records = 0;
    s.recent_error = "the recent uploads could not be read: " + read.error();
  }
  return s;
}

}  // namespace observd
