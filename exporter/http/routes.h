// Routes answers every HTTP request: exact-path routing, method checks, Basic auth,
// security headers, request metrics, and the handlers of the DESIGN.md routes.
// Handlers read in-memory state only (the cached snapshot, history, metrics) and
// never run KEYS or SCAN; rendered partials are cached per snapshot version and
// shared by every viewer. Thread-safe; Handle() never throws.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"
#include "http/basic_auth.h"
#include "http/response.h"
#include "http/sse.h"
#include "http/static_files.h"
#include "metrics/metrics_registry.h"
#include "metrics/scrape_coalescer.h"
#include "render/partials.h"
#include "render/templates.h"
#include "snapshot/history.h"
#include "snapshot/latency_sampler.h"
#include "snapshot/snapshot_cache.h"

struct mg_connection;

namespace observd {

// The parts of the site replaced whole on SIGHUP.
struct Site {
  std::unique_ptr<Templates> templates;  // null: partial routes answer 503
  std::unique_ptr<StaticFiles> files;
  std::unique_ptr<BasicAuth> auth;  // null or empty: no authentication
  Headers extra_headers;
  std::shared_ptr<const std::vector<QueryConfig>> queries;
  double stale_after_seconds = 60;
  int max_sse_streams = 32;
  Millis sse_interval{5000};
  Millis sse_max_duration{300000};
};

struct RouteDeps {
  Metrics* metrics;
  SnapshotCache* cache;
  History* history;
  LatencySampler* sampler;
  std::function<double()> now;  // unix seconds
  std::string version;
  std::string revision;
  double start_time = 0;
  double sampler_interval_seconds = 1;
  Annotations* annotations = nullptr;  // restarts, reloads, Redis outages (charts)
};

// What one SSE stream sends (`?topics=`; all when absent) and its uploads table.
struct EventTopics {
  bool stats = true, uploads = true, metrics = true, history = true;
  UploadsQuery uploads_query;
};
// The uploads table's parameters: `limit_name` (limit or uploads_limit), status, q, sort.
std::optional<UploadsQuery> ParseUploadsQuery(const char* query, const std::string& limit_name,
                                              std::string* error);
// From the stream URL's query (`topics`, `uploads_limit`, status/q/sort); nullopt + error
// on a bad value.
std::optional<EventTopics> ParseEventTopics(const char* query, std::string* error);

class Routes {
 public:
  explicit Routes(RouteDeps deps);
  Routes(const Routes&) = delete;
  Routes& operator=(const Routes&) = delete;

  void SetSite(std::shared_ptr<const Site> site);
  std::shared_ptr<const Site> site() const;
  void SetReady(bool ready) { ready_ = ready; }

  // CivetWeb entry point: answers the request, returns the status code.
  int Handle(mg_connection* conn);

  // Ends open SSE streams promptly (SIGTERM).
  void BeginShutdown();

  int open_streams() const { return streams_.load(); }

 private:
  struct Request {
    mg_connection* conn;
    std::string path;
    const char* query;
    bool head;
    bool htmx;
    bool gzip;
  };
  Response Dispatch(Handler handler, const Request& req, const Site& site);
  Response ServeMetrics(const Request& req);
  Response Partial(const std::string& name, const Site& site, const UploadsQuery& uploads);
  Response Csv(Handler handler, const Request& req);
  Response ServeStatic(const Request& req, const Site& site);
  int Events(mg_connection* conn, const Site& site, const EventTopics& topics, bool gzip);
  struct StreamMemory;  // what one stream already sent (routes_events.cc)
  bool Tick(SseWriter* out, const Site& site, const EventTopics& topics, StreamMemory* memory);

  DashboardView View();
  // Rendered partial bytes for `name`, re-rendered only when the snapshot version,
  // limit or the one-second tick change.
  std::shared_ptr<const std::string> Render(const std::string& name, const Site& site,
                                            const UploadsQuery& uploads, const DashboardView& view);
  std::shared_ptr<const std::string> MetricsText(double now);

  const RouteDeps deps_;
  ScrapeCoalescer scrapes_;
  mutable std::mutex site_mu_;
  std::shared_ptr<const Site> site_;
  std::atomic<bool> ready_{false};
  std::atomic<int> streams_{0};

  std::mutex shutdown_mu_;
  std::condition_variable shutdown_cv_;
  bool shutting_down_ = false;

  struct CachedRender {
    std::string key;
    std::shared_ptr<const std::string> bytes;
    std::shared_ptr<const std::string> gzip;  // null when small
  };
  CachedRender RenderBoth(const std::string& name, const Site& site, const UploadsQuery& uploads,
                          const DashboardView& view);
  std::mutex render_mu_;
  std::map<std::string, CachedRender> renders_;
};

}  // namespace observd
