// The metric names of the DESIGN.md contract, named once: the registry (metrics/)
// writes them, config validation (config/) keeps configured queries off them.
// Constants only; thread-safe.
#pragma once

#include <string_view>

namespace observd::metric_names {

inline constexpr std::string_view kBuildInfo = "observd_build_info";
inline constexpr std::string_view kDashboardRefresh = "observd_dashboard_refresh_total";
inline constexpr std::string_view kHtmxEvents = "observd_htmx_events_total";
inline constexpr std::string_view kCacheHits = "observd_cache_hits_total";
inline constexpr std::string_view kCacheMisses = "observd_cache_misses_total";
inline constexpr std::string_view kCacheHitRatio = "observd_cache_hit_ratio";
inline constexpr std::string_view kHttpRequests = "observd_http_requests_total";
inline constexpr std::string_view kHttpAuthFailures = "observd_http_auth_failures_total";
inline constexpr std::string_view kHttpDuration = "observd_http_request_duration_seconds";
inline constexpr std::string_view kRedisUp = "observd_redis_up";
inline constexpr std::string_view kRedisLatency = "observd_redis_latency_seconds";
inline constexpr std::string_view kRedisPingDuration = "observd_redis_ping_duration_seconds";
inline constexpr std::string_view kRedisErrors = "observd_redis_errors_total";
inline constexpr std::string_view kRedisCommands = "observd_redis_commands_total";
inline constexpr std::string_view kRedisEndpointInfo = "observd_redis_endpoint_info";
inline constexpr std::string_view kHistoryStoreUp = "observd_history_store_up";
inline constexpr std::string_view kHistoryStoreSize = "observd_history_store_size_bytes";
inline constexpr std::string_view kSnapshotAge = "observd_snapshot_age_seconds";
inline constexpr std::string_view kSnapshotSkippedRecords = "observd_snapshot_skipped_records";
inline constexpr std::string_view kSnapshotRefreshes = "observd_snapshot_refreshes_total";
inline constexpr std::string_view kSnapshotRefreshDuration =
    "observd_snapshot_refresh_duration_seconds";

// The application gauges of the default queries.
inline constexpr std::string_view kAppUploads = "observd_app_uploads";
inline constexpr std::string_view kAppUploadsWindow = "observd_app_uploads_window";
inline constexpr std::string_view kAppActiveUsers = "observd_app_active_users";
inline constexpr std::string_view kAppWorkflowRunsWindow = "observd_app_workflow_runs_window";

// True for names a configured query may not take: observd_* outside observd_app_*
// (observd's own, histograms included), process_*, and the default app gauges.
bool IsReserved(std::string_view name);

}  // namespace observd::metric_names
