#include "render/partials.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "render/format.h"
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
    cls = v.redis.up ? "stale" : "down";
    text = v.redis.up ? "Waiting for the first snapshot"
                      : "Redis unavailable \xE2\x80\x94 no data yet";
  } else if (!v.redis.up) {
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
  d->set("stale", cls != "ok" ? data::type::bool_true : data::type::bool_false);
  d->set("redis_up", v.redis.up ? data::type::bool_true : data::type::bool_false);
}

template <typename T>
json MaybeJson(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json Series(const std::vector<MaybeInt>& s, double start) {
  json a = json::array();
  if (!IsUnixTime(start)) return a;  // not a time we could have written
  for (size_t i = 0; i < s.size(); ++i) {
    a.push_back({static_cast<int64_t>(start) + 60 * static_cast<int64_t>(i), MaybeJson(s[i])});
  }
  return a;
}

}  // namespace

data StatsData(const Status& v) {
  data d;
  AddStatus(v, &d);
  d.set("uptime_hours", FormatFixed(v.uptime_seconds() / 3600.0, 2));
  d.set("requests_total", FormatCount(static_cast<int64_t>(v.requests_total)));
  d.set("redis_latency_ms", v.redis.latency_seconds
                                ? FormatFixed(*v.redis.latency_seconds * 1000.0, 2)
                                : std::string(kUnknown));
  auto ratio = v.cache.hit_ratio();
  d.set("cache_hit_rate_pct", ratio ? FormatFixed(100.0 * *ratio, 1) : std::string(kUnknown));
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
  auto age = v.snapshot_age_seconds();
  d.set("snapshot_age_s", age ? std::to_string(static_cast<int64_t>(*age)) : std::string(kUnknown));
  return d;
}

data UploadsData(const Status& v, int limit) {
  data d;
  AddStatus(v, &d);
  data list{data::type::list};
  int n = 0;
  if (v.snapshot) {
    for (const auto& u : v.snapshot->app.recent) {
      if (n == limit) break;
      data row;
      auto or_unknown = [](const std::string& s) { return s.empty() ? std::string(kUnknown) : s; };
      row.set("id", or_unknown(u.id));
      row.set("filename", or_unknown(u.filename));
      row.set("user", or_unknown(u.user));
      row.set("size_human", HumanSize(u.size));
      row.set("size_bytes", u.size ? std::to_string(*u.size) : std::string());
      row.set("content_type", or_unknown(u.content_type));
      row.set("status", or_unknown(u.status));
      const std::string& st = u.status;
      row.set("status_class",
              st == "stored" || st == "processing" || st == "failed" ? st : std::string("unknown"));
      row.set("age", HumanAge(u.created_at, v.now));
      row.set("created_at_iso", IsoTimeUtc(u.created_at));
      list.push_back(row);
      ++n;
    }
  }
  d.set("uploads", list);
  d.set("has_uploads", n > 0 ? data::type::bool_true : data::type::bool_false);
  d.set("count", std::to_string(n));
  return d;
}

data MetricsTextData(const Status& v, const std::string& text) {
  data d;
  AddStatus(v, &d);
  d.set("metrics_text", text);
  return d;
}

std::string StatsJson(const Status& v) {
  json j;
  j["version"] = v.version;
  j["revision"] = v.revision;
  j["uptime_seconds"] = v.uptime_seconds();
  j["requests_total"] = static_cast<int64_t>(v.requests_total);
  j["redis"] = {
      {"up", v.redis.up},
      {"latency_seconds", v.redis.latency_seconds ? json(*v.redis.latency_seconds) : json(nullptr)},
      {"errors_total", static_cast<int64_t>(v.redis.errors_total)}};
  j["cache"] = {{"hits", static_cast<int64_t>(v.cache.hits)},
                {"misses", static_cast<int64_t>(v.cache.misses)},
                {"ratio", MaybeJson(v.cache.hit_ratio())},
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

std::string HistoryJson(const Status& v, const History& history, size_t latency_points,
                        double interval) {
  json j;
  j["now"] = v.now;
  json points = json::array();
  for (const auto& p : history.Latency(latency_points)) {
    points.push_back({p.t, p.ms ? json(std::round(*p.ms * 1000) / 1000) : json(nullptr)});
  }
  j["latency"] = {{"interval_seconds", interval}, {"points", points}};
  j["cache"] = {{"hits", static_cast<int64_t>(v.cache.hits)},
                {"misses", static_cast<int64_t>(v.cache.misses)},
                {"ratio", MaybeJson(v.cache.hit_ratio())}};
  json rpm = json::array();
  for (const auto& [t, n] : history.RequestsPerMinute(v.now)) rpm.push_back({t, n});
  j["requests_per_minute"] = rpm;
  json runs = json::object();
  if (v.snapshot) {
    const AppSnapshot& a = v.snapshot->app;
    j["uploads_per_minute"] = Series(a.uploads_per_minute, a.minutes_start);
    for (const auto& [status, series] : a.runs_per_minute) {
      runs[status] = Series(series, a.minutes_start);
    }
  } else {
    j["uploads_per_minute"] = json::array();
  }
  j["workflow_runs_per_minute"] = runs;
  j["snapshot"] = {{"available", v.snapshot != nullptr},
                   {"age_seconds", MaybeJson(v.snapshot_age_seconds())},
                   {"stale", v.stale()}};
  j["redis"] = {{"up", v.redis.up},
                {"latency_ms", v.redis.latency_seconds ? json(*v.redis.latency_seconds * 1000.0)
                                                       : json(nullptr)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace observd
