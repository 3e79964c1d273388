// observd_microbench, the partials group: the templates rendered as a cache miss of
// DashboardHandlers::Render does, the data building alone, and the JSON routes.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "dashboard/panels.h"
#include "microbench_fixtures.h"
#include "render/partials.h"
#include "render/templates.h"

namespace observd::bench {
namespace {

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

}  // namespace
}  // namespace observd::bench
