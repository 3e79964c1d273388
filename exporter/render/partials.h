// Partials turns the daemon's state into what the site shows: mustache data for
// the HTML partials and the JSON of /dashboard/api/stats and /history (shapes in
// docs/internal-contracts.md). Pure functions of a DashboardView; thread-safe.
#pragma once

#include <kainjow/mustache.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "render/uploads_query.h"
#include "snapshot/annotations.h"
#include "snapshot/history.h"
#include "snapshot/snapshot_cache.h"

namespace observd {

// Everything a partial may show, gathered once per request.
struct DashboardView {
  double now = 0;         // unix seconds
  double start_time = 0;  // unix seconds the daemon started
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
  // Card severity thresholds (web.thresholds): value >= warn -> "warn", >= bad -> "bad".
  double latency_warn_ms = 5;
  double latency_bad_ms = 50;
  double failed_runs_warn = 1;
  double failed_runs_bad = 10;

  double age_seconds() const;  // -1 without a snapshot
  bool stale() const;          // no snapshot, or older than stale_after
};

kainjow::mustache::data StatsData(const DashboardView& view);
kainjow::mustache::data UploadsData(const DashboardView& view, const UploadsQuery& query);
kainjow::mustache::data MetricsTextData(const DashboardView& view, const std::string& text);

std::string StatsJson(const DashboardView& view);
struct HistoryOptions {
  size_t latency_points = 0;    // newest N latency points (0 = all)
  std::optional<double> since;  // only latency points newer than this
  bool minutes = true;          // include the per-minute series
  const Annotations* annotations = nullptr;
};
std::string HistoryJson(const DashboardView& view, const History& history,
                        double sampler_interval_seconds, const HistoryOptions& options);

}  // namespace observd
