// observd_microbench's fixtures (microbench_fixtures.h).
#include "microbench_fixtures.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "model/refresh_outcome.h"
#include "util/duration.h"

namespace observd::bench {

AppSnapshot RealisticSnapshot(int recent, int extra_queries) {
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

Status RealisticView() { return RealisticMetrics(0).status; }

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

void StringCopyBaseline(benchmark::State& state, const std::string& bytes) {
  for (auto _ : state) {
    std::string copy = bytes;
    benchmark::DoNotOptimize(copy.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["bytes"] = static_cast<double>(bytes.size());
}

}  // namespace observd::bench
