// observd_microbench, the /metrics group: what GET /metrics runs per request, and its
// parts (process stats, app gauges, the registry, the two writers, gzip).
#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "metrics/app_collector.h"
#include "metrics/exposition_format.h"
#include "metrics/openmetrics_format.h"
#include "metrics/process_metrics.h"
#include "metrics/text_format.h"
#include "microbench_fixtures.h"
#include "util/gzip.h"

namespace observd::bench {
namespace {

// ---------------------------------------------------------------- /metrics text

// What GET /metrics runs per request (minus the HTTP write), in the text format and in
// OpenMetrics (what Prometheus negotiates by default).
void SerializeBench(benchmark::State& state, ExpositionFormat format) {
  auto m = RealisticMetrics(static_cast<int>(state.range(0)));
  std::string out;
  for (auto _ : state) {
    m.Serialize(&out, format);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
  state.counters["bytes"] = static_cast<double>(out.size());
}
void BM_Metrics_Serialize(benchmark::State& state) {
  SerializeBench(state, ExpositionFormat::kText004);
}
BENCHMARK(BM_Metrics_Serialize)->Arg(0)->Arg(10)->Arg(100)->Arg(1000);
void BM_Metrics_SerializeOpenMetrics(benchmark::State& state) {
  SerializeBench(state, ExpositionFormat::kOpenMetrics100);
}
BENCHMARK(BM_Metrics_SerializeOpenMetrics)->Arg(0)->Arg(10)->Arg(100)->Arg(1000);

// Parts of Serialize, to see where its time goes.
void BM_Metrics_Part_ReadProcessStats(benchmark::State& state) {
  for (auto _ : state) {
    ProcessStats p = ReadProcessStats();
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_Metrics_Part_ReadProcessStats);

void BM_Metrics_Part_CollectAppMetrics(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  AppSnapshot s = RealisticSnapshot(100, n);
  auto q = Queries(n);
  for (auto _ : state) {
    auto f = CollectAppMetrics(s, q);
    benchmark::DoNotOptimize(f.data());
  }
}
BENCHMARK(BM_Metrics_Part_CollectAppMetrics)->Arg(0)->Arg(1000);

// prometheus-cpp's TextSerializer over already collected families (ostringstream).
void BM_Metrics_Part_TextSerializer(benchmark::State& state) {
  int n = static_cast<int>(state.range(0));
  auto families = CollectAppMetrics(RealisticSnapshot(100, n), Queries(n));
  auto m = RealisticMetrics(0);
  std::string text;
  m.Serialize(&text);
  // The registry's own families are not reachable from here; approximate them with the
  // app families plus a copy of the process ones.
  auto process = CollectProcessMetrics(ProcessStats{});
  families.insert(families.end(), process.begin(), process.end());
  size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream os;
    prometheus::TextSerializer().Serialize(os, families);
    std::string s = std::move(os).str();
    bytes = s.size();
    benchmark::DoNotOptimize(s.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Metrics_Part_TextSerializer)->Arg(0)->Arg(1000);

// A replica of the registry Metrics builds (same families, label sets and buckets), to
// split Serialize's registry share into prometheus-cpp's Collect() and TextSerializer.
std::shared_ptr<prometheus::Registry> ReplicaRegistry() {
  auto r = std::make_shared<prometheus::Registry>();
  const prometheus::Histogram::BucketBoundaries buckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
  auto& requests =
      prometheus::BuildCounter().Name("observd_http_requests_total").Help("h").Register(*r);
  auto& durations = prometheus::BuildHistogram()
                        .Name("observd_http_request_duration_seconds")
                        .Help("h")
                        .Register(*r);
  for (const auto& label : kHandlerLabels) {
    requests.Add({{"handler", label}, {"code", "200"}}).Increment(20);
    durations.Add({{"handler", label}}, buckets).Observe(0.001);
  }
  for (const char* name :
       {"observd_dashboard_refresh_total", "observd_htmx_events_total", "observd_cache_hits_total",
        "observd_cache_misses_total", "observd_redis_errors_total"}) {
    prometheus::BuildCounter().Name(name).Help("h").Register(*r).Add({}).Increment();
  }
  for (const char* name : {"observd_cache_hit_ratio", "observd_redis_up",
                           "observd_redis_latency_seconds", "observd_snapshot_age_seconds"}) {
    prometheus::BuildGauge().Name(name).Help("h").Register(*r).Add({}).Set(1);
  }
  auto& refresh = prometheus::BuildHistogram()
                      .Name("observd_snapshot_refresh_duration_seconds")
                      .Help("h")
                      .Register(*r);
  for (const char* o : {"computed", "shared", "failed"}) refresh.Add({{"outcome", o}}, buckets);
  prometheus::BuildHistogram()
      .Name("observd_redis_ping_duration_seconds")
      .Help("h")
      .Register(*r)
      .Add({}, buckets);
  return r;
}

void BM_Metrics_Part_RegistryCollect(benchmark::State& state) {
  auto r = ReplicaRegistry();
  for (auto _ : state) {
    auto families = r->Collect();
    benchmark::DoNotOptimize(families.data());
  }
}
BENCHMARK(BM_Metrics_Part_RegistryCollect);

void BM_Metrics_Part_RegistryText(benchmark::State& state) {
  auto families = ReplicaRegistry()->Collect();
  size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream os;
    prometheus::TextSerializer().Serialize(os, families);
    std::string s = std::move(os).str();
    bytes = s.size();
    benchmark::DoNotOptimize(s.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Metrics_Part_RegistryText);

// The two writers alone over the same collected families (registry replica, app gauges
// with `range(0)` extra queries, process metrics): the OpenMetrics share of the cost.
void WriterBench(benchmark::State& state, bool openmetrics) {
  const int n = static_cast<int>(state.range(0));
  auto families = ReplicaRegistry()->Collect();
  auto app = CollectAppMetrics(RealisticSnapshot(100, n), Queries(n));
  families.insert(families.end(), app.begin(), app.end());
  auto process = CollectProcessMetrics(ProcessStats{});
  families.insert(families.end(), process.begin(), process.end());
  constexpr std::string_view kInfo[] = {"observd_build_info"};
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (openmetrics) {
      AppendOpenMetrics(families, kInfo, &out);
    } else {
      AppendTextFormat(families, &out);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
  state.counters["bytes"] = static_cast<double>(out.size());
}
void BM_Metrics_Part_WriterText(benchmark::State& state) { WriterBench(state, false); }
BENCHMARK(BM_Metrics_Part_WriterText)->Arg(0)->Arg(1000);
void BM_Metrics_Part_WriterOpenMetrics(benchmark::State& state) { WriterBench(state, true); }
BENCHMARK(BM_Metrics_Part_WriterOpenMetrics)->Arg(0)->Arg(1000);

// gzip of the body, as done per request when the client sends Accept-Encoding: gzip
// (Prometheus always does).
// Args: extra query gauges, zlib level (6 is what WriteResponse uses today).
void BM_Metrics_Part_Gzip(benchmark::State& state) {
  auto m = RealisticMetrics(static_cast<int>(state.range(0)));
  const int level = static_cast<int>(state.range(1));
  std::string text;
  m.Serialize(&text);
  size_t out = 0;
  for (auto _ : state) {
    std::string z = GzipCompress(text, level);
    out = z.size();
    benchmark::DoNotOptimize(z.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["bytes"] = static_cast<double>(text.size());
  state.counters["gz_bytes"] = static_cast<double>(out);
}
BENCHMARK(BM_Metrics_Part_Gzip)->Args({0, 6})->Args({0, 1})->Args({1000, 6})->Args({1000, 1});

void BM_Metrics_BaselineCopy(benchmark::State& state) {
  auto m = RealisticMetrics(static_cast<int>(state.range(0)));
  std::string text;
  m.Serialize(&text);
  StringCopyBaseline(state, text);
}
BENCHMARK(BM_Metrics_BaselineCopy)->Arg(0)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace
}  // namespace observd::bench
