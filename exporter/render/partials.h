// Partials turns the daemon's state into what the site shows: mustache data for
// the HTML partials and the JSON of /dashboard/api/stats and /history (shapes in
// docs/internal-contracts.md). Pure functions of a DashboardView; thread-safe.
#pragma once

#include <kainjow/mustache.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "snapshot/history.h"
#include "snapshot/snapshot_cache.h"

namespace observd {

// Everything a partial may show, gathered once per request.
struct DashboardView {
  double now = 0;  // unix seconds
  double uptime_seconds = 0;
  double requests_total = 0;
  bool redis_up = false;
  std::optional<double> redis_latency_seconds;
  double redis_errors = 0;
  double cache_hits = 0;
  double cache_misses = 0;
  double ttl_seconds = 30;
  double stale_after_seconds = 60;
  std::shared_ptr<const VersionedSnapshot> snapshot;
  std::string version;
  std::string revision;

  double age_seconds() const;  // -1 without a snapshot
  bool stale() const;          // no snapshot, or older than stale_after
};

kainjow::mustache::data StatsData(const DashboardView& view);
kainjow::mustache::data UploadsData(const DashboardView& view, int limit);
kainjow::mustache::data MetricsTextData(const DashboardView& view, const std::string& text);

std::string StatsJson(const DashboardView& view);
// `latency_points` limits the latency series to the newest N (0 = all).
std::string HistoryJson(const DashboardView& view, const History& history, size_t latency_points,
                        double sampler_interval_seconds);

}  // namespace observd
