// observd_microbench: Google Benchmark micro-benchmarks of the CPU work behind each
// route (snapshot JSON, /metrics text, HTML partials, escaping, sanitizing, query
// building). Every group has a baseline (a copy of the same bytes) so results read as
// ratios on a noisy, shared machine. Single-threaded; no servers.
#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <cstring>
#include <kainjow/mustache.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"
#include "dashboard/panels.h"
#include "metrics/app_collector.h"
#include "metrics/metrics_registry.h"
#include "metrics/openmetrics_format.h"
#include "metrics/process_metrics.h"
#include "metrics/text_format.h"
#include "render/format.h"
#include "render/partials.h"
#include "render/templates.h"
#include "snapshot/app_snapshot.h"
#include "snapshot/snapshot_cache.h"
#include "snapshot/snapshot_source.h"
#include "util/gzip.h"

namespace observd {
namespace {

constexpr double kNow = 1764355200.0;

// ---------------------------------------------------------------- fixtures

// A snapshot shaped like the demo's: 100 recent uploads, 3 workflow statuses, 60
// per-minute buckets, `extra_queries` configured gauges.
AppSnapshot RealisticSnapshot(int recent = 100, int extra_queries = 3) {
  static const char* const kTypes[] = {"application/pdf", "image/png", "text/csv",
                                       "application/zip"};
  static const char* const kStatus[] = {"stored", "processing", "failed", "stored"};
  AppSnapshot s;
  s.computed_at = kNow - 3;
  s.producer = "bench-host:12345";
  s.fingerprint = "0123456789abcdef";
  s.uploads_total = 5000;
  s.uploads_1h = 208;
  s.uploads_24h = 4990;
  s.active_users = 27;
  for (const char* st : {"succeeded", "failed", "running"}) {
    s.workflow_runs[st] = RunWindows{104, 2480};
  }
  for (int i = 0; i < recent; ++i) {
    Upload u;
    u.id = "u-" + std::to_string(0x1000000000000000ull + static_cast<uint64_t>(i) * 7919);
    u.filename = "quarterly-report-" + std::to_string(i) + " (final) <v2> & notes.pdf";
    u.user = "user-" + std::to_string(i % 37);
    u.content_type = kTypes[i % 4];
    u.status = kStatus[i % 4];
    u.size = 1000 + static_cast<int64_t>(i) * 123457;
    u.created_at = kNow - 17.0 * i;
    s.recent.push_back(std::move(u));
  }
  for (int i = 0; i < extra_queries; ++i) {
    s.queries.push_back({"observd_app_query_" + std::to_string(i), {{"queue", "q"}}, 7.0 + i});
  }
  return s;
}

std::vector<QueryConfig> Queries(int n) {
  std::vector<QueryConfig> q;
  for (int i = 0; i < n; ++i) {
    QueryConfig c;
    c.name = "observd_app_query_" + std::to_string(i);
    c.help = "Bench gauge number " + std::to_string(i) + ".";
    c.kind = i % 2 ? QueryConfig::Kind::kGet : QueryConfig::Kind::kZcount;
    c.key = "bench:key:" + std::to_string(i);
    c.labels = {{"queue", "q"}};
    if (c.kind == QueryConfig::Kind::kZcount) c.window = Millis(900000);
    q.push_back(std::move(c));
  }
  return q;
}

// The handler labels of observd's route table.
const std::vector<std::string> kHandlerLabels = {"/metrics",
                                                 "/",
                                                 "/dashboard/observability",
                                                 "/dashboard/uploads",
                                                 "/static",
                                                 "/dashboard/api/stats",
                                                 "/dashboard/api/stats-html",
                                                 "/dashboard/api/recent-uploads-html",
                                                 "/dashboard/api/metrics-html",
                                                 "/dashboard/api/history",
                                                 "/dashboard/api/events",
                                                 "/-/healthy",
                                                 "/-/ready"};

// A registry as a running daemon has it (every handler answered with a few codes) and
// the Status it serializes with.
struct RealisticScrape {
  std::unique_ptr<Metrics> metrics;
  Status status;
  void Serialize(std::string* out, ExpositionFormat format = ExpositionFormat::kText004) const {
    metrics->Serialize(status, out, format);
  }
};

RealisticScrape RealisticMetrics(int extra_queries) {
  auto m = std::make_unique<Metrics>("0.1.0", "0123456789ab", kHandlerLabels);
  for (size_t h = 0; h <= kHandlerLabels.size(); ++h) {
    for (int i = 0; i < 20; ++i) m->ObserveRequest(h, 200, 0.0003 * i);
  }
  m->ObserveRequest(4, 304, 0.0001);
  m->ObserveRequest(kHandlerLabels.size(), 404, 0.0001);
  m->ObserveRequest(7, 400, 0.0001);
  m->ObserveRefresh(RefreshOutcome::kComputed, 0.002);
  m->ObserveRefresh(RefreshOutcome::kShared, 0.0004);
  m->ObservePing(true, 0.0002);
  auto snap = std::make_shared<VersionedSnapshot>();
  snap->app = RealisticSnapshot(100, extra_queries);
  snap->app.computed_at = kNow - 3;
  snap->version = 7;
  Status st;
  st.now = kNow;
  st.start_time = kNow - 4500;
  st.cache.hits = 970;
  st.cache.misses = 30;
  st.redis.up = true;
  st.redis.latency_seconds = 0.0002;
  st.snapshot = snap;
  st.queries = std::make_shared<const std::vector<QueryConfig>>(Queries(extra_queries));
  return {std::move(m), std::move(st)};
}

// Copies `bytes` into a preallocated buffer: the floor for producing that many bytes.
void CopyBaseline(benchmark::State& state, const std::string& bytes) {
  std::string dst(bytes.size(), '\0');
  for (auto _ : state) {
    std::memcpy(dst.data(), bytes.data(), bytes.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

// Copies into a freshly allocated std::string each time (what a route returning a
// new string must at least do).
void StringCopyBaseline(benchmark::State& state, const std::string& bytes) {
  for (auto _ : state) {
    std::string copy = bytes;
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

// ---------------------------------------------------------------- snapshot JSON

void BM_Snapshot_Serialize(benchmark::State& state) {
  AppSnapshot s = RealisticSnapshot(static_cast<int>(state.range(0)));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = SerializeSnapshot(s);
    bytes = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Snapshot_Serialize)->Arg(100)->Arg(1000);

void BM_Snapshot_Deserialize(benchmark::State& state) {
  std::string json = SerializeSnapshot(RealisticSnapshot(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    auto s = DeserializeSnapshot(json);
    if (!s) state.SkipWithError(s.error().c_str());
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
  state.counters["bytes"] = static_cast<double>(json.size());
}
BENCHMARK(BM_Snapshot_Deserialize)->Arg(100)->Arg(1000);

void BM_Snapshot_BaselineCopy(benchmark::State& state) {
  CopyBaseline(state, SerializeSnapshot(RealisticSnapshot(static_cast<int>(state.range(0)))));
}
BENCHMARK(BM_Snapshot_BaselineCopy)->Arg(100)->Arg(1000);

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

// ---------------------------------------------------------------- partials

const Templates& LoadedTemplates() {
  static const std::unique_ptr<Templates> t = [] {
    auto loaded = Templates::Load(OBSERVD_TEMPLATES, RequiredTemplates());
    if (!loaded) {
      std::fprintf(stderr, "cannot load templates: %s\n", loaded.error().c_str());
      std::abort();
    }
    return std::move(*loaded);
  }();
  return *t;
}

Status RealisticView() { return RealisticMetrics(0).status; }

// Data building + render: what a cache miss of DashboardHandlers::Render costs.
void BM_Render_Stats(benchmark::State& state) {
  const Templates& t = LoadedTemplates();
  Status v = RealisticView();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string html = t.Render("stats", StatsData(v));
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Render_Stats);

void BM_Render_StatsDataOnly(benchmark::State& state) {
  Status v = RealisticView();
  for (auto _ : state) {
    auto d = StatsData(v);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_Render_StatsDataOnly);

void BM_Render_StatsBaselineCopy(benchmark::State& state) {
  StringCopyBaseline(state, LoadedTemplates().Render("stats", StatsData(RealisticView())));
}
BENCHMARK(BM_Render_StatsBaselineCopy);

void BM_Render_RecentUploads(benchmark::State& state) {
  const Templates& t = LoadedTemplates();
  Status v = RealisticView();
  int limit = static_cast<int>(state.range(0));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string html = t.Render("recent_uploads", UploadsData(v, limit));
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Render_RecentUploads)->Arg(10)->Arg(100);

void BM_Render_UploadsDataOnly(benchmark::State& state) {
  Status v = RealisticView();
  int limit = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto d = UploadsData(v, limit);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_Render_UploadsDataOnly)->Arg(10)->Arg(100);

void BM_Render_RecentUploadsBaselineCopy(benchmark::State& state) {
  StringCopyBaseline(
      state, LoadedTemplates().Render(
                 "recent_uploads", UploadsData(RealisticView(), static_cast<int>(state.range(0)))));
}
BENCHMARK(BM_Render_RecentUploadsBaselineCopy)->Arg(10)->Arg(100);

// The metrics panel: the /metrics text escaped into a <pre>.
void BM_Render_MetricsText(benchmark::State& state) {
  const Templates& t = LoadedTemplates();
  Status v = RealisticView();
  std::string text;
  RealisticMetrics(0).Serialize(&text);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string html = t.Render("metrics_text", MetricsTextData(v, text));
    bytes = html.size();
    benchmark::DoNotOptimize(html.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Render_MetricsText);

// The JSON routes (not cached per second by DashboardHandlers: built per request).
void BM_Json_Stats(benchmark::State& state) {
  Status v = RealisticView();
  for (auto _ : state) {
    std::string j = StatsJson(v);
    benchmark::DoNotOptimize(j.data());
  }
}
BENCHMARK(BM_Json_Stats);

// ---------------------------------------------------------------- HTML escaping

// Text with the density of markup characters of the /metrics body (quotes in labels).
std::string EscapeInput(bool markup_heavy) {
  std::string text;
  RealisticMetrics(0).Serialize(&text);
  if (!markup_heavy) {
    for (char& c : text) {
      if (c == '"' || c == '<' || c == '>' || c == '&' || c == '\'') c = '_';
    }
  }
  return text;
}

void BM_Escape_Kainjow(benchmark::State& state) {
  std::string in = EscapeInput(state.range(0) != 0);
  for (auto _ : state) {
    std::string out = kainjow::mustache::html_escape<std::string>(in);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Escape_Kainjow)->Arg(0)->Arg(1);

void BM_Escape_Observd(benchmark::State& state) {
  std::string in = EscapeInput(state.range(0) != 0);
  for (auto _ : state) {
    std::string out = HtmlEscape(in);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Escape_Observd)->Arg(0)->Arg(1);

void BM_Escape_BaselineCopy(benchmark::State& state) {
  StringCopyBaseline(state, EscapeInput(state.range(0) != 0));
}
BENCHMARK(BM_Escape_BaselineCopy)->Arg(0)->Arg(1);

// ---------------------------------------------------------------- SanitizeText

std::string SanitizeInput(int kind) {
  switch (kind) {
    case 0:  // typical ASCII filename
      return "quarterly-report-2026 (final) v2.pdf";
    case 1:  // UTF-8 text, long enough to be cut at 200 code points
    {
      std::string s;
      while (s.size() < 1000)
        s += "R\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x93\x84 ";
      return s;
    }
    default:  // hostile: invalid bytes and control characters
    {
      std::string s;
      for (int i = 0; i < 1000; ++i) s += static_cast<char>((i * 37) & 0xFF);
      return s;
    }
  }
}

void BM_Sanitize(benchmark::State& state) {
  std::string in = SanitizeInput(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::string out = SanitizeText(in);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.size()));
}
BENCHMARK(BM_Sanitize)->Arg(0)->Arg(1)->Arg(2);

void BM_Sanitize_BaselineCopy(benchmark::State& state) {
  StringCopyBaseline(state, SanitizeInput(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_Sanitize_BaselineCopy)->Arg(0)->Arg(1)->Arg(2);

// ---------------------------------------------------------------- snapshot queries

void BM_BuildSnapshotQueries(benchmark::State& state) {
  KeysConfig keys;
  auto queries = Queries(static_cast<int>(state.range(0)));
  size_t n = 0;
  for (auto _ : state) {
    auto cmds = BuildSnapshotQueries(keys, queries, kNow);
    n = cmds.size();
    benchmark::DoNotOptimize(cmds.data());
  }
  state.counters["commands"] = static_cast<double>(n);
}
BENCHMARK(BM_BuildSnapshotQueries)->Arg(0)->Arg(10)->Arg(1000);

// Copying an already built command list of the same shape (allocation floor).
void BM_BuildSnapshotQueries_BaselineCopy(benchmark::State& state) {
  KeysConfig keys;
  auto built = BuildSnapshotQueries(keys, Queries(static_cast<int>(state.range(0))), kNow);
  for (auto _ : state) {
    auto copy = built;
    benchmark::DoNotOptimize(copy.data());
  }
  state.counters["commands"] = static_cast<double>(built.size());
}
BENCHMARK(BM_BuildSnapshotQueries_BaselineCopy)->Arg(0)->Arg(10)->Arg(1000);

}  // namespace
}  // namespace observd

BENCHMARK_MAIN();
