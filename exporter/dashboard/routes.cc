#include "http/routes.h"

namespace observd {

RouteTable MakeRouteTable(DashboardHandlers* h) {
  using H = DashboardHandlers;
  auto row = [h](std::string path, Response (H::*fn)(const Request&)) {
    Route r;
    r.path = r.label = std::move(path);
    r.handle = [h, fn](const Request& req) { return (h->*fn)(req); };
    return r;
  };
  Route assets = row("/static/", &H::StaticFile);
  assets.match = Route::Match::kPrefix;
  assets.label = "/static";
  // Polled by every open dashboard: closed after the answer, shared 1 s cache.
  auto polled = [&row](std::string path, Response (H::*fn)(const Request&)) {
    Route r = row(std::move(path), fn);
    r.polled = true;
    return r;
  };
  Route healthy = row("/-/healthy", &H::Healthy);
  healthy.open = true;  // liveness answers without credentials
  return RouteTable({
      row("/metrics", &H::Metrics),
      row("/", &H::StaticFile),
      row("/dashboard/observability", &H::StaticFile),
      row("/dashboard/uploads", &H::StaticFile),
      assets,
      polled("/dashboard/api/stats", &H::StatsJson),
      polled("/dashboard/api/stats-html", &H::StatsHtml),
      polled("/dashboard/api/recent-uploads-html", &H::UploadsHtml),
      polled("/dashboard/api/metrics-html", &H::MetricsHtml),
      polled("/dashboard/api/history", &H::HistoryJson),
      row("/dashboard/api/history.csv", &H::HistoryCsv),
      row("/dashboard/api/uploads.csv", &H::UploadsCsv),
      row("/dashboard/api/events", &H::Events),
      healthy,
      row("/-/ready", &H::Ready),
      row("/favicon.ico", &H::StaticFile),
  });
}

}  // namespace observd
