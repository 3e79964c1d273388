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
  Route healthy = row("/-/healthy", &H::Healthy);
  healthy.open = true;  // liveness answers without credentials
  return RouteTable({
      row("/metrics", &H::Metrics),
      row("/", &H::StaticFile),
      row("/dashboard/observability", &H::StaticFile),
      row("/dashboard/uploads", &H::StaticFile),
      assets,
      row("/dashboard/api/stats", &H::StatsJson),
      row("/dashboard/api/stats-html", &H::StatsHtml),
      row("/dashboard/api/recent-uploads-html", &H::UploadsHtml),
      row("/dashboard/api/metrics-html", &H::MetricsHtml),
      row("/dashboard/api/history", &H::HistoryJson),
      row("/dashboard/api/history.csv", &H::HistoryCsv),
      row("/dashboard/api/uploads.csv", &H::UploadsCsv),
      row("/dashboard/api/events", &H::Events),
      healthy,
      row("/-/ready", &H::Ready),
      row("/favicon.ico", &H::StaticFile),
  });
}

}  // namespace observd
