#include "metrics/metrics_registry.h"

#include <chrono>

#include "metrics/app_collector.h"
#include "metrics/text_format.h"

namespace observd {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;

const Histogram::BucketBoundaries kHttpBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                  0.05,   0.1,   0.25,   0.5,   1,    2.5};
const Histogram::BucketBoundaries kRedisBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                   0.01,   0.025,   0.05,   0.1,   0.25,   1};

// /proc reads cost ~25 us; Prometheus scrapes are seconds apart, a load test is not.
ProcessStats ProcessStatsAtMostOncePerSecond() {
  static std::mutex mu;
  static ProcessStats cached;
  static std::chrono::steady_clock::time_point read_at;
  std::lock_guard<std::mutex> lk(mu);
  auto now = std::chrono::steady_clock::now();
  if (now - read_at >= std::chrono::seconds(1)) {
    cached = ReadProcessStats();
    read_at = now;
  }
  return cached;
}

}  // namespace

const char* HandlerLabel(Handler h) {
  switch (h) {
    case Handler::kMetrics:
      return "/metrics";
    case Handler::kIndex:
      return "/";
    case Handler::kObservabilityPage:
      return "/dashboard/observability";
    case Handler::kUploadsPage:
      return "/dashboard/uploads";
    case Handler::kStatic:
      return "/static";
    case Handler::kApiStats:
      return "/dashboard/api/stats";
    case Handler::kStatsHtml:
      return "/dashboard/api/stats-html";
    case Handler::kUploadsHtml:
      return "/dashboard/api/recent-uploads-html";
    case Handler::kMetricsHtml:
      return "/dashboard/api/metrics-html";
    case Handler::kHistory:
      return "/dashboard/api/history";
    case Handler::kHistoryCsv:
      return "/dashboard/api/history.csv";
    case Handler::kUploadsCsv:
      return "/dashboard/api/uploads.csv";
    case Handler::kEvents:
      return "/dashboard/api/events";
    case Handler::kHealthy:
      return "/-/healthy";
    case Handler::kReady:
      return "/-/ready";
    case Handler::kOther:
    case Handler::kCount:
      break;
  }
  return "other";
}

Metrics::Metrics(std::string version, std::string revision)
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(
          new std::atomic<prometheus::Counter*>[static_cast<size_t>(Handler::kCount) * kCodes]) {
  auto& r = *registry_;
  BuildGauge()
      .Name("observd_build_info")
      .Help("A metric with a constant 1 value labelled by the version and git revision of observd.")
      .Register(r)
      .Add({{"version", version}, {"revision", revision}})
      .Set(1);
  dashboard_refresh_ =
      &BuildCounter()
           .Name("observd_dashboard_refresh_total")
           .Help("Dashboard auto-refresh updates served (stats partial, SSE ticks).")
           .Register(r)
           .Add({});
  htmx_events_ = &BuildCounter()
                      .Name("observd_htmx_events_total")
                      .Help("HTTP requests that carried the header HX-Request: true.")
                      .Register(r)
                      .Add({});
  cache_hits_ = &BuildCounter()
                     .Name("observd_cache_hits_total")
                     .Help("Snapshot reads served from the cache without starting a Redis refresh.")
                     .Register(r)
                     .Add({});
  cache_misses_ = &BuildCounter()
                       .Name("observd_cache_misses_total")
                       .Help("Snapshot reads that found the cache expired or empty.")
                       .Register(r)
                       .Add({});
  cache_hit_ratio_ =
      &BuildGauge()
           .Name("observd_cache_hit_ratio")
           .Help("Cache hits divided by hits plus misses since start; 0 before any read.")
           .Register(r)
           .Add({});
  requests_family_ = &BuildCounter()
                          .Name("observd_http_requests_total")
                          .Help("HTTP responses sent, by route handler and status code.")
                          .Register(r);
  auto& durations = BuildHistogram()
                        .Name("observd_http_request_duration_seconds")
                        .Help("Time to answer an HTTP request, by route handler, in seconds.")
                        .Register(r);
  for (size_t i = 0; i < durations_.size(); ++i) {
    durations_[i] =
        &durations.Add({{"handler", HandlerLabel(static_cast<Handler>(i))}}, kHttpBuckets);
  }
  redis_up_ = &BuildGauge()
                   .Name("observd_redis_up")
                   .Help("1 when the last Redis round trip (PING) succeeded, else 0.")
                   .Register(r)
                   .Add({});
  redis_latency_ = &BuildGauge()
                        .Name("observd_redis_latency_seconds")
                        .Help("Round-trip time of the last successful Redis PING, in seconds.")
                        .Register(r)
                        .Add({});
  ping_duration_ = &BuildHistogram()
                        .Name("observd_redis_ping_duration_seconds")
                        .Help("Distribution of Redis PING round-trip times, in seconds.")
                        .Register(r)
                        .Add({}, kRedisBuckets);
  redis_errors_ = &BuildCounter()
                       .Name("observd_redis_errors_total")
                       .Help("Failed Redis operations (connect, command, timeout, protocol).")
                       .Register(r)
                       .Add({});
  snapshot_age_ =
      &BuildGauge()
           .Name("observd_snapshot_age_seconds")
           .Help("Age of the application snapshot being served, in seconds; -1 when there is none.")
           .Register(r)
           .Add({});
  auto& refreshes = BuildCounter()
                        .Name("observd_snapshot_refreshes_total")
                        .Help(
                            "Snapshot refreshes by outcome: computed from Redis, shared from "
                            "another instance's cache entry, or failed.")
                        .Register(r);
  auto& refresh_duration = BuildHistogram()
                               .Name("observd_snapshot_refresh_duration_seconds")
                               .Help("Time a snapshot refresh took, by outcome, in seconds.")
                               .Register(r);
  for (size_t i = 0; i < refreshes_.size(); ++i) {
    const char* name = RefreshOutcomeName(static_cast<RefreshOutcome>(i));
    refreshes_[i] = &refreshes.Add({{"outcome", name}});
    refresh_duration_[i] = &refresh_duration.Add({{"outcome", name}}, kRedisBuckets);
  }
  for (size_t i = 0; i < static_cast<size_t>(Handler::kCount) * kCodes; ++i) requests_[i] = nullptr;
}

