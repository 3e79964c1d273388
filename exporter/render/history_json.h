// The window part of /dashboard/api/history (docs/internal-contracts.md): the window
// and its step, the per-bucket series of observd's own history (latency summaries,
// requests, cache reads), the store's state and since when history exists. Unknown is
// null; a bucket observd did not observe is absent from latency_buckets and null in
// the series that list every bucket. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "model/history_rows.h"

namespace observd {

// Adds window, open_bucket, history_since, store, latency_buckets, requests,
// cache_buckets and annotations to `j`; replaces latency.points with the window's 1 s
// samples newer than `since` (all without).
void AddHistoryWindow(const HistoryWindow& w, std::optional<double> since, nlohmann::json* j);

}  // namespace observd
