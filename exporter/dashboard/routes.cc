#include "dashboard/routes.h"

#include "dashboard/pages.h"
#include "dashboard/panels.h"

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
  // Served on the scrape listener too (web.metrics_listen_address).
  auto scrape = [&row](std::string path, Response (H::*fn)(const Request&)) {
    Route r = row(std::move(path), fn);
    r.scrape = true;
    return r;
  };
  Route healthy = scrape("/-/healthy", &H::Healthy);
  healthy.open = true;  // liveness answers without credentials

  std::vector<Route> routes = {scrape("/metrics", &H::Metrics)};
  for (const PageFile& page : Pages()) routes.push_back(row(std::string(page.url), &H::StaticFile));
  routes.push_back(assets);
  routes.push_back(polled("/dashboard/api/stats", &H::StatsJson));
  for (const Panel& panel : Panels()) {
    Route r;
    r.path = r.label = std::string(panel.route);
    r.polled = true;
    r.handle = [h, &panel](const Request& req) { return h->PanelHtml(panel, req); };
    routes.push_back(std::move(r));
  }
  for (Route r : {
           polled("/dashboard/api/history", &H::HistoryJson),
           row("/dashboard/api/history.csv", &H::HistoryCsv),
           row("/dashboard/api/uploads.csv", &H::UploadsCsv),
           row("/dashboard/api/annotations.csv", &H::AnnotationsCsv),
           row("/dashboard/api/events", &H::Events),
           healthy,
           scrape("/-/ready", &H::Ready),
           row("/favicon.ico", &H::StaticFile),
       }) {
    routes.push_back(std::move(r));
  }
  return RouteTable(std::move(routes));
}

}  // namespace observd
