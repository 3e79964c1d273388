#include "render/history_json.h"

#include <cmath>

#include "render/json_values.h"

namespace observd {
namespace {

using nlohmann::json;

json Ms(std::optional<double> v) { return v ? json(std::round(*v * 1000) / 1000) : json(nullptr); }

}  // namespace

void AddHistoryWindow(const HistoryWindow& w, std::optional<double> since, json* j) {
  (*j)["window"] = {{"from", w.window.from}, {"to", w.window.to}, {"step", w.window.step}};
  (*j)["open_bucket"] = MaybeJson(w.open_bucket);
  (*j)["history_since"] = MaybeJson(w.since);
  (*j)["store"] = {{"state", StoreStateName(w.store.kind)},
                   {"message", w.store.message},
                   {"retention_seconds", w.store.retention_seconds}};
  json points = json::array();
  for (const LatencySample& p : w.latency) {
    if (since && !(p.t > *since)) continue;
    points.push_back({p.t, Ms(p.ms)});
  }
  (*j)["latency"]["points"] = std::move(points);

  json latency = json::array();
  json requests = json::array();
  json cache = json::array();
  auto row = w.buckets.begin();
  for (int64_t t = w.window.first; t <= w.window.last; t += w.window.step) {
    while (row != w.buckets.end() && row->t < t) ++row;
    const bool seen = row != w.buckets.end() && row->t == t;
    if (!seen) {
      requests.push_back({t, nullptr});
      cache.push_back({t, nullptr, nullptr});
      continue;
    }
    latency.push_back({t, row->samples, row->failed, Ms(row->min_ms), Ms(row->mean_ms),
                       Ms(row->max_ms), Ms(row->p99_ms)});
    requests.push_back({t, row->requests});
    cache.push_back({t, MaybeJson(row->cache_hits), MaybeJson(row->cache_misses)});
  }
  (*j)["latency_buckets"] = std::move(latency);
  (*j)["requests"] = std::move(requests);
  (*j)["cache_buckets"] = std::move(cache);

  json notes = json::array();
  for (const auto& a : w.annotations) {
    notes.push_back({{"t", a.t}, {"end", MaybeJson(a.end)}, {"kind", a.kind}, {"text", a.text}});
  }
  (*j)["annotations"] = std::move(notes);
}

}  // namespace observd
