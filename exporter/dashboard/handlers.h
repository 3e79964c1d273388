// DashboardHandlers answers the routes of DESIGN.md: pages, assets, panels and JSON
// (handlers.cc), /metrics (metrics_handler.cc), events, CSV exports, health (*_handler.cc).
// Handlers read in-memory state (board Status, history, current Site) and never wait on
// Redis beyond the cache's max_wait; the application's series come from AppSeriesReader,
// which bounds its own wait (snapshot/app_series.h). Thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "dashboard/event_stream.h"
#include "dashboard/panels.h"
#include "dashboard/render_cache.h"
#include "dashboard/site.h"
#include "dashboard/site_query.h"
#include "http/request.h"
#include "http/response.h"
#include "metrics/metrics_registry.h"
#include "metrics/scrape_coalescer.h"
#include "model/app_series_view.h"
#include "snapshot/annotations.h"
#include "snapshot/history.h"
#include "snapshot/history_recorder.h"
#include "status/status_board.h"

namespace observd {

class DashboardHandlers {
 public:
  struct Deps {
    StatusBoard* board;
    History* history;
    const Metrics* metrics;  // may be constructed after the handlers, before serving
    const SiteHolder* site;
    std::function<bool()> first_reads_attempted;
    double sampler_interval_seconds = 1;
    const Annotations* annotations = nullptr;  // restarts, reloads, outages (charts)
    HistoryRecorder* recorder = nullptr;       // windows of history (store and memory)
    AppSeriesReader* app_series = nullptr;     // uploads and runs per bucket; null: none
  };
  explicit DashboardHandlers(Deps deps);
  DashboardHandlers(const DashboardHandlers&) = delete;
  DashboardHandlers& operator=(const DashboardHandlers&) = delete;

  Response Metrics(const Request& req);
  Response StaticFile(const Request& req);
  Response StatsJson(const Request& req);
  // The partial of `panel` (a row of the panel table).
  Response PanelHtml(const Panel& panel, const Request& req);
  Response HistoryJson(const Request& req);
  Response HistoryCsv(const Request& req);
  Response UploadsCsv(const Request& req);
  Response AnnotationsCsv(const Request& req);
  Response Events(const Request& req);
  Response Healthy(const Request& req);
  Response Ready(const Request& req);

  void SetReady(bool ready) { ready_ = ready; }
  // Drops cached renderings (templates were swapped).
  void ClearRenders() { renders_.Clear(); }
  // Ends open event streams promptly (SIGTERM).
  void BeginShutdown() { streams_.BeginShutdown(); }

 private:
  // The rendering of `panel` for `status` (with `uploads_view`: the table's view), shared
  // by every viewer of the same second and snapshot.
  RenderCache::Entry Render(const Panel& panel, const Site& site, const UploadsQuery& uploads,
                            const Status& status);
  struct StreamMemory;  // what one event stream already sent (events_handler.cc)
  bool Tick(SseWriter* out, const Site& site, const EventTopics& topics, StreamMemory* memory);
  std::shared_ptr<const std::string> MetricsText(const Status& status);
  // The application's series over `range`; nullopt without a reader.
  std::optional<AppSeriesView> AppSeriesOver(const BucketRange& range) const;

  const Deps deps_;
  // One per body: concurrent scrapes share a serialization only within a format.
  ScrapeCoalescer text_scrapes_;
  ScrapeCoalescer openmetrics_scrapes_;
  RenderCache renders_;
  EventStreams streams_;
  std::atomic<bool> ready_{false};
};

}  // namespace observd
