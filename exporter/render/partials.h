// Partials turns the daemon's state into what the site shows: mustache data for
// the HTML partials and the JSON of /dashboard/api/stats and /history (shapes in
// docs/internal-contracts.md). Pure functions of a Status; thread-safe.
#pragma once

#include <kainjow/mustache.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "snapshot/history.h"
#include "status/status.h"

namespace observd {

kainjow::mustache::data StatsData(const Status& status);
kainjow::mustache::data UploadsData(const Status& status, int limit);
kainjow::mustache::data MetricsTextData(const Status& status, const std::string& text);

std::string StatsJson(const Status& status);
// `latency_points` limits the latency series to the newest N (0 = all).
std::string HistoryJson(const Status& status, const History& history, size_t latency_points,
                        double sampler_interval_seconds);

}  // namespace observd
