#include "metrics/metrics_registry.h"

#include <chrono>

#include "metrics/app_collector.h"
#include "metrics/endpoint_info.h"
#include "metrics/openmetrics_format.h"
#include "metrics/status_collector.h"
#include "metrics/text_format.h"
#include "util/metric_names.h"

namespace observd {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::BuildHistogram;
using prometheus::Histogram;
namespace names = metric_names;

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

std::vector<std::string> WithOther(std::vector<std::string> labels) {
  labels.emplace_back(Metrics::kOtherHandler);
  return labels;
}

}  // namespace

Metrics::Metrics(std::string version, std::string revision, std::vector<std::string> handler_labels)
    : labels_(WithOther(std::move(handler_labels))),
      registry_(std::make_shared<prometheus::Registry>()),
      requests_(new std::atomic<prometheus::Counter*>[labels_.size() * kCodes]) {
  auto& r = *registry_;
  BuildGauge()
      .Name(std::string(names::kBuildInfo))
      .Help("A metric with a constant 1 value labelled by the version and git revision of observd.")
      .Register(r)
      .Add({{"version", version}, {"revision", revision}})
      .Set(1);
  requests_family_ = &BuildCounter()
                          .Name(std::string(names::kHttpRequests))
                          .Help("HTTP responses sent, by route handler and status code.")
                          .Register(r);
  auto& durations = BuildHistogram()
                        .Name(std::string(names::kHttpDuration))
                        .Help("Time to answer an HTTP request, by route handler, in seconds.")
                        .Register(r);
  for (const auto& label : labels_)
    durations_.push_back(&durations.Add({{"handler", label}}, kHttpBuckets));
  ping_duration_ = &BuildHistogram()
                        .Name(std::string(names::kRedisPingDuration))
                        .Help("Distribution of Redis PING round-trip times, in seconds.")
                        .Register(r)
                        .Add({}, kRedisBuckets);
  auto& refreshes = BuildCounter()
                        .Name(std::string(names::kSnapshotRefreshes))
                        .Help(
                            "Snapshot refreshes by outcome: computed from Redis, shared from "
                            "another instance's cache entry, or failed.")
                        .Register(r);
  auto& refresh_duration = BuildHistogram()
                               .Name(std::string(names::kSnapshotRefreshDuration))
                               .Help("Time a snapshot refresh took, by outcome, in seconds.")
                               .Register(r);
  for (size_t i = 0; i < refreshes_.size(); ++i) {
    const char* name = RefreshOutcomeName(static_cast<RefreshOutcome>(i));
    refreshes_[i] = &refreshes.Add({{"outcome", name}});
    refresh_duration_[i] = &refresh_duration.Add({{"outcome", name}}, kRedisBuckets);
  }
  auth_failures_ = &BuildCounter()
                        .Name(std::string(names::kHttpAuthFailures))
                        .Help(
                            "Requests answered 401 by basic auth, by reason: credentials missing, "
                            "malformed, or a user and password that do not match.")
                        .Register(r);
  redis_commands_ = &BuildCounter()
                         .Name(std::string(names::kRedisCommands))
                         .Help(
                             "Commands sent to Redis, by observd's connection: snapshot "
                             "(counts, uploads table, shared snapshot), sampler (PING), "
                             "series (chart buckets), replica (redis.read_replica).")
                         .Register(r);
  for (size_t i = 0; i < labels_.size() * kCodes; ++i) requests_[i] = nullptr;
}

void Metrics::CountAuthFailure(std::string_view reason) {
  // Family::Add returns the existing series for known labels (under its own mutex);
  // failures are rare next to requests, so no per-reason cache.
  auth_failures_->Add({{"reason", std::string(reason)}}).Increment();
}

void Metrics::CountRedisCommands(std::string_view client, size_t n) {
  // A handful of batches a second (a PING each, a refresh's pipelines): no cache.
  redis_commands_->Add({{"client", std::string(client)}}).Increment(static_cast<double>(n));
}

prometheus::Counter& Metrics::RequestCounter(size_t handler, int code) {
  if (code < kMinCode || code >= kMinCode + kCodes) code = 500;
  auto& slot = requests_[handler * kCodes + (code - kMinCode)];
  prometheus::Counter* c = slot.load(std::memory_order_acquire);
  if (c) return *c;
  std::lock_guard<std::mutex> lk(requests_mu_);
  c = slot.load();
  if (!c) {
    c = &requests_family_->Add({{"handler", labels_[handler]}, {"code", std::to_string(code)}});
    slot.store(c, std::memory_order_release);
  }
  return *c;
}

void Metrics::ObserveRequest(size_t handler, int code, double seconds) {
  if (handler >= labels_.size()) handler = labels_.size() - 1;  // kOtherHandler
  RequestCounter(handler, code).Increment();
  durations_[handler]->Observe(seconds);
}

void Metrics::ObserveRefresh(RefreshOutcome outcome, double seconds) {
  refreshes_[static_cast<size_t>(outcome)]->Increment();
  refresh_duration_[static_cast<size_t>(outcome)]->Observe(seconds);
}

void Metrics::ObservePing(bool up, double seconds) {
  if (up) ping_duration_->Observe(seconds);
}

std::vector<prometheus::MetricFamily> Metrics::Collect(const Status& status) const {
  auto families = registry_->Collect();
  auto append = [&families](std::vector<prometheus::MetricFamily> more) {
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  };
  append(CollectStatusMetrics(status));
  families.push_back(CollectEndpointInfo(status.redis.endpoints));
  // Omitted, not frozen, when the snapshot is stale.
  if (!status.stale()) append(CollectAppMetrics(status.snapshot->app, *status.queries));
  append(CollectProcessMetrics(ProcessStatsAtMostOncePerSecond()));
  return families;
}

void Metrics::Serialize(const Status& status, std::string* out, ExpositionFormat format) const {
  out->clear();
  if (IsOpenMetrics(format)) {
    // observd_build_info becomes the sample of the OpenMetrics info family observd_build.
    AppendOpenMetrics(Collect(status), std::span(&names::kBuildInfo, 1), out);
  } else {
    AppendTextFormat(Collect(status), out);
  }
}

}  // namespace observd
