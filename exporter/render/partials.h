// Partials turns the daemon's state into what the site shows: mustache data for
// the HTML partials and the JSON of /dashboard/api/stats and /history (shapes in
// docs/internal-contracts.md). Pure functions of a Status; thread-safe.
#pragma once

#include <kainjow/mustache.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/history_rows.h"
#include "model/history_view.h"
#include "render/uploads_query.h"
#include "status/status.h"

namespace observd {

// Card severity thresholds (web.*_warn / *_bad): a value >= warn is "warn", >= bad is
// "bad". No defaults of its own: always built from a WebConfig (CardThresholdsOf).
struct CardThresholds {
  double latency_warn_ms;
  double latency_bad_ms;
  double failed_runs_warn;
  double failed_runs_bad;
};
CardThresholds CardThresholdsOf(const WebConfig& web);

kainjow::mustache::data StatsData(const Status& status,
                                  const CardThresholds& thresholds = CardThresholdsOf(WebConfig{}));
kainjow::mustache::data UploadsData(const Status& status, const UploadsQuery& query);
// The newest `limit` uploads, unfiltered.
kainjow::mustache::data UploadsData(const Status& status, int limit);
kainjow::mustache::data MetricsTextData(const Status& status, const std::string& text);

std::string StatsJson(const Status& status);
struct HistoryOptions {
  std::optional<double> since;            // only latency points newer than this
  bool minutes = true;                    // include the per-minute series
  const HistoryWindow* window = nullptr;  // the asked window (render/history_json.h)
};
// `history`: snapshot/MakeHistoryView (which picks the newest N latency points).
std::string HistoryJson(const Status& status, const HistoryView& history,
                        double sampler_interval_seconds, const HistoryOptions& options);

}  // namespace observd
