#include "render/partials.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "render/format.h"
#include "render/history_json.h"
#include "render/json_values.h"
#include "util/clock.h"

namespace observd {
namespace {

using kainjow::mustache::data;
using nlohmann::json;

void AddStatus(const Status& v, data* d) {
  double age = v.snapshot_age_seconds().value_or(-1);
  std::string cls = "ok";
  std::string text = "Live";
  if (!v.snapshot) {
    cls = !v.redis.down() ? "stale" : "down";
    text = !v.redis.down() ? "Waiting for the first snapshot"
                           : "Redis unavailable \xE2\x80\x94 no data yet";
  } else if (v.redis.down()) {
    cls = "down";
    text =
        fmt::format("Redis unavailable \xE2\x80\x94 data from {} s ago", static_cast<int64_t>(age));
  } else if (v.stale()) {
    cls = "stale";
    text = fmt::format("Stale \xE2\x80\x94 data from {} s ago", static_cast<int64_t>(age));
  }
  d->set("status_class", cls);
  d->set("status_text", text);
  d->set("updated_at", ClockTimeUtc(v.now));
  d->set("updated_at_iso", IsoTimeUtc(v.now));
  d->set("now", std::to_string(static_cast<int64_t>(v.now)));
  d->set("stale", cls != "ok" ? data::type::bool_true : data::type::bool_false);
  d->set("redis_up", !v.redis.down() ? data::type::bool_true : data::type::bool_false);
}

// [[t, count|null], ...]: bucket i of `counts` starts at first + i * step.
json Buckets(const std::vector<MaybeInt>& counts, int64_t first, int64_t step) {
  json a = json::array();
  for (size_t i = 0; i < counts.size(); ++i) {
    a.push_back({first + step * static_cast<int64_t>(i), MaybeJson(counts[i])});
  }
  return a;
}

// The per-minute series of the charts. Requests are observd's own count: minutes that
// ended before it started are unknown (null), not 0. Uploads and runs are the
// application's (history.app_series): "uploads" and "runs" per bucket of any step, and
// under their per-minute names too when the step is a minute (the live window).
void AddMinutes(const Status& v, const HistoryView& history, json* j) {
  json rpm = json::array();
  for (const auto& [t, n] : history.requests_per_minute) {
    rpm.push_back({t, t + 60 <= v.start_time ? json(nullptr) : json(n)});
  }
  (*j)["requests_per_minute"] = rpm;
  json uploads = json::array();
  json runs = json::object();
  if (const auto& a = history.app_series) {
    uploads = Buckets(a->uploads, a->first, a->step);
    for (const auto& [status, counts] : a->runs) runs[status] = Buckets(counts, a->first, a->step);
  }
  (*j)["uploads"] = uploads;
  (*j)["runs"] = runs;
  const bool per_minute = !history.app_series || history.app_series->step == 60;
  (*j)["uploads_per_minute"] = per_minute ? uploads : json::array();
  (*j)["workflow_runs_per_minute"] = per_minute ? runs : json::object();
}

data Bool(bool b) { return b ? data::type::bool_true : data::type::bool_false; }

std::string Severity(std::optional<double> v, double warn, double bad) {
  if (!v) return "unknown";
  return *v >= bad ? "bad" : *v >= warn ? "warn" : "ok";
}

void AddSnapshotAge(const Status& v, data* d) {
  auto age = v.snapshot_age_seconds();
  d->set("snapshot_known", Bool(v.snapshot != nullptr));
  d->set("snapshot_age_human", HumanDuration(age));
  const double at = v.snapshot ? v.snapshot->app.computed_at : 0;
  d->set("snapshot_at", v.snapshot ? ClockTimeUtc(at) : std::string());
  d->set("snapshot_at_iso", v.snapshot ? IsoTimeUtc(at) : std::string());
  d->set("snapshot_severity", !v.snapshot ? "bad" : (v.stale() || v.redis.down()) ? "warn" : "ok");
}

// The connected Redis clients: [{client, addr, role}]; a disconnected client is absent.
json RedisEndpointsJson(const std::vector<RedisEndpoint>& endpoints) {
  json a = json::array();
  for (const auto& e : endpoints)
    a.push_back({{"client", e.client}, {"addr", e.addr}, {"role", e.role}});
  return a;
}

}  // namespace

CardThresholds CardThresholdsOf(const WebConfig& web) {
  return {static_cast<double>(web.latency_warn_ms), static_cast<double>(web.latency_bad_ms),
          static_cast<double>(web.failed_runs_warn), static_cast<double>(web.failed_runs_bad)};
}

data StatsData(const Status& v, const CardThresholds& limits) {
  data d;
  AddStatus(v, &d);
  d.set("uptime_human", HumanDuration(v.uptime_seconds()));
  d.set("requests_total", FormatCount(static_cast<int64_t>(v.requests_total)));
  std::optional<double> latency_ms;
  if (v.redis.latency_seconds) latency_ms = *v.redis.latency_seconds * 1000.0;
  d.set("redis_latency_ms", FormatFixed(latency_ms, 2));
  d.set("redis_latency_known", Bool(latency_ms.has_value()));
  d.set("latency_severity", Severity(latency_ms, limits.latency_warn_ms, limits.latency_bad_ms));
  // The server behind redis_up and the latency: the sampler's connection.
  const RedisEndpoint* pinged = nullptr;
  for (const auto& e : v.redis.endpoints) {
    if (e.client == "sampler") pinged = &e;
  }
  d.set("redis_endpoint", pinged ? pinged->addr : std::string(kUnknown));
  d.set("redis_role", pinged ? pinged->role : std::string(kUnknown));
  // Unknown, with the reason the cache panel gives too, while no snapshot exists.
  auto ratio = v.cache_hit_ratio();
  d.set("cache_hit_rate_pct", ratio ? FormatFixed(100.0 * *ratio, 1) : std::string(kUnknown));
  d.set("cache_hit_rate_known", Bool(ratio.has_value()));
  d.set("cache_hit_rate_note", ratio         ? "snapshot cache, since start"
                               : !v.snapshot ? "no snapshot computed yet"
                                             : "no cache lookups yet");
  const AppSnapshot* s = v.snapshot ? &v.snapshot->app : nullptr;
  d.set("uploads_total", FormatCount(s ? s->uploads_total : std::nullopt));
  d.set("uploads_1h", FormatCount(s ? s->uploads_1h : std::nullopt));
  d.set("uploads_24h", FormatCount(s ? s->uploads_24h : std::nullopt));
  d.set("active_users", FormatCount(s ? s->active_users : std::nullopt));
  MaybeInt failed;
  if (s) {
    auto it = s->workflow_runs.find("failed");
    if (it != s->workflow_runs.end()) failed = it->second.last_1h;
  }
  d.set("runs_failed_1h", FormatCount(failed));
  // The card names its exact window (one ZCOUNT at computed_at), so it cannot be read as
  // the chart's sum of whole minutes.
  d.set("runs_window_minutes", std::to_string(kLastHourSeconds / 60));
  d.set("runs_window_end", s ? ClockTimeUtc(s->computed_at) : std::string());
  d.set("runs_window_end_iso", s ? IsoTimeUtc(s->computed_at) : std::string());
  d.set("failed_runs_severity",
        Severity(failed ? std::optional<double>(static_cast<double>(*failed)) : std::nullopt,
                 limits.failed_runs_warn, limits.failed_runs_bad));
  AddSnapshotAge(v, &d);
  return d;
}

data UploadsData(const Status& v, const UploadsQuery& query) {
  data d;
  AddStatus(v, &d);
  static const std::vector<Upload> kNone;
  const std::vector<Upload>& all = v.snapshot ? v.snapshot->app.recent : kNone;
  UploadsResult result = ApplyUploadsQuery(all, query);
  data list{data::type::list};
  auto or_unknown = [](const std::string& s) { return s.empty() ? std::string(kUnknown) : s; };
  for (const Upload* u : result.rows) {
    data row;
    row.set("id", or_unknown(u->id));
    row.set("filename", or_unknown(u->filename));
    row.set("user", or_unknown(u->user));
    row.set("size_human", HumanSize(u->size));
    row.set("size_bytes", u->size ? std::to_string(*u->size) : std::string());
    row.set("content_type", or_unknown(u->content_type));
    row.set("status", or_unknown(u->status));
    const std::string& st = u->status;
    row.set("status_class", IsKnownUploadStatus(st) ? st : std::string("unknown"));
    row.set("age", HumanAge(u->created_at, v.now));
    row.set("created_at_iso", IsoTimeUtc(u->created_at));
    row.set("note", u->note);
    row.set("has_note", Bool(!u->note.empty()));
    list.push_back(row);
  }
  d.set("uploads", list);
  d.set("has_uploads", Bool(!result.rows.empty()));
  d.set("count", FormatCount(static_cast<int64_t>(result.rows.size())));
  d.set("matching", FormatCount(static_cast<int64_t>(result.matching)));
  d.set("total", FormatCount(static_cast<int64_t>(all.size())));
  d.set("filtered", Bool(query.filtered()));
  const std::string uploads_error = v.snapshot ? v.snapshot->app.recent_error : std::string();
  d.set("uploads_error", uploads_error);
  d.set("has_uploads_error", Bool(!uploads_error.empty()));
  return d;
}

data UploadsData(const Status& v, int limit) {
  UploadsQuery q;
  q.limit = limit;
  return UploadsData(v, q);
}

data MetricsTextData(const Status& v, const std::string& text) {
  data d;
  AddStatus(v, &d);
  d.set("metrics_text", text);
  return d;
}

std::string StatsJson(const Status& v) {
  json j;
  j["now"] = v.now;
  j["version"] = v.version;
  j["revision"] = v.revision;
  j["uptime_seconds"] = v.uptime_seconds();
  j["requests_total"] = static_cast<int64_t>(v.requests_total);
  j["redis"] = {
      {"up", v.redis.sampled ? json(v.redis.up) : json(nullptr)},
      {"latency_seconds", v.redis.latency_seconds ? json(*v.redis.latency_seconds) : json(nullptr)},
      {"errors_total", static_cast<int64_t>(v.redis.errors_total)},
      {"endpoints", RedisEndpointsJson(v.redis.endpoints)}};
  j["cache"] = {{"hits", static_cast<int64_t>(v.cache.hits)},
                {"misses", static_cast<int64_t>(v.cache.misses)},
                {"ratio", MaybeJson(v.cache_hit_ratio())},
                {"ttl_seconds", v.cache.ttl_seconds}};
  json s;
  s["available"] = v.snapshot != nullptr;
  s["age_seconds"] = MaybeJson(v.snapshot_age_seconds());
  s["stale"] = v.stale();
  // Unknown numbers are null: the same keys whether or not a snapshot exists.
  static const AppSnapshot kEmpty;
  const AppSnapshot& a = v.snapshot ? v.snapshot->app : kEmpty;
  s["computed_at"] = v.snapshot ? json(a.computed_at) : json(nullptr);
  s["uploads_total"] = MaybeJson(a.uploads_total);
  s["uploads_window"] = {{"1h", MaybeJson(a.uploads_1h)}, {"24h", MaybeJson(a.uploads_24h)}};
  s["active_users"] = MaybeJson(a.active_users);
  json runs = json::object();
  for (const auto& [status, w] : a.workflow_runs) {
    runs[status] = {{"1h", MaybeJson(w.last_1h)}, {"24h", MaybeJson(w.last_24h)}};
  }
  s["workflow_runs_window"] = runs;
  s["recent_uploads"] = v.snapshot ? json(a.recent.size()) : json(nullptr);
  json q = json::object();
  for (const auto& qv : a.queries) q[qv.name] = qv.value ? json(*qv.value) : json(nullptr);
  s["queries"] = q;
  j["snapshot"] = s;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string HistoryJson(const Status& v, const HistoryView& history, double interval,
                        const HistoryOptions& o) {
  json j;
  j["now"] = v.now;
  j["started_at"] = v.start_time;
  json points = json::array();
  for (const auto& p : history.latency) {
    if (o.since && !(p.t > *o.since)) continue;
    points.push_back({p.t, p.ms ? json(std::round(*p.ms * 1000) / 1000) : json(nullptr)});
  }
  j["latency"] = {{"interval_seconds", interval}, {"points", points}};
  j["cache"] = {{"hits", static_cast<int64_t>(v.cache.hits)},
                {"misses", static_cast<int64_t>(v.cache.misses)},
                {"ratio", MaybeJson(v.cache_hit_ratio())}};
  if (o.minutes) AddMinutes(v, history, &j);
  j["snapshot"] = {{"available", v.snapshot != nullptr},
                   {"age_seconds", MaybeJson(v.snapshot_age_seconds())},
                   {"stale", v.stale()}};
  j["redis"] = {{"up", v.redis.sampled ? json(v.redis.up) : json(nullptr)},
                {"latency_ms", v.redis.latency_seconds ? json(*v.redis.latency_seconds * 1000.0)
                                                       : json(nullptr)}};
  json notes = json::array();
  for (const auto& a : history.annotations) {
    notes.push_back({{"t", a.t}, {"end", MaybeJson(a.end)}, {"kind", a.kind}, {"text", a.text}});
  }
  j["annotations"] = notes;
  if (o.window) AddHistoryWindow(*o.window, o.since, &j);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace observd