prometheus::Counter& Metrics::RequestCounter(Handler handler, int code) {
  if (code < kMinCode || code >= kMinCode + kCodes) code = 500;
  auto& slot = requests_[static_cast<size_t>(handler) * kCodes + (code - kMinCode)];
  prometheus::Counter* c = slot.load(std::memory_order_acquire);
  if (c) return *c;
  std::lock_guard<std::mutex> lk(requests_mu_);
  c = slot.load();
  if (!c) {
    c = &requests_family_->Add(
        {{"handler", HandlerLabel(handler)}, {"code", std::to_string(code)}});
    slot.store(c, std::memory_order_release);
  }
  return *c;
}

void Metrics::ObserveRequest(Handler handler, int code, double seconds) {
  RequestCounter(handler, code).Increment();
  durations_[static_cast<size_t>(handler)]->Observe(seconds);
  requests_total_.fetch_add(1, std::memory_order_relaxed);
}

double Metrics::requests_total() const { return static_cast<double>(requests_total_.load()); }

void Metrics::ObserveRefresh(RefreshOutcome outcome, double seconds) {
  refreshes_[static_cast<size_t>(outcome)]->Increment();
  refresh_duration_[static_cast<size_t>(outcome)]->Observe(seconds);
}

void Metrics::ObservePing(bool up, double seconds) {
  redis_up_->Set(up ? 1 : 0);
  if (up) {
    redis_latency_->Set(seconds);
    ping_duration_->Observe(seconds);
  }
}

void Metrics::SetSnapshotState(std::function<SnapshotState()> state) { state_ = std::move(state); }

void Metrics::Serialize(std::string* out) const {
  double hits = cache_hits_->Value();
  double misses = cache_misses_->Value();
  cache_hit_ratio_->Set(hits + misses > 0 ? hits / (hits + misses) : 0);
  SnapshotState state;
  if (state_) state = state_();
  snapshot_age_->Set(state.snapshot ? state.age_seconds : -1);

  auto families = registry_->Collect();
  if (state.snapshot && !state.stale) {
    static const std::vector<QueryConfig> kNoQueries;
    auto app = CollectAppMetrics(state.snapshot->app, state.queries ? *state.queries : kNoQueries);
    families.insert(families.end(), std::make_move_iterator(app.begin()),
                    std::make_move_iterator(app.end()));
  }
  auto process = CollectProcessMetrics(ProcessStatsAtMostOncePerSecond());
  families.insert(families.end(), std::make_move_iterator(process.begin()),
                  std::make_move_iterator(process.end()));
  out->clear();
  AppendTextFormat(families, out);
}

}  // namespace observd
