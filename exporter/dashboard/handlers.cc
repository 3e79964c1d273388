#include "dashboard/handlers.h"

#include <fmt/format.h>

#include "render/partials.h"

namespace observd {
namespace {

// Browsers ask for /favicon.ico on every page, /metrics included.
constexpr const char* kFaviconAsset = "/static/favicon.svg";

Response FromRender(const RenderCache::Entry& e) {
  Response r = HtmlResponse("");
  r.shared = e.bytes;
  r.shared_gzip = e.gzip;
  return r;
}

}  // namespace

DashboardHandlers::DashboardHandlers(Deps deps)
    : deps_(std::move(deps)),
      text_scrapes_(
          [this](std::string* out) { deps_.metrics->Serialize(deps_.board->Read(), out); }),
      openmetrics_scrapes_([this](std::string* out) {
        deps_.metrics->Serialize(deps_.board->Read(), out, ExpositionFormat::kOpenMetrics100);
      }) {}

Response DashboardHandlers::StaticFile(const Request& req) {
  auto site = deps_.site->Get();
  const observd::StaticFile* f =
      site->files->Find(req.path == "/favicon.ico" ? kFaviconAsset : req.path);
  if (!f) return TextResponse(404, "not found");
  Response r;
  r.headers.emplace_back("ETag", f->etag);
  r.headers.emplace_back("Cache-Control", f->cache_control);
  r.content_type = f->content_type;
  if (EtagMatches(req.Header("If-None-Match"), f->etag)) {
    r.status = 304;
    if (!f->gzipped.empty()) r.headers.emplace_back("Vary", "Accept-Encoding");
    return r;
  }
  r.fixed = f->bytes;
  r.fixed_gzip = f->gzipped;
  r.keep = std::move(site);  // the files live as long as the site that holds them
  return r;
}

RenderCache::Entry DashboardHandlers::Render(const Panel& panel, const Site& site,
                                             const UploadsQuery& q, const Status& status) {
  // Keyed by snapshot version, Redis state and the second; the uploads view names the
  // slot (viewer-chosen searches: the cache keeps a bounded number of slots).
  std::string key = fmt::format("{}:{}:{}", status.snapshot ? status.snapshot->version : 0,
                                status.redis.up, static_cast<int64_t>(status.now));
  std::string name(panel.name);
  std::string slot = panel.uploads_view
                         ? fmt::format("{}:{}:{}:{}:{}", name, q.limit, q.status, q.sort, q.search)
                         : name;
  return renders_.Get(slot, key, [&] {
    const std::function<std::string()> metrics_text = [&] { return *MetricsText(status); };
    return site.templates->Render(name, panel.data({status, site.thresholds, q, metrics_text}));
  });
}

Response DashboardHandlers::PanelHtml(const Panel& panel, const Request& req) {
  if (panel.counts_refresh) deps_.board->CountDashboardRefresh();
  UploadsQuery q;
  if (panel.uploads_view) {
    auto parsed = ParseUploadsQuery(req.query, "limit");
    if (!parsed) return TextResponse(400, parsed.error());
    q = *parsed;
  }
  auto site = deps_.site->Get();
  if (!site->templates) return TextResponse(503, "templates are not loaded; see the log");
  return FromRender(Render(panel, *site, q, deps_.board->Read()));
}

Response DashboardHandlers::StatsJson(const Request&) {
  return JsonResponse(observd::StatsJson(deps_.board->Read()));
}

Response DashboardHandlers::HistoryJson(const Request& req) {
  auto since = ParseSince(req.query);
  if (!since) return TextResponse(400, since.error());
  HistoryOptions o;
  o.since = *since;
  // Not through the cache: the application series below may wait on Redis (bounded by
  // its timeout), and one request waits on Redis once.
  const Status status = deps_.board->ReadCurrent();
  auto window = ParseWindow(req.query, status.now);
  if (!window) return TextResponse(400, window.error());
  HistoryWindow read;
  HistoryView view;
  if (deps_.recorder) {
    // The window's latency and annotations come from the recorder (store and memory).
    read = deps_.recorder->Read(*window, status.now);
    o.window = &read;
    view.requests_per_minute = deps_.history->RequestsPerMinute(status.now);
  } else {
    view = MakeHistoryView(*deps_.history, deps_.annotations, status.now);
  }
  view.app_series = AppSeriesOver(BucketRange{window->first, window->last, window->step});
  return JsonResponse(observd::HistoryJson(status, view, deps_.sampler_interval_seconds, o));
}

std::optional<AppSeriesView> DashboardHandlers::AppSeriesOver(const BucketRange& range) const {
  if (!deps_.app_series) return std::nullopt;
  auto view = deps_.app_series->Read(range);
  if (!view) return std::nullopt;  // a malformed range: the caller's bug, shown as no data
  return std::move(*view);
}

}  // namespace observd
